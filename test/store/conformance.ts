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
}
