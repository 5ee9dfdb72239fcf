/**
 * The tables behind `/v1/sources` and `/v1/connections` (migration 0003). Documents are validated by
 * src/sources before they get here; these classes only store and load them.
 */
import type { ConnectionRow, ConnectionTable, SourceTable } from '../types.js';
import type { Db } from './open.js';

export class SqliteSources implements SourceTable {
  constructor(private readonly db: Db) {}

  async list(): Promise<unknown[]> {
    const rows = this.db.prepare('SELECT doc FROM sources ORDER BY name').pluck().all() as string[];
    return rows.map((doc) => JSON.parse(doc) as unknown);
  }

  async get(name: string): Promise<unknown | undefined> {
    const doc = this.db.prepare('SELECT doc FROM sources WHERE name = ?').pluck().get(name) as string | undefined;
    return doc === undefined ? undefined : (JSON.parse(doc) as unknown);
  }

  async put(name: string, doc: unknown): Promise<void> {
    this.putSync(name, doc);
  }

  async delete(name: string): Promise<boolean> {
    return this.deleteSync(name);
  }

  /** put and delete, synchronously: they may run inside a store transaction (apply-state.ts). */
  putSync(name: string, doc: unknown): void {
    this.db.prepare('INSERT INTO sources (name, doc) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc').run(name, JSON.stringify(doc));
  }

  deleteSync(name: string): boolean {
    return this.db.prepare('DELETE FROM sources WHERE name = ?').run(name).changes > 0;
  }
}

interface RawConnection {
  name: string;
  type: string | null;
  description: string;
  secrets: string;
  updated_at: string;
}

function fromRow(row: RawConnection): ConnectionRow {
  return {
    name: row.name,
    ...(row.type === null ? {} : { type: row.type }),
    description: row.description,
    secrets: JSON.parse(row.secrets) as Record<string, string>,
    updatedAt: row.updated_at,
  };
}

export class SqliteConnections implements ConnectionTable {
  constructor(private readonly db: Db) {}

  async list(): Promise<ConnectionRow[]> {
    return (this.db.prepare('SELECT * FROM connections ORDER BY name').all() as RawConnection[]).map(fromRow);
  }

  async get(name: string): Promise<ConnectionRow | undefined> {
    const row = this.db.prepare('SELECT * FROM connections WHERE name = ?').get(name) as RawConnection | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  async put(row: ConnectionRow): Promise<void> {
    this.putSync(row);
  }

  async delete(name: string): Promise<boolean> {
    return this.deleteSync(name);
  }

  /** put and delete, synchronously: they may run inside a store transaction (apply-state.ts). */
  putSync(row: ConnectionRow): void {
    this.db
      .prepare(
        `INSERT INTO connections (name, type, description, secrets, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET type = excluded.type, description = excluded.description, secrets = excluded.secrets, updated_at = excluded.updated_at`,
      )
      .run(row.name, row.type ?? null, row.description, JSON.stringify(row.secrets), row.updatedAt);
  }

  deleteSync(name: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE name = ?').run(name).changes > 0;
  }
}
