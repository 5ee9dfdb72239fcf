/**
 * Observability (issue 15): the Prometheus metrics of one server. `createMetrics` is called once at
 * start-up; the object is passed explicitly to ingest, router, delivery engine and sources, which
 * each call one method at their counting point.
 */
import type { RuleRecord } from '../rules/types.js';
import type { TargetKey } from '../store/index.js';
import { StateGauges, type CircuitProvider, type GaugeStore } from './gauges.js';
import { MetricSet, type IngestOutcome } from './metrics.js';

export { UNKNOWN_BUS, type IngestOutcome, type AttemptOutcome } from './metrics.js';

/** How often backlog and DLQ are corrected from the store. */
export const DEFAULT_CORRECT_EVERY_MS = 30_000;

export interface MetricsOptions {
  /** Period of the correction of backlog and DLQ from the store. @defaultValue 30 000 */
  correctEveryMs?: number;
  /** Told when a correction fails (the store is closed or cannot be read). */
  onError?: (error: unknown) => void;
}

export class Metrics {
  readonly set = new MetricSet();
  private readonly gauges: StateGauges;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    store: GaugeStore,
    private readonly options: MetricsOptions = {},
  ) {
    this.gauges = new StateGauges(this.set, store);
  }

  /** The Prometheus text format's content type, for the response. */
  get contentType(): string {
    return this.set.registry.contentType;
  }

  /** Corrects the gauges from the store now and then every `correctEveryMs`. */
  start(rules: RuleRecord[]): Promise<void> {
    for (const rule of rules) this.gauges.ruleChanged(rule.bus, undefined, rule);
    this.timer = setInterval(() => this.correct(), this.options.correctEveryMs ?? DEFAULT_CORRECT_EVERY_MS);
    this.timer.unref();
    return this.gauges.correct();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The scrape: lag and circuits refreshed from memory, then the whole registry as text. */
  async text(): Promise<string> {
    await this.gauges.refresh();
    return this.set.registry.metrics();
  }

  // ── ingest ──
  /** `n` events with one outcome; `bus` must name an existing bus, or be UNKNOWN_BUS. */
  received(bus: string, outcome: IngestOutcome, n = 1): void {
    this.set.received(bus, outcome, n);
  }

  acknowledged(bus: string, seconds: number): void {
    this.set.acknowledged(bus, seconds);
  }

  // ── router ──
  /** After a routing transaction committed: the rules each event matched, and the deliveries made. */
  routed(bus: string, matches: readonly string[], deliveries: ReadonlyArray<{ rule: string; target: string; state?: 'pending' | 'dead' }>): void {
    for (const rule of matches) this.set.matched(bus, rule);
    this.gauges.enqueued(bus, deliveries);
  }

  // ── delivery engine ──
  /**
   * One attempt was recorded with the delivery's new state: pending counts as `retry`. Latency is
   * from the event's acknowledgement (`eventAt`) to the successful attempt's end.
   */
  attempted(key: TargetKey, state: 'delivered' | 'pending' | 'dead', startedAt: number, eventAt: number): void {
    if (!this.gauges.has(key)) return; // a target deleted while its attempt ran has no series any more
    const now = Date.now();
    const outcome = state === 'pending' ? 'retry' : state;
    this.set.attempted(key, outcome, (now - startedAt) / 1000, state === 'delivered' ? Math.max(0, now - eventAt) / 1000 : undefined);
    if (state !== 'pending') this.gauges.settled(key, state);
  }

  /** After a bulk change of deliveries (redrive, purge, a target gone): re-read the bus's counts. */
  correct(bus?: string): void {
    this.gauges.correct(bus).catch((error: unknown) => this.options.onError?.(error));
  }

  setCircuitProvider(provider: CircuitProvider): void {
    this.gauges.setCircuitProvider(provider);
  }

  // ── sources ──
  sourceResults(source: string, results: ReadonlyArray<{ duplicate?: boolean; error?: unknown }>): void {
    let accepted = 0;
    let duplicate = 0;
    let rejected = 0;
    for (const r of results) {
      if (r.error !== undefined) rejected++;
      else if (r.duplicate) duplicate++;
      else accepted++;
    }
    this.set.sourceEvent(source, 'accepted', accepted);
    this.set.sourceEvent(source, 'duplicate', duplicate);
    this.set.sourceEvent(source, 'rejected', rejected);
  }

  forgetSource(source: string): void {
    this.set.forgetSource(source);
  }

  // ── control plane ──
  ruleChanged(bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined): void {
    this.gauges.ruleChanged(bus, before, after);
  }

  forgetBus(bus: string): void {
    this.gauges.forgetBus(bus);
    this.set.forgetBus(bus);
  }
}

export function createMetrics(store: GaugeStore, options: MetricsOptions = {}): Metrics {
  return new Metrics(store, options);
}
