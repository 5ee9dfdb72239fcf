/**
 * Upgrading a store to migration 0005 (issue 10, item 3): a delivery's `attempts` becomes the count
 * of its logged attempts, the count the retry policy used is kept as `spent`, and its age budget
 * starts at the event, as before the upgrade.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { databaseFile } from '../../src/store/sqlite/open.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { tempDir } from '../support/server.js';

test('a store made before 0005 upgrades: attempts follow the attempt log, the budget is kept', async () => {
  const dataDir = tempDir();
  const old = new Database(databaseFile(dataDir));
  for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) {
    old.exec(migration.sql);
    old.pragma(`user_version = ${migration.version}`);
  }
  old.exec("INSERT INTO buses (id, name, description, created_at, retention_ms, dedupe_window_ms) VALUES (7, 'up', '', 0, 86400000, 86400000)");
  // Redriven once before the upgrade: three attempts logged, the policy's count reset to 1 since.
  old.exec("INSERT INTO deliveries (bus_id, seq, rule, target, state, attempts, next_at, event_at, created_at, updated_at, reason) VALUES (7, 1, 'r', 't', 'dead', 1, 5, 1000, 1000, 2000, 'rejected')");
  old.exec("INSERT INTO attempts VALUES (1, 1, 1100, 1, 'retry', 503, 'a'), (1, 2, 1200, 1, 'dead', 503, 'b'), (1, 3, 1900, 1, 'dead', 400, 'c')");
  old.exec('INSERT INTO router_cursors VALUES (7, 1)');
  old.close();

  const store = openSqliteStore({ dataDir, retentionMs: 86_400_000, dedupeWindowMs: 86_400_000 });
  try {
    const delivery = await store.deliveries.get('up', 1);
    assert.ok(delivery);
    assert.deepEqual(
      { attempts: delivery.attempts, spent: delivery.spent, budgetAt: delivery.budgetAt, redrives: delivery.redrives },
      { attempts: 3, spent: 1, budgetAt: 1000, redrives: [] },
    );
    assert.equal((await store.deliveries.attempts(1)).length, delivery.attempts);
    // Routed before route marks were kept: routed, time unknown.
    assert.equal(await store.deliveries.routedAt('up', 1), undefined);
    assert.equal(await store.deliveries.cursor('up'), 1);
  } finally {
    await store.close();
  }
});
