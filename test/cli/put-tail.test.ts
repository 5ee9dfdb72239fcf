/** `herald put` (flags, and many events from stdin with a progress line) and `herald tail`, as a user runs them. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';
import { herald } from './run.js';

let server: RunningServer;
before(async () => {
  server = await startTestServer();
  await server.store.buses.create('cli');
});
after(() => server.stop());

test('herald put publishes one event from flags', async () => {
  const run = await herald(['put', 'cli', '--source', '/cli', '--type', 'cli.test', '--id', 'one', '--data', '{"n": 1}', '--ext', 'tenant=acme'], { server: server.url });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { id: 'one', source: '/cli', sequence: 1, duplicate: false });
  const stored = await server.store.events.get('cli', 1);
  assert.deepEqual(stored?.event, { specversion: '1.0', id: 'one', source: '/cli', type: 'cli.test', data: { n: 1 }, datacontenttype: 'application/json', tenant: 'acme' });
});

test('herald put reads many events from stdin, reports refusals, and exits 1 when any was refused', async () => {
  const lines = Array.from({ length: 1200 }, (_, i) => JSON.stringify({ id: `s-${i}`, source: '/stdin', type: 'bulk', data: { i } }));
  lines.push(JSON.stringify({ id: 'bad', source: '/stdin', type: 'bulk', time: 'not a time' }));
  const run = await herald(['put', 'cli'], { server: server.url, stdin: `${lines.join('\n')}\n` });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /sent 1200 events/);
  assert.match(run.stderr, /1 refused/);
  assert.match(run.stderr, /HERALD_INVALID_EVENT/);
  assert.equal((await server.store.events.read('cli', 1, 2000)).length, 1200);
});

test('herald tail --after replays the bus and stops after --count', async () => {
  const run = await herald(['tail', 'cli', '--after', '0', '--count', '3'], { server: server.url });
  assert.equal(run.code, 0, run.stderr);
  const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { sequence: number; event: { id: string } });
  assert.deepEqual(events.map((e) => [e.sequence, e.event.id]), [[1, 'one'], [2, 's-0'], [3, 's-1']]);
});

test('herald put with an unknown bus exits 1; with no type and no stdin data it is a usage error', async () => {
  const missing = await herald(['put', 'nope', '--source', '/x', '--type', 't'], { server: server.url });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /HERALD_BUS_NOT_FOUND/);
  const usage = await herald(['put', 'cli', '--source', '/x'], { server: server.url });
  assert.equal(usage.code, 2);
});
