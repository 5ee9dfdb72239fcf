/**
 * Invariant 1 (docs/architecture.md): an event is acknowledged only after it is durably stored. Many
 * concurrent producers; SIGKILL the real server process mid-load; restart on the same data
 * directory; every event that got a 2xx is there exactly once, and no sequence repeats.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnHerald, tempDir } from '../support/server.js';

interface Ack {
  id: string;
  sequence: number;
}

async function producer(url: string, name: string, acked: Ack[], stop: { now: boolean }): Promise<void> {
  for (let n = 0; !stop.now; n++) {
    const batch = n % 2 === 1;
    const ids = batch ? Array.from({ length: 10 }, (_, i) => `${name}-${n}-${i}`) : [`${name}-${n}`];
    const events = ids.map((id) => ({ specversion: '1.0', id, source: '/kill9', type: 'load', data: { n } }));
    try {
      const response = await fetch(`${url}/v1/buses/default/events`, {
        method: 'POST',
        headers: { 'content-type': batch ? 'application/cloudevents-batch+json' : 'application/cloudevents+json' },
        body: JSON.stringify(batch ? events : events[0]),
      });
      if (!response.ok) continue;
      const body = (await response.json()) as Ack | { results: Ack[] };
      if ('results' in body) acked.push(...body.results);
      else acked.push(body);
    } catch {
      return; // the server is gone
    }
  }
}

test('kill -9 mid-load loses no acknowledged event and duplicates none', { timeout: 120_000 }, async () => {
  const dataDir = tempDir('herald-kill9-');
  const first = await spawnHerald(dataDir);
  const acked: Ack[] = [];
  const stop = { now: false };
  const producers = Array.from({ length: 24 }, (_, i) => producer(first.url, `p${i}`, acked, stop));
  // Let load build up (a condition, not a guessed time a loaded machine may need longer for), then
  // kill without warning.
  while (acked.length <= 500) await new Promise((resolve) => setTimeout(resolve, 20));
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, 'SIGKILL');
  stop.now = true;
  await Promise.all(producers);
  assert.ok(acked.length > 500, `the load was real: ${acked.length} events acknowledged before the kill`);

  const second = await spawnHerald(dataDir);
  try {
    const stored = new Map<string, number[]>();
    const sequences = new Set<number>();
    for (let after = 0; ; ) {
      const page = (await (await fetch(`${second.url}/v1/buses/default/events?after=${after}&limit=1000`)).json()) as {
        events: Array<{ sequence: number; event: { id: string } }>;
        next: number;
      };
      if (page.events.length === 0) break;
      for (const { sequence, event } of page.events) {
        assert.ok(!sequences.has(sequence), `sequence ${sequence} appears twice`);
        sequences.add(sequence);
        stored.set(event.id, [...(stored.get(event.id) ?? []), sequence]);
      }
      after = page.next;
    }
    for (const ack of acked) {
      const found = stored.get(ack.id);
      assert.ok(found, `acknowledged event ${ack.id} (sequence ${ack.sequence}) was lost`);
      assert.deepEqual(found, [ack.sequence], `event ${ack.id} is stored once, at its acknowledged sequence`);
    }
    // The restarted server goes on from where the log ends.
    const next = await fetch(`${second.url}/v1/buses/default/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'after-restart', source: '/kill9', type: 'load' }),
    });
    assert.equal(((await next.json()) as Ack).sequence, Math.max(...sequences) + 1);
    console.log(`# kill -9: ${acked.length} acknowledged, ${sequences.size} stored, all acknowledged present once`);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
});
