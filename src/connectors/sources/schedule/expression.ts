/**
 * Schedule expressions in Amazon EventBridge Scheduler's syntax ("Schedule types" in its user guide):
 *   rate(value unit)   unit minute(s) | hour(s) | day(s); firings at startAt + k·period
 *   cron(min hour day-of-month month day-of-week year)   six fields; one of day-of-month /
 *                      day-of-week must be `?`; day-of-week 1-7 = SUN-SAT; `L`, `W`, `#` as AWS
 *   at(yyyy-mm-ddThh:mm:ss)   one time, wall-clock time in the schedule's time zone
 * cron and at are evaluated by croner in the given IANA time zone (DST handled by croner).
 */
import { Cron } from 'croner';
import { invalidConfig } from '../../config.js';

export interface Schedule {
  readonly expression: string;
  /** The first firing strictly after `after`, or null when there is none. */
  next(after: Date): Date | null;
  /** The last firing at or before `at`, or null. */
  latest(at: Date): Date | null;
}

const FIELD = 'config.expression';
const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function rate(value: number, unit: string, startAt: Date | undefined, expression: string): Schedule {
  const period = value * UNITS[unit];
  const anchor = startAt?.getTime() ?? 0; // Unix epoch: the same instants in every process, every restart
  return {
    expression,
    next(after) {
      const k = Math.floor((after.getTime() - anchor) / period) + 1;
      return new Date(anchor + Math.max(k, 0) * period);
    },
    latest(at) {
      if (at.getTime() < anchor) return null;
      return new Date(anchor + Math.floor((at.getTime() - anchor) / period) * period);
    },
  };
}

/** AWS day-of-week → croner (with `alternativeWeekdays`, 1 = SUN as in AWS): `6L` → `6#L`, `L` → `7` (SAT). */
function translateDayOfWeek(field: string): string {
  if (field === 'L') return '7';
  return field.replace(/^([0-7A-Za-z]+)L$/, '$1#L');
}

function fromCron(body: string, timezone: string, startAt: Date | undefined, expression: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) invalidConfig(FIELD, `cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [min, hour, dom, month, dow, year] = fields;
  // AWS: "You can't specify the Day-of-month and Day-of-week fields in the same cron expression."
  if ((dom === '?') === (dow === '?')) invalidConfig(FIELD, 'cron(): exactly one of day-of-month and day-of-week must be ?');
  const pattern = ['0', min, hour, dom === '?' ? '*' : dom, month, dow === '?' ? '*' : translateDayOfWeek(dow), year].join(' ');
  let cron: Cron;
  try {
    // sloppyRanges: AWS writes steps with a numeric start (`0/15`), which croner rejects by default.
    cron = new Cron(pattern, { timezone, mode: '7-part', alternativeWeekdays: true, domAndDow: true, sloppyRanges: true, paused: true, ...(startAt ? { startAt } : {}) });
  } catch (error) {
    invalidConfig(FIELD, `cron(${body}): ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    expression,
    next: (after) => cron.nextRun(after),
    latest: (at) => cron.previousRuns(1, new Date(at.getTime() + 1))[0] ?? null,
  };
}

function fromAt(body: string, timezone: string, expression: string): Schedule {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body)) invalidConfig(FIELD, `at(${body}): use yyyy-mm-ddThh:mm:ss (local time in config.timezone)`);
  let when: Date | null;
  try {
    when = new Cron(body, { timezone, paused: true }).nextRun(new Date(0));
  } catch (error) {
    invalidConfig(FIELD, `at(${body}): ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!when) invalidConfig(FIELD, `at(${body}) is not a valid time`);
  const instant = when;
  return {
    expression,
    next: (after) => (instant.getTime() > after.getTime() ? instant : null),
    latest: (at) => (instant.getTime() <= at.getTime() ? instant : null),
  };
}

export function parseSchedule(expression: string, timezone = 'UTC', startAt?: Date): Schedule {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    invalidConfig('config.timezone', `unknown time zone ${JSON.stringify(timezone)}`);
  }
  const m = /^(rate|cron|at)\((.*)\)$/.exec(expression.trim());
  if (!m) invalidConfig(FIELD, 'use rate(value unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss)');
  const [, kind, body] = m;
  if (kind === 'rate') {
    const r = /^\s*(\d+)\s+(minute|hour|day)s?\s*$/.exec(body);
    if (!r || Number(r[1]) < 1) invalidConfig(FIELD, `rate(${body}): use a positive whole number and minute(s), hour(s) or day(s)`);
    return rate(Number(r[1]), r[2], startAt, expression);
  }
  if (kind === 'cron') return fromCron(body, timezone, startAt, expression);
  return fromAt(body, timezone, expression);
}
