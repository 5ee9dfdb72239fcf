import type { RuleStore } from '../types.js';
import type { SqliteBuses } from './buses.js';
import type { Db } from './open.js';

export class SqliteRules implements RuleStore {
  constructor(
    private readonly db: Db,
    private readonly buses: SqliteBuses,
  ) {}

  async list(bus: string): Promise<unknown[]> {
    const rows = this.db.prepare('SELECT doc FROM rules WHERE bus_id = ? ORDER BY name').pluck().all(this.buses.require(bus).id) as string[];
    return rows.map((doc) => JSON.parse(doc) as unknown);
  }

  async get(bus: string, name: string): Promise<unknown | undefined> {
    const doc = this.db.prepare('SELECT doc FROM rules WHERE bus_id = ? AND name = ?').pluck().get(this.buses.require(bus).id, name) as string | undefined;
    return doc === undefined ? undefined : (JSON.parse(doc) as unknown);
  }

  async put(bus: string, name: string, doc: unknown): Promise<void> {
    this.putSync(bus, name, doc);
  }

  async delete(bus: string, name: string): Promise<boolean> {
    return this.deleteSync(bus, name);
  }

  /** As put, synchronously: may run inside a store transaction (POST /v1/apply). */
  putSync(bus: string, name: string, doc: unknown): void {
    this.db
      .prepare('INSERT INTO rules (bus_id, name, doc) VALUES (?, ?, ?) ON CONFLICT (bus_id, name) DO UPDATE SET doc = excluded.doc')
      .run(this.buses.require(bus).id, name, JSON.stringify(doc));
  }

  /** As delete, synchronously: may run inside a store transaction. */
  deleteSync(bus: string, name: string): boolean {
    return this.db.prepare('DELETE FROM rules WHERE bus_id = ? AND name = ?').run(this.buses.require(bus).id, name).changes > 0;
  }

  async all(): Promise<Array<{ bus: string; doc: unknown }>> {
    const rows = this.db.prepare('SELECT b.name AS bus, r.doc AS doc FROM rules r JOIN buses b ON b.id = r.bus_id ORDER BY b.name, r.name').all() as Array<{ bus: string; doc: string }>;
    return rows.map((row) => ({ bus: row.bus, doc: JSON.parse(row.doc) as unknown }));
  }
}
