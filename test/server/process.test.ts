/**
 * Issue 10, item 2: one process per data dir, and a start that cannot serve runs nothing. Real
 * `herald start` processes on their own temporary data dirs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawnHerald, tempDir } from '../support/server.js';
import { herald } from '../cli/run.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { lockDataDir } from '../../src/store/sqlite/lock.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/open.js';

const defaults = { retentionMs: 7 * 24 * 3600_000, dedupeWindowMs: 24 * 3600_000 };

async function put(url: string, id: string): Promise<Response> {
  return fetch(`${url}/v1/buses/default/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id, source: '/process-test', type: 'test' }),
  });
}

async function eventIds(url: string, bus = 'default'): Promise<string[]> {
  const page = (await (await fetch(`${url}/v1/buses/${bus}/events?limit=1000`)).json()) as { events: Array<{ event: { id: string } }> };
  return page.events.map((e) => e.event.id);
}

/** The one line `herald start` printed on stderr, with the exit code. */
function refusal(run: { code: number | null; stderr: string }): string {
  const lines = run.stderr.trim().split('\n');
  assert.notEqual(run.code, 0, 'exits non-zero');
  assert.equal(lines.length, 1, `one line, no stack trace:\n${run.stderr}`);
  return lines[0];
}

test('a second herald start on the same data dir exits with HERALD_DATA_DIR_LOCKED and the first pid; the first keeps serving; kill -9 frees the dir', { timeout: 120_000 }, async () => {
  const dataDir = tempDir('herald-lock-');
  const first = await spawnHerald(dataDir);
  try {
    assert.equal((await put(first.url, 'before')).status, 202);
    const second = await herald(['start', '--data-dir', dataDir, '--port', '0']);
    const line = refusal(second);
    assert.match(line, /HERALD_DATA_DIR_LOCKED/);
    assert.match(line, new RegExp(`process ${first.child.pid}\\b`), `names the holder's pid ${first.child.pid}: ${line}`);
    // The refused process touched nothing: the first still ingests and reads, sequences go on.
    const after = await put(first.url, 'after');
    assert.equal(after.status, 202);
    assert.equal(((await after.json()) as { sequence: number }).sequence, 2);
    assert.deepEqual(await eventIds(first.url), ['before', 'after']);
    assert.equal((await fetch(`${first.url}/readyz`)).status, 200);
  } finally {
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
  }
  // No stale lock after kill -9: the OS released it with the process.
  const third = await spawnHerald(dataDir);
  try {
    assert.deepEqual(await eventIds(third.url), ['before', 'after']);
  } finally {
    third.child.kill('SIGTERM');
    await third.exited;
  }
});

test('two stores on one data dir in one process: the second open fails, and close releases the lock', async () => {
  const dataDir = tempDir('herald-lock-');
  const store = openSqliteStore({ dataDir, ...defaults });
  assert.throws(() => openSqliteStore({ dataDir, ...defaults }), (error: { code?: string; pid?: number; message: string; toJSON(): Record<string, unknown> }) => {
    assert.equal(error.code, 'HERALD_DATA_DIR_LOCKED');
    assert.equal(error.toJSON().pid, process.pid);
    assert.match(error.message, new RegExp(`process ${process.pid}\\b`));
    return true;
  });
  await store.close();
  const again = openSqliteStore({ dataDir, ...defaults });
  await again.close();
});

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

test('a port in use: one line with HERALD_PORT_IN_USE, non-zero exit, and no source or schedule ran', { timeout: 120_000 }, async () => {
  const dataDir = tempDir('herald-port-');
  // A schedule stored by an earlier run, created two hours ago: started, it fires its catch-up
  // firing at once (rate(1 hour) from its creation, latest firing at most a day old).
  const createdAt = new Date(Date.now() - 2 * 3600_000 - 60_000).toISOString();
  const seed = openSqliteStore({ dataDir, ...defaults });
  await seed.sources.put('tick', { name: 'tick', type: 'schedule', bus: 'default', config: { expression: 'rate(1 hour)', tickMs: 50 }, state: 'enabled', description: '', createdAt, updatedAt: createdAt });
  await seed.close();

  // And a herald.yaml with schedules of its own, one an at() long past: none may be applied or fire.
  const configFile = join(tempDir('herald-port-config-'), 'herald.yaml');
  writeFileSync(configFile, [
    'sources:',
    '  - name: yaml-tick',
    '    type: schedule',
    '    bus: default',
    '    config: { expression: "rate(1 minute)", tickMs: 50 }',
    '  - name: yaml-once',
    '    type: schedule',
    '    bus: default',
    '    config: { expression: "at(2020-01-01T00:00:00)" }',
    '',
  ].join('\n'));

  const { server, port } = await occupy();
  try {
    const run = await herald(['start', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1', '--config', configFile]);
    assert.equal(refusal(run), `herald: port ${port} on 127.0.0.1 is already in use (HERALD_PORT_IN_USE)`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  // Read the store file directly: nothing was appended by the refused start (and its lock is gone).
  const db = new Database(`${dataDir}/herald.db`, { readonly: true });
  try {
    assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 0, 'no event was appended');
    assert.deepEqual(db.prepare('SELECT name FROM sources ORDER BY name').pluck().all(), ['tick'], 'the config file was not applied');
  } finally {
    db.close();
  }
  // Control: started properly, the same source does fire at once — so the check above means something.
  const proper = await spawnHerald(dataDir);
  try {
    const deadline = Date.now() + 30_000;
    let ids: string[] = [];
    while (ids.length === 0 && Date.now() < deadline) {
      ids = await eventIds(proper.url);
      if (ids.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(ids.length, 1, 'the catch-up firing');
    assert.match(ids[0], /^tick@/);
  } finally {
    proper.child.kill('SIGTERM');
    await proper.exited;
  }
});

test('an older Herald refuses a newer store: HERALD_STORE_TOO_NEW names both versions; nothing is changed', { timeout: 60_000 }, async () => {
  const dataDir = tempDir('herald-too-new-');
  const store = openSqliteStore({ dataDir, ...defaults });
  await store.close();
  const newer = SCHEMA_VERSION + 3;
  const db = new Database(`${dataDir}/herald.db`);
  db.pragma(`user_version = ${newer}`);
  db.close();

  assert.throws(() => openSqliteStore({ dataDir, ...defaults }), (error: { code?: string; message: string }) => {
    assert.equal(error.code, 'HERALD_STORE_TOO_NEW');
    assert.match(error.message, new RegExp(`schema version ${newer}\\b`));
    assert.match(error.message, new RegExp(`knows \\(${SCHEMA_VERSION}\\)`));
    return true;
  });
  // The refused open released the lock.
  lockDataDir(dataDir).release();

  const run = await herald(['start', '--data-dir', dataDir, '--port', '0']);
  const line = refusal(run);
  assert.match(line, /HERALD_STORE_TOO_NEW/);
  assert.match(line, /run a newer Herald, or restore the backup/);
  const after = new Database(`${dataDir}/herald.db`, { readonly: true });
  assert.equal(after.pragma('user_version', { simple: true }), newer, 'the store was left as it was');
  after.close();
});
