import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeraldError } from '../../src/errors/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { event, storeConformance } from './conformance.js';

const dirs: string[] = [];
process.on('exit', () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-store-'));
  dirs.push(dir);
  return dir;
}

const defaults = { retentionMs: 7 * 24 * 3600_000, dedupeWindowMs: 24 * 3600_000 };

storeConformance('sqlite', {
  async open(settings = {}) {
    const dataDir = tempDir();
    const options = { dataDir, ...defaults, ...settings };
    return { store: openSqliteStore(options), reopen: async () => openSqliteStore(options) };
  },
});

test('sqlite: a full store answers HERALD_STORE_FULL, stores nothing of that call, and recovers', async () => {
  const store = openSqliteStore({ dataDir: tempDir(), ...defaults });
  await store.events.append('default', [event('first')]);
  store.setMaxBytes(256 * 1024);
  const big = (i: number) => event(`big${i}`, { data: { blob: 'x'.repeat(20_000) } });
  let full: unknown;
  let stored = 1;
  for (let i = 0; i < 100 && !full; i++) {
    try {
      await store.events.append('default', [big(i)]);
      stored++;
    } catch (error) {
      full = error;
    }
  }
  assert.equal((full as { code?: string }).code, 'HERALD_STORE_FULL');
  const before = await store.events.head('default');
  assert.equal(before, stored);
  assert.equal((await store.events.read('default', 0, 1000)).length, stored);
  // Raising the cap lets the same event in, with the next sequence: the failed call left no gap.
  store.setMaxBytes(undefined);
  assert.deepEqual(await store.events.append('default', [big(999)]), [{ sequence: stored + 1, duplicate: false }]);
  await store.close();
});

test('sqlite: retention frees space in a full store', async () => {
  const store = openSqliteStore({ dataDir: tempDir(), ...defaults, retentionMs: 1000 });
  store.setMaxBytes(256 * 1024);
  let i = 0;
  for (;;) {
    try {
      await store.events.append('default', [event(`f${i++}`, { data: 'y'.repeat(10_000) })]);
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'HERALD_STORE_FULL');
      break;
    }
  }
  await store.sweep(Date.now() + 2000);
  await store.events.append('default', [event('after-sweep', { data: 'y'.repeat(10_000) })]);
  await store.close();
});

test('sqlite: every write on a full store is refused as the contract says (HERALD_STORE_FULL), not as a SQLite error', async () => {
  const store = openSqliteStore({ dataDir: tempDir(), ...defaults });
  await store.buses.create('keep');
  store.setMaxBytes(1); // never below the current size: "full from here"
  // Fill to the last page, with ever smaller events.
  let n = 0;
  for (const size of [4000, 1000, 200, 20, 1]) {
    for (;;) {
      try {
        await store.events.append('default', [event(`f${n++}`, { data: 'x'.repeat(size) })]);
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'HERALD_STORE_FULL');
        break;
      }
    }
  }
  const full = (error: unknown) => error instanceof HeraldError && error.code === 'HERALD_STORE_FULL' && error.status === 507;
  const bigDoc = { name: 'r', blob: 'y'.repeat(8000) };
  await assert.rejects(store.buses.create('more', { description: 'z'.repeat(8000) }), full);
  await assert.rejects(store.rules.put('keep', 'r', bigDoc), full);
  await assert.rejects(store.sources.put('s', bigDoc), full);
  await assert.rejects(store.connections.put({ name: 'c', description: 'z'.repeat(8000), secrets: {}, updatedAt: new Date(0).toISOString() }), full);
  await assert.rejects(
    store.applyState([
      { kind: 'bus', action: 'create', bus: 'applied', settings: {} },
      { kind: 'rule', action: 'put', bus: 'applied', name: 'r', doc: bigDoc },
    ]),
    full,
  );
  // Nothing of the refused writes is there, and the mirror of buses agrees with the table.
  assert.deepEqual((await store.buses.list()).map((b) => b.name), ['default', 'keep']);
  assert.deepEqual(await store.rules.list('keep'), []);
  // Space again: the same writes go through.
  store.setMaxBytes(undefined);
  await store.applyState([
    { kind: 'bus', action: 'create', bus: 'applied', settings: {} },
    { kind: 'rule', action: 'put', bus: 'applied', name: 'r', doc: bigDoc },
  ]);
  assert.deepEqual(await store.rules.list('applied'), [bigDoc]);
  await store.close();
});
