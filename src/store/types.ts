/**
 * The storage contract, written as semantics (STYLE.md habit 3). Every engine (sqlite today; NATS
 * JetStream and PostgreSQL later, issue 12) implements these interfaces and passes the same
 * conformance suite (test/store/conformance.ts). No connection, statement or transaction type of an
 * engine appears here, and nothing outside `src/store/<engine>/` imports from an engine
 * (test/store/seam.test.ts): the rest of Herald sees only this file, and `openStore` (index.ts)
 * picks the engine.
 *
 * Errors every engine reports the same way, as HeraldError codes (never as its driver's errors):
 * - HERALD_STORE_FULL: a write found no space (a full disk, or the size cap); nothing of that call
 *   was written. The API answers 507.
 * - HERALD_STORE_UNAVAILABLE: the store could not commit or is closed; nothing of that call was
 *   acknowledged. The API answers 503.
 * - HERALD_BUS_NOT_FOUND for a method given an unknown bus, unless the method says otherwise.
 */
import type { CloudEvent, StoredEvent } from '../events/types.js';

export interface BusRecord {
  name: string;
  description: string;
  createdAt: string;
  /** How long events are kept, in ms. */
  retentionMs: number;
  /** How long a (source, id) pair is remembered for dedupe, in ms (at most as long as the event is retained). */
  dedupeWindowMs: number;
}

export interface BusSettings {
  description?: string;
  retentionMs?: number;
  dedupeWindowMs?: number;
}

/** The outcome of appending one event: its bus sequence, and whether it was already stored. */
export interface AppendResult {
  sequence: number;
  duplicate: boolean;
}

export interface BusStore {
  /** Creates a bus. Throws HERALD_BUS_EXISTS when the name is taken. */
  create(name: string, settings?: BusSettings): Promise<BusRecord>;
  /** Updates description, retention or dedupe window. Throws HERALD_BUS_NOT_FOUND. */
  update(name: string, settings: BusSettings): Promise<BusRecord>;
  get(name: string): Promise<BusRecord | undefined>;
  /** Every bus, sorted by name; `default` always exists. */
  list(): Promise<BusRecord[]>;
  /**
   * Deletes a bus and all its events. Refuses `default` (HERALD_BUS_PROTECTED). The caller checks
   * rules (HERALD_BUS_NOT_EMPTY) before calling.
   */
  delete(name: string): Promise<void>;
  /**
   * The bus's identity: a number no other bus ever had or will have — a bus deleted and made again
   * under the same name gets a new one (issue 11, item 2). In-memory state about a bus (event
   * caches, router buffers) is keyed by it, never by the name. Undefined when there is no such bus.
   */
  identity(name: string): number | undefined;
  /** Calls `listener` after each bus deletion (its name and identity); returns an unsubscribe function. */
  onDeleted(listener: (bus: { name: string; identity: number }) => void): () => void;
}

export interface EventLog {
  /**
   * Appends events to a bus, in order. Resolves only after the events are durably committed (they
   * survive a process crash and a power loss); rejects with HERALD_STORE_FULL when there is no
   * space, HERALD_BUS_NOT_FOUND for an unknown bus — and then nothing of this call was stored.
   * An event whose (source, id) was appended to the same bus within the dedupe window is not stored
   * again: its result carries the original sequence and `duplicate: true`.
   * Sequences are per bus, start at 1 and increase by one per stored event. Concurrent calls share
   * commits (group commit); their relative order is the order of the calls.
   */
  append(bus: string, events: CloudEvent[]): Promise<AppendResult[]>;
  /**
   * Events with sequence > `after`, in sequence order, at most `limit`, and no more than `maxBytes`
   * of event JSON (default READ_MAX_BYTES) — but always at least one event when there is one: a page
   * of large events stops early (issue 11, item 3). A reader that continues from the last sequence
   * it got (`after` = that sequence; read, SSE tail, the router) sees every committed event exactly
   * once: an engine never lets an event with a lower sequence become readable after one with a
   * higher sequence was (sequences follow commit order).
   */
  read(bus: string, after: number, limit: number, maxBytes?: number): Promise<StoredEvent[]>;
  /** One event by sequence, or by (source, id); undefined once retention deleted it. */
  get(bus: string, sequence: number): Promise<StoredEvent | undefined>;
  findById(bus: string, source: string, id: string): Promise<StoredEvent | undefined>;
  /** The highest sequence committed on the bus (0 when none yet). */
  head(bus: string): Promise<number>;
  /**
   * Calls `listener` after each durable commit that stored events on `bus`, with those events in
   * sequence order; returns an unsubscribe function. A wake-up only: a listener that misses one
   * (or subscribes late) still finds the events with `read`. The subscription is to this bus's
   * identity: when the bus is deleted it ends (`onGone` is called) and it never hears of a new bus
   * made under the same name.
   */
  subscribe(bus: string, listener: (events: StoredEvent[]) => void, onGone?: () => void): () => void;
  /** The length of the JSON text of an event this log returned or notified, if it knows it (saves measuring it again). */
  sizeOf?(stored: StoredEvent): number | undefined;
}

/** Stored sources: one JSON document per name (src/sources/types.ts SourceRecord), validated before it gets here. */
export interface SourceTable {
  /** Every source, by name. */
  list(): Promise<unknown[]>;
  get(name: string): Promise<unknown | undefined>;
  /** Creates or replaces the source's document; durable when it resolves. */
  put(name: string, doc: unknown): Promise<void>;
  /** True when a source was deleted. */
  delete(name: string): Promise<boolean>;
}

/** A stored connection (named credentials); `secrets` as src/sources/connections.ts stores them. */
export interface ConnectionRow {
  name: string;
  type?: string;
  description: string;
  secrets: Record<string, string>;
  updatedAt: string;
}

/** Stored connections, validated before they get here. */
export interface ConnectionTable {
  /** Every connection, by name. */
  list(): Promise<ConnectionRow[]>;
  get(name: string): Promise<ConnectionRow | undefined>;
  /** Creates or replaces the connection named `row.name`; durable when it resolves. */
  put(row: ConnectionRow): Promise<void>;
  /** True when a connection was deleted. */
  delete(name: string): Promise<boolean>;
}

/**
 * One control-plane write of `Store.applyState`. Each has the meaning (and the refusals) of the
 * single method it names: `bus create` is `BusStore.create`, `rule put` is `RuleStore.put`, and so on.
 */
export type StateChange =
  | { kind: 'bus'; action: 'create'; bus: string; settings: BusSettings }
  | { kind: 'bus'; action: 'update'; bus: string; settings: BusSettings }
  | { kind: 'bus'; action: 'delete'; bus: string }
  | { kind: 'rule'; action: 'put'; bus: string; name: string; doc: unknown }
  | { kind: 'rule'; action: 'delete'; bus: string; name: string }
  | { kind: 'source'; action: 'put'; name: string; doc: unknown }
  | { kind: 'source'; action: 'delete'; name: string }
  | { kind: 'connection'; action: 'put'; row: ConnectionRow }
  | { kind: 'connection'; action: 'delete'; name: string };

export interface Store {
  buses: BusStore;
  events: EventLog;
  rules: RuleStore;
  deliveries: DeliveryQueue;
  sources: SourceTable;
  connections: ConnectionTable;
  /**
   * Applies `changes` in order, all or nothing (POST /v1/apply, issue 10 item 6): when it resolves,
   * every change is durably committed and visible to every reader at once; when it rejects (the
   * first refused change's error, HERALD_STORE_FULL, HERALD_STORE_UNAVAILABLE…), none of them was
   * made and no reader ever saw part of them. A later change sees the earlier ones (a rule may be
   * put on a bus created before it in the same list). Concurrent calls do not interleave.
   */
  applyState(changes: StateChange[]): Promise<void>;
  /**
   * Deletes expired events (and their dedupe entries) of every bus, in small steps that do not
   * block ingest; resolves with what it deleted. Safe to run at any time and more than once.
   */
  sweep(now?: number): Promise<{ eventsDeleted: number; dedupeDeleted: number }>;
  /**
   * Sets the size cap (`--max-store-size`; undefined: none) at run time. Writes that would pass it
   * reject with HERALD_STORE_FULL and store nothing; raising the cap lets a full store accept
   * writes again. An engine never shrinks what is stored to meet a lower cap.
   */
  setMaxBytes(maxBytes: number | undefined): void;
  /**
   * How many bytes the engine may spend caching stored data in this process (its share of
   * `--memory-budget`, issue 11 item 3). An engine without such a cache ignores it.
   */
  setCacheBytes(bytes: number): void;
  /**
   * Whether the store can commit now (readiness, issue 15 item 4): a real write that is then undone,
   * so nothing stays. Rejects with HERALD_STORE_FULL when a write would not fit, or
   * HERALD_STORE_UNAVAILABLE once closed or broken.
   */
  probeWrite(): Promise<void>;
  /**
   * Commits what is pending (every acknowledged append stays acknowledged), then closes. Appends
   * after close reject with HERALD_STORE_UNAVAILABLE. Idempotent.
   */
  close(): Promise<void>;
}

export const DEFAULT_BUS = 'default';
/** Bytes of event JSON one read returns at most, unless the caller asks for less. */
export const READ_MAX_BYTES = 16 * 1024 * 1024;
export const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;

/** Rules as stored documents; the rules service validates before it calls these. */
export interface RuleStore {
  /** The bus's rules, by name. */
  list(bus: string): Promise<unknown[]>;
  get(bus: string, name: string): Promise<unknown | undefined>;
  /** Creates or replaces the rule's document; durable when it resolves. */
  put(bus: string, name: string, doc: unknown): Promise<void>;
  /** True when a rule was deleted. */
  delete(bus: string, name: string): Promise<boolean>;
  /** Every bus's rules, for the data plane at start-up. */
  all(): Promise<Array<{ bus: string; doc: unknown }>>;
}

/**
 * A delivery in flight is still `pending`: a lease is not a state. A lease ends with `record` or
 * `release`, or when its holder dies (the SQLite engine keeps leases in memory, as the store is its
 * process's own), and the delivery is then due again as it was.
 */
export const DELIVERY_STATES = ['pending', 'delivered', 'dead', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface TargetKey {
  bus: string;
  rule: string;
  target: string;
}

/** One redrive of a delivery out of the dead-letter queue (issue 10, item 3). */
export interface RedriveRecord {
  /** When (ms). */
  at: number;
  /** The API key that asked for it; null until API keys exist. */
  by: string | null;
  /** The dead letter's reason when it was redriven. */
  reason: string | null;
  from: { rule: string; target: string };
  to: { rule: string; target: string };
}

export interface DeliveryRecord extends TargetKey {
  id: number;
  sequence: number;
  state: DeliveryState;
  /** Every attempt made, as the attempt log shows them (429s and attempts before a redrive included). */
  attempts: number;
  /** Attempts the retry policy counts: since the delivery was made or last redriven, 429s excluded. */
  spent: number;
  nextAt: number;
  /** When the bus stored the event (ms). */
  eventAt: number;
  /** Where the retry policy's max age counts from (ms): `eventAt`, or the last redrive. */
  budgetAt: number;
  createdAt: number;
  updatedAt: number;
  reason: string | null;
  lastError: string | null;
  lastStatus: number | null;
  /** Oldest first. */
  redrives: RedriveRecord[];
}

export interface AttemptRecord {
  attempt: number;
  at: number;
  latencyMs: number;
  outcome: 'delivered' | 'retry' | 'dead' | 'throttled';
  status: number | null;
  error: string | null;
}

/** The outcome of one attempt, written with its attempt row in one transaction. */
export type AttemptResult =
  | { state: 'delivered' }
  | { state: 'pending'; nextAt: number }
  | { state: 'dead'; reason: string };

export interface EvaluationError {
  sequence: number;
  rule: string;
  message: string;
}

export interface DeliveryFilter {
  rule?: string;
  target?: string;
  ids?: number[];
}

/**
 * The delivery queue: the backlog lives here, never unbounded in memory (invariant 5).
 *
 * Durability: `enqueue` and `record` need not be durable when they resolve (SQLite commits them
 * without an fsync of their own, see sqlite/open.ts `relaxed`), but a crash may only lose the last
 * few of them whole, never tear one: a lost enqueue loses its cursor move with it, so the router
 * routes those events again; a lost `delivered` means one more attempt, which at-least-once allows
 * and the idempotency key (`webhook-id`) absorbs.
 */
export interface DeliveryQueue {
  /** Router cursor of a bus (0 when it never ran). */
  cursor(bus: string): Promise<number>;
  /**
   * Enqueues deliveries for events up to `toSequence` and moves the cursor there, in one
   * transaction: a crash neither loses nor doubles a delivery (issue 4, item 2).
   */
  enqueue(
    bus: string,
    toSequence: number,
    deliveries: Array<{ sequence: number; eventAt: number; rule: string; target: string; state?: 'pending' | 'dead'; reason?: string }>,
    evaluationErrors?: EvaluationError[],
  ): Promise<void>;
  /** Filters that failed to evaluate on this event (so did not match it), for its trace, in the order the router met them. */
  evaluationErrors(bus: string, sequence: number): Promise<EvaluationError[]>;
  /** Leases up to `limit` due pending deliveries of one target (not leased already), oldest due first, until recorded. */
  lease(key: TargetKey, now: number, limit: number): Promise<DeliveryRecord[]>;
  /** Earliest `nextAt` of the target's pending deliveries, if any. */
  nextDue(key: TargetKey): Promise<number | undefined>;
  /**
   * Records one attempt and the delivery's new state, then ends the lease. When it rejects (a full
   * disk) nothing was written and the lease is kept, so the delivery is not leased (sent) again
   * while its outcome is unwritten: the caller retries the record, or gives the lease back.
   * An attempt with outcome `throttled` (a 429) is logged but not counted in `spent`.
   */
  record(id: number, attempt: Omit<AttemptRecord, 'attempt'> & { status: number | null }, result: AttemptResult): Promise<void>;
  /** Ends a lease without recording anything: the delivery is due again as it was. */
  release(id: number): void;
  /**
   * Pending deliveries of a target (leased ones too) become `state` with `reason` (cancelled, or
   * dead when the target is gone); resolves with the deliveries it settled.
   */
  settleTarget(key: TargetKey, state: 'cancelled' | 'dead', reason: string): Promise<DeliveryRecord[]>;
  /**
   * When the router moved past `sequence` (ms): the event was matched then, with or without a
   * match. Undefined when it has not yet, or did before this was recorded (stores before 0005).
   */
  routedAt(bus: string, sequence: number): Promise<number | undefined>;
  get(bus: string, id: number): Promise<DeliveryRecord | undefined>;
  /** The delivery's attempts, oldest first, numbered from 1. */
  attempts(id: number): Promise<AttemptRecord[]>;
  /** The deliveries made for one event, by id. */
  forEvent(bus: string, sequence: number): Promise<DeliveryRecord[]>;
  /** Dead letters of a bus matching the filter, by id, with id > `after`, at most `limit` (a cursor page). */
  dead(bus: string, filter: DeliveryFilter, after: number, limit: number): Promise<DeliveryRecord[]>;
  /**
   * Dead letters matching the filter go back to pending, optionally to another rule/target, with a
   * fresh retry budget (`spent` 0, max age counted from now); each gets a RedriveRecord naming `by`.
   */
  redrive(bus: string, filter: DeliveryFilter, to?: { rule: string; target: string }, by?: string | null): Promise<{ count: number; targets: TargetKey[] }>;
  /** Deletes the dead letters matching the filter (with their attempts); resolves with how many. */
  purge(bus: string, filter: DeliveryFilter): Promise<number>;
  /** How many deliveries of the bus are in each state (0 for a state with none). */
  counts(bus: string): Promise<Record<DeliveryState, number>>;
  /**
   * Pending and dead deliveries per (rule, target) of a bus; targets with neither are left out. One
   * grouped read, for the metrics' periodic correction (issue 15), not for every scrape.
   */
  targetCounts(bus: string): Promise<Array<{ rule: string; target: string; pending: number; dead: number }>>;
}
