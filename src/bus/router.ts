/**
 * The router: reads each bus's log in order, runs the bus's matchers once per event, and enqueues
 * one delivery per (event, rule, target) in the same transaction that advances its cursor
 * (issue 4, item 2) — a crash neither loses nor doubles a delivery.
 */
import { createFilterMatcher, type FilterMatcher } from '../patterns/filters.js';
import type { RuleRecord, View } from '../rules/types.js';
import type { DeliveryQueue, EvaluationError, EventLog, TargetKey } from '../store/index.js';
import type { StoredEvent } from '../events/types.js';
import { viewOf, type ViewContext } from './views.js';
import type { EventCache } from './event-cache.js';
import type { Metrics } from '../observe/index.js';

const PAGE = 500;
/** Past this many unrouted recent events the router stops buffering and reads from the store. */
const MAX_RECENT = 10_000;

interface BusRouting {
  rules: Map<string, RuleRecord>;
  /** Events just committed (from the log's notification), so routing needs no read-back. */
  recent: StoredEvent[];
  matchers: Record<View, FilterMatcher>;
  counts: Record<View, number>;
  unsubscribe: () => void;
  running: boolean;
  again: boolean;
}

export interface RouterDeps {
  events: EventLog;
  deliveries: DeliveryQueue;
  viewContext: ViewContext;
  /** Routed events that got deliveries go here, for the runners. */
  cache?: EventCache;
  /** Told which targets got new deliveries. */
  onEnqueued(keys: TargetKey[]): void;
  /** Told of deliveries enqueued dead (a disabled target), so that each dead letter is logged. */
  onDeadLetters?(letters: Array<TargetKey & { sequence: number; eventId: string; reason: string }>): void;
  onError(error: unknown, bus: string): void;
  /** Counts rule matches and enqueued deliveries once their transaction committed (issue 15). */
  metrics?: Pick<Metrics, 'routed'>;
}

export class Router {
  private readonly buses = new Map<string, BusRouting>();
  private stopped = false;

  constructor(private readonly deps: RouterDeps) {}

  /** Loads the rules present at start-up and routes whatever the log holds past each cursor. */
  async start(rules: RuleRecord[]): Promise<void> {
    for (const rule of rules) this.attach(rule.bus).rules.set(rule.name, rule);
    for (const [bus, routing] of this.buses) {
      for (const rule of routing.rules.values()) this.index(routing, undefined, rule);
      this.kick(bus);
    }
  }

  /** A rule was saved or deleted: update the matchers in place; ingest does not pause. */
  async applyRule(bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined): Promise<void> {
    let routing = this.buses.get(bus);
    if (!routing) {
      if (!after) return;
      // The first rule of a bus applies from here on, not to the history already on the bus.
      const head = await this.deps.events.head(bus);
      if ((await this.deps.deliveries.cursor(bus)) < head) await this.deps.deliveries.enqueue(bus, head, []);
      routing = this.attach(bus);
    }
    this.index(routing, before, after);
    if (after) routing.rules.set(after.name, after);
    else if (before) routing.rules.delete(before.name);
  }

  forgetBus(bus: string): void {
    this.buses.get(bus)?.unsubscribe();
    this.buses.delete(bus);
  }

  stop(): void {
    this.stopped = true;
    for (const routing of this.buses.values()) routing.unsubscribe();
  }

  kick(bus: string): void {
    const routing = this.buses.get(bus);
    if (!routing || this.stopped) return;
    if (routing.running) {
      routing.again = true;
      return;
    }
    routing.running = true;
    this.route(bus, routing)
      .catch((error: unknown) => this.deps.onError(error, bus))
      .finally(() => {
        routing.running = false;
        if (routing.again && !this.stopped) {
          routing.again = false;
          this.kick(bus);
        }
      });
  }

  private attach(bus: string): BusRouting {
    const existing = this.buses.get(bus);
    if (existing) return existing;
    const created: BusRouting = {
      rules: new Map(),
      recent: [],
      matchers: { cloudevent: createFilterMatcher(), eventbridge: createFilterMatcher() },
      counts: { cloudevent: 0, eventbridge: 0 },
      unsubscribe: this.deps.events.subscribe(bus, (events) => {
        if (created.recent.length < MAX_RECENT) created.recent.push(...events);
        this.kick(bus);
      }),
      running: false,
      again: false,
    };
    this.buses.set(bus, created);
    return created;
  }

  /** The next events after `cursor` from the recent buffer, when it holds them in order. */
  private fromRecent(routing: BusRouting, cursor: number): StoredEvent[] | undefined {
    const recent = routing.recent;
    let skip = 0;
    while (skip < recent.length && recent[skip].sequence <= cursor) skip++;
    if (skip > 0) recent.splice(0, skip);
    if (recent.length === 0 || recent[0].sequence !== cursor + 1) {
      recent.length = 0; // a gap (or a full buffer): read from the store from here on
      return undefined;
    }
    let n = 1;
    while (n < recent.length && n < PAGE && recent[n].sequence === recent[n - 1].sequence + 1) n++;
    return recent.splice(0, n);
  }

  private index(routing: BusRouting, before: RuleRecord | undefined, after: RuleRecord | undefined): void {
    if (before && before.state === 'enabled') {
      routing.matchers[before.view].remove(before.name);
      routing.counts[before.view]--;
    }
    // Disabled rules are not in the matcher: their events are filtered by the rule's state.
    if (after && after.state === 'enabled') {
      routing.matchers[after.view].add(after.name, after.filter);
      routing.counts[after.view]++;
    }
  }

  private async route(bus: string, routing: BusRouting): Promise<void> {
    for (;;) {
      const cursor = await this.deps.deliveries.cursor(bus);
      const page = this.fromRecent(routing, cursor) ?? (await this.deps.events.read(bus, cursor, PAGE));
      if (page.length === 0 || this.stopped) return;
      const deliveries: Parameters<DeliveryQueue['enqueue']>[2] = [];
      const keys = new Map<string, TargetKey>();
      const errors: EvaluationError[] = [];
      const dead: Array<TargetKey & { sequence: number; eventId: string; reason: string }> = [];
      const matches: string[] = [];
      for (const stored of page) {
        const eventAt = Date.parse(stored.receivedAt);
        for (const view of ['cloudevent', 'eventbridge'] as const) {
          if (routing.counts[view] === 0) continue;
          const { matched, errors: failed } = routing.matchers[view].matchDetailed(viewOf(stored, view, this.deps.viewContext));
          for (const { ruleId, message } of failed) errors.push({ sequence: stored.sequence, rule: ruleId, message });
          for (const name of matched) {
            const rule = routing.rules.get(name);
            if (!rule) continue;
            matches.push(name);
            if (rule.targets.length > 0) this.deps.cache?.put(bus, stored);
            for (const target of rule.targets) {
              const disabled = (target as { disabled?: unknown }).disabled;
              deliveries.push({
                sequence: stored.sequence,
                eventAt,
                rule: name,
                target: target.id,
                ...(disabled ? { state: 'dead' as const, reason: 'target-disabled' } : {}),
              });
              if (!disabled) keys.set(`${name}\u0000${target.id}`, { bus, rule: name, target: target.id });
              else dead.push({ bus, rule: name, target: target.id, sequence: stored.sequence, eventId: stored.event.id, reason: 'target-disabled' });
            }
          }
        }
      }
      // An event no rule matched is routed all the same: the cursor (and its route mark, the time)
      // moves past it, so its trace says "routed, no rule matched" (issue 10, item 4).
      await this.deps.deliveries.enqueue(bus, page[page.length - 1].sequence, deliveries, errors);
      this.deps.metrics?.routed(bus, matches, deliveries);
      if (keys.size > 0) this.deps.onEnqueued([...keys.values()]);
      if (dead.length > 0) this.deps.onDeadLetters?.(dead);
    }
  }
}
