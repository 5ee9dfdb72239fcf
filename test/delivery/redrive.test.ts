/**
 * Dead letters tell the truth and can always be redriven (issue 10, item 3): a redrive is a fresh
 * age and attempt budget and is recorded in the trace and the DLQ record; `attempts` agrees with the
 * attempt log; a 429 spends no attempt; every time in a response is RFC 3339.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { api, assertTimesAreRfc3339, createBusAndRule, publish, suffix, trace, waitUntil } from './support.js';

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

interface DeadLetter {
  id: number;
  target: string;
  state: string;
  reason: string;
  attempts: number;
  eventAt: string;
  budget: { since: string; attemptsSpent: number };
  redrives: Array<{ at: string; by: string | null; reason: string | null; from: { rule: string; target: string }; to: { rule: string; target: string } }>;
  attemptLog?: Array<{ attempt: number; outcome: string; status: number | null }>;
}

async function deadLetters(bus: string): Promise<DeadLetter[]> {
  const { status, json } = await api<{ deadLetters: DeadLetter[] }>(`${server.url}/v1/buses/${bus}/dlq`);
  assert.equal(status, 200);
  assertTimesAreRfc3339(json);
  return json.deadLetters;
}

async function deadLetter(bus: string, id: number): Promise<DeadLetter> {
  const { status, json } = await api<DeadLetter>(`${server.url}/v1/buses/${bus}/dlq/${id}`);
  assert.equal(status, 200, JSON.stringify(json));
  assertTimesAreRfc3339(json);
  return json;
}

const fast = { backoffBaseMs: 50, backoffCapMs: 100, jitter: false };

test('a dead letter whose event is older than the maximum age is redriven and delivered', async () => {
  let answer = 400;
  const target = await receiver(() => ({ status: answer }));
  const bus = `old-${suffix()}`;
  // The smallest maximum age a rule takes (1 s), so the event really is older than it at the redrive.
  await createBusAndRule(server.url, bus, [{ id: 'main', type: 'http', config: { url: target.url }, retry: { ...fast, maxAgeMs: 1000 } }]);
  const sequence = await publish(server.url, bus, `old-${suffix()}`);
  await waitUntil(async () => (await deadLetters(bus)).length === 1, 'dead-lettered');
  const [letter] = await deadLetters(bus);
  assert.equal(letter.reason, 'rejected');
  await waitUntil(() => Date.now() - Date.parse(letter.eventAt) > 1500, 'the event is older than maxAgeMs');

  answer = 200;
  const redrive = await api(`${server.url}/v1/buses/${bus}/dlq/redrive`, 'POST', { ids: [letter.id] });
  assert.deepEqual(redrive.json, { redriven: 1 });
  await waitUntil(async () => (await trace(server.url, bus, sequence)).deliveries[0].state === 'delivered', 'delivered after the redrive');
  assert.equal(target.received.length, 2, 'the redrive sent the event again instead of dying of old age');
  const { deliveries } = await trace(server.url, bus, sequence);
  assert.deepEqual(deliveries[0].attempts.map((a) => [a.attempt, a.status]), [[1, 400], [2, 200]]);
  // The redrive is in the trace: when, by whom (no API keys yet: null), from and to which target.
  assert.equal(deliveries[0].redrives.length, 1);
  const [recorded] = deliveries[0].redrives;
  assert.deepEqual({ ...recorded, at: undefined }, { at: undefined, by: null, reason: 'rejected', from: { rule: 'r', target: 'main' }, to: { rule: 'r', target: 'main' } });
  assert.ok(Date.parse(recorded.at) >= Date.parse(letter.eventAt) + 1500);
  assert.deepEqual(await deadLetters(bus), []);
});

test('a redrive is a fresh attempt budget, recorded in the DLQ record; attempts agree with the attempt log', async () => {
  const failing = await receiver(() => ({ status: 503 }));
  const bus = `budget-${suffix()}`;
  await createBusAndRule(server.url, bus, [
    { id: 'main', type: 'http', config: { url: failing.url }, retry: { ...fast, maxAttempts: 2 } },
    { id: 'other', type: 'http', config: { url: failing.url }, retry: { ...fast, maxAttempts: 2 } },
  ]);
  await publish(server.url, bus, `budget-${suffix()}`);
  await waitUntil(async () => (await deadLetters(bus)).length === 2, 'both targets dead-lettered');
  const first = (await deadLetters(bus)).find((d) => d.target === 'main')!;
  assert.deepEqual([first.reason, first.attempts, first.budget.attemptsSpent], ['retries-exhausted', 2, 2]);

  // Redriven to the rule's other target: it gets maxAttempts (2) fresh attempts, then dies again.
  const redrive = await api(`${server.url}/v1/buses/${bus}/dlq/redrive`, 'POST', { ids: [first.id], to: { rule: 'r', target: 'other' } });
  assert.deepEqual(redrive.json, { redriven: 1 });
  await waitUntil(async () => (await deadLetters(bus)).some((d) => d.id === first.id), 'dead again');
  const again = await deadLetter(bus, first.id);
  assert.equal(again.attempts, 4, 'two attempts before the redrive and two after');
  assert.equal(again.attemptLog!.length, again.attempts, 'attempts agrees with the attempt log');
  assert.equal(again.budget.attemptsSpent, 2);
  assert.ok(Date.parse(again.budget.since) > Date.parse(again.eventAt), 'the age budget counts from the redrive');
  assert.equal(again.redrives.length, 1);
  assert.deepEqual(
    { by: again.redrives[0].by, reason: again.redrives[0].reason, from: again.redrives[0].from, to: again.redrives[0].to },
    { by: null, reason: 'retries-exhausted', from: { rule: 'r', target: 'main' }, to: { rule: 'r', target: 'other' } },
  );
});

test('a 410 dead letter counts the attempt it made', async () => {
  const gone = await receiver(() => ({ status: 410 }));
  const bus = `gone-${suffix()}`;
  await createBusAndRule(server.url, bus, [{ id: 'main', type: 'http', config: { url: gone.url }, retry: fast }]);
  await publish(server.url, bus, `gone-${suffix()}`);
  await waitUntil(async () => (await deadLetters(bus)).length === 1, 'dead-lettered');
  const [listed] = await deadLetters(bus);
  const letter = await deadLetter(bus, listed.id);
  assert.equal(letter.reason, 'target-gone');
  assert.deepEqual([listed.attempts, letter.attempts, letter.attemptLog!.length], [1, 1, 1]);
});

test('429s spend no attempt: three 429s then a 200 with maxAttempts 1 is delivered', async () => {
  const target = await receiver((_r, i) => (i < 3 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
  const bus = `throttle-${suffix()}`;
  await createBusAndRule(server.url, bus, [{ id: 'main', type: 'http', config: { url: target.url }, retry: { ...fast, maxAttempts: 1 } }]);
  const sequence = await publish(server.url, bus, `throttle-${suffix()}`);
  await waitUntil(async () => (await trace(server.url, bus, sequence)).deliveries[0].state !== 'pending', 'settled', 30_000);
  const body = await trace(server.url, bus, sequence);
  assertTimesAreRfc3339(body);
  const [delivery] = body.deliveries;
  assert.equal(delivery.state, 'delivered', JSON.stringify(delivery));
  assert.deepEqual(delivery.attempts.map((a) => [a.outcome, a.status]), [['throttled', 429], ['throttled', 429], ['throttled', 429], ['delivered', 200]]);
  const gaps = target.received.slice(1).map((r, i) => r.at - target.received[i].at);
  assert.ok(gaps.every((gap) => gap >= 950), `each Retry-After: 1 was honoured (${gaps.join(', ')} ms)`);
});

test('a target that answers 429 for ever is bounded by the maximum age', async () => {
  const target = await receiver(() => ({ status: 429, headers: { 'retry-after': '1' } }));
  const bus = `throttled-${suffix()}`;
  await createBusAndRule(server.url, bus, [{ id: 'main', type: 'http', config: { url: target.url }, retry: { ...fast, maxAttempts: 1, maxAgeMs: 2500 } }]);
  await publish(server.url, bus, `throttled-${suffix()}`);
  await waitUntil(async () => (await deadLetters(bus)).length === 1, 'dead-lettered', 30_000);
  const [letter] = await deadLetters(bus);
  assert.equal(letter.reason, 'max-age');
  const full = await deadLetter(bus, letter.id);
  assert.ok(full.attemptLog!.length >= 2, 'it kept trying past maxAttempts 1 while throttled');
  assert.equal(full.attempts, full.attemptLog!.length);
  assert.equal(full.budget.attemptsSpent, 0);
});

test('every time in delivery, DLQ and trace answers is an RFC 3339 string', async () => {
  const failing = await receiver(() => ({ status: 503 }));
  const bus = `times-${suffix()}`;
  // A long backoff keeps the delivery pending, so its next attempt time shows.
  await createBusAndRule(server.url, bus, [{ id: 'main', type: 'http', config: { url: failing.url }, retry: { backoffBaseMs: 60_000, backoffCapMs: 60_000, jitter: false } }]);
  const id = `times-${suffix()}`;
  const sequence = await publish(server.url, bus, id);
  await failing.waitFor(1);
  await waitUntil(async () => (await trace(server.url, bus, sequence)).deliveries[0]?.attempts.length === 1, 'one attempt logged');
  const pending = await trace(server.url, bus, sequence);
  assert.ok(assertTimesAreRfc3339(pending) >= 4);
  assert.match(String(pending.deliveries[0].nextAttemptAt), /^\d{4}-/);
  assert.match(String(pending.routed?.at), /^\d{4}-/);
  const byId = await api(`${server.url}/v1/buses/${bus}/trace?source=/delivery-test&id=${id}`);
  assert.equal(byId.status, 200);
  assertTimesAreRfc3339(byId.json);
});
