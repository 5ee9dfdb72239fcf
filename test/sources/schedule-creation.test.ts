/**
 * Issue 10, item 9, end to end: `examples/sources/herald.yaml`'s hourly tick, put at 00:41, fired at
 * once for 00:00 — 41 minutes before it existed. Through the API and the sources runtime, with an
 * injected clock: a schedule fires from its stored creation time on, across restarts too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busEvents, createBus, eventually, startHarness } from './harness.js';

test('a schedule put through the API fires from its creation on, and a restart counts from the stored creation time', async (t) => {
  let now = Date.parse('2026-12-02T00:41:00.000Z');
  const clock = () => new Date(now);
  let h = await startHarness({ now: clock });
  t.after(() => h.stop());
  await createBus(h.app, 'shop');
  const put = (name: string, expression: string) =>
    h.app.inject({ method: 'PUT', url: `/v1/sources/${name}`, payload: { type: 'schedule', bus: 'shop', config: { expression, tickMs: 10 } } });
  assert.equal((await put('hourly-tick', 'rate(1 hour)')).statusCode, 201);
  assert.equal((await put('on-the-hour', 'cron(0 * * * ? *)')).statusCode, 201);
  assert.equal((await put('long-ago', 'at(2026-12-02T00:00:00)')).statusCode, 201, 'an at() in the past is accepted');

  await eventually('the creation firing', async () => (await busEvents(h.app, 'shop')).length === 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const first = await busEvents(h.app, 'shop');
  assert.deepEqual(first.map((e) => e.event.id), ['hourly-tick@2026-12-02T00:41:00.000Z'], 'nothing for 00:00, from any of the three');

  // Down from 00:50 to 02:50: the restart catches up the latest missed firing of the rate counted
  // from the stored creation (02:41) — not a firing counted from the restart, and still nothing
  // for the at() in the past.
  await h.stop();
  now = Date.parse('2026-12-02T02:50:00.000Z');
  h = await startHarness({ dataDir: h.dataDir, now: clock });
  await eventually('the catch-up firings', async () => (await busEvents(h.app, 'shop')).length === 3);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const ids = (await busEvents(h.app, 'shop')).map((e) => e.event.id).sort();
  assert.deepEqual(ids, ['hourly-tick@2026-12-02T00:41:00.000Z', 'hourly-tick@2026-12-02T02:41:00.000Z', 'on-the-hour@2026-12-02T02:00:00.000Z']);
});
