/**
 * The other counting points of `GET /metrics` (issue 15, item 1): EventBridge PutEvents and sources
 * count their events; after a restart, backlog and DLQ come back from the store (the start-up
 * correction), not from zero.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signStandard } from '../../src/connectors/sources/webhook/verify.js';
import { startTestServer, tempDir } from '../support/server.js';
import { startReceiver } from '../support/receiver.js';
import { scrape, valueOf, type Sample } from './prom-text.js';

async function scrapeUntil(url: string, done: (samples: Sample[]) => boolean): Promise<Sample[]> {
  for (;;) {
    const { samples } = await scrape(url);
    if (done(samples)) return samples;
    await sleep(50);
  }
}

test('PutEvents and a webhook source count their events by outcome', { timeout: 60_000 }, async () => {
  const server = await startTestServer();
  try {
    const bus = `eb-${randomUUID().slice(0, 8)}`;
    await server.store.buses.create(bus);
    const entry = (detailType: string) => ({ Source: 'metrics.test', DetailType: detailType, Detail: '{"a":1}', EventBusName: bus });
    const put = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({ Entries: [entry('one'), entry('two'), { ...entry('bad'), Detail: '[not json' }, { ...entry('lost'), EventBusName: 'no-such-bus' }] }),
    });
    assert.equal(((await put.json()) as { FailedEntryCount: number }).FailedEntryCount, 2);
    let { samples } = await scrape(server.url);
    assert.equal(valueOf(samples, 'herald_events_received_total', { bus, outcome: 'accepted' }), 2);
    assert.equal(valueOf(samples, 'herald_events_received_total', { bus: '(unknown)', outcome: 'rejected' }), 2);
    assert.equal(samples.filter((s) => s.labels.bus === 'no-such-bus').length, 0);

    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const source = `hook-${randomBytes(4).toString('hex')}`;
    const created = await fetch(`${server.url}/v1/sources/${source}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'webhook', bus, config: { style: 'standard', secret } }),
    });
    assert.equal(created.status, 201, await created.text());
    const send = (id: string, body: string) => {
      const ts = Math.floor(Date.now() / 1000);
      return fetch(`${server.url}/v1/sources/${source}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signStandard(id, ts, body, secret) },
        body,
      });
    };
    assert.equal((await send('w1', '{"n":1}')).status, 202);
    assert.equal((await send('w2', '{"n":2}')).status, 202);
    // The sender retries w1 (same webhook id): stored once, counted as a duplicate.
    assert.equal((await send('w1', '{"n":1}')).status, 202);
    ({ samples } = await scrape(server.url));
    assert.equal(valueOf(samples, 'herald_source_events_total', { source, outcome: 'accepted' }), 2);
    assert.equal(valueOf(samples, 'herald_source_events_total', { source, outcome: 'duplicate' }), 1);
    assert.equal(valueOf(samples, 'herald_source_events_total', { source, outcome: 'rejected' }), 0);

    assert.equal((await fetch(`${server.url}/v1/sources/${source}`, { method: 'DELETE' })).status, 204);
    ({ samples } = await scrape(server.url));
    assert.equal(samples.filter((s) => s.labels.source === source).length, 0, 'a deleted source has no series');
  } finally {
    await server.stop();
  }
});

test('after a restart, backlog and DLQ gauges come from the store', { timeout: 90_000 }, async () => {
  const dataDir = tempDir();
  const refusing = await startReceiver(() => ({ status: 400 }));
  const failing = await startReceiver(() => ({ status: 500 }));
  const bus = 'restart';
  const target = (id: string) => ({ bus, rule: 'r', target: id });
  let server = await startTestServer({ 'data-dir': dataDir });
  try {
    await server.store.buses.create(bus);
    // The failing target retries only after an hour: its deliveries stay in the backlog.
    const slow = { backoffBaseMs: 3_600_000, backoffCapMs: 3_600_000, jitter: false };
    const put = await fetch(`${server.url}/v1/buses/${bus}/rules/r`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        filter: { pattern: { type: ['t'] } },
        targets: [
          { id: 'refusing', type: 'http', config: { url: refusing.url } },
          { id: 'failing', type: 'http', config: { url: failing.url }, retry: slow },
        ],
      }),
    });
    assert.equal(put.status, 201, await put.text());
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: `r${i}`, source: '/r', type: 't' }),
      });
      assert.equal(response.status, 202);
    }
    await scrapeUntil(
      server.url,
      (s) => valueOf(s, 'herald_dlq_deliveries', target('refusing')) === 3 && valueOf(s, 'herald_deliveries_total', { ...target('failing'), outcome: 'retry' }) === 3,
    );
    await server.stop();

    server = await startTestServer({ 'data-dir': dataDir });
    const { samples } = await scrape(server.url);
    assert.equal(valueOf(samples, 'herald_dlq_deliveries', target('refusing')), 3);
    assert.equal(valueOf(samples, 'herald_backlog_deliveries', target('refusing')), 0);
    assert.equal(valueOf(samples, 'herald_backlog_deliveries', target('failing')), 3);
    assert.equal(valueOf(samples, 'herald_dlq_deliveries', target('failing')), 0);
    // Counters are per process: they start again at 0.
    assert.equal(valueOf(samples, 'herald_deliveries_total', { ...target('failing'), outcome: 'retry' }), undefined);
  } finally {
    await server.stop();
    await refusing.close();
    await failing.close();
  }
});

test('the circuit gauge is 1 while a failing target is cut off, and 0 again once it recovers', { timeout: 90_000 }, async () => {
  const server = await startTestServer();
  let status = 500;
  const flaky = await startReceiver(() => ({ status }));
  try {
    const bus = `c-${randomUUID().slice(0, 8)}`;
    await server.store.buses.create(bus);
    const put = await fetch(`${server.url}/v1/buses/${bus}/rules/r`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { pattern: { type: ['t'] } }, targets: [{ id: 'down', type: 'http', config: { url: flaky.url }, retry: { backoffBaseMs: 20, backoffCapMs: 50, jitter: false } }] }),
    });
    assert.equal(put.status, 201, await put.text());
    const key = { bus, rule: 'r', target: 'down' };
    assert.equal(valueOf((await scrape(server.url)).samples, 'herald_target_circuit_open', key), 0);
    const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'c1', source: '/c', type: 't' }),
    });
    assert.equal(response.status, 202);
    // Five failed attempts in a row open the breaker.
    const open = await scrapeUntil(server.url, (s) => valueOf(s, 'herald_target_circuit_open', key) === 1);
    assert.ok((valueOf(open, 'herald_deliveries_total', { ...key, outcome: 'retry' }) ?? 0) >= 5);
    status = 200;
    const closed = await scrapeUntil(server.url, (s) => valueOf(s, 'herald_deliveries_total', { ...key, outcome: 'delivered' }) === 1);
    assert.equal(valueOf(closed, 'herald_target_circuit_open', key), 0);
    assert.equal(valueOf(closed, 'herald_backlog_deliveries', key), 0);
  } finally {
    await server.stop();
    await flaky.close();
  }
});
