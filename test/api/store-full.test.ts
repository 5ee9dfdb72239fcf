/**
 * A full store: ingest answers 507 HERALD_STORE_FULL, acknowledges nothing it did not store, and
 * recovers when retention frees space.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../support/server.js';

test('a full store answers 507, acknowledges only what it stored, and recovers after retention', { timeout: 60_000 }, async () => {
  const server = await startTestServer({ 'max-store-size': '400KiB', 'sweep-interval': '200ms' });
  try {
    await server.store.buses.create('full', { retentionMs: 1000 });
    const acked = new Set<string>();
    let refused: { status: number; code: string } | undefined;
    for (let i = 0; i < 500 && !refused; i++) {
      const response = await fetch(`${server.url}/v1/buses/full/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: `f${i}`, source: '/full', type: 't', data: 'x'.repeat(8000) }),
      });
      if (response.status === 202) acked.add(`f${i}`);
      else refused = { status: response.status, code: ((await response.json()) as { code: string }).code };
    }
    assert.deepEqual(refused, { status: 507, code: 'HERALD_STORE_FULL' });
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
    // Retention (1 s on this bus) frees the space; the sweeper runs every 200 ms.
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await fetch(`${server.url}/v1/buses/full/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: 'after', source: '/full', type: 't', data: 'z'.repeat(8000) }),
      });
      recovered = response.status === 202;
    }
    assert.ok(recovered, 'ingest recovers once retention freed space');
  } finally {
    await server.stop();
  }
});
