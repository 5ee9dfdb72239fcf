/**
 * Migration 0006 rebuilds `buses` and `deliveries` with AUTOINCREMENT (issue 11, item 2) on a store
 * made before it: every row, id and index is kept, and ids deleted after it are never handed out again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { databaseFile } from '../../src/store/sqlite/open.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { tempDir } from '../support/server.js';

test('a store from before migration 6 keeps its buses, deliveries and indexes, and stops reusing ids', async () => {
  const dataDir = tempDir();
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(databaseFile(dataDir));
  db.pragma('journal_mode = WAL');
  for (const m of MIGRATIONS.filter((m) => m.version < 6)) {
    db.exec(m.sql);
    m.up?.(db);
    db.pragma(`user_version = ${m.version}`);
  }
  const now = Date.now();
  db.prepare('INSERT INTO buses (id, name, created_at, retention_ms, dedupe_window_ms) VALUES (1, ?, ?, 3600000, 60000), (2, ?, ?, 3600000, 60000)').run('default', now, 'orders', now);
  const insert = db.prepare("INSERT INTO deliveries (id, bus_id, seq, rule, target, state, next_at, event_at, created_at, updated_at) VALUES (?, 2, ?, 'r', 't', 'pending', ?, ?, ?, ?)");
  for (let id = 1; id <= 3; id++) insert.run(id, id, now, now, now, now);
  db.close();

  let store = openSqliteStore({ dataDir, retentionMs: 3_600_000, dedupeWindowMs: 60_000 });
  assert.deepEqual((await store.deliveries.forEvent('orders', 2)).map((d) => d.id), [2]);
  assert.equal(store.buses.identity('orders'), 2);
  await store.buses.delete('orders'); // the newest bus, holding the newest deliveries
  await store.close();

  const check = new Database(databaseFile(dataDir), { readonly: true });
  const schema = check.prepare("SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('buses', 'deliveries')").all() as Array<{ name: string; sql: string | null }>;
  check.close();
  assert.match(schema.find((s) => s.name === 'buses')!.sql!, /AUTOINCREMENT/);
  assert.match(schema.find((s) => s.name === 'deliveries')!.sql!, /AUTOINCREMENT/);
  for (const index of ['deliveries_due', 'deliveries_event']) assert.ok(schema.some((s) => s.name === index), `index ${index} kept`);

  store = openSqliteStore({ dataDir, retentionMs: 3_600_000, dedupeWindowMs: 60_000 });
  try {
    await store.buses.create('orders');
    assert.ok(store.buses.identity('orders')! > 2);
    await store.events.append('orders', [{ specversion: '1.0', id: 'a', source: '/s', type: 't' }]);
    await store.deliveries.enqueue('orders', 1, [{ sequence: 1, eventAt: Date.now(), rule: 'r', target: 't' }]);
    const [delivery] = await store.deliveries.forEvent('orders', 1);
    assert.ok(delivery.id > 3, `delivery id ${delivery.id} was used before`);
  } finally {
    await store.close();
  }
});
