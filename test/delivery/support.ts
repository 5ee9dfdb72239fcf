/** Small helpers for the delivery tests: condition waits, rules, publishing, API reads. */
import assert from 'node:assert/strict';

export async function waitUntil(check: () => Promise<boolean> | boolean, what = 'condition', timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const suffix = (): string => Math.random().toString(36).slice(2, 8);

export async function api<T = Record<string, unknown>>(url: string, method = 'GET', body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
}

export async function createBusAndRule(base: string, bus: string, targets: unknown[], filter: unknown = { pattern: { type: ['t'] } }): Promise<void> {
  const created = await api(`${base}/v1/buses`, 'POST', { name: bus });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const rule = await api(`${base}/v1/buses/${bus}/rules/r`, 'PUT', { filter, targets });
  assert.equal(rule.status, 201, JSON.stringify(rule.json));
}

export async function publish(base: string, bus: string, id: string, type = 't'): Promise<number> {
  const response = await fetch(`${base}/v1/buses/${bus}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id, source: '/delivery-test', type, data: { id } }),
  });
  const json = (await response.json()) as { sequence: number };
  assert.equal(response.status, 202, JSON.stringify(json));
  return json.sequence;
}

export interface TraceAttempt {
  attempt: number;
  at: string;
  outcome: string;
  status: number | null;
}

export interface TraceBody {
  receivedAt: string;
  routed: { at: string | null; matched: string[] } | null;
  rulesMatched: string[];
  deliveries: Array<{
    id: number;
    rule: string;
    target: string;
    state: string;
    reason: string | null;
    attempts: TraceAttempt[];
    nextAttemptAt: string | null;
    redrives: Array<{ at: string; by: string | null; reason: string | null; from: { rule: string; target: string }; to: { rule: string; target: string } }>;
  }>;
}

export async function trace(base: string, bus: string, sequence: number): Promise<TraceBody> {
  const { status, json } = await api<TraceBody>(`${base}/v1/buses/${bus}/events/${sequence}/trace`);
  assert.equal(status, 200, JSON.stringify(json));
  return json;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const TIME_KEY = /(^at$|At$|^since$)/;

/**
 * Every time in an API answer is an RFC 3339 string (or null), never epoch ms; durations are
 * numbers under a `…Ms` name. Walks the whole answer; returns how many times it checked.
 */
export function assertTimesAreRfc3339(value: unknown, path = '$'): number {
  let checked = 0;
  if (Array.isArray(value)) {
    value.forEach((item, i) => (checked += assertTimesAreRfc3339(item, `${path}[${i}]`)));
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const where = `${path}.${key}`;
      if (key === 'data') continue; // an event's data is the producer's, as sent
      if (TIME_KEY.test(key)) {
        assert.ok(child === null || (typeof child === 'string' && RFC3339.test(child)), `${where} is ${JSON.stringify(child)}, not an RFC 3339 time`);
        checked++;
      } else if (/Ms$/.test(key)) {
        assert.equal(typeof child, 'number', `${where} is a duration in ms`);
      } else {
        checked += assertTimesAreRfc3339(child, where);
      }
    }
  }
  return checked;
}
