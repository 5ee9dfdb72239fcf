/**
 * What every source shares: its status (SourceStatus), handing events to the sink, and the rule
 * that upstream is acknowledged only after `sink.publish` resolved (the bus has stored the events).
 */
import type { CloudEvent } from '../../events/types.js';
import type { SourceContext, SourceInstance, SourceStatus } from '../types.js';
import { errorMessage } from './failures.js';

/**
 * Per-event rejections the bus will give again for the same event (it breaks CloudEvents, or is too
 * large). Retrying cannot help, so the message is logged and acknowledged upstream rather than
 * blocking the source forever; every other rejection (store full, unavailable) is retried.
 */
const NEVER_ACCEPTED = new Set(['HERALD_INVALID_EVENT', 'HERALD_EVENT_TOO_LARGE']);

export class SinkRejectedError extends Error {
  override readonly name = 'SinkRejectedError';
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

export class SourceTracker {
  private state: SourceStatus['state'] = 'starting';
  private lastError: string | undefined;
  private lastEventAt: string | undefined;
  private lag: number | undefined;

  constructor(private readonly ctx: Pick<SourceContext, 'now' | 'log' | 'sink'>, private readonly name: string) {}

  status(): SourceStatus {
    return {
      state: this.state,
      ...(this.lag !== undefined ? { lag: this.lag } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastEventAt !== undefined ? { lastEventAt: this.lastEventAt } : {}),
    };
  }

  running(): void {
    if (this.state !== 'stopped') this.state = 'running';
  }

  /** A fault the source recovers from by itself (reconnect, retry the batch). */
  fault(error: unknown): void {
    this.lastError = errorMessage(error);
    if (this.state !== 'stopped') this.state = 'reconnecting';
    this.ctx.log.warn({ source: this.name, err: this.lastError }, 'source fault; retrying');
  }

  failed(error: unknown): void {
    this.lastError = errorMessage(error);
    this.state = 'failed';
    this.ctx.log.error({ source: this.name, err: this.lastError }, 'source failed');
  }

  stopped(): void {
    this.state = 'stopped';
  }

  get isStopped(): boolean {
    return this.state === 'stopped';
  }

  setLag(lag: number | undefined): void {
    this.lag = lag;
  }

  /**
   * Hands events to the sink; resolves when all are stored (or rejected for good). Throws when any
   * event may still be stored later — the caller must then NOT acknowledge upstream.
   */
  async publish(events: CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    const results = await this.ctx.sink.publish(events);
    if (results.length !== events.length) throw new SinkRejectedError(`sink answered ${results.length} results for ${events.length} events`, 'HERALD_INTERNAL');
    results.forEach((result, i) => {
      if (!('error' in result)) return;
      if (NEVER_ACCEPTED.has(result.error.code)) {
        this.ctx.log.error({ source: this.name, id: events[i].id, code: result.error.code, err: result.error.message }, 'event rejected by the bus; acknowledged upstream and dropped');
        return;
      }
      throw new SinkRejectedError(`event ${events[i].id}: ${result.error.message}`, result.error.code);
    });
    this.lastEventAt = this.ctx.now().toISOString();
    this.running();
  }
}

/** Exponential backoff with full jitter, capped (AWS architecture blog "Exponential Backoff And Jitter"). */
export function backoffMs(attempt: number, baseMs = 200, capMs = 10_000): number {
  return Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16)));
}

/** Resolves after `ms`, or early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The instance of a source that runs one loop until aborted: `stop` aborts it, waits for the loop to
 * end (so nothing is acknowledged after stop resolves), marks it stopped, then releases its clients.
 */
export function loopingSource(tracker: SourceTracker, abort: AbortController, loop: Promise<unknown>, release?: () => Promise<unknown>): SourceInstance {
  return {
    status: () => tracker.status(),
    async stop() {
      abort.abort();
      await loop;
      tracker.stopped();
      await release?.();
    },
  };
}
