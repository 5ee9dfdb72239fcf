/**
 * `GET /metrics` (issue 15, item 1, Must show): a scripted scenario against a real server — accepted,
 * duplicate and rejected events, a target that fails then recovers, one that dead-letters — and the
 * exact values scraped from /metrics; `promtool check metrics` on the text; series go when their
 * rule, target or bus is deleted; a request to an unknown bus adds no series of that name.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { promtoolCheck, requirePrometheusTool, scrape, select, valueOf, type Sample } from './prom-text.js';

let server: RunningServer;
const receivers: Receiver[] = [];
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

const JSON_TYPE = { 'content-type': 'application/json' };
const fastRetry = { backoffBaseMs: 100, backoffCapMs: 200, jitter: false };

async function receiver(respond: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

function post(bus: string, body: unknown, contentType = 'application/cloudevents+json'): Promise<Response> {
  return fetch(`${server.url}/v1/buses/${bus}/events`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
}

const event = (id: string, data: Record<string, unknown> = {}) => ({ specversion: '1.0', id, source: '/metrics', type: 'order', data });

/** Scrapes until `done` holds (the test's timeout is the deadline); returns the last scrape. */
async function scrapeUntil(done: (samples: Sample[]) => boolean): Promise<Sample[]> {
  for (;;) {
    const { samples } = await scrape(server.url);
    if (done(samples)) return samples;
    await sleep(50);
  }
}

test('a scripted scenario: exact counters, histograms and gauges from /metrics', { timeout: 120_000 }, async () => {
  const bus = `m-${randomUUID().slice(0, 8)}`;
  await server.store.buses.create(bus);
  const ok = await receiver(() => ({ status: 200 }));
  // Fails its first three requests (500: retried), then recovers.
  const flaky = await receiver((_r, i) => ({ status: i < 3 ? 500 : 200 }));
  // 400: a permanent refusal, dead-lettered at once.
  const refusing = await receiver(() => ({ status: 400 }));
  const http = (url: string) => ({ type: 'http', config: { url, mode: 'structured' }, retry: fastRetry });
  const put = await fetch(`${server.url}/v1/buses/${bus}/rules/orders`, {
    method: 'PUT',
    headers: JSON_TYPE,
    body: JSON.stringify({ filter: { pattern: { type: ['order'] } }, targets: [{ id: 'ok', ...http(ok.url) }, { id: 'flaky', ...http(flaky.url) }, { id: 'refusing', ...http(refusing.url) }] }),
  });
  assert.equal(put.status, 201, await put.text());
  // A rule without targets: it matches (and is counted) but delivers nothing.
  const big = await fetch(`${server.url}/v1/buses/${bus}/rules/big`, { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ filter: { pattern: { data: { big: [true] } } } }) });
  assert.equal(big.status, 201, await big.text());

  // 4 accepted one by one (2 of them "big"), 2 duplicates of them, then a batch of 2 valid and 3
  // invalid entries, then one invalid single event (422): accepted 6, duplicate 2, rejected 4.
  for (let i = 1; i <= 4; i++) assert.equal((await post(bus, event(`e${i}`, { big: i <= 2 }))).status, 202);
  for (const id of ['e1', 'e2']) {
    const duplicate = await post(bus, event(id, { big: true }));
    assert.equal(duplicate.status, 202);
    assert.equal(((await duplicate.json()) as { duplicate: boolean }).duplicate, true);
  }
  const batch = await post(bus, [event('e5'), event('e6'), { specversion: '1.0', id: 'x1' }, { id: 'x2', source: '/m', type: 't' }, { specversion: '0.3', id: 'x3', source: '/m', type: 't' }], 'application/cloudevents-batch+json');
  assert.equal(batch.status, 200);
  assert.deepEqual(((await batch.json()) as { accepted: number; failed: number }).accepted, 2);
  assert.equal((await post(bus, { specversion: '1.0', id: 'bad', type: 'order' })).status, 422);
  // An unknown bus: refused, counted under a fixed label, never under the name it asked for.
  const stranger = `nobus-${randomUUID().slice(0, 8)}`;
  assert.equal((await post(stranger, event('s1'))).status, 404);

  const target = (name: string) => ({ bus, rule: 'orders', target: name });
  const samples = await scrapeUntil(
    (s) =>
      valueOf(s, 'herald_deliveries_total', { ...target('ok'), outcome: 'delivered' }) === 6 &&
      valueOf(s, 'herald_deliveries_total', { ...target('flaky'), outcome: 'delivered' }) === 6 &&
      valueOf(s, 'herald_deliveries_total', { ...target('refusing'), outcome: 'dead' }) === 6 &&
      ['ok', 'flaky', 'refusing'].every((t) => valueOf(s, 'herald_backlog_deliveries', target(t)) === 0),
  );
  const expect = (name: string, labels: Record<string, string>, value: number) => assert.equal(valueOf(samples, name, labels), value, `${name} ${JSON.stringify(labels)}`);

  expect('herald_events_received_total', { bus, outcome: 'accepted' }, 6);
  expect('herald_events_received_total', { bus, outcome: 'duplicate' }, 2);
  expect('herald_events_received_total', { bus, outcome: 'rejected' }, 4);
  expect('herald_events_received_total', { bus: '(unknown)', outcome: 'rejected' }, 1);
  assert.deepEqual(samples.filter((s) => Object.values(s.labels).includes(stranger)), [], 'no series names the unknown bus');
  // Every acknowledged request (4 + 2 singles, 1 batch) is timed; the 422 is not acknowledged.
  expect('herald_ingest_duration_seconds_count', { bus }, 7);

  expect('herald_rule_matches_total', { bus, rule: 'orders' }, 6);
  expect('herald_rule_matches_total', { bus, rule: 'big' }, 2);

  for (const [name, delivered, retry, dead] of [
    ['ok', 6, 0, 0],
    ['flaky', 6, 3, 0],
    ['refusing', 0, 0, 6],
  ] as const) {
    expect('herald_deliveries_total', { ...target(name), outcome: 'delivered' }, delivered);
    expect('herald_deliveries_total', { ...target(name), outcome: 'retry' }, retry);
    expect('herald_deliveries_total', { ...target(name), outcome: 'dead' }, dead);
    expect('herald_delivery_attempt_duration_seconds_count', target(name), delivered + retry + dead);
    expect('herald_delivery_latency_seconds_count', target(name), delivered);
    expect('herald_backlog_deliveries', target(name), 0);
    expect('herald_dlq_deliveries', target(name), dead);
    expect('herald_target_circuit_open', target(name), 0);
  }
  assert.equal(ok.received.length, 6);
  assert.equal(flaky.received.length, 9);
  assert.equal(refusing.received.length, 6);
  expect('herald_router_lag_events', { bus }, 0);

  // Redrive the dead letters to the healthy target: the DLQ gauge goes back to 0 at once, and the
  // backlog too once they are delivered.
  const redrive = await fetch(`${server.url}/v1/buses/${bus}/dlq/redrive`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ target: 'refusing', to: { rule: 'orders', target: 'ok' } }) });
  assert.deepEqual(await redrive.json(), { redriven: 6 });
  const redriven = await scrapeUntil((s) => valueOf(s, 'herald_deliveries_total', { ...target('ok'), outcome: 'delivered' }) === 12 && valueOf(s, 'herald_backlog_deliveries', target('ok')) === 0);
  assert.equal(valueOf(redriven, 'herald_dlq_deliveries', target('refusing')), 0);
  assert.equal(ok.received.length, 12);
});

test('promtool check metrics passes on the scraped text', { timeout: 60_000 }, async (t) => {
  if (!requirePrometheusTool(t, 'promtool')) return;
  const { text, contentType } = await scrape(server.url);
  assert.match(contentType ?? '', /^text\/plain; version=0\.0\.4/);
  // prom-client's default process metrics are there too.
  assert.match(text, /^process_cpu_seconds_total /m);
  assert.match(text, /^nodejs_heap_size_used_bytes /m);
  const { code, output } = await promtoolCheck(text);
  assert.equal(code, 0, output);
});

test('deleting a target, a rule or a bus removes its series', { timeout: 60_000 }, async () => {
  const bus = `g-${randomUUID().slice(0, 8)}`;
  await server.store.buses.create(bus);
  const sink = await receiver(() => ({ status: 200 }));
  const http = { type: 'http', config: { url: sink.url, mode: 'structured' } };
  const rule = (body: unknown) => fetch(`${server.url}/v1/buses/${bus}/rules/r`, { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify(body) });
  assert.equal((await rule({ filter: { pattern: { type: ['order'] } }, targets: [{ id: 'a', ...http }, { id: 'b', ...http }] })).status, 201);
  assert.equal((await post(bus, event('g1'))).status, 202);
  await scrapeUntil((s) => valueOf(s, 'herald_deliveries_total', { bus, rule: 'r', target: 'b', outcome: 'delivered' }) === 1);

  const named = (s: Sample[], key: string, value: string) => s.filter((x) => x.name.startsWith('herald_') && x.labels.bus === bus && x.labels[key] === value);
  assert.equal((await fetch(`${server.url}/v1/buses/${bus}/rules/r/targets/b`, { method: 'DELETE' })).status, 204);
  let { samples } = await scrape(server.url);
  assert.deepEqual(named(samples, 'target', 'b'), [], 'target b has no series left');
  assert.ok(named(samples, 'target', 'a').length > 0, 'target a keeps its series');

  assert.equal((await fetch(`${server.url}/v1/buses/${bus}/rules/r`, { method: 'DELETE' })).status, 204);
  ({ samples } = await scrape(server.url));
  assert.deepEqual(named(samples, 'rule', 'r'), [], 'rule r has no series left');

  assert.equal((await fetch(`${server.url}/v1/buses/${bus}`, { method: 'DELETE' })).status, 204);
  ({ samples } = await scrape(server.url));
  assert.deepEqual(select(samples, 'herald_events_received_total', { bus }), []);
  assert.deepEqual(select(samples, 'herald_ingest_duration_seconds_count', { bus }), []);
});
