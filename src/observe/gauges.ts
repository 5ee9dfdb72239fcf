/**
 * The state gauges (backlog, DLQ, router lag, circuit) computed cheaply (issue 15, item 1): backlog
 * and DLQ are kept in memory from the router's and the delivery engine's own events (a delivery
 * enqueued, an attempt recorded) and corrected from the store periodically and after a bulk change
 * (redrive, purge, a target gone), never counted per scrape. Router lag and circuit state are read at
 * scrape time from values already in memory (the log's head and the router's cursor, the runners'
 * breakers).
 */
import type { RuleRecord } from '../rules/types.js';
import type { DeliveryQueue, EventLog, TargetKey } from '../store/index.js';
import type { MetricSet } from './metrics.js';
import { LabelCache2, LabelCache3 } from './label-cache.js';

export interface GaugeStore {
  events: Pick<EventLog, 'head'>;
  deliveries: Pick<DeliveryQueue, 'cursor' | 'targetCounts'>;
}

/** Says, for each running target, whether its circuit breaker is open. */
export type CircuitProvider = () => Iterable<{ key: TargetKey; open: boolean }>;

interface TargetGauges {
  backlog: { inc(n?: number): void; dec(n?: number): void; set(n: number): void };
  dlq: { inc(n?: number): void; dec(n?: number): void; set(n: number): void };
}

export class StateGauges {
  /** The configured targets (the label sets that exist) and their gauge children, by bus, rule, target. */
  private readonly targets = new LabelCache3<TargetGauges>();
  /** Buses with at least one rule: those the router follows (router lag). */
  private readonly routed = new Map<string, Set<string>>();
  private circuits: CircuitProvider = () => [];

  constructor(
    private readonly metrics: MetricSet,
    private readonly store: GaugeStore,
  ) {}

  setCircuitProvider(provider: CircuitProvider): void {
    this.circuits = provider;
  }

  /** A rule was saved or deleted: targets that went lose their series, new ones start at 0. */
  ruleChanged(bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined): void {
    if (before) {
      for (const target of before.targets) {
        if (after?.targets.some((t) => t.id === target.id)) continue;
        this.targets.delete(bus, before.name, target.id);
        this.metrics.forgetTarget({ bus, rule: before.name, target: target.id });
      }
      if (!after) {
        this.targets.delete(bus, before.name);
        this.routed.get(bus)?.delete(before.name);
        this.metrics.forgetRule(bus, before.name);
      }
    }
    if (after) {
      let rules = this.routed.get(bus);
      if (!rules) this.routed.set(bus, (rules = new Set()));
      rules.add(after.name);
      for (const target of after.targets) this.gauges({ bus, rule: after.name, target: target.id });
    }
    if (this.routed.get(bus)?.size === 0) {
      this.routed.delete(bus);
      this.metrics.routerLag.remove({ bus });
    }
  }

  /** A bus was deleted. */
  forgetBus(bus: string): void {
    this.targets.delete(bus);
    this.routed.delete(bus);
  }

  /** Deliveries the router enqueued: pending ones wait in the backlog, dead ones (a disabled target) are dead letters. */
  enqueued(bus: string, deliveries: ReadonlyArray<{ rule: string; target: string; state?: 'pending' | 'dead' }>): void {
    for (const d of deliveries) {
      const gauges = this.targets.get(bus, d.rule, d.target);
      if (!gauges) continue;
      if (d.state === 'dead') gauges.dlq.inc();
      else gauges.backlog.inc();
    }
  }

  /** A delivery left the backlog: delivered, or dead-lettered. */
  settled(key: TargetKey, state: 'delivered' | 'dead'): void {
    const gauges = this.targets.get(key.bus, key.rule, key.target);
    if (!gauges) return;
    gauges.backlog.dec();
    if (state === 'dead') gauges.dlq.inc();
  }

  /** Whether the target is configured: only those have series (a deleted one's late outcome adds none). */
  has(key: TargetKey): boolean {
    return this.targets.get(key.bus, key.rule, key.target) !== undefined;
  }

  /**
   * Sets backlog and DLQ of every configured target of `bus` (every bus when absent) from the
   * store's counts: one grouped read per bus, run periodically, never per scrape.
   */
  async correct(bus?: string): Promise<void> {
    for (const name of bus === undefined ? [...this.routed.keys()] : [bus]) {
      if (!this.routed.has(name)) continue;
      const counts = await this.store.deliveries.targetCounts(name);
      const found = new LabelCache2<{ pending: number; dead: number }>();
      for (const c of counts) found.set(c.rule, c.target, c);
      for (const [rule, target, gauges] of this.targets.under(name)) {
        const count = found.get(rule, target);
        gauges.backlog.set(count?.pending ?? 0);
        gauges.dlq.set(count?.dead ?? 0);
      }
    }
  }

  /** Router lag and circuit state, from memory, just before a scrape. */
  async refresh(): Promise<void> {
    for (const bus of this.routed.keys()) {
      try {
        const lag = (await this.store.events.head(bus)) - (await this.store.deliveries.cursor(bus));
        this.metrics.routerLag.set({ bus }, Math.max(0, lag));
      } catch {
        // The bus went between the rule change and this scrape: its series go with it.
        this.metrics.routerLag.remove({ bus });
      }
    }
    for (const { key, open } of this.circuits()) {
      if (this.has(key)) this.metrics.circuitOpen.set({ bus: key.bus, rule: key.rule, target: key.target }, open ? 1 : 0);
    }
  }

  private gauges(key: TargetKey): TargetGauges {
    let gauges = this.targets.get(key.bus, key.rule, key.target);
    if (!gauges) {
      const labels = { bus: key.bus, rule: key.rule, target: key.target };
      gauges = { backlog: this.metrics.backlog.labels(labels), dlq: this.metrics.dlq.labels(labels) };
      // Present from the start at 0, so a dashboard shows the target before its first delivery.
      gauges.backlog.inc(0);
      gauges.dlq.inc(0);
      this.targets.set(key.bus, key.rule, key.target, gauges);
    }
    return gauges;
  }
}
