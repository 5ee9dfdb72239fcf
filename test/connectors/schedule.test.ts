import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedule, scheduleSource } from '../../src/connectors/sources/schedule/index.js';
import { MemorySink, sourceContext } from './support.js';

const iso = (s: string) => new Date(s).toISOString();
const pause = (ms = 60) => new Promise((r) => setTimeout(r, ms));

class Clock {
  constructor(public t: Date) {}
  now = () => this.t;
  set(s: string) {
    this.t = new Date(s);
  }
}

test('parseSchedule: rate is anchored (epoch or startAt), next is strictly after, latest is at-or-before', () => {
  const r = parseSchedule('rate(5 minutes)');
  assert.equal(r.next(new Date('2026-11-25T10:02:00Z'))?.toISOString(), iso('2026-11-25T10:05:00Z'));
  assert.equal(r.next(new Date('2026-11-25T10:05:00Z'))?.toISOString(), iso('2026-11-25T10:10:00Z'));
  assert.equal(r.latest(new Date('2026-11-25T10:05:00Z'))?.toISOString(), iso('2026-11-25T10:05:00Z'));
  const anchored = parseSchedule('rate(1 hour)', 'UTC', new Date('2026-11-25T10:17:00Z'));
  assert.equal(anchored.next(new Date('2026-11-25T00:00:00Z'))?.toISOString(), iso('2026-11-25T10:17:00Z'));
  assert.equal(anchored.next(new Date('2026-11-25T10:17:00Z'))?.toISOString(), iso('2026-11-25T11:17:00Z'));
  assert.equal(anchored.latest(new Date('2026-11-25T10:00:00Z')), null);
  assert.equal(parseSchedule('rate(1 day)').next(new Date('2026-11-25T10:00:00Z'))?.toISOString(), iso('2026-11-26T00:00:00Z'));
});

test('parseSchedule: AWS cron fields, ?, L, W, #, year and time zones', () => {
  const noonNy = parseSchedule('cron(0 12 * * ? *)', 'America/New_York');
  assert.equal(noonNy.next(new Date('2026-11-30T12:00:00Z'))?.toISOString(), iso('2026-11-30T17:00:00Z'), 'EST = UTC-5');
  assert.equal(noonNy.next(new Date('2026-07-01T12:00:00Z'))?.toISOString(), iso('2026-07-01T16:00:00Z'), 'EDT = UTC-4');
  // Day-of-week 1-7 is SUN-SAT (AWS), so 2 = Monday; MON-FRI names too.
  assert.equal(parseSchedule('cron(15 10 ? * 2 *)').next(new Date('2026-11-25T00:00:00Z'))?.toISOString(), iso('2026-11-30T10:15:00Z'));
  assert.equal(parseSchedule('cron(0 18 ? * MON-FRI *)').next(new Date('2026-11-28T00:00:00Z'))?.toISOString(), iso('2026-11-30T18:00:00Z'));
  assert.equal(parseSchedule('cron(0 10 ? * 6L *)').next(new Date('2026-06-01T00:00:00Z'))?.toISOString(), iso('2026-06-26T10:00:00Z'), 'last Friday');
  assert.equal(parseSchedule('cron(0 10 ? * 2#1 *)').next(new Date('2026-12-02T00:00:00Z'))?.toISOString(), iso('2026-12-07T10:00:00Z'), 'first Monday (Dec 1 2026 is a Tuesday)');
  assert.equal(parseSchedule('cron(0 8 L * ? *)').next(new Date('2026-02-01T00:00:00Z'))?.toISOString(), iso('2026-02-28T08:00:00Z'), 'last day of month');
  assert.equal(parseSchedule('cron(0 9 15W * ? *)').next(new Date('2026-11-01T00:00:00Z'))?.toISOString(), iso('2026-11-16T09:00:00Z'), '15th is a Sunday');
  assert.equal(parseSchedule('cron(0/15 * * * ? 2026)').next(new Date('2026-12-31T23:50:00Z'))?.toISOString(), undefined, 'no firing after the year');
  assert.equal(parseSchedule('cron(5/15 * * * ? *)').next(new Date('2026-11-25T10:21:00Z'))?.toISOString(), iso('2026-11-25T10:35:00Z'), 'AWS step with a start');
  assert.equal(parseSchedule('cron(0 10 * * ? *)').latest(new Date('2026-11-25T10:00:00Z'))?.toISOString(), iso('2026-11-25T10:00:00Z'));
  assert.throws(() => parseSchedule('cron(0 10 * * * *)'), { code: 'HERALD_INVALID_REQUEST', field: 'config.expression' });
  assert.throws(() => parseSchedule('cron(0 10 * * ?)'), { field: 'config.expression' });
  assert.throws(() => parseSchedule('cron(0 99 * * ? *)'), { field: 'config.expression' });
  assert.throws(() => parseSchedule('rate(0 minutes)'), { field: 'config.expression' });
  assert.throws(() => parseSchedule('every(5m)'), { field: 'config.expression' });
  assert.throws(() => parseSchedule('rate(5 minutes)', 'Mars/Base'), { field: 'config.timezone' });
});

test('parseSchedule: at() is wall-clock time in the time zone, once', () => {
  const at = parseSchedule('at(2026-12-01T10:00:00)', 'Europe/Berlin');
  assert.equal(at.next(new Date('2026-01-01T00:00:00Z'))?.toISOString(), iso('2026-12-01T09:00:00Z'));
  assert.equal(at.next(new Date('2026-12-01T09:00:00Z')), null);
  assert.equal(at.latest(new Date('2026-12-01T08:59:59Z')), null);
  assert.throws(() => parseSchedule('at(2026-12-01 10:00)'), { field: 'config.expression' });
});

test('schedule source: rate fires at the right instants; a restart does not fire twice; a long outage fires once', async (t) => {
  const clock = new Clock(new Date('2026-11-25T10:02:00Z'));
  const sink = new MemorySink();
  const config = scheduleSource.validate({ expression: 'rate(5 minutes)', tickMs: 5, catchUpSeconds: 60 });
  // Created at 10:00, so rate() counts 10:00, 10:05, …; restarts keep the creation time (as the runtime does).
  const createdAt = new Date('2026-11-25T10:00:00Z');
  let src = await scheduleSource.start('tick', config, sourceContext(sink, clock.now, createdAt));
  t.after(() => src.stop());
  await pause();
  assert.equal(sink.events.length, 0, '10:00 is more than catchUpSeconds old: not caught up');
  clock.set('2026-11-25T10:04:59Z');
  await pause();
  assert.equal(sink.events.length, 0);
  clock.set('2026-11-25T10:05:00Z');
  await sink.waitFor(1, 2000);
  assert.equal(sink.events[0].id, 'tick@2026-11-25T10:05:00.000Z');
  assert.equal(sink.events[0].time, '2026-11-25T10:05:00.000Z');
  assert.equal(sink.events[0].source, '/schedules/tick');
  assert.deepEqual(sink.events[0].data, { schedule: 'tick', expression: 'rate(5 minutes)', scheduledTime: '2026-11-25T10:05:00.000Z' });
  clock.set('2026-11-25T10:09:00Z');
  await pause();
  assert.equal(sink.events.length, 1);
  clock.set('2026-11-25T10:10:02Z'); // the timer woke late: still fires the 10:10 firing
  await sink.waitFor(2, 2000);
  assert.equal(sink.events[1].id, 'tick@2026-11-25T10:10:00.000Z');

  // Restart right after a firing: the catch-up re-produces 10:10, the bus dedupes it.
  await src.stop();
  clock.set('2026-11-25T10:10:30Z');
  src = await scheduleSource.start('tick', config, sourceContext(sink, clock.now, createdAt));
  await pause();
  assert.equal(sink.events.length, 2);
  assert.equal(sink.duplicates, 1);

  // Down from 10:11 to 10:31: 10:15…10:30 were missed; only 10:30 fires, once.
  await src.stop();
  clock.set('2026-11-25T10:31:00Z');
  src = await scheduleSource.start('tick', config, sourceContext(sink, clock.now, createdAt));
  await sink.waitFor(3, 2000);
  await pause();
  assert.deepEqual(sink.events.map((e) => e.id).slice(2), ['tick@2026-11-25T10:30:00.000Z']);
  assert.equal(src.status().state, 'running');
});

test('schedule source: cron in a time zone, and a failing sink is retried until stored', async (t) => {
  const clock = new Clock(new Date('2026-11-30T16:59:59Z'));
  const sink = new MemorySink();
  const src = await scheduleSource.start('noon', scheduleSource.validate({ expression: 'cron(0 12 * * ? *)', timezone: 'America/New_York', tickMs: 5, catchUpSeconds: 0, data: { report: 'daily' } }), sourceContext(sink, clock.now));
  t.after(() => src.stop());
  await pause();
  assert.equal(sink.events.length, 0);
  sink.failNext(2);
  clock.set('2026-11-30T17:00:00Z');
  await sink.waitFor(1, 5000);
  assert.equal(sink.events[0].id, 'noon@2026-11-30T17:00:00.000Z');
  assert.deepEqual(sink.events[0].data, { report: 'daily' });
  assert.ok(sink.publishCalls >= 3);
  clock.set('2026-12-01T16:59:00Z');
  await pause();
  assert.equal(sink.events.length, 1);
  clock.set('2026-12-01T17:00:00Z');
  await sink.waitFor(2, 2000);
  assert.equal(sink.events[1].id, 'noon@2026-12-01T17:00:00.000Z');
});

test('schedule source: at() fires once; a restart after it fired adds nothing; no catch-up of a firing before startAt', async (t) => {
  const clock = new Clock(new Date('2026-12-01T08:59:00Z'));
  const sink = new MemorySink();
  const config = scheduleSource.validate({ expression: 'at(2026-12-01T10:00:00)', timezone: 'Europe/Berlin', tickMs: 5 });
  const createdAt = clock.now();
  let src = await scheduleSource.start('once', config, sourceContext(sink, clock.now, createdAt));
  t.after(() => src.stop());
  await pause();
  assert.equal(sink.events.length, 0);
  clock.set('2026-12-01T09:00:00Z');
  await sink.waitFor(1, 2000);
  assert.equal(sink.events[0].id, 'once@2026-12-01T09:00:00.000Z');
  clock.set('2026-12-01T12:00:00Z');
  await pause();
  await src.stop();
  src = await scheduleSource.start('once', config, sourceContext(sink, clock.now, createdAt));
  await pause();
  assert.equal(sink.events.length, 1, 'one event on the bus');

  const sink2 = new MemorySink();
  // Hourly on the hour, created at 12:00:30: the 12:00 firing (30 s old, inside the catch-up window)
  // predates the schedule and must not fire.
  clock.set('2026-12-01T12:00:30Z');
  const fresh = await scheduleSource.start('new', scheduleSource.validate({ expression: 'cron(0/30 * * * ? *)', startAt: '2026-12-01T12:00:30Z', tickMs: 5 }), sourceContext(sink2, clock.now));
  t.after(() => fresh.stop());
  await pause();
  assert.equal(sink2.events.length, 0);
  clock.set('2026-12-01T12:30:00Z');
  await sink2.waitFor(1, 2000);
  assert.equal(sink2.events[0].id, 'new@2026-12-01T12:30:00.000Z');
});

/**
 * Issue 10, item 9: `examples/sources/herald.yaml`'s `rate(1 hour)` fired at once for 00:00 when it
 * was created at 00:41. A new schedule fires from its creation on, never for an earlier instant,
 * however generous the catch-up window.
 */
test('schedule source: a schedule created now never fires for earlier times (rate, cron, at in the past)', async (t) => {
  const clock = new Clock(new Date('2026-12-02T00:41:00Z'));
  const created = clock.now();
  const sinks = { rate: new MemorySink(), cron: new MemorySink(), at: new MemorySink() };
  const start = async (name: keyof typeof sinks, expression: string) => {
    const src = await scheduleSource.start(name, scheduleSource.validate({ expression, tickMs: 5 }), sourceContext(sinks[name], clock.now, created));
    t.after(() => src.stop());
    return src;
  };
  await start('rate', 'rate(1 hour)');
  await start('cron', 'cron(0 * * * ? *)');
  const at = await start('at', 'at(2026-12-02T00:00:00)');

  // rate() counts from creation: its first firing is the creation instant itself, not 00:00.
  await sinks.rate.waitFor(1, 2000);
  assert.deepEqual(sinks.rate.events.map((e) => e.time), ['2026-12-02T00:41:00.000Z']);
  await pause();
  assert.equal(sinks.cron.events.length, 0, 'the 00:00 cron firing predates the schedule');
  assert.equal(sinks.at.events.length, 0, 'an at() in the past does not fire');

  clock.set('2026-12-02T01:00:00Z');
  await sinks.cron.waitFor(1, 2000);
  assert.equal(sinks.cron.events[0].time, '2026-12-02T01:00:00.000Z');
  clock.set('2026-12-02T01:41:00Z');
  await sinks.rate.waitFor(2, 2000);
  assert.equal(sinks.rate.events[1].time, '2026-12-02T01:41:00.000Z');
  await pause();
  assert.equal(sinks.at.events.length, 0);
  assert.equal(at.status().state, 'running');
});

test('schedule source: an explicit startAt before creation does not back-fill either', async (t) => {
  const clock = new Clock(new Date('2026-12-02T00:41:00Z'));
  const sink = new MemorySink();
  const config = scheduleSource.validate({ expression: 'rate(1 hour)', startAt: '2026-12-01T00:30:00Z', tickMs: 5 });
  const src = await scheduleSource.start('anchored', config, sourceContext(sink, clock.now, clock.now()));
  t.after(() => src.stop());
  await pause();
  assert.equal(sink.events.length, 0, '00:30 is inside the catch-up window but before the source existed');
  clock.set('2026-12-02T01:30:00Z');
  await sink.waitFor(1, 2000);
  assert.equal(sink.events[0].time, '2026-12-02T01:30:00.000Z', 'startAt still anchors the rate');
});
