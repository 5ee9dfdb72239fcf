/**
 * The one factory that picks the store engine (issue 12, item 5): `--store` / HERALD_STORE is
 * `sqlite` (the default) or a `postgres://…` URL. The PostgreSQL engine is not built yet, so a
 * PostgreSQL URL is refused with a clear error, before anything is opened, and without printing
 * the URL's password.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/server/config.js';
import { openStore } from '../../src/store/index.js';
import { tempDir } from '../support/server.js';
import { herald } from '../cli/run.js';

const PG_URL = 'postgres://herald:s3cret-pw@127.0.0.1:5432/herald?schema=t1';

test('--store defaults to sqlite; HERALD_STORE sets it; the flag wins', () => {
  assert.equal(loadConfig({}, {}).store, 'sqlite');
  assert.equal(loadConfig({}, { HERALD_STORE: PG_URL }).store, PG_URL);
  assert.equal(loadConfig({ store: 'sqlite' }, { HERALD_STORE: PG_URL }).store, 'sqlite');
  assert.equal(loadConfig({ store: 'postgresql://h/db' }, {}).store, 'postgresql://h/db');
});

test('a --store that is neither sqlite nor a postgres:// URL is refused, naming the setting and hiding a password', () => {
  for (const value of ['mysql://root:s3cret-pw@127.0.0.1/herald', 'SQLite3', 'postgres://', '']) {
    assert.throws(() => loadConfig({ store: value }, {}), (error: { code?: string; field?: string; message: string }) => {
      assert.equal(error.code, 'HERALD_INVALID_REQUEST');
      assert.equal(error.field, 'store');
      assert.match(error.message, /--store/);
      assert.doesNotMatch(error.message, /s3cret-pw/);
      return true;
    });
  }
  assert.throws(() => loadConfig({}, { HERALD_STORE: 'nats://x' }), /HERALD_STORE: "nats:\/\/x" must be sqlite or a postgres/);
});

test('openStore opens the sqlite engine by default, behind the contract', async () => {
  const dataDir = tempDir('herald-factory-');
  const config = loadConfig({ 'data-dir': dataDir }, {});
  const store = await openStore(config);
  try {
    assert.deepEqual(await store.events.append('default', [{ specversion: '1.0', id: 'a', source: '/f', type: 't' }]), [{ sequence: 1, duplicate: false }]);
    assert.ok(existsSync(join(dataDir, 'herald.db')));
    // One process per data dir holds through the factory too.
    await assert.rejects(openStore(config), { code: 'HERALD_DATA_DIR_LOCKED' });
  } finally {
    await store.close();
  }
});

test('openStore refuses a postgres:// URL: the engine is not built yet; nothing is opened', async () => {
  const dataDir = join(tempDir('herald-factory-'), 'never');
  await assert.rejects(openStore(loadConfig({ store: PG_URL, 'data-dir': dataDir }, {})), (error: { code?: string; field?: string; message: string }) => {
    assert.equal(error.code, 'HERALD_INVALID_REQUEST');
    assert.equal(error.field, 'store');
    assert.match(error.message, /PostgreSQL engine is not built yet/);
    assert.match(error.message, /postgres:\/\/herald:\*\*\*@127\.0\.0\.1:5432\/herald/);
    assert.doesNotMatch(error.message, /s3cret-pw/);
    return true;
  });
  assert.equal(existsSync(dataDir), false, 'no data dir was made');
});

test('herald start --store postgres://… exits 2 with one line, before it listens or opens anything', { timeout: 60_000 }, async () => {
  const dataDir = join(tempDir('herald-factory-'), 'never');
  const run = await herald(['start', '--store', PG_URL, '--data-dir', dataDir, '--port', '0']);
  assert.equal(run.code, 2, run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, no stack trace:\n${run.stderr}`);
  assert.match(lines[0], /PostgreSQL engine is not built yet.*HERALD_INVALID_REQUEST/);
  assert.doesNotMatch(run.stderr + run.stdout, /s3cret-pw/);
  assert.equal(existsSync(dataDir), false);
});
