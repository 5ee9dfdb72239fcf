/**
 * One runner per (bus, rule, target): leases that target's due deliveries from the store, never
 * more than its concurrency allows, so a slow or dead target holds only its own slots (invariant 5).
 * It honours 429 pauses, a rate limit, and a circuit breaker that makes a dead target cost almost
 * nothing while it is down.
 */
import type { DeliveryQueue, DeliveryRecord, TargetKey } from '../store/index.js';

const BREAKER_THRESHOLD = 5;
const BREAKER_MAX_MS = 30_000;

export interface RunnerLimits {
  concurrency: number;
  ratePerSecond?: number;
}

export type Outcome = 'delivered' | 'retry' | 'dead' | 'throttled' | 'gone';

export class TargetRunner {
  private inFlight = 0;
  private pausedUntil = 0;
  private consecutiveFailures = 0;
  private openUntil = 0;
  private tokens: number;
  private tokensAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private pumping = false;
  /** A wake that came while pumping: pump once more, or a completion's news could be lost. */
  private again = false;
  private stopped = false;
  private idle: Array<() => void> = [];
  /**
   * Whether the store may hold due work this runner has not leased yet: set by new deliveries, a
   * timer, a retry, or a lease that came back full. A delivery that merely finished frees a slot
   * but adds no work, so it does not cost a query.
   */
  private dirty = true;

  constructor(
    readonly key: TargetKey,
    private limits: RunnerLimits,
    private readonly queue: DeliveryQueue,
    /** Performs one delivery and says how it went; never throws. */
    private readonly deliver: (delivery: DeliveryRecord) => Promise<{ outcome: Outcome; pauseMs?: number }>,
    private readonly onError: (error: unknown) => void,
  ) {
    this.tokens = limits.ratePerSecond ?? Infinity;
  }

  /** Whether the circuit breaker is open or half-open (probing): the target is treated as down. */
  get circuitOpen(): boolean {
    return this.consecutiveFailures >= BREAKER_THRESHOLD;
  }

  setLimits(limits: RunnerLimits): void {
    this.limits = limits;
    this.wake();
  }

  /** Pauses the whole target (a 429's Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /** New deliveries (or redriven ones) may be due for this target. */
  notify(): void {
    this.dirty = true;
    this.wake();
  }

  wake(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump().catch(this.onError);
    });
  }

  /** Stops leasing; resolves when the deliveries in flight have finished. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        await this.pumpOnce();
      } while (this.again && !this.stopped);
    } finally {
      this.pumping = false;
    }
  }

  private async pumpOnce(): Promise<void> {
    {
      const now = Date.now();
      const blockedUntil = Math.max(this.pausedUntil, this.openUntil);
      if (blockedUntil > now) return this.sleep(blockedUntil - now);
      let free = this.limits.concurrency - this.inFlight;
      // Half-open: after the breaker's wait, one probe goes out before the rest.
      if (this.consecutiveFailures >= BREAKER_THRESHOLD) free = Math.min(free, 1 - this.inFlight);
      free = Math.min(free, this.takeTokens(now));
      if (!this.dirty) {
        // Idle with nothing new: make sure a retry waiting in the store has its timer.
        if (this.inFlight === 0 && !this.timer) await this.scheduleNext();
        return;
      }
      if (free <= 0) {
        if (this.tokens < 1 && this.limits.ratePerSecond) this.sleep(Math.ceil(1000 / this.limits.ratePerSecond));
        return;
      }
      this.dirty = false;
      const leased = await this.queue.lease(this.key, now, free);
      if (leased.length === free) this.dirty = true; // there may be more
      if (this.limits.ratePerSecond) this.tokens -= leased.length;
      for (const delivery of leased) this.start(delivery);
      // With deliveries in flight, their completion pumps again; only an idle runner needs a timer.
      if (leased.length < free && this.inFlight === 0) await this.scheduleNext();
    }
  }

  private async scheduleNext(): Promise<void> {
    const next = await this.queue.nextDue(this.key);
    if (next !== undefined) this.sleep(Math.max(0, next - Date.now()));
  }

  private start(delivery: DeliveryRecord): void {
    this.inFlight++;
    this.deliver(delivery)
      .then(({ outcome, pauseMs }) => {
        if (outcome === 'delivered') {
          this.consecutiveFailures = 0;
          this.openUntil = 0;
        } else if (outcome === 'retry') {
          this.dirty = true;
          this.consecutiveFailures++;
          if (this.consecutiveFailures >= BREAKER_THRESHOLD) {
            this.openUntil = Date.now() + Math.min(BREAKER_MAX_MS, 1000 * 2 ** (this.consecutiveFailures - BREAKER_THRESHOLD));
          }
        } else if (outcome === 'throttled' && pauseMs !== undefined) {
          this.dirty = true;
          this.pause(pauseMs);
        }
      }, this.onError)
      .finally(() => {
        this.inFlight--;
        if (this.stopped && this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
        this.wake();
      });
  }

  private takeTokens(now: number): number {
    const rate = this.limits.ratePerSecond;
    if (!rate) return Infinity;
    this.tokens = Math.min(Math.max(1, rate), this.tokens + ((now - this.tokensAt) / 1000) * rate);
    this.tokensAt = now;
    return Math.floor(this.tokens);
  }

  private sleep(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dirty = true;
      this.wake();
    }, Math.min(ms, 60_000));
    this.timer.unref();
  }
}
