/**
 * Schedule source: fires events on `rate(…)`, `cron(…)` or `at(…)` (see expression.ts).
 *
 * Every firing is the event `{id: "<schedule name>@<scheduled time, ISO 8601 UTC>", time: <scheduled
 * time>}`; the id depends only on the schedule and the instant, so the same firing produced twice —
 * by a restart, by two processes — is one event on the bus (dedupe by (source, id)).
 *
 * A schedule fires from its creation on (issue 10, item 9: a new `rate(1 hour)` fired at once for a
 * time 41 minutes before it existed). Creation is the stored source's `createdAt` (`ctx.createdAt`),
 * or the start of this instance when the host gives none. No firing before it ever happens — nor
 * before `startAt` when that is later; `rate()` counts from `startAt`, else from creation, so a new
 * rate schedule fires at creation and every period after it, as a scheduled rule made by PutRule
 * does (src/sources/schedule-rules.ts). An `at()` whose time is before creation is accepted and never
 * fires: refusing it would make re-applying a config file fail once its one firing has passed.
 *
 * Restarts without state: on start, and whenever the loop wakes, the source computes the latest
 * firing at or before `ctx.now()`. If it is newer than the last one this instance handled, not before
 * creation, and at most `catchUpSeconds` old, it fires it — once, however many firings were missed
 * (a firing that did happen before the restart is deduped by the bus). Older missed firings are
 * skipped.
 *
 * Time comes only from `ctx.now()` (tests inject a clock); real timers only decide when to look
 * again, at most `tickMs` apart, so a clock jump is noticed within one tick. */
import { validateConfig, invalidConfig } from '../../config.js';
import type { SourceConnector, SourceInstance } from '../../types.js';
import type { CloudEvent } from '../../../events/types.js';
import { backoffMs, loopingSource, sleep, SourceTracker } from '../../common/source-runtime.js';
import { parseSchedule } from './expression.js';

export { parseSchedule, type Schedule } from './expression.js';

export interface ScheduleSourceConfig {
  expression: string;
  timezone: string;
  startAt?: string;
  catchUpSeconds: number;
  source?: string;
  type: string;
  data?: unknown;
  tickMs: number;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['expression'],
  properties: {
    expression: { type: 'string', minLength: 1, description: '`rate(5 minutes)`, `cron(0 12 * * ? *)` or `at(2026-12-01T10:00:00)` (EventBridge Scheduler syntax).' },
    timezone: { type: 'string', minLength: 1, default: 'UTC', description: 'IANA time zone for cron and at.' },
    startAt: { type: 'string', minLength: 1, description: 'RFC 3339 instant: no firing before it; anchors rate(). Default: the source\'s creation. Nothing ever fires for a time before the source was created.' },
    catchUpSeconds: { type: 'integer', minimum: 0, default: 86_400, description: 'A firing missed while Herald was down fires once on start if it is at most this old; 0 never catches up.' },
    source: { type: 'string', minLength: 1, description: 'CloudEvent source; default `/schedules/<name>`.' },
    type: { type: 'string', minLength: 1, default: 'io.herald.schedule.fired', description: 'CloudEvent type.' },
    data: { description: 'Event data; default `{"schedule", "expression", "scheduledTime"}`.' },
    tickMs: { type: 'integer', minimum: 1, maximum: 3_600_000, default: 60_000, description: 'Longest sleep between looks at the clock.' },
  },
} as const;

export const scheduleSource: SourceConnector<ScheduleSourceConfig> = {
  kind: 'source',
  name: 'schedule',
  description: 'Fires events on a rate, cron or one-time schedule; restarts never fire a firing twice.',
  configSchema,
  validate(raw) {
    const config = validateConfig<ScheduleSourceConfig>(configSchema, raw);
    if (config.startAt !== undefined && Number.isNaN(Date.parse(config.startAt))) invalidConfig('config.startAt', 'is not an RFC 3339 time');
    parseSchedule(config.expression, config.timezone, config.startAt ? new Date(config.startAt) : undefined);
    return config;
  },
  async start(name, config, ctx): Promise<SourceInstance> {
    const startAt = config.startAt ? new Date(config.startAt) : undefined;
    const createdAt = ctx.createdAt ?? ctx.now();
    // The first instant that may fire: creation, or a later startAt.
    const since = startAt && startAt > createdAt ? startAt : createdAt;
    const schedule = parseSchedule(config.expression, config.timezone, startAt ?? createdAt);
    if (schedule.next(new Date(since.getTime() - 1)) === null) {
      ctx.log.warn({ source: name, expression: config.expression, createdAt: createdAt.toISOString() }, 'schedule has no firing after its creation: it never fires');
    }
    const tracker = new SourceTracker(ctx, name);
    const abort = new AbortController();
    const source = config.source ?? `/schedules/${name}`;
    let last: Date | undefined; // the latest firing this instance fired or skipped
    let awaited: Date | undefined; // the firing the loop is sleeping towards: never "missed", however late the timer wakes

    function event(at: Date): CloudEvent {
      const iso = at.toISOString();
      return {
        specversion: '1.0',
        id: `${name}@${iso}`,
        source,
        type: config.type,
        time: iso,
        datacontenttype: 'application/json',
        data: config.data !== undefined ? config.data : { schedule: name, expression: config.expression, scheduledTime: iso },
      };
    }

    /** Publishes one firing, retrying until stored or stopped. */
    async function fire(at: Date): Promise<void> {
      for (let attempt = 0; !abort.signal.aborted; attempt++) {
        try {
          await tracker.publish([event(at)]);
          return;
        } catch (error) {
          tracker.fault(error);
          await sleep(backoffMs(attempt), abort.signal);
        }
      }
    }

    async function run(): Promise<void> {
      tracker.running();
      while (!abort.signal.aborted) {
        const now = ctx.now();
        const due = schedule.latest(now);
        if (due && due >= since && (!last || due > last)) {
          last = due;
          const onTime = awaited !== undefined && due.getTime() === awaited.getTime();
          if (onTime || now.getTime() - due.getTime() <= config.catchUpSeconds * 1000) await fire(due);
          continue;
        }
        const next = schedule.next(last && last > now ? last : now);
        awaited = next ?? undefined;
        if (!next) {
          // A one-time schedule that has fired: nothing more to do until stopped.
          await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
          break;
        }
        await sleep(Math.max(1, Math.min(next.getTime() - now.getTime(), config.tickMs)), abort.signal);
      }
    }

    const loop = run().catch((error: unknown) => tracker.failed(error));
    return loopingSource(tracker, abort, loop);
  },
};
