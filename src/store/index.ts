/**
 * The store's front door: the contract (types.ts) and the one factory that picks an engine
 * (STYLE.md habit 3). This is the only file outside `src/store/<engine>/` that may import an engine
 * (test/store/seam.test.ts).
 */
import { HeraldError } from '../errors/index.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './types.js';
import { isPostgresUrl, redact } from './url.js';

export type * from './types.js';
export { BUS_NAME, DEFAULT_BUS, DELIVERY_STATES } from './types.js';
export { checkName } from './names.js';
export { isPostgresUrl, redact } from './url.js';

/** What opening a store needs; `herald start`'s Config has these fields (src/server/config.ts). */
export interface StoreOptions {
  /** `sqlite` (the embedded engine in `dataDir`) or a `postgres://…` URL (`--store`, HERALD_STORE). */
  store: string;
  /** Folder of the embedded store. */
  dataDir: string;
  /** Size cap in bytes (`--max-store-size`); undefined: none. */
  maxStoreBytes?: number | undefined;
  /** Defaults of a new bus. */
  retentionMs: number;
  dedupeWindowMs: number;
}

/**
 * Opens the store `options.store` names. SQLite: takes the data dir's lock (HERALD_DATA_DIR_LOCKED)
 * and migrates (HERALD_STORE_TOO_NEW when a newer Herald did). A `postgres://` URL is refused with
 * HERALD_INVALID_REQUEST: that engine is issue 12, item 1, and not built yet.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.store === 'sqlite') {
    return openSqliteStore({
      dataDir: options.dataDir,
      maxBytes: options.maxStoreBytes,
      retentionMs: options.retentionMs,
      dedupeWindowMs: options.dedupeWindowMs,
    });
  }
  if (isPostgresUrl(options.store)) {
    throw new HeraldError(
      'HERALD_INVALID_REQUEST',
      `--store ${redact(options.store)}: the PostgreSQL engine is not built yet (issue 12); use --store sqlite, the embedded store in --data-dir`,
      'store',
    );
  }
  throw new HeraldError('HERALD_INVALID_REQUEST', `--store "${redact(options.store)}" is not a store: use sqlite or a postgres://… URL`, 'store');
}
