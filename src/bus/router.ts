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
import { BytePool, EventSizes } from './memory-budget.js';
import type { Metrics } from '../observe/index.js';

const PAGE = 500;

interface BusRouting {
  rules: Map<string, RuleRecord>;
  /**
   * Events just committed (from the log's notification), so routing needs no read-back. Bounded by
   * the shared `recentBytes` pool: when it is spent, events are dropped here and read from the store.
   */
  recent: StoredEvent[];
  recentBytes: number;
  /** Set once the bus is deleted (or the router stops): a routing in progress stops at its next step. */
  closed: boolean;
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
  /** Byte bounds of the router's buffers (issue 11, item 3); unset: 40 MiB of recent events, 16 MiB pages. */
  memory?: { recentBytes: number; pageBytes: number; sizes: EventSizes };
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
  private readonly recentPool: BytePool;
  private readonly pageBytes: number;
  private readonly sizes: EventSizes;

  constructor(private readonly deps: RouterDeps) {
    this.recentPool = new BytePool(deps.memory?.recentBytes ?? 40 * 1024 * 1024);
    this.pageBytes = deps.memory?.pageBytes ?? 16 * 1024 * 1024;
    this.sizes = deps.memory?.sizes ?? new EventSizes();
  }

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

  /**
   * The bus was deleted: its matchers, rules and buffered events go with it (issue 11, item 2), so a
   * bus made again under the name starts from nothing.
   */
  forgetBus(bus: string): void {
    const routing = this.buses.get(bus);
    if (routing) this.close(bus, routing);
  }

  stop(): void {
    this.stopped = true;
    for (const [bus, routing] of [...this.buses]) this.close(bus, routing);
  }

  private close(bus: string, routing: BusRouting): void {
    routing.closed = true;
    routing.unsubscribe();
    this.dropRecent(routing);
    if (this.buses.get(bus) === routing) this.buses.delete(bus);
  }

  private dropRecent(routing: BusRouting): void {
    routing.recent.length = 0;
    this.recentPool.give(routing.recentBytes);
    routing.recentBytes = 0;
  }

  private takeRecent(routing: BusRouting, count: number): StoredEvent[] {
    const taken = routing.recent.splice(0, count);
    let bytes = 0;
    for (const stored of taken) bytes += this.sizes.of(stored);
    this.recentPool.give(bytes);
    routing.recentBytes -= bytes;
    return taken;
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
      recentBytes: 0,
      closed: false,
      matchers: { cloudevent: createFilterMatcher(), eventbridge: createFilterMatcher() },
      counts: { cloudevent: 0, eventbridge: 0 },
      unsubscribe: () => undefined,
      running: false,
      again: false,
    };
    created.unsubscribe = this.deps.events.subscribe(
      bus,
      (events) => {
        for (const stored of events) {
          const bytes = this.sizes.of(stored);
          // Out of buffer: drop these; the gap sends the router to the store, which holds them.
          if (!this.recentPool.tryTake(bytes)) break;
          created.recent.push(stored);
          created.recentBytes += bytes;
        }
        this.kick(bus);
      },
      () => this.close(bus, created),
    );
    this.buses.set(bus, created);
    return created;
  }

  /** The next events after `cursor` from the recent buffer, when it holds them in order. */
  private fromRecent(routing: BusRouting, cursor: number): StoredEvent[] | undefined {
    const recent = routing.recent;
    let skip = 0;
    while (skip < recent.length && recent[skip].sequence <= cursor) skip++;
    if (skip > 0) this.takeRecent(routing, skip);
    if (recent.length === 0 || recent[0].sequence !== cursor + 1) {
      this.dropRecent(routing); // a gap (or a full buffer): read from the store from here on
      return undefined;
    }
    let n = 1;
    while (n < recent.length && n < PAGE && recent[n].sequence === recent[n - 1].sequence + 1) n++;
    return this.takeRecent(routing, n);
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
      if (routing.closed) return;
      const cursor = await this.deps.deliveries.cursor(bus);
      if (routing.closed) return;
      const page = this.fromRecent(routing, cursor) ?? (await this.deps.events.read(bus, cursor, PAGE, this.pageBytes));
      // A deleted bus's routing must not move the cursor of a bus made again under its name.
      if (page.length === 0 || this.stopped || routing.closed) return;
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
