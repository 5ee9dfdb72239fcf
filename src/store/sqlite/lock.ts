/**
 * One process per data dir (issue 10, item 2). A second `herald start` on the same data dir used to
 * open the same SQLite file, serve stale data and break the first's ingest (`UNIQUE constraint
 * failed`). Before the store opens, the opener takes an exclusive lock on `<data dir>/herald.lock`.
 *
 * The lock is SQLite's own file lock, not a pid file: `herald.lock` is a tiny SQLite database held in
 * `locking_mode=EXCLUSIVE` after a write, so SQLite keeps its EXCLUSIVE lock until the connection
 * closes — and the OS drops it when the process dies, kill -9 included (POSIX advisory locks belong
 * to the process). A stale file after a crash, or a reused pid, can therefore never keep a data dir
 * locked. Inside one process SQLite tracks locks per file too, so a second store opened on the same
 * dir by the same process is refused as well.
 *
 * The holder writes its pid into the header's `user_version` field (bytes 60–63, big-endian; SQLite
 * file format §1.3) as part of that write. The locks SQLite takes are advisory byte-range locks far
 * beyond the header, so a refused opener can still read those four bytes with a plain file read and
 * name the holder.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { HeraldError } from '../../errors/index.js';

export interface DataDirLock {
  readonly file: string;
  /** Releases the lock (idempotent). */
  release(): void;
}

export function lockFile(dataDir: string): string {
  return join(dataDir, 'herald.lock');
}

/** Takes the data dir's lock or throws HERALD_DATA_DIR_LOCKED naming the holder's pid. */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    // BEGIN EXCLUSIVE fails at once (timeout 0) with SQLITE_BUSY when another connection holds it; the
    // committed write then keeps the EXCLUSIVE lock for the connection's life (locking_mode above).
    db.exec('BEGIN EXCLUSIVE');
    db.pragma(`user_version = ${process.pid}`);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw locked(dataDir, file);
    throw error;
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      db.close();
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function locked(dataDir: string, file: string): HeraldError {
  const pid = holderPid(file);
  const holder = pid === undefined ? 'another process' : `process ${pid}`;
  return new HeraldError(
    'HERALD_DATA_DIR_LOCKED',
    `data dir ${dataDir} is in use by ${holder}: one Herald process per data dir (stop it, or use another --data-dir)`,
    'dataDir',
    pid === undefined ? undefined : { pid },
  );
}

/** The pid the holder wrote into the lock file's header, if it is there yet. */
export function holderPid(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const header = Buffer.alloc(4);
    if (readSync(fd, header, 0, 4, 60) !== 4) return undefined;
    const pid = header.readUInt32BE(0);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
