import type { Migration } from './index.js';

export const m0001Events: Migration = {
  version: 1,
  name: 'buses, events and dedupe',
  sql: `
CREATE TABLE buses (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  description      TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  retention_ms     INTEGER NOT NULL,
  dedupe_window_ms INTEGER NOT NULL
);

-- One row per stored event. received_at is non-decreasing in seq (both assigned at commit), which
-- retention relies on to delete by sequence range.
CREATE TABLE events (
  bus_id      INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  source      TEXT NOT NULL,
  id          TEXT NOT NULL,
  body        TEXT NOT NULL
);
CREATE UNIQUE INDEX events_bus_seq ON events (bus_id, seq);

-- (source, id) of stored events, per bus, for dedupe within the bus's window. A row lives as long
-- as its event (retention deletes both); the window is checked when a (source, id) comes again.
-- No index on \`at\`: it would double the cost of every append.
CREATE TABLE dedupe (
  bus_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  id     TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  at     INTEGER NOT NULL,
  PRIMARY KEY (bus_id, source, id)
) WITHOUT ROWID;
`,
};
