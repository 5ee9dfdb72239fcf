import { busNotFound, HeraldError } from '../../errors/index.js';
import { DEFAULT_BUS, type BusRecord, type BusSettings, type BusStore } from '../types.js';
import { checkName } from '../names.js';
import type { Db } from './open.js';

export interface BusDefaults {
  retentionMs: number;
  dedupeWindowMs: number;
}

interface BusRow {
  id: number;
  name: string;
  description: string;
  created_at: number;
  retention_ms: number;
  dedupe_window_ms: number;
}

export interface CachedBus extends BusRecord {
  id: number;
}

/**
 * Buses live in a small table mirrored in memory: the ingest path looks a bus up on every request
 * and must not pay a query for it.
 */
export class SqliteBuses implements BusStore {
  private readonly byName = new Map<string, CachedBus>();
  /** Buses deleted inside a running store transaction: forgotten by the log once it commits. */
  private deletedInTransaction: CachedBus[] = [];
  private readonly deletedListeners = new Set<(bus: { name: string; identity: number }) => void>();

  constructor(
    private readonly db: Db,
    private readonly defaults: BusDefaults,
    private readonly onDelete: (bus: CachedBus) => void,
  ) {
    for (const row of db.prepare('SELECT * FROM buses').all() as BusRow[]) this.remember(row);
    if (!this.byName.has(DEFAULT_BUS)) this.insert(DEFAULT_BUS, {});
  }

  cached(name: string): CachedBus | undefined {
    return this.byName.get(name);
  }

  async create(name: string, settings: BusSettings = {}): Promise<BusRecord> {
    return this.createSync(name, settings);
  }

  async update(name: string, settings: BusSettings): Promise<BusRecord> {
    return this.updateSync(name, settings);
  }

  async get(name: string): Promise<BusRecord | undefined> {
    const bus = this.byName.get(name);
    return bus && publicBus(bus);
  }

  async list(): Promise<BusRecord[]> {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name)).map(publicBus);
  }

  async delete(name: string): Promise<void> {
    let bus: CachedBus;
    try {
      bus = this.db.transaction(() => this.deleteRows(name))();
    } catch (error) {
      this.reload();
      throw error;
    }
    this.forget(bus);
  }

  /*
   * The synchronous writes below may run inside a store transaction (SqliteStore.transaction, used by
   * POST /v1/apply to change many buses, rules and sources at once): the memory mirror follows each
   * write at once, `reload` puts it back when the transaction rolls back, and a deleted bus is
   * forgotten by the event log only once the transaction commits (`committed`).
   */

  createSync(name: string, settings: BusSettings = {}): BusRecord {
    checkName(name);
    if (this.byName.has(name)) throw new HeraldError('HERALD_BUS_EXISTS', `bus "${name}" already exists`, 'name');
    return publicBus(this.insert(name, settings));
  }

  updateSync(name: string, settings: BusSettings): BusRecord {
    const bus = this.require(name);
    const next = { ...bus, ...definedOnly(settings) };
    this.db
      .prepare('UPDATE buses SET description = ?, retention_ms = ?, dedupe_window_ms = ? WHERE id = ?')
      .run(next.description, next.retentionMs, next.dedupeWindowMs, bus.id);
    this.byName.set(name, next);
    return publicBus(next);
  }

  /** Deletes the bus with its events, deliveries and rules; must run inside a store transaction. */
  deleteSync(name: string): void {
    this.deletedInTransaction.push(this.deleteRows(name));
  }

  /** After a store transaction committed. */
  committed(): void {
    const deleted = this.deletedInTransaction;
    this.deletedInTransaction = [];
    for (const bus of deleted) this.forget(bus);
  }

  /** After a store transaction rolled back: the mirror is read again from the table. */
  reload(): void {
    this.deletedInTransaction = [];
    this.byName.clear();
    for (const row of this.db.prepare('SELECT * FROM buses').all() as BusRow[]) this.remember(row);
  }

  private deleteRows(name: string): CachedBus {
    if (name === DEFAULT_BUS) throw new HeraldError('HERALD_BUS_PROTECTED', 'the default bus cannot be deleted', 'name');
    const bus = this.require(name);
    this.db.prepare('DELETE FROM events WHERE bus_id = ?').run(bus.id);
    this.db.prepare('DELETE FROM dedupe WHERE bus_id = ?').run(bus.id);
    this.db.prepare('DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE bus_id = ?)').run(bus.id);
    this.db.prepare('DELETE FROM deliveries WHERE bus_id = ?').run(bus.id);
    this.db.prepare('DELETE FROM router_cursors WHERE bus_id = ?').run(bus.id);
    this.db.prepare('DELETE FROM rules WHERE bus_id = ?').run(bus.id);
    this.db.prepare('DELETE FROM buses WHERE id = ?').run(bus.id);
    this.byName.delete(name);
    return bus;
  }

  /** Once a delete committed: the log and every listener forget the bus's identity. */
  private forget(bus: CachedBus): void {
    this.onDelete(bus);
    for (const listener of [...this.deletedListeners]) listener({ name: bus.name, identity: bus.id });
  }

  /** The row id: AUTOINCREMENT (migration 0006), so never given to another bus. */
  identity(name: string): number | undefined {
    return this.byName.get(name)?.id;
  }

  onDeleted(listener: (bus: { name: string; identity: number }) => void): () => void {
    this.deletedListeners.add(listener);
    return () => this.deletedListeners.delete(listener);
  }

  require(name: string): CachedBus {
    const bus = this.byName.get(name);
    if (!bus) throw busNotFound(name);
    return bus;
  }

  private insert(name: string, settings: BusSettings): CachedBus {
    const row: Omit<BusRow, 'id'> = {
      name,
      description: settings.description ?? '',
      created_at: Date.now(),
      retention_ms: settings.retentionMs ?? this.defaults.retentionMs,
      dedupe_window_ms: settings.dedupeWindowMs ?? this.defaults.dedupeWindowMs,
    };
    const { lastInsertRowid } = this.db
      .prepare(
        'INSERT INTO buses (name, description, created_at, retention_ms, dedupe_window_ms) VALUES (@name, @description, @created_at, @retention_ms, @dedupe_window_ms)',
      )
      .run(row);
    return this.remember({ ...row, id: Number(lastInsertRowid) });
  }

  private remember(row: BusRow): CachedBus {
    const bus: CachedBus = {
      id: row.id,
      name: row.name,
      description: row.description,
      createdAt: new Date(row.created_at).toISOString(),
      retentionMs: row.retention_ms,
      dedupeWindowMs: row.dedupe_window_ms,
    };
    this.byName.set(bus.name, bus);
    return bus;
  }
}

function publicBus({ id: _id, ...bus }: CachedBus): BusRecord {
  return bus;
}

function definedOnly(settings: BusSettings): BusSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}
