/**
 * kill -9 of Herald with deliveries in flight: after a restart every matched event reaches its
 * target (duplicates allowed and counted, each with the same webhook-id) and none is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnHerald, tempDir } from '../support/server.js';
import { startReceiver } from '../support/receiver.js';

test('kill -9 with deliveries in flight loses no delivery', { timeout: 600_000 }, async () => {
  const receiver = await startReceiver(() => ({ status: 200, delayMs: 20 }));
  const dataDir = tempDir('herald-kill9-delivery-');
  const first = await spawnHerald(dataDir);
  const total = 400;
  try {
    const rule = await fetch(`${first.url}/v1/buses/default/rules/all`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { pattern: { source: ['/k9'] } }, targets: [{ id: 'sink', type: 'http', config: { url: receiver.url, mode: 'structured' }, concurrency: 4 }] }),
    });
    assert.equal(rule.status, 201);
    const batch = Array.from({ length: total }, (_, i) => ({ specversion: '1.0', id: `k-${i}`, source: '/k9', type: 't' }));
    const put = await fetch(`${first.url}/v1/buses/default/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify(batch) });
    assert.equal(((await put.json()) as { accepted: number }).accepted, total);
    // Kill while deliveries are flowing: some done, most still queued or in flight.
    await receiver.waitFor(20, 20_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = receiver.received.length;
    assert.ok(atKill < total, `the kill came mid-delivery (${atKill} of ${total} received)`);

    const second = await spawnHerald(dataDir);
    try {
      // Wait for the condition, however long a loaded machine takes; the test's timeout only guards a hang.
      const distinct = () => new Set(receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id));
      while (distinct().size < total) await new Promise((r) => setTimeout(r, 100));
      const keys = new Map<string, Set<string>>();
      for (const r of receiver.received) {
        const id = (JSON.parse(r.body) as { id: string }).id;
        keys.set(id, (keys.get(id) ?? new Set()).add(String(r.headers['webhook-id'])));
      }
      for (const [id, seen] of keys) assert.equal(seen.size, 1, `every copy of ${id} carries the same webhook-id`);
      const duplicates = receiver.received.length - total;
      console.log(`# kill -9 with deliveries in flight: ${atKill} received before the kill, ${duplicates} duplicate(s) after restart, none lost`);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
    await receiver.close();
  }
});
