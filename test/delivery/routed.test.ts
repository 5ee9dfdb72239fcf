/**
 * Every event has a final answer (issue 10, item 4): on a bus with no rules, or whose rules do not
 * match it, the trace says "routed, no rule matched" — the API and `herald trace` alike.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';
import { herald } from '../cli/run.js';
import { api, createBusAndRule, publish, suffix, trace, waitUntil } from './support.js';

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

test('a bus with no rules: the trace says routed, no rule matched, and so does herald trace', async () => {
  const bus = `norules-${suffix()}`;
  assert.equal((await api(`${server.url}/v1/buses`, 'POST', { name: bus })).status, 201);
  const sequence = await publish(server.url, bus, `n-${suffix()}`);
  const body = await trace(server.url, bus, sequence);
  assert.ok(body.routed, 'routed, not "not yet"');
  assert.deepEqual(body.routed.matched, []);
  assert.match(String(body.routed.at), RFC3339);
  assert.ok(Date.parse(String(body.routed.at)) >= Date.parse(body.receivedAt));
  assert.deepEqual(body.deliveries, []);

  const cli = await herald(['trace', bus, String(sequence)], { server: server.url });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /\n {2}routed at \d{4}-\d\d-\d\dT\S+Z: no rule matched\n/);
});

test('a bus whose rule does not match: routed (when the router passed it), no rule matched', async () => {
  const bus = `nomatch-${suffix()}`;
  await createBusAndRule(server.url, bus, [{ id: 'main', type: 'http', config: { url: 'http://127.0.0.1:9/' } }], { pattern: { type: ['never'] } });
  const sequence = await publish(server.url, bus, `m-${suffix()}`, 'other');
  await waitUntil(async () => (await trace(server.url, bus, sequence)).routed !== null, 'the router passed the event');
  const body = await trace(server.url, bus, sequence);
  assert.deepEqual(body.routed?.matched, []);
  assert.match(String(body.routed?.at), RFC3339);
  assert.deepEqual([body.rulesMatched, body.deliveries], [[], []]);

  const cli = await herald(['trace', bus, String(sequence)], { server: server.url });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /\n {2}routed at \d{4}-\d\d-\d\dT\S+Z: no rule matched\n/);
  const json = await herald(['trace', bus, String(sequence), '-o', 'json'], { server: server.url });
  assert.deepEqual((JSON.parse(json.stdout) as { routed: { matched: string[] } }).routed.matched, []);
});

test('a bus whose rules were all deleted still routes its new events to a final answer', async () => {
  const bus = `deleted-${suffix()}`;
  await createBusAndRule(server.url, bus, [{ id: 'main', type: 'http', config: { url: 'http://127.0.0.1:9/' } }], { pattern: { type: ['never'] } });
  assert.equal((await api(`${server.url}/v1/buses/${bus}/rules/r`, 'DELETE')).status, 204);
  const sequence = await publish(server.url, bus, `d-${suffix()}`);
  await waitUntil(async () => (await trace(server.url, bus, sequence)).routed !== null, 'answered');
  assert.deepEqual((await trace(server.url, bus, sequence)).routed?.matched, []);
});

test('a dead letter redriven to another rule: the trace still names the rule that matched the event', async () => {
  const bus = `moved-${suffix()}`;
  const refused = { id: 'main', type: 'http', config: { url: 'http://127.0.0.1:9/' }, retry: { maxAttempts: 1 } };
  await createBusAndRule(server.url, bus, [refused]);
  const other = await api(`${server.url}/v1/buses/${bus}/rules/other`, 'PUT', { filter: { pattern: { type: ['never'] } }, targets: [{ ...refused, id: 'fallback' }] });
  assert.equal(other.status, 201, JSON.stringify(other.json));
  const sequence = await publish(server.url, bus, `v-${suffix()}`);
  const deadLetters = async () => (await api<{ deadLetters: Array<{ id: number }> }>(`${server.url}/v1/buses/${bus}/dlq`)).json.deadLetters;
  await waitUntil(async () => (await deadLetters()).length === 1, 'dead-lettered');
  const [dead] = await deadLetters();
  const redrive = await api(`${server.url}/v1/buses/${bus}/dlq/redrive`, 'POST', { ids: [dead.id], to: { rule: 'other', target: 'fallback' } });
  assert.equal(redrive.status, 200, JSON.stringify(redrive.json));
  await waitUntil(async () => (await deadLetters()).length === 1, 'dead again at the other rule');

  const body = await trace(server.url, bus, sequence);
  assert.deepEqual([body.rulesMatched, body.routed?.matched], [['r'], ['r']]);
  assert.deepEqual(body.deliveries.map((d) => [d.rule, d.target]), [['other', 'fallback']], 'the delivery itself moved');
  const cli = await herald(['trace', bus, String(sequence)], { server: server.url });
  assert.match(cli.stdout, /: rules matched: r\n {2}delivery \d+ → other\/fallback: /);
});
