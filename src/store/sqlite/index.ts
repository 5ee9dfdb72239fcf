/**
 * The embedded engine: one SQLite file in the data directory. The default, and the reference the
 * other engines are tested against.
 */
import type { DeliveryQueue, Store } from '../types.js';
import { SqliteDeliveries } from './deliveries.js';
import { SqliteRules } from './rules-table.js';
import { SqliteBuses, type BusDefaults } from './buses.js';
import { SqliteEventLog } from './event-log.js';
import { databaseFile, openDatabase, setMaxBytes, type SqliteOptions } from './open.js';
import { startCheckpointer } from './checkpointer.js';
import { sweep } from './sweep.js';
import { lockDataDir } from './lock.js';
import { SqliteConnections, SqliteSources, type ConnectionTable, type SourceTable } from './sources-table.js';

export interface SqliteStore extends Store {
  buses: SqliteBuses;
  rules: SqliteRules;
  deliveries: DeliveryQueue;
  sources: SourceTable;
  connections: ConnectionTable;
  /** Changes the size cap at run time (raising it lets a full store accept events again). */
  setMaxBytes(maxBytes: number | undefined): void;
  /**
   * Runs `work` in one SQLite transaction: every synchronous write it makes (`…Sync` methods of the
   * tables) commits together or not at all (POST /v1/apply, issue 10 item 6). `work` must not await.
   */
  transaction<T>(work: () => T): T;
  /** Sizes SQLite's page cache (part of the memory budget: it holds event rows too). */
  setCacheBytes(bytes: number): void;
}

/**
 * Opens the store, after taking the data dir's lock (lock.ts): throws HERALD_DATA_DIR_LOCKED when
 * another store — in this process or another — has the dir, and HERALD_STORE_TOO_NEW when a newer
 * Herald migrated it. `close()` releases the lock last.
 */
export function openSqliteStore(options: SqliteOptions & BusDefaults): SqliteStore {
  const lock = lockDataDir(options.dataDir);
  let db;
  try {
    db = openDatabase(options);
  } catch (error) {
    lock.release();
    throw error;
  }
  const checkpointer = startCheckpointer(databaseFile(options.dataDir));
  // The bus store tells the log when a bus goes, so a bus made again under that name starts at 1.
  const buses: SqliteBuses = new SqliteBuses(db, options, (bus) => log.forgetBus(bus));
  const log = new SqliteEventLog(db, buses, `${databaseFile(options.dataDir)}-wal`);
  let closed = false;
  return {
    buses,
    events: log,
    rules: new SqliteRules(db, buses),
    deliveries: new SqliteDeliveries(db, buses),
    sources: new SqliteSources(db),
    connections: new SqliteConnections(db),
    sweep: async (now) => sweep(db, buses, await buses.list(), now),
    setMaxBytes: (maxBytes) => setMaxBytes(db, maxBytes),
    transaction<T>(work: () => T): T {
      let result: T;
      try {
        result = db.transaction(work)();
      } catch (error) {
        buses.reload();
        throw error;
      }
      buses.committed();
      return result;
    },
    // A negative cache_size is in KiB (https://www.sqlite.org/pragma.html#pragma_cache_size).
    setCacheBytes: (bytes) => void db.pragma(`cache_size = -${Math.max(1, Math.floor(bytes / 1024))}`),
    async close() {
      if (closed) return;
      closed = true;
      await log.close();
      await checkpointer.stop();
      db.close();
      lock.release();
    },
  };
}
