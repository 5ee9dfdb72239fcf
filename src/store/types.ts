/**
 * The storage contract, written as semantics (STYLE.md habit 3). Every engine (sqlite today; NATS
 * JetStream and PostgreSQL later) implements these interfaces and passes the same conformance suite
 * (test/store/conformance.ts). No connection or transaction type leaks through.
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
  list(): Promise<BusRecord[]>;
  /**
   * Deletes a bus and all its events. Refuses `default` (HERALD_BUS_PROTECTED). The caller checks
   * rules (HERALD_BUS_NOT_EMPTY) before calling.
   */
  delete(name: string): Promise<void>;
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
  /** Events with sequence > `after`, in order, at most `limit`. */
  read(bus: string, after: number, limit: number): Promise<StoredEvent[]>;
  /** One event by sequence, or by (source, id). */
  get(bus: string, sequence: number): Promise<StoredEvent | undefined>;
  findById(bus: string, source: string, id: string): Promise<StoredEvent | undefined>;
  /** The highest sequence stored on the bus (0 when none). */
  head(bus: string): Promise<number>;
  /** Calls `listener` after each commit that stored events on `bus`; returns an unsubscribe function. */
  subscribe(bus: string, listener: (events: StoredEvent[]) => void): () => void;
}

export interface Store {
  buses: BusStore;
  events: EventLog;
  /** Deletes expired events (and their dedupe entries), in small steps that do not block ingest. */
  sweep(now?: number): Promise<{ eventsDeleted: number; dedupeDeleted: number }>;
  /** Commits what is pending, then closes. Appends after close reject with HERALD_STORE_UNAVAILABLE. */
  close(): Promise<void>;
}

export const DEFAULT_BUS = 'default';
export const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;

/** Rules as stored documents; the rules service validates before it calls these. */
export interface RuleStore {
  list(bus: string): Promise<unknown[]>;
  get(bus: string, name: string): Promise<unknown | undefined>;
  put(bus: string, name: string, doc: unknown): Promise<void>;
  delete(bus: string, name: string): Promise<boolean>;
  /** Every bus's rules, for the data plane at start-up. */
  all(): Promise<Array<{ bus: string; doc: unknown }>>;
}

/** A delivery in flight is still `pending` in the store: leases live in memory (the store is this process's own). */
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
  /** Filters that failed to evaluate on this event (so did not match it), for its trace. */
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
  attempts(id: number): Promise<AttemptRecord[]>;
  forEvent(bus: string, sequence: number): Promise<DeliveryRecord[]>;
  /** Dead letters of a bus, by id, after `after`. */
  dead(bus: string, filter: DeliveryFilter, after: number, limit: number): Promise<DeliveryRecord[]>;
  /**
   * Dead letters matching the filter go back to pending, optionally to another rule/target, with a
   * fresh retry budget (`spent` 0, max age counted from now); each gets a RedriveRecord naming `by`.
   */
  redrive(bus: string, filter: DeliveryFilter, to?: { rule: string; target: string }, by?: string | null): Promise<{ count: number; targets: TargetKey[] }>;
  purge(bus: string, filter: DeliveryFilter): Promise<number>;
  counts(bus: string): Promise<Record<DeliveryState, number>>;
  /**
   * Pending and dead deliveries per (rule, target) of a bus; targets with neither are left out. One
   * grouped read, for the metrics' periodic correction (issue 15), not for every scrape.
   */
  targetCounts(bus: string): Promise<Array<{ rule: string; target: string; pending: number; dead: number }>>;
}
