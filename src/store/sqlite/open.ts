/**
 * Opens the embedded SQLite database with the settings durability depends on, and migrates it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';
import { HeraldError } from '../../errors/index.js';

export type Db = Database.Database;

export interface SqliteOptions {
  /** Folder of the database files; created if missing. */
  dataDir: string;
  /** Cap on the database size in bytes (SQLite max_page_count); unset means no cap. */
  maxBytes?: number;
}

export function openDatabase(options: SqliteOptions): Db {
  mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(databaseFile(options.dataDir));
  // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at every commit, so an
  // acknowledged event survives a power loss and not only a process crash (issue 2, item 4).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A bigger page cache and mmap keep reads off the write path.
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  // Checkpoints run on a worker (checkpointer.ts); this threshold (~80 MB of WAL) is only a backstop.
  db.pragma('wal_autocheckpoint = 20000');
  try {
    setMaxBytes(db, options.maxBytes);
    migrate(db, options.dataDir);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'herald.db');
}

/** Caps (or uncaps) the database size; writes past the cap fail with SQLITE_FULL. */
export function setMaxBytes(db: Db, maxBytes: number | undefined): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  // 1073741823 is SQLite's own default maximum page count.
  const pages = maxBytes === undefined ? 1073741823 : Math.max(1, Math.floor(maxBytes / pageSize));
  db.pragma(`max_page_count = ${pages}`);
}

/** The newest schema version this build knows (the last migration's number). */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

function migrate(db: Db, dataDir: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  // A newer Herald migrated this store past what this build knows (issue 10, item 8): running on it
  // would misread or damage tables it does not understand, so refuse before touching anything.
  if (current > SCHEMA_VERSION) {
    throw new HeraldError(
      'HERALD_STORE_TOO_NEW',
      `the store in ${dataDir} is at schema version ${current}, newer than this Herald knows (${SCHEMA_VERSION}): run a newer Herald, or restore the backup taken before the upgrade`,
      'dataDir',
      { storeVersion: current, knownVersion: SCHEMA_VERSION },
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.up?.(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLite reports a full disk or a reached cap as SQLITE_FULL; the WAL fsync (event-log.ts) as ENOSPC.
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC' || code === 'ENOSPC';
}

/**
 * Delivery bookkeeping commits without its own fsync (WAL, synchronous=NORMAL): a crash may lose
 * the last few of these commits, never tear one, and the next fsync of an ingest commit makes them
 * durable too. Losing one is safe: a lost enqueue loses its cursor move with it, so the router routes
 * those events again; a lost "delivered" means one more delivery, which at-least-once allows and the
 * idempotency key absorbs. Only acknowledged events need an fsync of their own.
 */
export function relaxed<T>(db: Db, run: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return run();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
