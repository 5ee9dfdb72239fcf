import type { Db } from '../open.js';
import type { Migration } from './index.js';

/**
 * Bus and delivery ids are never reused (issue 11, item 2). Both were plain `INTEGER PRIMARY KEY`
 * columns, for which SQLite hands out max(id) + 1: deleting the newest bus (or a bus holding the
 * newest deliveries) let the next bus or delivery take the same id again. A re-created bus then
 * shared its predecessor's identity in every in-memory cache keyed by it, and its deliveries
 * repeated the old `webhook-id`s ({event id}:{delivery id}), which deduping receivers dropped.
 * AUTOINCREMENT remembers the highest id ever used (sqlite_sequence), so ids only grow.
 *
 * SQLite cannot add AUTOINCREMENT to a column in place: each table is rebuilt from its own stored
 * definition (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes"),
 * so columns and indexes added by earlier migrations are kept whatever they are.
 */
export const m0006NeverReusedIds: Migration = {
  version: 6,
  name: 'bus and delivery ids are never reused (AUTOINCREMENT)',
  sql: '',
  up(db) {
    for (const table of ['buses', 'deliveries']) rebuildWithAutoincrement(db, table);
  },
};

function rebuildWithAutoincrement(db: Db, table: string): void {
  const definition = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as string | undefined;
  if (!definition) throw new Error(`migration 6: table ${table} is missing`);
  if (/AUTOINCREMENT/i.test(definition)) return;
  const key = /\bid\s+INTEGER\s+PRIMARY\s+KEY\b/i;
  if (!key.test(definition)) throw new Error(`migration 6: ${table}.id is not an INTEGER PRIMARY KEY`);
  const rebuilt = definition.replace(key, 'id INTEGER PRIMARY KEY AUTOINCREMENT').replace(new RegExp(`^CREATE TABLE\\s+"?${table}"?`, 'i'), `CREATE TABLE ${table}_rebuilt`);
  const dependents = db
    .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL")
    .pluck()
    .all(table) as string[];
  db.exec(rebuilt);
  // Same definition, same column order; AUTOINCREMENT's counter starts at the highest id copied.
  db.exec(`INSERT INTO ${table}_rebuilt SELECT * FROM ${table}`);
  db.exec(`DROP TABLE ${table}`);
  db.exec(`ALTER TABLE ${table}_rebuilt RENAME TO ${table}`);
  for (const sql of dependents) db.exec(sql);
}
