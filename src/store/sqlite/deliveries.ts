import type { Statement } from 'better-sqlite3';
import type { AttemptRecord, AttemptResult, DeliveryFilter, DeliveryQueue, DeliveryRecord, DeliveryState, TargetKey } from '../types.js';
import type { SqliteBuses } from './buses.js';
import type { Db } from './open.js';

interface Row {
  id: number;
  bus: string;
  seq: number;
  rule: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  next_at: number;
  event_at: number;
  created_at: number;
  updated_at: number;
  reason: string | null;
  last_error: string | null;
  last_status: number | null;
}

const COLUMNS = 'd.id, b.name AS bus, d.seq, d.rule, d.target, d.state, d.attempts, d.next_at, d.event_at, d.created_at, d.updated_at, d.reason, d.last_error, d.last_status';

export class SqliteDeliveries implements DeliveryQueue {
  private readonly sql: Record<'cursor' | 'setCursor' | 'insert' | 'lease' | 'nextDue' | 'attempt' | 'update', Statement>;

  constructor(
    private readonly db: Db,
    private readonly buses: SqliteBuses,
  ) {
    this.sql = {
      cursor: db.prepare('SELECT seq FROM router_cursors WHERE bus_id = ?').pluck(),
      setCursor: db.prepare('INSERT INTO router_cursors (bus_id, seq) VALUES (?, ?) ON CONFLICT (bus_id) DO UPDATE SET seq = excluded.seq'),
      insert: db.prepare(
        'INSERT INTO deliveries (bus_id, seq, rule, target, state, attempts, next_at, event_at, created_at, updated_at, reason) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)',
      ),
      lease: db.prepare(`UPDATE deliveries SET state = 'inflight', updated_at = ? WHERE id IN (
          SELECT id FROM deliveries WHERE bus_id = ? AND rule = ? AND target = ? AND state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?)
        RETURNING id`),
      nextDue: db.prepare(`SELECT MIN(next_at) FROM deliveries WHERE bus_id = ? AND rule = ? AND target = ? AND state = 'pending'`).pluck(),
      attempt: db.prepare('INSERT INTO attempts (delivery_id, attempt, at, latency_ms, outcome, status, error) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      update: db.prepare(
        'UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, updated_at = ?, reason = ?, last_error = ?, last_status = ? WHERE id = ?',
      ),
    };
  }

  async cursor(bus: string): Promise<number> {
    return (this.sql.cursor.get(this.buses.require(bus).id) as number | undefined) ?? 0;
  }

  async enqueue(bus: string, toSequence: number, deliveries: Parameters<DeliveryQueue['enqueue']>[2]): Promise<void> {
    const busId = this.buses.require(bus).id;
    const now = Date.now();
    this.db.transaction(() => {
      for (const d of deliveries) {
        this.sql.insert.run(busId, d.sequence, d.rule, d.target, d.state ?? 'pending', now, d.eventAt, now, now, d.reason ?? null);
      }
      this.sql.setCursor.run(busId, toSequence);
    })();
  }

  async lease(key: TargetKey, now: number, limit: number): Promise<DeliveryRecord[]> {
    const busId = this.buses.cached(key.bus)?.id;
    if (busId === undefined || limit <= 0) return [];
    const ids = (this.sql.lease.all(now, busId, key.rule, key.target, now, limit) as Array<{ id: number }>).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM deliveries d JOIN buses b ON b.id = d.bus_id WHERE d.id IN (${ids.map(() => '?').join(',')}) ORDER BY d.next_at, d.id`).all(...ids) as Row[];
    return rows.map(toRecord);
  }

  async nextDue(key: TargetKey): Promise<number | undefined> {
    const busId = this.buses.cached(key.bus)?.id;
    if (busId === undefined) return undefined;
    return (this.sql.nextDue.get(busId, key.rule, key.target) as number | null) ?? undefined;
  }

  async record(id: number, attempt: Omit<AttemptRecord, 'attempt'>, result: AttemptResult): Promise<void> {
    this.db.transaction(() => {
      const current = this.db.prepare('SELECT attempts, next_at, state FROM deliveries WHERE id = ?').get(id) as
        | { attempts: number; next_at: number; state: string }
        | undefined;
      if (!current) return;
      const n = current.attempts + 1;
      this.sql.attempt.run(id, n, attempt.at, attempt.latencyMs, attempt.outcome, attempt.status, attempt.error);
      // Cancelled while in flight (its target was removed): the attempt is history, the state stays.
      if (current.state !== 'inflight') return;
      const nextAt = result.state === 'pending' ? result.nextAt : current.next_at;
      const reason = result.state === 'dead' ? result.reason : null;
      this.sql.update.run(result.state, n, nextAt, Date.now(), reason, attempt.error, attempt.status, id);
    })();
  }

  async recoverInflight(): Promise<number> {
    return this.db.prepare(`UPDATE deliveries SET state = 'pending' WHERE state = 'inflight'`).run().changes;
  }

  async settleTarget(key: TargetKey, state: 'cancelled' | 'dead', reason: string): Promise<number> {
    const busId = this.buses.cached(key.bus)?.id;
    if (busId === undefined) return 0;
    return this.db
      .prepare(`UPDATE deliveries SET state = ?, reason = ?, updated_at = ? WHERE bus_id = ? AND rule = ? AND target = ? AND state IN ('pending', 'inflight')`)
      .run(state, reason, Date.now(), busId, key.rule, key.target).changes;
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

  async redrive(bus: string, filter: DeliveryFilter, to?: { rule: string; target: string }): Promise<{ count: number; targets: TargetKey[] }> {
    const { where, params } = this.where(bus, filter);
    const now = Date.now();
    const rows = this.db
      .prepare(
        `UPDATE deliveries AS d SET state = 'pending', attempts = 0, next_at = ?, updated_at = ?, reason = NULL,
           rule = COALESCE(?, rule), target = COALESCE(?, target)
         WHERE ${where} AND d.state = 'dead' RETURNING rule, target`,
      )
      .all(now, now, to?.rule ?? null, to?.target ?? null, ...params) as Array<{ rule: string; target: string }>;
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
    const counts: Record<DeliveryState, number> = { pending: 0, inflight: 0, delivered: 0, dead: 0, cancelled: 0 };
    for (const row of rows) counts[row.state] = row.n;
    return counts;
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
    nextAt: row.next_at,
    eventAt: row.event_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    reason: row.reason,
    lastError: row.last_error,
    lastStatus: row.last_status,
  };
}
