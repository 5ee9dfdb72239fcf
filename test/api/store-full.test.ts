/**
 * A full store: ingest answers 507 HERALD_STORE_FULL, acknowledges nothing it did not store, and
 * recovers when retention frees space.
 *
 * No wall-clock race (issue 10, item 11): the bus keeps its events for an hour while the store is
 * filled and checked, so the sweeper (running every 200 ms all along) cannot delete anything under
 * the assertions however slow the machine is. Only then is retention lowered to 1 s through the API,
 * and the test waits for the observable condition: ingest accepts again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer } from '../support/server.js';

const HOUR = 3_600_000;

test('a full store answers 507, acknowledges only what it stored, and recovers after retention', { timeout: 120_000 }, async () => {
  const server = await startTestServer({ 'max-store-size': '400KiB', 'sweep-interval': '200ms' });
  const post = (id: string, fill: string): Promise<Response> =>
    fetch(`${server.url}/v1/buses/full/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id, source: '/full', type: 't', data: fill.repeat(8000) }),
    });
  try {
    await server.store.buses.create('full', { retentionMs: HOUR });
    const acked = new Set<string>();
    let refused: { status: number; code: string } | undefined;
    for (let i = 0; i < 500 && !refused; i++) {
      const response = await post(`f${i}`, 'x');
      if (response.status === 202) acked.add(`f${i}`);
      else refused = { status: response.status, code: ((await response.json()) as { code: string }).code };
    }
    assert.deepEqual(refused, { status: 507, code: 'HERALD_STORE_FULL' });
    assert.ok(acked.size > 0);
    const stored = await server.store.events.read('full', 0, 1000);
    assert.deepEqual(new Set(stored.map((e) => e.event.id)), acked, 'exactly the acknowledged events are stored');
    // A batch is refused whole: none of its entries is stored.
    const batch = await fetch(`${server.url}/v1/buses/full/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify([0, 1].map((i) => ({ specversion: '1.0', id: `fb${i}`, source: '/full', type: 't', data: 'y'.repeat(8000) }))),
    });
    assert.equal(batch.status, 507);
    assert.equal(await server.store.events.findById('full', '/full', 'fb0'), undefined);
    // Still full: nothing has expired, so nothing was freed.
    assert.equal((await post('still-full', 'z')).status, 507);

    // Retention down to 1 s: the background sweeper deletes the old events and frees their pages.
    const patched = await fetch(`${server.url}/v1/buses/full`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ retentionMs: 1000 }),
    });
    assert.equal(patched.status, 200);
    // Wait for the condition (ingest accepted), however long the loaded machine takes; the test's
    // own timeout is the only deadline.
    let status = 0;
    while (status !== 202) {
      await sleep(100);
      status = (await post('after', 'z')).status;
      assert.ok(status === 202 || status === 507, `unexpected status ${status}`);
    }
    // Expired events go oldest first, so the space came from the first one at least.
    assert.equal(await server.store.events.findById('full', '/full', 'f0'), undefined, 'the oldest event expired');
  } finally {
    await server.stop();
  }
});
