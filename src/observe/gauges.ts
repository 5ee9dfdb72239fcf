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
  /** Configured targets per bus: rule → target ids (the label sets that exist). */
  private readonly configured = new Map<string, Map<string, Set<string>>>();
  private readonly children = new Map<string, TargetGauges>();
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
    const rules = this.configured.get(bus) ?? new Map<string, Set<string>>();
    this.configured.set(bus, rules);
    if (before) {
      for (const target of before.targets) {
        if (after?.targets.some((t) => t.id === target.id)) continue;
        const key = { bus, rule: before.name, target: target.id };
        this.children.delete(keyOf(key));
        this.metrics.forgetTarget(key);
      }
      if (!after) {
        rules.delete(before.name);
        this.metrics.forgetRule(bus, before.name);
      }
    }
    if (after) {
      rules.set(after.name, new Set(after.targets.map((t) => t.id)));
      for (const target of after.targets) this.gauges({ bus, rule: after.name, target: target.id });
    }
    if (rules.size === 0) {
      this.configured.delete(bus);
      this.metrics.routerLag.remove({ bus });
    }
  }

  /** A bus was deleted. */
  forgetBus(bus: string): void {
    for (const [rule, targets] of this.configured.get(bus) ?? []) {
      for (const target of targets) this.children.delete(keyOf({ bus, rule, target }));
    }
    this.configured.delete(bus);
  }

  /** Deliveries the router enqueued: pending ones wait in the backlog, dead ones (a disabled target) are dead letters. */
  enqueued(bus: string, deliveries: ReadonlyArray<{ rule: string; target: string; state?: 'pending' | 'dead' }>): void {
    for (const d of deliveries) {
      if (!this.has({ bus, rule: d.rule, target: d.target })) continue;
      const gauges = this.gauges({ bus, rule: d.rule, target: d.target });
      if (d.state === 'dead') gauges.dlq.inc();
      else gauges.backlog.inc();
    }
  }

  /** A delivery left the backlog: delivered, or dead-lettered. */
  settled(key: TargetKey, state: 'delivered' | 'dead'): void {
    if (!this.has(key)) return;
    const gauges = this.gauges(key);
    gauges.backlog.dec();
    if (state === 'dead') gauges.dlq.inc();
  }

  /**
   * Sets backlog and DLQ of every configured target of `bus` (every bus when absent) from the
   * store's counts: one grouped query per bus, run periodically, never per scrape.
   */
  async correct(bus?: string): Promise<void> {
    for (const name of bus === undefined ? [...this.configured.keys()] : [bus]) {
      const rules = this.configured.get(name);
      if (!rules) continue;
      const counts = await this.store.deliveries.targetCounts(name);
      const found = new Map(counts.map((c) => [keyOf({ bus: name, rule: c.rule, target: c.target }), c]));
      for (const [rule, targets] of rules) {
        for (const target of targets) {
          const key = { bus: name, rule, target };
          const count = found.get(keyOf(key));
          const gauges = this.gauges(key);
          gauges.backlog.set(count?.pending ?? 0);
          gauges.dlq.set(count?.dead ?? 0);
        }
      }
    }
  }

  /** Router lag and circuit state, from memory, just before a scrape. */
  async refresh(): Promise<void> {
    for (const bus of this.configured.keys()) {
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

  /** Whether the target is configured: only those have series (a deleted one's late outcome adds none). */
  has(key: TargetKey): boolean {
    return this.configured.get(key.bus)?.get(key.rule)?.has(key.target) ?? false;
  }

  private gauges(key: TargetKey): TargetGauges {
    let gauges = this.children.get(keyOf(key));
    if (!gauges) {
      const labels = { bus: key.bus, rule: key.rule, target: key.target };
      gauges = { backlog: this.metrics.backlog.labels(labels), dlq: this.metrics.dlq.labels(labels) };
      // Present from the start at 0, so a dashboard shows the target before its first delivery.
      gauges.backlog.inc(0);
      gauges.dlq.inc(0);
      this.children.set(keyOf(key), gauges);
    }
    return gauges;
  }
}

const keyOf = (k: TargetKey) => `${k.bus}\u0000${k.rule}\u0000${k.target}`;
