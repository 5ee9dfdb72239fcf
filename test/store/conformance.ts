/**
 * The store contract, written once and run against every engine (STYLE.md habit 4).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../src/events/types.js';
import type { Store } from '../../src/store/index.js';

export interface EngineHarness {
  /** A fresh, empty store; `reopen` opens the same data again after `close`. */
  open(settings?: { retentionMs?: number; dedupeWindowMs?: number }): Promise<{ store: Store; reopen(): Promise<Store> }>;
}

export function event(id: string, extra: Partial<CloudEvent> = {}): CloudEvent {
  return { specversion: '1.0', id, source: '/test', type: 'test.event', data: { id }, ...extra };
}

export function storeConformance(engine: string, harness: EngineHarness): void {
  test(`${engine}: appends get consecutive sequences from 1 and read back equal`, async () => {
    const { store } = await harness.open();
    const events = [event('a', { subject: 's', myext: 'x' }), event('b', { data_base64: 'AAE=', data: undefined })];
    delete events[1].data;
    assert.deepEqual(await store.events.append('default', events), [
      { sequence: 1, duplicate: false },
      { sequence: 2, duplicate: false },
    ]);
    const read = await store.events.read('default', 0, 10);
    assert.deepEqual(read.map((e) => e.event), events);
    assert.deepEqual(read.map((e) => e.sequence), [1, 2]);
    assert.ok(!Number.isNaN(Date.parse(read[0].receivedAt)));
    assert.deepEqual((await store.events.read('default', 1, 10)).map((e) => e.sequence), [2]);
    assert.equal(await store.events.head('default'), 2);
    await store.close();
  });

  test(`${engine}: a re-sent (source, id) answers with the original sequence, within one call too`, async () => {
    const { store } = await harness.open();
    await store.events.append('default', [event('x')]);
    const again = await store.events.append('default', [event('y'), event('x'), event('y')]);
    assert.deepEqual(again, [
      { sequence: 2, duplicate: false },
      { sequence: 1, duplicate: true },
      { sequence: 2, duplicate: true },
    ]);
    // Same id from another source is another event.
    assert.deepEqual(await store.events.append('default', [event('x', { source: '/other' })]), [{ sequence: 3, duplicate: false }]);
    assert.equal((await store.events.read('default', 0, 10)).length, 3);
    assert.equal((await store.events.findById('default', '/test', 'x'))?.sequence, 1);
    await store.close();
  });

  test(`${engine}: dedupe forgets after the window`, async () => {
    const { store } = await harness.open({ dedupeWindowMs: 30 });
    await store.events.append('default', [event('w')]);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await store.events.append('default', [event('w')]), [{ sequence: 2, duplicate: false }]);
    await store.close();
  });

  test(`${engine}: dedupe and sequences are per bus`, async () => {
    const { store } = await harness.open();
    await store.buses.create('other');
    await store.events.append('default', [event('p')]);
    assert.deepEqual(await store.events.append('other', [event('p')]), [{ sequence: 1, duplicate: false }]);
    await store.close();
  });

  test(`${engine}: concurrent appends share commits and get distinct sequences in call order`, async () => {
    const { store } = await harness.open();
    const calls = Array.from({ length: 200 }, (_, i) => store.events.append('default', [event(`c${i}`), event(`d${i}`)]));
    const results = await Promise.all(calls);
    const sequences = results.flat().map((r) => r.sequence);
    assert.deepEqual(sequences, Array.from({ length: 400 }, (_, i) => i + 1));
    await store.close();
  });

  test(`${engine}: unknown bus is refused and stores nothing`, async () => {
    const { store } = await harness.open();
    await assert.rejects(store.events.append('nope', [event('n')]), { code: 'HERALD_BUS_NOT_FOUND' });
    await store.close();
  });

  test(`${engine}: buses: create, list, update, delete; default is protected; names are checked`, async () => {
    const { store } = await harness.open();
    const created = await store.buses.create('orders.v1', { description: 'orders', retentionMs: 1000 });
    assert.equal(created.name, 'orders.v1');
    assert.equal(created.retentionMs, 1000);
    await assert.rejects(store.buses.create('orders.v1'), { code: 'HERALD_BUS_EXISTS' });
    await assert.rejects(store.buses.create('bad name'), { code: 'HERALD_INVALID_NAME' });
    await assert.rejects(store.buses.create('x'.repeat(257)), { code: 'HERALD_INVALID_NAME' });
    assert.deepEqual((await store.buses.list()).map((b) => b.name), ['default', 'orders.v1']);
    assert.equal((await store.buses.update('orders.v1', { description: 'new' })).description, 'new');
    await store.events.append('orders.v1', [event('o')]);
    await store.buses.delete('orders.v1');
    assert.equal(await store.buses.get('orders.v1'), undefined);
    await assert.rejects(store.buses.delete('default'), { code: 'HERALD_BUS_PROTECTED' });
    await assert.rejects(store.buses.delete('orders.v1'), { code: 'HERALD_BUS_NOT_FOUND' });
    // A bus created again under the same name starts empty.
    await store.buses.create('orders.v1');
    assert.deepEqual(await store.events.read('orders.v1', 0, 10), []);
    assert.deepEqual(await store.events.append('orders.v1', [event('o')]), [{ sequence: 1, duplicate: false }]);
    await store.close();
  });

  test(`${engine}: retention deletes expired events; sequences continue`, async () => {
    const { store } = await harness.open({ retentionMs: 60_000 });
    await store.events.append('default', Array.from({ length: 5000 }, (_, i) => event(`r${i}`)));
    assert.equal((await store.sweep(Date.now())).eventsDeleted, 0);
    const swept = await store.sweep(Date.now() + 61_000);
    assert.equal(swept.eventsDeleted, 5000);
    assert.equal(swept.dedupeDeleted, 5000);
    assert.deepEqual(await store.events.read('default', 0, 10), []);
    assert.deepEqual(await store.events.append('default', [event('after'), event('r0')]), [
      { sequence: 5001, duplicate: false },
      { sequence: 5002, duplicate: false },
    ]);
    await store.close();
  });

  test(`${engine}: subscribers hear committed events`, async () => {
    const { store } = await harness.open();
    const heard: number[] = [];
    const stop = store.events.subscribe('default', (events) => heard.push(...events.map((e) => e.sequence)));
    await store.events.append('default', [event('s1'), event('s2')]);
    await store.events.append('default', [event('s1')]);
    stop();
    await store.events.append('default', [event('s3')]);
    assert.deepEqual(heard, [1, 2]);
    await store.close();
  });

  test(`${engine}: data and sequences survive a reopen`, async () => {
    const { store, reopen } = await harness.open();
    await store.buses.create('keep');
    await store.events.append('keep', [event('k1'), event('k2')]);
    await store.close();
    const again = await reopen();
    assert.deepEqual((await again.events.read('keep', 0, 10)).map((e) => e.event.id), ['k1', 'k2']);
    assert.deepEqual(await again.events.append('keep', [event('k3'), event('k1')]), [
      { sequence: 3, duplicate: false },
      { sequence: 1, duplicate: true },
    ]);
    await again.close();
  });

  test(`${engine}: rules, sources and connections: put replaces, get, list by name, delete says whether it did`, async () => {
    const { store } = await harness.open();
    await store.rules.put('default', 'b', { name: 'b', v: 1 });
    await store.rules.put('default', 'a', { name: 'a' });
    await store.rules.put('default', 'b', { name: 'b', v: 2 });
    assert.deepEqual(await store.rules.list('default'), [{ name: 'a' }, { name: 'b', v: 2 }]);
    assert.deepEqual(await store.rules.all(), [
      { bus: 'default', doc: { name: 'a' } },
      { bus: 'default', doc: { name: 'b', v: 2 } },
    ]);
    await assert.rejects(store.rules.put('nope', 'r', {}), { code: 'HERALD_BUS_NOT_FOUND' });
    assert.equal(await store.rules.delete('default', 'a'), true);
    assert.equal(await store.rules.delete('default', 'a'), false);
    assert.equal(await store.rules.get('default', 'a'), undefined);

    await store.sources.put('s2', { name: 's2' });
    await store.sources.put('s1', { name: 's1', v: 1 });
    await store.sources.put('s1', { name: 's1', v: 2 });
    assert.deepEqual(await store.sources.list(), [{ name: 's1', v: 2 }, { name: 's2' }]);
    assert.equal(await store.sources.delete('s2'), true);
    assert.equal(await store.sources.get('s2'), undefined);

    const row = { name: 'c', type: 'postgres', description: 'd', secrets: { url: 'enc:1' }, updatedAt: new Date(0).toISOString() };
    await store.connections.put(row);
    await store.connections.put({ ...row, description: 'e' });
    assert.deepEqual(await store.connections.list(), [{ ...row, description: 'e' }]);
    assert.deepEqual(await store.connections.get('c'), { ...row, description: 'e' });
    assert.equal(await store.connections.delete('c'), true);
    assert.equal(await store.connections.delete('c'), false);
    await store.close();
  });

  test(`${engine}: applyState makes every change, in order, and later changes see earlier ones`, async () => {
    const { store, reopen } = await harness.open();
    await store.buses.create('old');
    await store.events.append('old', [event('o1')]);
    const row = { name: 'conn', description: '', secrets: {}, updatedAt: new Date(0).toISOString() };
    await store.applyState([
      { kind: 'connection', action: 'put', row },
      { kind: 'bus', action: 'create', bus: 'orders', settings: { description: 'o', retentionMs: 5000 } },
      { kind: 'rule', action: 'put', bus: 'orders', name: 'r', doc: { name: 'r' } },
      { kind: 'source', action: 'put', name: 'src', doc: { name: 'src', bus: 'orders' } },
      { kind: 'bus', action: 'update', bus: 'default', settings: { description: 'changed' } },
      { kind: 'bus', action: 'delete', bus: 'old' },
    ]);
    assert.deepEqual((await store.buses.list()).map((b) => b.name), ['default', 'orders']);
    assert.equal((await store.buses.get('orders'))?.retentionMs, 5000);
    assert.equal((await store.buses.get('default'))?.description, 'changed');
    assert.deepEqual(await store.rules.list('orders'), [{ name: 'r' }]);
    assert.deepEqual(await store.sources.get('src'), { name: 'src', bus: 'orders' });
    assert.deepEqual(await store.connections.get('conn'), row);
    // The bus is usable at once, and one deleted through applyState starts at 1 when made again.
    assert.deepEqual(await store.events.append('orders', [event('n')]), [{ sequence: 1, duplicate: false }]);
    await store.buses.create('old');
    assert.deepEqual(await store.events.append('old', [event('o2')]), [{ sequence: 1, duplicate: false }]);
    await store.close();
    // Committed means durable.
    const again = await reopen();
    assert.deepEqual(await again.rules.list('orders'), [{ name: 'r' }]);
    assert.deepEqual(await again.connections.get('conn'), row);
    await again.close();
  });

  test(`${engine}: applyState is all or nothing: a refused change undoes the ones before it`, async () => {
    const { store } = await harness.open();
    await store.buses.create('kept');
    await store.events.append('kept', [event('k1'), event('k2')]);
    await store.rules.put('kept', 'r', { name: 'r', v: 1 });
    await assert.rejects(
      store.applyState([
        { kind: 'bus', action: 'create', bus: 'fresh', settings: {} },
        { kind: 'rule', action: 'put', bus: 'fresh', name: 'x', doc: { name: 'x' } },
        { kind: 'rule', action: 'put', bus: 'kept', name: 'r', doc: { name: 'r', v: 2 } },
        { kind: 'source', action: 'put', name: 'src', doc: {} },
        { kind: 'connection', action: 'put', row: { name: 'c', description: '', secrets: {}, updatedAt: new Date(0).toISOString() } },
        { kind: 'bus', action: 'delete', bus: 'kept' },
        // Refused: the bus exists. Everything above must be undone.
        { kind: 'bus', action: 'create', bus: 'default', settings: {} },
      ]),
      { code: 'HERALD_BUS_EXISTS' },
    );
    assert.deepEqual((await store.buses.list()).map((b) => b.name), ['default', 'kept']);
    await assert.rejects(store.events.append('fresh', [event('f')]), { code: 'HERALD_BUS_NOT_FOUND' });
    assert.deepEqual(await store.rules.list('kept'), [{ name: 'r', v: 1 }]);
    assert.equal(await store.sources.get('src'), undefined);
    assert.deepEqual(await store.connections.list(), []);
    // The bus whose delete was undone keeps its events and its sequence.
    assert.deepEqual((await store.events.read('kept', 0, 10)).map((e) => e.event.id), ['k1', 'k2']);
    assert.deepEqual(await store.events.append('kept', [event('k3'), event('k1')]), [
      { sequence: 3, duplicate: false },
      { sequence: 1, duplicate: true },
    ]);
    await assert.rejects(store.applyState([{ kind: 'bus', action: 'delete', bus: 'default' }]), { code: 'HERALD_BUS_PROTECTED' });
    await assert.rejects(store.applyState([{ kind: 'rule', action: 'put', bus: 'nope', name: 'r', doc: {} }]), { code: 'HERALD_BUS_NOT_FOUND' });
    await store.close();
  });
}
