import { busNotFound, HeraldError } from '../../errors/index.js';
import { BUS_NAME, DEFAULT_BUS, type BusRecord, type BusSettings, type BusStore } from '../types.js';
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
    checkName(name);
    if (this.byName.has(name)) throw new HeraldError('HERALD_BUS_EXISTS', `bus "${name}" already exists`, 'name');
    return publicBus(this.insert(name, settings));
  }

  async update(name: string, settings: BusSettings): Promise<BusRecord> {
    const bus = this.require(name);
    const next = { ...bus, ...definedOnly(settings) };
    this.db
      .prepare('UPDATE buses SET description = ?, retention_ms = ?, dedupe_window_ms = ? WHERE id = ?')
      .run(next.description, next.retentionMs, next.dedupeWindowMs, bus.id);
    this.byName.set(name, next);
    return publicBus(next);
  }

  async get(name: string): Promise<BusRecord | undefined> {
    const bus = this.byName.get(name);
    return bus && publicBus(bus);
  }

  async list(): Promise<BusRecord[]> {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name)).map(publicBus);
  }

  async delete(name: string): Promise<void> {
    if (name === DEFAULT_BUS) throw new HeraldError('HERALD_BUS_PROTECTED', 'the default bus cannot be deleted', 'name');
    const bus = this.require(name);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM events WHERE bus_id = ?').run(bus.id);
      this.db.prepare('DELETE FROM dedupe WHERE bus_id = ?').run(bus.id);
      this.db.prepare('DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE bus_id = ?)').run(bus.id);
      this.db.prepare('DELETE FROM deliveries WHERE bus_id = ?').run(bus.id);
      this.db.prepare('DELETE FROM router_cursors WHERE bus_id = ?').run(bus.id);
      this.db.prepare('DELETE FROM rules WHERE bus_id = ?').run(bus.id);
      this.db.prepare('DELETE FROM buses WHERE id = ?').run(bus.id);
    })();
    this.byName.delete(name);
    this.onDelete(bus);
    for (const listener of [...this.deletedListeners]) listener({ name, identity: bus.id });
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

export function checkName(name: string, field = 'name'): void {
  if (!BUS_NAME.test(name)) {
    throw new HeraldError('HERALD_INVALID_NAME', `"${name}" is not a valid name: use 1 to 256 of A-Z a-z 0-9 . _ -`, field);
  }
}

function publicBus({ id: _id, ...bus }: CachedBus): BusRecord {
  return bus;
}

function definedOnly(settings: BusSettings): BusSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}
