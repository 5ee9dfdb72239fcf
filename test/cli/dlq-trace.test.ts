/**
 * `herald dlq`, `herald trace`, `herald pattern test` and `herald transform test`, the real binary
 * against a running server. Dead letters are made for real: a target nothing listens on, one attempt.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';
import { closedPort, herald } from './run.js';

let server: RunningServer;
let sequence = 0;
let eventId = '';

async function publish(event: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.url}/v1/buses/default/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(event),
  });
  return { status: response.status, json: await response.json() };
}

async function deadLetters(): Promise<Array<{ id: number; state: string; sequence: number }>> {
  const response = await fetch(`${server.url}/v1/buses/default/dlq?rule=doomed`);
  return ((await response.json()) as { deadLetters: Array<{ id: number; state: string; sequence: number }> }).deadLetters;
}

before(async () => {
  server = await startTestServer();
  const port = await closedPort();
  const rule = { filter: { pattern: { type: ['order.placed'] } }, targets: [{ id: 'nowhere', type: 'http', config: { url: `http://127.0.0.1:${port}/` }, retry: { maxAttempts: 1 } }] };
  const put = await fetch(`${server.url}/v1/buses/default/rules/doomed`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  assert.equal(put.status, 201, await put.text());
  for (let i = 0; i < 3; i++) {
    const { status, json } = await publish({ specversion: '1.0', id: `order-${i}`, source: '/shop', type: 'order.placed', data: { n: i } });
    assert.equal(status, 202, JSON.stringify(json));
    sequence = (json as { sequence: number }).sequence;
  }
  eventId = 'order-2';
  // Wait for the condition, not for a time a loaded machine may outlast.
  while ((await deadLetters()).length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
});
after(async () => {
  await server.stop();
});

test('dlq list shows the dead letters as a table and as JSON; dlq get shows one with its event', async () => {
  const table = await herald(['dlq', 'list', 'default', '--rule', 'doomed'], { server: server.url });
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0], /^ID\s+RULE\s+TARGET\s+SEQUENCE\s+ATTEMPTS\s+REASON\s+LASTERROR$/);
  assert.equal(lines.length, 4);
  assert.match(lines[1], /^\d+\s+doomed\s+nowhere\s+\d+\s+1\s+\S+/);

  const json = await herald(['dlq', 'list', 'default', '--limit', '2', '-o', 'json'], { server: server.url });
  const page = JSON.parse(json.stdout) as { deadLetters: Array<{ id: number }>; next: number };
  assert.equal(page.deadLetters.length, 2);

  const get = await herald(['dlq', 'get', 'default', String(page.deadLetters[0].id), '-o', 'json'], { server: server.url });
  assert.equal(get.code, 0, get.stderr);
  const letter = JSON.parse(get.stdout) as { id: number; attemptLog: unknown[] };
  assert.equal(letter.id, page.deadLetters[0].id);
  assert.equal(letter.attemptLog.length, 1);
  assert.match(get.stdout, /"order\.placed"/, 'the dead letter shows its event');

  const missing = await herald(['dlq', 'get', 'default', '999999'], { server: server.url });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /HERALD_DELIVERY_NOT_FOUND/);
});

test('dlq redrive and purge act on what is selected; purge without a selector is a usage error', async () => {
  const [first, second] = await deadLetters();
  const unsafe = await herald(['dlq', 'purge', 'default'], { server: server.url });
  assert.equal(unsafe.code, 2);
  assert.equal((await deadLetters()).length, 3, 'a purge without selector deleted dead letters');

  const redrive = await herald(['dlq', 'redrive', 'default', '--id', String(first.id)], { server: server.url });
  assert.equal(redrive.code, 0, redrive.stderr);
  assert.equal(redrive.stdout, 'redriven: 1\n');

  const purge = await herald(['dlq', 'purge', 'default', '--id', String(second.id), '-o', 'json'], { server: server.url });
  assert.equal(purge.code, 0, purge.stderr);
  assert.deepEqual(JSON.parse(purge.stdout), { purged: 1 });
  const left = (await deadLetters()).map((d) => d.id);
  assert.ok(!left.includes(second.id), 'the purged dead letter is still listed');

  // The redriven one fails again (nothing listens there); its trace shows the redrive between the attempts.
  const deadline = Date.now() + 15_000;
  while (!(await deadLetters()).some((d) => d.id === first.id)) {
    if (Date.now() > deadline) throw new Error('the redriven delivery did not die again in 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const traced = await herald(['trace', 'default', String(first.sequence)], { server: server.url });
  assert.equal(traced.code, 0, traced.stderr);
  assert.match(traced.stdout, /#1 \S+ dead: .*\n {4}redriven \d{4}-\d\d-\d\dT\S+Z from doomed\/nowhere to doomed\/nowhere\n {4}#2 \S+ dead: /);
});

test('trace shows the life of an event, by sequence or by source and id', async () => {
  const bySequence = await herald(['trace', 'default', String(sequence)], { server: server.url });
  assert.equal(bySequence.code, 0, bySequence.stderr);
  assert.match(bySequence.stdout, new RegExp(`^event ${sequence} on bus default: order\\.placed from /shop \\(id order-2\\)`));
  assert.match(bySequence.stdout, /\n {2}routed at \d{4}-\d\d-\d\dT[^:]+:\d\d:[\d.]+Z: rules matched: doomed\n/);
  assert.match(bySequence.stdout, /delivery \d+ → doomed\/nowhere: dead/);
  assert.match(bySequence.stdout, /#1 \d{4}-\d\d-\d\dT\S+ dead: /);

  const byId = await herald(['trace', 'default', '--source', '/shop', '--id', eventId, '-o', 'json'], { server: server.url });
  assert.equal(byId.code, 0, byId.stderr);
  assert.equal((JSON.parse(byId.stdout) as { sequence: number }).sequence, sequence);

  assert.equal((await herald(['trace', 'default', '999999'], { server: server.url })).code, 1);
  assert.equal((await herald(['trace', 'default'], { server: server.url })).code, 2);
});

test('pattern test says whether an event matches, and why not', async () => {
  const event = JSON.stringify({ specversion: '1.0', id: '1', source: '/shop', type: 'order.placed', data: { total: 50 } });
  const yes = await herald(['pattern', 'test', '--pattern', '{"type":["order.placed"]}', '--event', event], { server: server.url });
  assert.equal(yes.code, 0, yes.stderr);
  assert.match(yes.stdout, /^matched\n/);
  const no = await herald(['pattern', 'test', '--pattern', '{"data":{"total":[{"numeric":[">",100]}]}}', '--event', event, '-o', 'json'], { server: server.url });
  assert.equal(no.code, 0, no.stderr);
  const result = JSON.parse(no.stdout) as { matched: boolean; explanation: unknown };
  assert.equal(result.matched, false);
  assert.match(JSON.stringify(result.explanation), /total/);
  const sql = await herald(['pattern', 'test', '--cesql', "type LIKE 'order.%'", '--event', event], { server: server.url });
  assert.match(sql.stdout, /^matched\n/);
  const why = await herald(['pattern', 'test', '--pattern', '{"data":{"total":[{"numeric":[">",100]}]}}', '--event', event], { server: server.url });
  assert.match(why.stdout, /^not matched\n {2}data\.total: .*50/);
  const invalid = await herald(['pattern', 'test', '--pattern', '{"type":"order.placed"}', '--event', event], { server: server.url });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /HERALD_INVALID_(PATTERN|FILTER)/);
  assert.equal((await herald(['pattern', 'test', '--pattern', '{not json', '--event', event], { server: server.url })).code, 2);
});

test('transform test prints the body a target would receive', async () => {
  const event = JSON.stringify({ specversion: '1.0', id: '1', source: '/shop', type: 'order.placed', data: { order: 'A-1', total: 50 } });
  const path = await herald(['transform', 'test', '--transform', '{"kind":"path","path":"$.data"}', '--event', event], { server: server.url });
  assert.equal(path.code, 0, path.stderr);
  assert.deepEqual(JSON.parse(path.stdout), { order: 'A-1', total: 50 });
  const template = await herald(
    ['transform', 'test', '--transform', '{"kind":"template","inputPathsMap":{"o":"$.data.order"},"inputTemplate":"order <o> placed"}', '--event', event],
    { server: server.url },
  );
  assert.equal(template.stdout, 'order A-1 placed\n');
  const bad = await herald(['transform', 'test', '--transform', '{"kind":"nope"}', '--event', event], { server: server.url });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /HERALD_INVALID_TRANSFORM/);
});
