import type { Statement } from 'better-sqlite3';
import type { AttemptRecord, AttemptResult, DeliveryFilter, DeliveryQueue, DeliveryRecord, DeliveryState, EvaluationError, RedriveRecord, TargetKey } from '../types.js';
import type { SqliteBuses } from './buses.js';
import { relaxed, type Db } from './open.js';
import { GroupCommitter } from './group-commit.js';

interface Row {
  id: number;
  bus: string;
  seq: number;
  rule: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  spent: number;
  next_at: number;
  event_at: number;
  budget_at: number;
  created_at: number;
  updated_at: number;
  reason: string | null;
  last_error: string | null;
  last_status: number | null;
  redrives: string | null;
}

const OWN_COLUMNS = 'id, seq, rule, target, state, attempts, spent, next_at, event_at, budget_at, created_at, updated_at, reason, last_error, last_status, redrives';
const COLUMNS = `b.name AS bus, ${OWN_COLUMNS.split(', ').map((c) => `d.${c}`).join(', ')}`;
/** Route marks of a bus below its oldest event are pruned every this many router transactions. */
const PRUNE_MARKS_EVERY = 256;

interface RecordItem {
  id: number;
  attempt: Omit<AttemptRecord, 'attempt'>;
  result: AttemptResult;
}

/**
 * Leases live in memory: this process owns the embedded store, and after a crash every delivery
 * that was in flight is simply pending again — no write per lease. Attempt records are
 * group-committed like ingest: many deliveries finishing together share one fsync.
 */
export class SqliteDeliveries implements DeliveryQueue {
  /** Leased delivery ids, per target: a lease skips only its own target's in-flight rows. */
  private readonly leased = new Map<string, Set<number>>();
  private readonly leaseOwner = new Map<number, Set<number>>();
  /**
   * Per target, the (next_at, id) of the last row leased. New and retried rows always sort after
   * it (next_at is "now" or later when written, ids only grow), so a lease reads only rows it has
   * not seen. When the target has nothing in flight the scan restarts from the beginning, which
   * picks up anything a failed record left behind.
   */
  private readonly leaseCursors = new Map<Set<number>, { nextAt: number; id: number }>();
  private readonly recorder: GroupCommitter<RecordItem, undefined>;
  private readonly sql: Record<
    'cursor' | 'setCursor' | 'mark' | 'pruneMarks' | 'routedAt' | 'insert' | 'lease' | 'nextDue' | 'current' | 'evaluationError' | 'attempt' | 'update' | 'history',
    Statement
  >;
  private enqueues = 0;

  constructor(
    private readonly db: Db,
    private readonly buses: SqliteBuses,
  ) {
    this.sql = {
      cursor: db.prepare('SELECT seq FROM router_cursors WHERE bus_id = ?').pluck(),
      setCursor: db.prepare('INSERT INTO router_cursors (bus_id, seq) VALUES (?, ?) ON CONFLICT (bus_id) DO UPDATE SET seq = excluded.seq'),
      mark: db.prepare('INSERT INTO route_marks (bus_id, seq, at) VALUES (?, ?, ?) ON CONFLICT (bus_id, seq) DO UPDATE SET at = excluded.at'),
      // A mark below the bus's oldest event answers for no event any more (retention took them).
      pruneMarks: db.prepare('DELETE FROM route_marks WHERE bus_id = ? AND seq < (SELECT COALESCE(MIN(seq), 0) FROM events WHERE bus_id = ?)'),
      routedAt: db.prepare('SELECT at FROM route_marks WHERE bus_id = ? AND seq >= ? ORDER BY seq LIMIT 1').pluck(),
      insert: db.prepare(
        'INSERT INTO deliveries (bus_id, seq, rule, target, state, attempts, spent, next_at, event_at, budget_at, created_at, updated_at, reason) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)',
      ),
      lease: db.prepare(`SELECT ${OWN_COLUMNS} FROM deliveries WHERE bus_id = ? AND rule = ? AND target = ? AND state = 'pending' AND next_at <= ?
          AND (next_at > ? OR (next_at = ? AND id > ?)) ORDER BY next_at, id LIMIT ?`),
      nextDue: db.prepare(`SELECT id, next_at FROM deliveries WHERE bus_id = ? AND rule = ? AND target = ? AND state = 'pending' ORDER BY next_at, id LIMIT ?`),
      evaluationError: db.prepare('INSERT INTO evaluation_errors (bus_id, seq, rule, message) VALUES (?, ?, ?, ?)'),
      current: db.prepare('SELECT spent, next_at, state, (SELECT MAX(attempt) FROM attempts WHERE delivery_id = d.id) AS logged FROM deliveries d WHERE id = ?'),
      attempt: db.prepare('INSERT INTO attempts (delivery_id, attempt, at, latency_ms, outcome, status, error) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      update: db.prepare(
        'UPDATE deliveries SET state = ?, attempts = ?, spent = ?, next_at = ?, updated_at = ?, reason = ?, last_error = ?, last_status = ? WHERE id = ?',
      ),
      // A delivery settled while in flight (its target removed or gone) keeps its state; its count and last error follow the log.
      history: db.prepare('UPDATE deliveries SET attempts = ?, updated_at = ?, last_error = ?, last_status = ? WHERE id = ?'),
    };
    // Each record is a savepoint inside the group's transaction: one bad record fails alone.
    const one = db.transaction((item: RecordItem) => this.recordOne(item));
    this.recorder = new GroupCommitter((items) =>
      relaxed(this.db, () =>
        this.db.transaction(() =>
          items.map((item) => {
            try {
              return one(item);
            } catch (error) {
              return error instanceof Error ? error : new Error(String(error));
            }
          }),
        )(),
      ),
    );
  }

  async cursor(bus: string): Promise<number> {
    return (this.sql.cursor.get(this.buses.require(bus).id) as number | undefined) ?? 0;
  }

  async enqueue(bus: string, toSequence: number, deliveries: Parameters<DeliveryQueue['enqueue']>[2], errors: EvaluationError[] = []): Promise<void> {
    const busId = this.buses.require(bus).id;
    const now = Date.now();
    relaxed(this.db, () => this.db.transaction(() => {
      for (const d of deliveries) {
        this.sql.insert.run(busId, d.sequence, d.rule, d.target, d.state ?? 'pending', now, d.eventAt, d.eventAt, now, now, d.reason ?? null);
      }
      for (const e of errors) this.sql.evaluationError.run(busId, e.sequence, e.rule, e.message);
      this.sql.setCursor.run(busId, toSequence);
      this.sql.mark.run(busId, toSequence, now);
      if (++this.enqueues % PRUNE_MARKS_EVERY === 0) this.sql.pruneMarks.run(busId, busId);
    })());
  }

  async routedAt(bus: string, sequence: number): Promise<number | undefined> {
    const busId = this.buses.require(bus).id;
    if (((this.sql.cursor.get(busId) as number | undefined) ?? 0) < sequence) return undefined;
    return (this.sql.routedAt.get(busId, sequence) as number | undefined) ?? undefined;
  }

  async lease(key: TargetKey, now: number, limit: number): Promise<DeliveryRecord[]> {
    const busId = this.buses.cached(key.bus)?.id;
    if (busId === undefined || limit <= 0) return [];
    // Rows leased and not yet recorded are still `pending` on disk: skip past them.
    const mine = this.leasedFor(key);
    const from = mine.size === 0 ? { nextAt: -1, id: 0 } : (this.leaseCursors.get(mine) ?? { nextAt: -1, id: 0 });
    const found = this.sql.lease.all(busId, key.rule, key.target, now, from.nextAt, from.nextAt, from.id, limit + mine.size) as Array<Omit<Row, 'bus'>>;
    const fresh = found.filter((r) => !mine.has(r.id)).slice(0, limit);
    if (fresh.length > 0) this.leaseCursors.set(mine, { nextAt: fresh[fresh.length - 1].next_at, id: fresh[fresh.length - 1].id });
    for (const row of fresh) {
      mine.add(row.id);
      this.leaseOwner.set(row.id, mine);
    }
    return fresh.map((row) => toRecord({ ...row, bus: key.bus }));
  }

  async nextDue(key: TargetKey): Promise<number | undefined> {
    const busId = this.buses.cached(key.bus)?.id;
    if (busId === undefined) return undefined;
    // Leased rows are still pending on disk; they are not due again.
    const mine = this.leasedFor(key);
    const rows = this.sql.nextDue.all(busId, key.rule, key.target, mine.size + 1) as Array<{ id: number; next_at: number }>;
    return rows.find((r) => !mine.has(r.id))?.next_at;
  }

  async record(id: number, attempt: Omit<AttemptRecord, 'attempt'>, result: AttemptResult): Promise<void> {
    // Only a written outcome ends the lease: were it dropped on a failed write (a full disk), the
    // next lease would send the delivery again at once, and again, without end (issue 11, item 4).
    await this.recorder.submit({ id, attempt, result });
    this.release(id);
  }

  release(id: number): void {
    this.leaseOwner.get(id)?.delete(id);
    this.leaseOwner.delete(id);
  }

  private leasedFor(key: TargetKey): Set<number> {
    const k = `${key.bus}\u0000${key.rule}\u0000${key.target}`;
    let set = this.leased.get(k);
    if (!set) this.leased.set(k, (set = new Set()));
    return set;
  }

  private recordOne({ id, attempt, result }: RecordItem): undefined {
    {
      const current = this.sql.current.get(id) as { spent: number; next_at: number; state: string; logged: number | null } | undefined;
      if (!current) return undefined;
      // Attempt rows number on across redrives; `attempts` is always their count (issue 10, item 3).
      const n = (current.logged ?? 0) + 1;
      this.sql.attempt.run(id, n, attempt.at, attempt.latencyMs, attempt.outcome, attempt.status, attempt.error);
      // Settled while in flight (its target removed, or gone): the attempt is history, the state stays.
      if (current.state !== 'pending') {
        this.sql.history.run(n, Date.now(), attempt.error, attempt.status, id);
        return undefined;
      }
      // A 429 spends no attempt of the retry policy (docs/delivery.md); its max age still bounds it.
      const spent = current.spent + (attempt.outcome === 'throttled' ? 0 : 1);
      const nextAt = result.state === 'pending' ? result.nextAt : current.next_at;
      const reason = result.state === 'dead' ? result.reason : null;
      this.sql.update.run(result.state, n, spent, nextAt, Date.now(), reason, attempt.error, attempt.status, id);
    }
    return undefined;
  }

  async evaluationErrors(bus: string, sequence: number): Promise<EvaluationError[]> {
    const rows = this.db.prepare('SELECT seq, rule, message FROM evaluation_errors WHERE bus_id = ? AND seq = ?').all(this.buses.require(bus).id, sequence) as Array<{
      seq: number;
      rule: string;
      message: string;
    }>;
    return rows.map((r) => ({ sequence: r.seq, rule: r.rule, message: r.message }));
  }

  async settleTarget(key: TargetKey, state: 'cancelled' | 'dead', reason: string): Promise<DeliveryRecord[]> {
    const busId = this.buses.cached(key.bus)?.id;
    if (busId === undefined) return [];
    const rows = this.db
      .prepare(`UPDATE deliveries SET state = ?, reason = ?, updated_at = ? WHERE bus_id = ? AND rule = ? AND target = ? AND state = 'pending' RETURNING ${OWN_COLUMNS}`)
      .all(state, reason, Date.now(), busId, key.rule, key.target) as Array<Omit<Row, 'bus'>>;
    return rows.map((row) => toRecord({ ...row, bus: key.bus }));
  }

  async get(bus: string, id: number): Promise<DeliveryRecord | undefined> {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM deliveries d JOIN buses b ON b.id = d.bus_id WHERE d.id = ? AND b.name = ?`).get(id, bus) as Row | undefined;
    return row && toRecord(row);
  }

  async attempts(id: number): Promise<AttemptRecord[]> {
    const rows = this.db.prepare('SELECT attempt, at, latency_ms, outcome, status, error FROM attempts WHERE delivery_id = ? ORDER BY attempt').all(id) as Array<{
      attempt: number;
      at: number;
      latency_ms: number;
      outcome: AttemptRecord['outcome'];
      status: number | null;
      error: string | null;
    }>;
    return rows.map((r) => ({ attempt: r.attempt, at: r.at, latencyMs: r.latency_ms, outcome: r.outcome, status: r.status, error: r.error }));
  }

  async forEvent(bus: string, sequence: number): Promise<DeliveryRecord[]> {
    const busId = this.buses.require(bus).id;
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM deliveries d JOIN buses b ON b.id = d.bus_id WHERE d.bus_id = ? AND d.seq = ? ORDER BY d.id`).all(busId, sequence) as Row[];
    return rows.map(toRecord);
  }

  async dead(bus: string, filter: DeliveryFilter, after: number, limit: number): Promise<DeliveryRecord[]> {
    const { where, params } = this.where(bus, filter);
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM deliveries d JOIN buses b ON b.id = d.bus_id WHERE ${where} AND d.state = 'dead' AND d.id > ? ORDER BY d.id LIMIT ?`)
      .all(...params, after, limit) as Row[];
    return rows.map(toRecord);
  }

  async redrive(bus: string, filter: DeliveryFilter, to?: { rule: string; target: string }, by: string | null = null): Promise<{ count: number; targets: TargetKey[] }> {
    const { where, params } = this.where(bus, filter);
    const now = Date.now();
    // A fresh budget (issue 10, item 3): `spent` from 0 and the max age counted from now, so a dead
    // letter older than the max age is tried again instead of dying at once. The attempt log (and
    // `attempts`) keep the earlier tries. SET expressions read the row as it was before the update.
    const rows = this.db
      .prepare(
        `UPDATE deliveries AS d SET state = 'pending', spent = 0, budget_at = :now, next_at = :now, updated_at = :now, reason = NULL,
           rule = COALESCE(:rule, rule), target = COALESCE(:target, target),
           redrives = json_insert(COALESCE(redrives, '[]'), '$[#]', json_object('at', :now, 'by', :by, 'reason', reason,
             'from', json_object('rule', rule, 'target', target),
             'to', json_object('rule', COALESCE(:rule, rule), 'target', COALESCE(:target, target))))
         WHERE ${where} AND d.state = 'dead' RETURNING rule, target`,
      )
      .all({ now, rule: to?.rule ?? null, target: to?.target ?? null, by }, ...params) as Array<{ rule: string; target: string }>;
    const keys = new Map<string, TargetKey>();
    for (const row of rows) keys.set(`${row.rule}\u0000${row.target}`, { bus, rule: row.rule, target: row.target });
    return { count: rows.length, targets: [...keys.values()] };
  }

  async purge(bus: string, filter: DeliveryFilter): Promise<number> {
    const { where, params } = this.where(bus, filter);
    return this.db.transaction(() => {
      this.db.prepare(`DELETE FROM attempts WHERE delivery_id IN (SELECT d.id FROM deliveries d WHERE ${where} AND d.state = 'dead')`).run(...params);
      return this.db.prepare(`DELETE FROM deliveries AS d WHERE ${where} AND d.state = 'dead'`).run(...params).changes;
    })();
  }

  async counts(bus: string): Promise<Record<DeliveryState, number>> {
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM deliveries WHERE bus_id = ? GROUP BY state').all(this.buses.require(bus).id) as Array<{ state: DeliveryState; n: number }>;
    const counts: Record<DeliveryState, number> = { pending: 0, delivered: 0, dead: 0, cancelled: 0 };
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  async targetCounts(bus: string): Promise<Array<{ rule: string; target: string; pending: number; dead: number }>> {
    // Covered by the deliveries_due index (bus_id, rule, target, state, …): the rows themselves are not read.
    return this.db
      .prepare(
        `SELECT rule, target, SUM(state = 'pending') AS pending, SUM(state = 'dead') AS dead FROM deliveries
         WHERE bus_id = ? AND state IN ('pending', 'dead') GROUP BY rule, target`,
      )
      .all(this.buses.require(bus).id) as Array<{ rule: string; target: string; pending: number; dead: number }>;
  }

  private where(bus: string, filter: DeliveryFilter): { where: string; params: unknown[] } {
    const clauses = ['d.bus_id = ?'];
    const params: unknown[] = [this.buses.require(bus).id];
    if (filter.rule !== undefined) {
      clauses.push('d.rule = ?');
      params.push(filter.rule);
    }
    if (filter.target !== undefined) {
      clauses.push('d.target = ?');
      params.push(filter.target);
    }
    if (filter.ids !== undefined) {
      clauses.push(`d.id IN (${filter.ids.map(() => '?').join(',') || 'NULL'})`);
      params.push(...filter.ids);
    }
    return { where: clauses.join(' AND '), params };
  }
}

function toRecord(row: Row): DeliveryRecord {
  return {
    id: row.id,
    bus: row.bus,
    sequence: row.seq,
    rule: row.rule,
    target: row.target,
    state: row.state,
    attempts: row.attempts,
    spent: row.spent,
    nextAt: row.next_at,
    eventAt: row.event_at,
    budgetAt: row.budget_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    reason: row.reason,
    lastError: row.last_error,
    lastStatus: row.last_status,
    redrives: row.redrives ? (JSON.parse(row.redrives) as RedriveRecord[]) : [],
  };
}
