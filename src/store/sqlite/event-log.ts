import type { Statement } from 'better-sqlite3';
import { busNotFound, HeraldError } from '../../errors/index.js';
import { storeError } from './classify.js';
import type { CloudEvent, StoredEvent } from '../../events/types.js';
import { READ_MAX_BYTES, type AppendResult, type EventLog } from '../types.js';
import type { CachedBus, SqliteBuses } from './buses.js';
import { GroupCommitter } from './group-commit.js';
import { closeSync, fsync, openSync } from 'node:fs';
import { relaxed, type Db } from './open.js';

interface AppendItem {
  bus: string;
  events: CloudEvent[];
}

interface EventRow {
  seq: number;
  received_at: number;
  body: string;
}

type Listener = (events: StoredEvent[]) => void;
interface Subscription {
  listener: Listener;
  onGone: (() => void) | undefined;
}

export class SqliteEventLog implements EventLog {
  private readonly lastSeq = new Map<number, number>();
  /** Subscribers per bus identity (not name: a bus made again under a deleted one's name is another bus). */
  private readonly listeners = new Map<number, Set<Subscription>>();
  private readonly committer: GroupCommitter<AppendItem, AppendResult[]>;
  /** The JSON length of events this log made (committed or read), so nobody serialises them again to measure them. */
  private readonly sizes = new WeakMap<StoredEvent, number>();
  private lastReceivedAt = 0;
  private closed = false;
  private readonly sql: {
    claim: Statement;
    existing: Statement;
    insert: Statement;
    read: Statement;
    getOne: Statement;
    maxSeq: Statement;
  };

  private walFd: number | undefined;
  /** The fsync under way, and the one that will follow it for commits made meanwhile. */
  private fsyncRunning: Promise<void> | undefined;
  private fsyncNext: Promise<void> | undefined;
  /** Events of each committed group, waiting for its fsync before listeners hear of them. */
  private readonly committed: Array<Map<number, StoredEvent[]>> = [];

  constructor(
    private readonly db: Db,
    private readonly buses: SqliteBuses,
    private readonly walFile: string,
  ) {
    this.sql = {
      // Claims (source, id) for this event; an entry older than the window is reclaimed. One row
      // changed means the event is new; none means a duplicate within the window.
      claim: db.prepare(`INSERT INTO dedupe (bus_id, source, id, seq, at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (bus_id, source, id) DO UPDATE SET seq = excluded.seq, at = excluded.at WHERE dedupe.at < ?`),
      existing: db.prepare('SELECT seq FROM dedupe WHERE bus_id = ? AND source = ? AND id = ?').pluck(),
      insert: db.prepare('INSERT INTO events (bus_id, seq, received_at, source, id, body) VALUES (?, ?, ?, ?, ?, ?)'),
      read: db.prepare('SELECT seq, received_at, body FROM events WHERE bus_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      getOne: db.prepare('SELECT seq, received_at, body FROM events WHERE bus_id = ? AND seq = ?'),
      maxSeq: db.prepare('SELECT MAX(seq) FROM events WHERE bus_id = ?').pluck(),
    };
    this.committer = new GroupCommitter(
      (items) => this.commit(items),
      5000,
      () => this.durable(),
      (durable) => {
        const stored = this.committed.shift();
        // Nothing leaves Herald before it is durable; without the fsync, the router finds these
        // events in the log later (they are committed) instead of hearing of them now.
        if (durable) for (const [bus, events] of stored ?? []) this.notify(bus, events);
      },
    );
  }

  async append(bus: string, events: CloudEvent[]): Promise<AppendResult[]> {
    if (this.closed) throw new HeraldError('HERALD_STORE_UNAVAILABLE', 'the store is closed');
    this.buses.require(bus);
    if (events.length === 0) return [];
    return this.committer.submit({ bus, events });
  }

  async read(bus: string, after: number, limit: number, maxBytes = READ_MAX_BYTES): Promise<StoredEvent[]> {
    const { id } = this.buses.require(bus);
    const page: StoredEvent[] = [];
    let bytes = 0;
    // Row by row, so that a page of large events stops at maxBytes instead of parsing `limit` of them.
    for (const row of this.sql.read.iterate(id, after, limit) as IterableIterator<EventRow>) {
      if (page.length > 0 && bytes + row.body.length > maxBytes) break;
      bytes += row.body.length;
      const stored = toStored(row);
      this.sizes.set(stored, row.body.length);
      page.push(stored);
    }
    return page;
  }

  async get(bus: string, sequence: number): Promise<StoredEvent | undefined> {
    const row = this.sql.getOne.get(this.buses.require(bus).id, sequence) as EventRow | undefined;
    return row && toStored(row);
  }

  async findById(bus: string, source: string, id: string): Promise<StoredEvent | undefined> {
    const busId = this.buses.require(bus).id;
    const seq = this.sql.existing.get(busId, source, id) as number | undefined;
    if (seq === undefined) return undefined;
    return this.get(bus, seq);
  }

  /** The JSON length of an event this log handed out, when it knows it. */
  sizeOf(stored: StoredEvent): number | undefined {
    return this.sizes.get(stored);
  }

  async head(bus: string): Promise<number> {
    return this.sequenceOf(this.buses.require(bus));
  }

  subscribe(bus: string, listener: Listener, onGone?: () => void): () => void {
    const { id } = this.buses.require(bus);
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    const subscription = { listener, onGone };
    set.add(subscription);
    return () => {
      set.delete(subscription);
      if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  /** The bus was deleted: its sequence counter and its subscriptions end with it. */
  forgetBus(bus: CachedBus): void {
    this.lastSeq.delete(bus.id);
    const subscriptions = this.listeners.get(bus.id);
    this.listeners.delete(bus.id);
    for (const { onGone } of subscriptions ?? []) {
      try {
        onGone?.();
      } catch {
        // One subscriber's fault must not keep the others from hearing of the deletion.
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.committer.drained();
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
  }

  /**
   * Makes every commit so far durable: an fsync of the WAL file on libuv's thread pool. Commits
   * themselves skip SQLite's own fsync (synchronous=NORMAL), so the event loop never waits on the
   * disk; an append is answered only after this fsync (issue 2: an acknowledged event survives a
   * power loss). WAL frames carry checksums, so after a power loss SQLite recovers exactly the
   * commits that reached the disk, in order.
   */
  private durable(): Promise<void> {
    // One fsync at a time; commits made while it runs share the next one (group commit, again).
    if (!this.fsyncRunning) return (this.fsyncRunning = this.fsyncOnce(() => (this.fsyncRunning = undefined)));
    this.fsyncNext ??= this.fsyncRunning.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.fsyncNext;
  }

  private startNext(): Promise<void> {
    this.fsyncNext = undefined;
    return (this.fsyncRunning = this.fsyncOnce(() => (this.fsyncRunning = undefined)));
  }

  private fsyncOnce(done: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.walFd ??= openSync(this.walFile, 'r+');
      fsync(this.walFd, (error) => {
        done();
        if (error) reject(translateStoreError(error));
        else resolve();
      });
    });
  }


  private sequenceOf(bus: CachedBus): number {
    let seq = this.lastSeq.get(bus.id);
    if (seq === undefined) {
      seq = (this.sql.maxSeq.get(bus.id) as number | null) ?? 0;
      this.lastSeq.set(bus.id, seq);
    }
    return seq;
  }

  /** One transaction for a whole group of appends (see GroupCommitter). */
  private commit(items: AppendItem[]): Array<AppendResult[] | Error> {
    const now = Math.max(Date.now(), this.lastReceivedAt);
    const touched = new Map<number, number>();
    const stored = new Map<number, StoredEvent[]>();
    const receivedAt = new Date(now).toISOString();
    const run = this.db.transaction(() =>
      items.map((item): AppendResult[] | Error => {
        const bus = this.buses.cached(item.bus);
        if (!bus) return busNotFound(item.bus);
        if (!touched.has(bus.id)) touched.set(bus.id, this.sequenceOf(bus));
        const cutoff = now - bus.dedupeWindowMs;
        return item.events.map((event) => {
          const next = this.lastSeq.get(bus.id)! + 1;
          if (this.sql.claim.run(bus.id, event.source, event.id, next, now, cutoff).changes === 0) {
            return { sequence: this.sql.existing.get(bus.id, event.source, event.id) as number, duplicate: true };
          }
          const body = JSON.stringify(event);
          this.sql.insert.run(bus.id, next, now, event.source, event.id, body);
          this.lastSeq.set(bus.id, next);
          let list = stored.get(bus.id);
          if (!list) stored.set(bus.id, (list = []));
          const entry = { sequence: next, receivedAt, event };
          this.sizes.set(entry, body.length);
          list.push(entry);
          return { sequence: next, duplicate: false };
        });
      }),
    );
    let results: Array<AppendResult[] | Error>;
    try {
      results = relaxed(this.db, () => run.immediate());
    } catch (error) {
      // Nothing was committed: put the sequence counters back where they were.
      for (const [busId, seq] of touched) this.lastSeq.set(busId, seq);
      throw translateStoreError(error);
    }
    this.lastReceivedAt = now;
    this.committed.push(stored);
    return results;
  }

  private notify(busId: number, events: StoredEvent[]): void {
    for (const { listener } of this.listeners.get(busId) ?? []) {
      try {
        listener(events);
      } catch {
        // A listener's fault (a closed SSE socket) must not fail the commit that already happened.
      }
    }
  }
}

function toStored(row: EventRow): StoredEvent {
  return { sequence: row.seq, receivedAt: new Date(row.received_at).toISOString(), event: JSON.parse(row.body) as CloudEvent };
}

export function translateStoreError(error: unknown): Error {
  if (error instanceof HeraldError) return error;
  const full = storeError(error);
  if (full !== error) return full as Error;
  const message = error instanceof Error ? error.message : String(error);
  return new HeraldError('HERALD_STORE_UNAVAILABLE', `the store failed to commit: ${message}`);
}
