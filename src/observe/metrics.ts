/**
 * Herald's Prometheus metrics (issue 15, item 1). Names and labels are a contract (ARCHITECTURE.md,
 * "Metrics"); labels come only from configuration names (bus, rule, target, source), never from event
 * data, so the number of series is bounded by the configuration.
 *
 * One registry per server, made at start-up and passed explicitly to ingest, router, delivery engine
 * and sources (no global default registry: tests run several servers in one process). The hot paths
 * call one method per event or attempt; the label children are cached, so a count is a map lookup
 * and an `inc`, with no string building beyond the lookup key.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TargetKey } from '../store/index.js';
import { LabelCache2, LabelCache3 } from './label-cache.js';

/** The `bus` label of an ingest refused before its bus was known to exist (a 404, a bad request to an unknown bus). */
export const UNKNOWN_BUS = '(unknown)';

export type IngestOutcome = 'accepted' | 'duplicate' | 'rejected';
export type AttemptOutcome = 'delivered' | 'retry' | 'dead';

/** Seconds; ingest is a group commit (sub-millisecond to a few ms), deliveries may wait for retries. */
const INGEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const ATTEMPT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

const TARGET_LABELS = ['bus', 'rule', 'target'] as const;
const OUTCOMES: readonly IngestOutcome[] = ['accepted', 'duplicate', 'rejected'];
const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = ['delivered', 'retry', 'dead'];

interface BusChildren {
  received: Record<IngestOutcome, Counter.Internal>;
  ingest: Histogram.Internal<string>;
}

interface TargetChildren {
  deliveries: Record<AttemptOutcome, Counter.Internal>;
  attempt: Histogram.Internal<string>;
  latency: Histogram.Internal<string>;
}

/** The metric objects of one server and the cached label children the hot paths use. */
export class MetricSet {
  readonly registry = new Registry();
  readonly eventsReceived = new Counter({
    name: 'herald_events_received_total',
    help: 'Events received by ingest, by outcome: accepted (stored), duplicate (already stored), rejected (refused)',
    labelNames: ['bus', 'outcome'],
    registers: [this.registry],
  });
  readonly ingestDuration = new Histogram({
    name: 'herald_ingest_duration_seconds',
    help: 'Time from an ingest request to its acknowledgement (after the durable commit)',
    labelNames: ['bus'],
    buckets: INGEST_BUCKETS,
    registers: [this.registry],
  });
  readonly ruleMatches = new Counter({
    name: 'herald_rule_matches_total',
    help: 'Events a rule matched',
    labelNames: ['bus', 'rule'],
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'herald_deliveries_total',
    help: 'Delivery attempts by outcome: delivered, retry (will be tried again), dead (dead-lettered)',
    labelNames: [...TARGET_LABELS, 'outcome'],
    registers: [this.registry],
  });
  readonly attemptDuration = new Histogram({
    name: 'herald_delivery_attempt_duration_seconds',
    help: 'Duration of one delivery attempt, whatever its outcome',
    labelNames: TARGET_LABELS,
    buckets: ATTEMPT_BUCKETS,
    registers: [this.registry],
  });
  readonly deliveryLatency = new Histogram({
    name: 'herald_delivery_latency_seconds',
    help: 'Time from the acknowledgement of an event to its successful delivery, retries included',
    labelNames: TARGET_LABELS,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly backlog = new Gauge({
    name: 'herald_backlog_deliveries',
    help: 'Deliveries waiting for a target (pending, in flight or waiting for a retry)',
    labelNames: TARGET_LABELS,
    registers: [this.registry],
  });
  readonly dlq = new Gauge({
    name: 'herald_dlq_deliveries',
    help: 'Dead letters of a target (until redriven or purged)',
    labelNames: TARGET_LABELS,
    registers: [this.registry],
  });
  readonly routerLag = new Gauge({
    name: 'herald_router_lag_events',
    help: 'Events stored on a bus that the router has not matched yet',
    labelNames: ['bus'],
    registers: [this.registry],
  });
  readonly circuitOpen = new Gauge({
    name: 'herald_target_circuit_open',
    help: "1 while a target's circuit breaker is open (or half-open, probing), else 0",
    labelNames: TARGET_LABELS,
    registers: [this.registry],
  });
  readonly sourceEvents = new Counter({
    name: 'herald_source_events_total',
    help: 'Events a source put on its bus, by outcome: accepted, duplicate, rejected',
    labelNames: ['source', 'outcome'],
    registers: [this.registry],
  });

  private readonly buses = new Map<string, BusChildren>();
  private readonly targets = new LabelCache3<TargetChildren>();
  private readonly rules = new LabelCache2<Counter.Internal>();
  private readonly sources = new Map<string, Record<IngestOutcome, Counter.Internal>>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // prom-client exports these sums as gauges named `…_total`, which `promtool check metrics`
    // refuses (the suffix is for counters). The same numbers are in the per-type gauges
    // (`nodejs_active_handles{type}`…), which stay.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
  }

  /** Counts `n` events of a bus's ingest with one outcome. */
  received(bus: string, outcome: IngestOutcome, n = 1): void {
    if (n > 0) this.bus(bus).received[outcome].inc(n);
  }

  /** An ingest request was acknowledged `seconds` after it arrived. */
  acknowledged(bus: string, seconds: number): void {
    this.bus(bus).ingest.observe(seconds);
  }

  matched(bus: string, rule: string): void {
    let child = this.rules.get(bus, rule);
    if (!child) {
      child = this.ruleMatches.labels({ bus, rule });
      this.rules.set(bus, rule, child);
    }
    child.inc();
  }

  /** One attempt's outcome; `latencySeconds` only for a success (ack to delivery). */
  attempted(key: TargetKey, outcome: AttemptOutcome, durationSeconds: number, latencySeconds?: number): void {
    const children = this.target(key);
    children.deliveries[outcome].inc();
    children.attempt.observe(durationSeconds);
    if (latencySeconds !== undefined) children.latency.observe(latencySeconds);
  }

  sourceEvent(source: string, outcome: IngestOutcome, n = 1): void {
    if (n <= 0) return;
    let children = this.sources.get(source);
    if (!children) {
      children = childrenByOutcome(this.sourceEvents, OUTCOMES, { source });
      this.sources.set(source, children);
    }
    children[outcome].inc(n);
  }

  /** A bus was deleted: its series go. */
  forgetBus(bus: string): void {
    this.buses.delete(bus);
    this.rules.delete(bus);
    this.targets.delete(bus);
    for (const outcome of OUTCOMES) this.eventsReceived.remove({ bus, outcome });
    this.ingestDuration.remove({ bus });
    this.routerLag.remove({ bus });
  }

  forgetRule(bus: string, rule: string): void {
    this.rules.delete(bus, rule);
    this.ruleMatches.remove({ bus, rule });
  }

  /** A target (or its rule) was deleted: every series of that (bus, rule, target) goes. */
  forgetTarget(key: TargetKey): void {
    this.targets.delete(key.bus, key.rule, key.target);
    const labels = { bus: key.bus, rule: key.rule, target: key.target };
    for (const outcome of ATTEMPT_OUTCOMES) this.deliveries.remove({ ...labels, outcome });
    for (const metric of [this.attemptDuration, this.deliveryLatency]) metric.remove(labels);
    for (const gauge of [this.backlog, this.dlq, this.circuitOpen]) gauge.remove(labels);
  }

  forgetSource(source: string): void {
    this.sources.delete(source);
    for (const outcome of OUTCOMES) this.sourceEvents.remove({ source, outcome });
  }

  private bus(bus: string): BusChildren {
    let children = this.buses.get(bus);
    if (!children) {
      children = { received: childrenByOutcome(this.eventsReceived, OUTCOMES, { bus }), ingest: this.ingestDuration.labels({ bus }) };
      this.buses.set(bus, children);
    }
    return children;
  }

  private target(key: TargetKey): TargetChildren {
    let children = this.targets.get(key.bus, key.rule, key.target);
    if (!children) {
      const labels = { bus: key.bus, rule: key.rule, target: key.target };
      // Exported from the first attempt on with every bucket, even before a success.
      this.attemptDuration.zero(labels);
      this.deliveryLatency.zero(labels);
      children = {
        deliveries: childrenByOutcome(this.deliveries, ATTEMPT_OUTCOMES, labels),
        attempt: this.attemptDuration.labels(labels),
        latency: this.deliveryLatency.labels(labels),
      };
      this.targets.set(key.bus, key.rule, key.target, children);
    }
    return children;
  }
}

/**
 * The children of every outcome at once: an outcome that has not happened yet is exported as 0, so a
 * `rate()` or an alert sees the series from the start instead of a gap.
 */
function childrenByOutcome<O extends string>(counter: Counter<string>, outcomes: readonly O[], labels: Record<string, string>): Record<O, Counter.Internal> {
  const children = {} as Record<O, Counter.Internal>;
  for (const outcome of outcomes) {
    children[outcome] = counter.labels({ ...labels, outcome });
    children[outcome].inc(0);
  }
  return children;
}
