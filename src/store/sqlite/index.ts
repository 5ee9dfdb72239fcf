/**
 * The embedded engine: one SQLite file in the data directory. The default, and the reference the
 * other engines are tested against.
 */
import type { DeliveryQueue, RuleStore, Store } from '../types.js';
import { SqliteDeliveries } from './deliveries.js';
import { SqliteRules } from './rules-table.js';
import { SqliteBuses, type BusDefaults } from './buses.js';
import { SqliteEventLog } from './event-log.js';
import { databaseFile, openDatabase, setMaxBytes, type SqliteOptions } from './open.js';
import { startCheckpointer } from './checkpointer.js';
import { sweep } from './sweep.js';
import { SqliteConnections, SqliteSources, type ConnectionTable, type SourceTable } from './sources-table.js';

export interface SqliteStore extends Store {
  rules: RuleStore;
  deliveries: DeliveryQueue;
  sources: SourceTable;
  connections: ConnectionTable;
  /** Changes the size cap at run time (raising it lets a full store accept events again). */
  setMaxBytes(maxBytes: number | undefined): void;
  /** Sizes SQLite's page cache (part of the memory budget: it holds event rows too). */
  setCacheBytes(bytes: number): void;
}

export function openSqliteStore(options: SqliteOptions & BusDefaults): SqliteStore {
  const db = openDatabase(options);
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
    // A negative cache_size is in KiB (https://www.sqlite.org/pragma.html#pragma_cache_size).
    setCacheBytes: (bytes) => void db.pragma(`cache_size = -${Math.max(1, Math.floor(bytes / 1024))}`),
    async close() {
      if (closed) return;
      closed = true;
      await log.close();
      await checkpointer.stop();
      db.close();
    },
  };
}
