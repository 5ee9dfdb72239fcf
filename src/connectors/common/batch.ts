import { PartialBatchError } from '../../delivery/errors.js';
import type { OutboundMessage } from '../types.js';
import { retryable } from './failures.js';

/**
 * Sends each message with `send` (concurrently; clients keep write order on one connection) and
 * reports the outcome the way the engine expects: nothing thrown when all were accepted, the error
 * itself when every message failed, a PartialBatchError naming the failed indexes otherwise.
 */
export async function sendEach(messages: OutboundMessage[], what: string, send: (message: OutboundMessage) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(messages.map(async (m) => send(m)));
  const failures = new Map<number, Error>();
  results.forEach((r, i) => {
    if (r.status === 'rejected') failures.set(i, retryable(r.reason, what));
  });
  if (failures.size === 0) return;
  if (failures.size === messages.length) throw failures.values().next().value as Error;
  throw new PartialBatchError(`${failures.size} of ${messages.length} messages failed`, failures);
}

/**
 * Caches one lazily opened client; a failed open is forgotten so the next send tries again (the
 * target stays usable through an outage that began before its first send).
 */
export class LazyClient<C> {
  private pending: Promise<C> | undefined;
  constructor(private readonly open: () => Promise<C>) {}

  get(): Promise<C> {
    if (!this.pending) {
      const attempt = this.open();
      this.pending = attempt;
      attempt.catch(() => {
        if (this.pending === attempt) this.pending = undefined;
      });
    }
    return this.pending;
  }

  /** Drops the cached client (after a fatal connection error) and returns it for closing. */
  reset(): Promise<C> | undefined {
    const old = this.pending;
    this.pending = undefined;
    return old;
  }
}
