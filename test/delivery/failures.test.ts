/**
 * Reliable delivery when targets fail (issue 4, Must show): retries with non-decreasing spacing,
 * the dead-letter queue and redrive, 429 Retry-After, 410 Gone, and redirects not followed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { waitUntil } from './support.js';

let server: RunningServer;
const receivers: Receiver[] = [];
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(respond: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

const json = { 'content-type': 'application/json' };
const fastRetry = { backoffBaseMs: 200, backoffCapMs: 1000, jitter: false };

async function setup(bus: string, url: string, retry: Record<string, unknown> = fastRetry, extra: Record<string, unknown> = {}) {
  await server.store.buses.create(bus);
  const response = await fetch(`${server.url}/v1/buses/${bus}/rules/r`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({ filter: { pattern: { type: ['t'] } }, targets: [{ id: 'main', type: 'http', config: { url, mode: 'structured' }, retry, ...extra }] }),
  });
  assert.equal(response.status, 201, await response.text());
}

async function publish(bus: string, id: string) {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id, source: '/f', type: 't', data: { id } }),
  });
  return ((await response.json()) as { sequence: number }).sequence;
}

async function trace(bus: string, sequence: number) {
  return (await (await fetch(`${server.url}/v1/buses/${bus}/events/${sequence}/trace`)).json()) as {
    deliveries: Array<{ id: number; state: string; reason: string | null; attempts: Array<{ status: number | null; outcome: string }> }>;
  };
}

test('500 three times then 200: delivered on the fourth attempt, spacing never shrinks', async () => {
  const target = await receiver((_r, i) => ({ status: i < 3 ? 500 : 200 }));
  await setup('retry', target.url);
  const sequence = await publish('retry', 'r-1');
  const got = await target.waitFor(4);
  const gaps = [got[1].at - got[0].at, got[2].at - got[1].at, got[3].at - got[2].at];
  for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1] - 20, `spacing ${gaps.join(', ')} ms is non-decreasing`);
  assert.ok(gaps[0] >= 180, `the first retry waits the base backoff (${gaps[0]} ms)`);
  await waitUntil(async () => (await trace('retry', sequence)).deliveries[0]?.state === 'delivered');
  const { deliveries } = await trace('retry', sequence);
  assert.deepEqual(deliveries[0].attempts.map((a) => a.status), [500, 500, 500, 200]);
  // The same idempotency key on every attempt.
  assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1);
});

test('400 goes straight to the DLQ; a redrive to a healthy target delivers it', async () => {
  const bad = await receiver(() => ({ status: 400, body: 'no' }));
  const good = await receiver(() => ({ status: 200 }));
  await setup('dlq', bad.url);
  const sequence = await publish('dlq', 'd-1');
  await waitUntil(async () => (await trace('dlq', sequence)).deliveries[0]?.state === 'dead');
  assert.equal(bad.received.length, 1, 'a permanent failure is not retried');
  const list = (await (await fetch(`${server.url}/v1/buses/dlq/dlq`)).json()) as { deadLetters: Array<{ id: number; reason: string; lastStatus: number; attempts: number }> };
  assert.equal(list.deadLetters.length, 1);
  assert.deepEqual([list.deadLetters[0].reason, list.deadLetters[0].lastStatus, list.deadLetters[0].attempts], ['rejected', 400, 1]);
  const inspected = (await (await fetch(`${server.url}/v1/buses/dlq/dlq/${list.deadLetters[0].id}`)).json()) as { event: { event: { id: string } }; lastError: string };
  assert.equal(inspected.event.event.id, 'd-1');
  assert.match(inspected.lastError, /HTTP 400/);
  // Redrive to another target of the rule, which is healthy.
  await fetch(`${server.url}/v1/buses/dlq/rules/r/targets/healthy`, { method: 'PUT', headers: json, body: JSON.stringify({ type: 'http', config: { url: good.url } }) });
  const before = good.received.length;
  const redriven = await fetch(`${server.url}/v1/buses/dlq/dlq/redrive`, { method: 'POST', headers: json, body: JSON.stringify({ ids: [list.deadLetters[0].id], to: { rule: 'r', target: 'healthy' } }) });
  assert.deepEqual(await redriven.json(), { redriven: 1 });
  // The new target joined after the event was routed, so only the redrive brings it there.
  const received = (await good.waitFor(before + 1)).map((r) => r.headers['ce-id']);
  assert.deepEqual(received.slice(before), ['d-1']);
  await waitUntil(async () => (await trace('dlq', sequence)).deliveries.some((d) => d.state === 'delivered'));
  const redrivenTrace = (await trace('dlq', sequence)).deliveries.find((d) => d.state === 'delivered')!;
  assert.deepEqual(redrivenTrace.attempts.map((a) => a.status), [400, 200], 'the attempt log keeps the first try and adds the redrive');
  const after = (await (await fetch(`${server.url}/v1/buses/dlq/dlq`)).json()) as { deadLetters: unknown[] };
  assert.equal(after.deadLetters.length, 0);
  const refused = await fetch(`${server.url}/v1/buses/dlq/dlq/purge`, { method: 'POST', headers: json, body: '{}' });
  assert.equal(refused.status, 400, 'purging everything must be asked for explicitly');
});

test('429 with Retry-After: 2 delays the next request to that target by at least 2 s', async () => {
  const target = await receiver((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
  await setup('throttle', target.url);
  await publish('throttle', 'th-1');
  await target.waitFor(1);
  await publish('throttle', 'th-2');
  const got = await target.waitFor(3, 15_000);
  assert.ok(got[1].at - got[0].at >= 2000, `waited ${got[1].at - got[0].at} ms after the 429`);
  assert.ok(got[2].at - got[0].at >= 2000);
});

test('410 Gone disables the target: its pending deliveries are dead-lettered, later events too', async () => {
  const target = await receiver(() => ({ status: 410 }));
  await setup('gone', target.url);
  const first = await publish('gone', 'g-1');
  await waitUntil(async () => (await trace('gone', first)).deliveries[0]?.state === 'dead');
  assert.equal((await trace('gone', first)).deliveries[0].reason, 'target-gone');
  const rule = (await (await fetch(`${server.url}/v1/buses/gone/rules/r`)).json()) as { targets: Array<{ disabled?: { reason: string } }> };
  assert.ok(rule.targets[0].disabled, 'the target is marked disabled in its rule');
  const second = await publish('gone', 'g-2');
  await waitUntil(async () => (await trace('gone', second)).deliveries[0]?.state === 'dead');
  assert.equal((await trace('gone', second)).deliveries[0].reason, 'target-disabled');
  assert.equal(target.received.length, 1, 'nothing more is sent to a gone target');
});

test('a 302 is not followed: the delivery fails and the redirect location gets nothing', async () => {
  const elsewhere = await receiver(() => ({ status: 200 }));
  const target = await receiver(() => ({ status: 302, headers: { location: `${elsewhere.url}/moved` } }));
  await setup('redirect', target.url);
  const sequence = await publish('redirect', 'rd-1');
  await waitUntil(async () => (await trace('redirect', sequence)).deliveries[0]?.state === 'dead');
  const { deliveries } = await trace('redirect', sequence);
  assert.deepEqual([deliveries[0].reason, deliveries[0].attempts[0].status], ['rejected', 302]);
  assert.equal(elsewhere.received.length, 0);
});

test('retries end in the DLQ after maxAttempts, with the reason', async () => {
  const target = await receiver(() => ({ status: 503 }));
  await setup('exhaust', target.url, { maxAttempts: 3, backoffBaseMs: 50, backoffCapMs: 100, jitter: false });
  const sequence = await publish('exhaust', 'x-1');
  await waitUntil(async () => (await trace('exhaust', sequence)).deliveries[0]?.state === 'dead');
  const { deliveries } = await trace('exhaust', sequence);
  assert.deepEqual([deliveries[0].reason, deliveries[0].attempts.length], ['retries-exhausted', 3]);
});

test('a dead letter is forwarded to the deadLetterTarget as a CloudEvent carrying the error', async () => {
  const bad = await receiver(() => ({ status: 422, body: 'bad order' }));
  const dlt = await receiver(() => ({ status: 200 }));
  await setup('dlt', bad.url, fastRetry, { deadLetterTarget: { type: 'http', config: { url: dlt.url, mode: 'binary' } } });
  await publish('dlt', 'dl-1');
  const [forwarded] = await dlt.waitFor(1);
  assert.equal(forwarded.headers['ce-id'], 'dl-1');
  assert.equal(forwarded.headers['ce-heralderrorcode'], 'rejected');
  assert.match(decodeURIComponent(String(forwarded.headers['ce-heralderrormessage'])), /HTTP 422: bad order/);
  assert.equal(forwarded.headers['ce-heraldattempts'], '1');
  assert.deepEqual(JSON.parse(forwarded.body), { id: 'dl-1' });
});
