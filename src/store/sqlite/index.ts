/**
 * The embedded engine: one SQLite file in the data directory. The default, and the reference the
 * other engines are tested against.
 */
import type { DeliveryQueue, Store } from '../types.js';
import { SqliteDeliveries } from './deliveries.js';
import { SqliteRules } from './rules-table.js';
import { SqliteBuses, type BusDefaults } from './buses.js';
import { SqliteEventLog, translateStoreError } from './event-log.js';
import { databaseFile, openDatabase, setMaxBytes, type SqliteOptions } from './open.js';
import { startCheckpointer } from './checkpointer.js';
import { sweep } from './sweep.js';
import { lockDataDir } from './lock.js';
import { HeraldError } from '../../errors/index.js';
import { SqliteConnections, SqliteSources, type ConnectionTable, type SourceTable } from './sources-table.js';

/** Thrown inside the write probe's transaction to roll it back. */
const ROLLBACK = Symbol('rollback');

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
  /**
   * Whether the store can commit now (readiness, issue 15 item 4): writes a small table and a
   * 16 KiB row in a transaction that is then rolled back, so nothing stays but the pages are really
   * claimed. Rejects with HERALD_STORE_FULL past the size cap (or on a full disk), or
   * HERALD_STORE_UNAVAILABLE once closed or broken.
   */
  probeWrite(): Promise<void>;
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
    async probeWrite() {
      if (closed) throw new HeraldError('HERALD_STORE_UNAVAILABLE', 'the store is closed');
      try {
        db.transaction(() => {
          db.exec('CREATE TABLE herald_probe (b BLOB)');
          db.prepare('INSERT INTO herald_probe VALUES (zeroblob(16384))').run();
          throw ROLLBACK;
        })();
      } catch (error) {
        if (error !== ROLLBACK) throw translateStoreError(error);
      }
    },
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
