/**
 * SIGTERM: Herald stops accepting, finishes the commits under way, and exits 0; every event it
 * acknowledged is there after a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnHerald, tempDir } from '../support/server.js';

test('SIGTERM under load: exit 0, every acknowledged event kept', { timeout: 60_000 }, async () => {
  const dataDir = tempDir('herald-sigterm-');
  const first = await spawnHerald(dataDir);
  const acked: string[] = [];
  let stop = false;
  const producer = async (p: number) => {
    for (let n = 0; !stop; n++) {
      try {
        const response = await fetch(`${first.url}/v1/buses/default/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents+json' },
          body: JSON.stringify({ specversion: '1.0', id: `t${p}-${n}`, source: '/term', type: 't' }),
        });
        if (response.status === 202) acked.push(`t${p}-${n}`);
      } catch {
        return;
      }
    }
  };
  const producers = Array.from({ length: 8 }, (_, p) => producer(p));
  // Stop once the load is real (a condition, not a guessed time a loaded machine may need longer for).
  while (acked.length <= 100) await new Promise((r) => setTimeout(r, 20));
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0, 'a graceful stop exits 0');
  stop = true;
  await Promise.all(producers);
  assert.ok(acked.length > 100);
  const second = await spawnHerald(dataDir);
  try {
    const ids = new Set<string>();
    for (let after = 0; ; ) {
      const page = (await (await fetch(`${second.url}/v1/buses/default/events?after=${after}&limit=1000`)).json()) as { events: Array<{ event: { id: string } }>; next: number };
      if (page.events.length === 0) break;
      for (const e of page.events) ids.add(e.event.id);
      after = page.next;
    }
    for (const id of acked) assert.ok(ids.has(id), `acknowledged ${id} kept`);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
});
