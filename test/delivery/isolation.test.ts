/**
 * Isolation (invariant 5): with 500 deliveries queued for a target that takes 5 s per request,
 * every event for a fast target on the same bus arrives before the slow target's first response.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let server: RunningServer;
let slow: Receiver;
let fast: Receiver;
before(async () => {
  server = await startTestServer();
  slow = await startReceiver(() => ({ status: 200, delayMs: 5000 }));
  fast = await startReceiver(() => ({ status: 200 }));
});
after(async () => {
  await server.stop();
  await slow.close();
  await fast.close();
});

test('a slow target does not hold up a fast one on the same bus', { timeout: 60_000 }, async () => {
  const put = (name: string, body: unknown) =>
    fetch(`${server.url}/v1/buses/default/rules/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await put('slow', { filter: { pattern: { type: ['work'] } }, targets: [{ id: 's', type: 'http', config: { url: slow.url, timeoutMs: 60_000 } }] });
  await put('fast', { filter: { pattern: { type: ['work'], subject: [{ prefix: 'fast' }] } }, targets: [{ id: 'f', type: 'http', config: { url: fast.url } }] });
  const events = Array.from({ length: 500 }, (_, i) => ({ specversion: '1.0', id: `w-${i}`, source: '/iso', type: 'work', subject: i % 10 === 0 ? `fast-${i}` : `slow-${i}` }));
  const started = Date.now();
  const response = await fetch(`${server.url}/v1/buses/default/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify(events) });
  assert.equal(response.status, 200);
  await fast.waitFor(50, 20_000);
  const lastFast = Math.max(...fast.received.map((r) => r.at));
  const firstSlowRequest = Math.min(...slow.received.map((r) => r.at));
  const firstSlowResponse = firstSlowRequest + 5000;
  assert.ok(lastFast < firstSlowResponse, `all 50 fast deliveries (last at +${lastFast - started} ms) before the slow target's first response (+${firstSlowResponse - started} ms)`);
  const counts = await server.store.deliveries.counts('default');
  assert.ok(counts.pending >= 400, 'the slow backlog waits in the store');
});
