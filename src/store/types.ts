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
