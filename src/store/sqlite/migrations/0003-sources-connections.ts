import type { Migration } from './index.js';

/**
 * Sources (issue 6): one JSON document per source, keyed by its process-wide name. The bus is kept by
 * name, not by id: a source outlives neither the check at PUT nor the bus itself, and a source whose
 * bus was deleted fails its appends (HERALD_BUS_NOT_FOUND) and says so in its status rather than
 * blocking the bus deletion.
 *
 * Connections: named credentials. `secrets` is a JSON object of string fields, kept in this file in
 * clear text — the data directory is the trust boundary (docs/sources.md says so); the API never
 * returns the values.
 */
export const m0003SourcesConnections: Migration = {
  version: 3,
  name: 'sources and connections',
  sql: `
CREATE TABLE sources (
  name TEXT PRIMARY KEY,
  doc  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE connections (
  name        TEXT PRIMARY KEY,
  type        TEXT,
  description TEXT NOT NULL DEFAULT '',
  secrets     TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) WITHOUT ROWID;
`,
};
