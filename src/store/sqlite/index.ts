/**
 * The embedded engine: one SQLite file in the data directory. The default, and the reference the
 * other engines are tested against.
 */
import type { Store } from '../types.js';
import { SqliteDeliveries } from './deliveries.js';
import { SqliteRules } from './rules-table.js';
import { SqliteBuses, type BusDefaults } from './buses.js';
import { SqliteEventLog, translateStoreError } from './event-log.js';
import { databaseFile, openDatabase, setMaxBytes, type SqliteOptions } from './open.js';
import { startCheckpointer } from './checkpointer.js';
import { sweep } from './sweep.js';
import { lockDataDir } from './lock.js';
import { SqliteConnections, SqliteSources } from './sources-table.js';
import { applyState } from './apply-state.js';
import { classified, storeError } from './classify.js';
import { HeraldError } from '../../errors/index.js';

/** Thrown inside the write probe's transaction to roll it back. */
const ROLLBACK = Symbol('rollback');

/**
 * Opens the store, after taking the data dir's lock (lock.ts): throws HERALD_DATA_DIR_LOCKED when
 * another store — in this process or another — has the dir, and HERALD_STORE_TOO_NEW when a newer
 * Herald migrated it. `close()` releases the lock last.
 */
export function openSqliteStore(options: SqliteOptions & BusDefaults): Store {
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
  const tables = { buses, rules: new SqliteRules(db, buses), sources: new SqliteSources(db), connections: new SqliteConnections(db) };
  let closed = false;
  // Every table but the log (whose appends classify their own errors, event-log.ts) reports a full
  // store as HERALD_STORE_FULL (classify.ts).
  return {
    buses: classified(buses),
    events: log,
    rules: classified(tables.rules),
    deliveries: classified(new SqliteDeliveries(db, buses)),
    sources: classified(tables.sources),
    connections: classified(tables.connections),
    sweep: async (now) => sweep(db, buses, await buses.list(), now),
    setMaxBytes: (maxBytes) => setMaxBytes(db, maxBytes),
    async applyState(changes) {
      try {
        applyState(db, tables, changes);
      } catch (error) {
        throw storeError(error);
      }
    },
    // A negative cache_size is in KiB (https://www.sqlite.org/pragma.html#pragma_cache_size).
    setCacheBytes: (bytes) => void db.pragma(`cache_size = -${Math.max(1, Math.floor(bytes / 1024))}`),
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
