/**
 * `Store.applyState` on SQLite: every change through the tables' synchronous writes inside ONE
 * db.transaction, so POST /v1/apply commits all of them or none (issue 10, item 6). The bus mirror
 * follows each write at once; it is read back from the table when the transaction rolls back, and a
 * deleted bus is forgotten by the event log only once the transaction committed (buses.ts).
 */
import type { StateChange } from '../types.js';
import type { SqliteBuses } from './buses.js';
import type { Db } from './open.js';
import type { SqliteRules } from './rules-table.js';
import type { SqliteConnections, SqliteSources } from './sources-table.js';

export interface StateTables {
  buses: SqliteBuses;
  rules: SqliteRules;
  sources: SqliteSources;
  connections: SqliteConnections;
}

export function applyState(db: Db, tables: StateTables, changes: StateChange[]): void {
  try {
    db.transaction(() => {
      for (const change of changes) applyOne(tables, change);
    })();
  } catch (error) {
    tables.buses.reload();
    throw error;
  }
  tables.buses.committed();
}

function applyOne({ buses, rules, sources, connections }: StateTables, change: StateChange): void {
  switch (change.kind) {
    case 'bus':
      if (change.action === 'create') buses.createSync(change.bus, change.settings);
      else if (change.action === 'update') buses.updateSync(change.bus, change.settings);
      else buses.deleteSync(change.bus);
      return;
    case 'rule':
      if (change.action === 'put') rules.putSync(change.bus, change.name, change.doc);
      else rules.deleteSync(change.bus, change.name);
      return;
    case 'source':
      if (change.action === 'put') sources.putSync(change.name, change.doc);
      else sources.deleteSync(change.name);
      return;
    case 'connection':
      if (change.action === 'put') connections.putSync(change.row);
      else connections.deleteSync(change.name);
  }
}
