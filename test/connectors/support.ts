/**
 * Test doubles that stand in for Herald's own parts (never for the external servers): an in-memory
 * sink that behaves like the bus (dedupes by (source, id), resolves when "stored"), contexts, names.
 */
import { randomBytes } from 'node:crypto';
import type { CloudEvent } from '../../src/events/types.js';
import type { OutboundMessage, SourceContext, SourceSink, TargetContext } from '../../src/connectors/types.js';

export function suffix(): string {
  return randomBytes(5).toString('hex');
}

const quietLog = { info() {}, warn() {}, error() {} };

export function targetContext(connections: Record<string, Record<string, string>> = {}): TargetContext {
  return {
    async connection(name) {
      const found = connections[name];
      if (!found) throw new Error(`unknown connection ${name}`);
      return found;
    },
    log: quietLog,
  };
}

export class MemorySink implements SourceSink {
  /** Stored events in order, one per (source, id). */
  readonly events: CloudEvent[] = [];
  readonly keys = new Set<string>();
  publishCalls = 0;
  duplicates = 0;
  private failing = 0;
  /** Event ids the "bus" refuses with this code (per-event result, like an invalid event). */
  readonly refuse = new Map<string, string>();
  private waiters: Array<() => void> = [];

  /** The next `n` publish calls reject (like a store outage) without storing anything. */
  failNext(n: number): void {
    this.failing = n;
  }

  async publish(events: CloudEvent[]): Promise<Array<{ sequence: number; duplicate: boolean } | { error: { code: string; message: string } }>> {
    this.publishCalls++;
    // Yield like real storage, so sources really wait on the sink.
    await new Promise((r) => setImmediate(r));
    if (this.failing > 0) {
      this.failing--;
      throw new Error('sink unavailable (test)');
    }
    const results = events.map((event) => {
      const refused = this.refuse.get(event.id);
      if (refused) return { error: { code: refused, message: `refused by the test sink (${refused})` } };
      const key = `${event.source}\u0000${event.id}`;
      if (this.keys.has(key)) {
        this.duplicates++;
        return { sequence: 0, duplicate: true };
      }
      this.keys.add(key);
      this.events.push(event);
      return { sequence: this.events.length, duplicate: false };
    });
    for (const w of this.waiters.splice(0)) w();
    return results;
  }

  /** Resolves once `count` distinct events are stored; rejects after `ms`. */
  async waitFor(count: number, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`sink has ${this.events.length} of ${count} events after ${ms} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** `createdAt`: when the "stored" source was made (the runtime passes the record's); absent, the start time. */
export function sourceContext(sink: SourceSink, now: () => Date = () => new Date(), createdAt?: Date): SourceContext {
  return { ...targetContext(), sink, now, ...(createdAt ? { createdAt } : {}) };
}

export async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An OutboundMessage as the delivery engine builds it: without a body, the untransformed event
 * (`wholeEvent`); with one, a transformed body and its content type.
 */
export function message(event: Partial<CloudEvent> & { id: string }, body?: unknown, key?: string): OutboundMessage {
  const full: CloudEvent = { specversion: '1.0', source: '/test', type: 'test.event', ...event };
  const ids = { idempotencyKey: key ?? `${full.id}:t1`, deliveryId: `d-${full.id}`, attempt: 1 };
  if (body === undefined) return { event: full, body: full, wholeEvent: true, ...ids };
  return { event: full, body, contentType: typeof body === 'string' ? 'text/plain' : 'application/json', wholeEvent: false, ...ids };
}

/**
 * node:test runs `after` hooks in registration order; teardown wants the reverse (drop the table,
 * then close the client that drops it). `defer(fn)` registers LIFO cleanups, all awaited.
 */
export function deferrals(t: { after(fn: () => Promise<void>): void }): (fn: () => unknown) => void {
  const stack: Array<() => unknown> = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  return (fn) => {
    stack.push(fn);
  };
}
