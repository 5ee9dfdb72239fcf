import type { Migration } from './index.js';

export const m0002RulesDeliveries: Migration = {
  version: 2,
  name: 'rules, router cursors, deliveries and attempts',
  sql: `
-- A rule is one JSON document (RuleRecord), validated whole before it is written.
CREATE TABLE rules (
  bus_id INTEGER NOT NULL,
  name   TEXT NOT NULL,
  doc    TEXT NOT NULL,
  PRIMARY KEY (bus_id, name)
) WITHOUT ROWID;

-- How far the router has read each bus; advanced in the transaction that enqueues the deliveries.
CREATE TABLE router_cursors (
  bus_id INTEGER PRIMARY KEY,
  seq    INTEGER NOT NULL
);

-- One row per (event, rule, target). state: pending | delivered | dead | cancelled.
CREATE TABLE deliveries (
  id          INTEGER PRIMARY KEY,
  bus_id      INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  rule        TEXT NOT NULL,
  target      TEXT NOT NULL,
  state       TEXT NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  event_at    INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  reason      TEXT,
  last_error  TEXT,
  last_status INTEGER
);
CREATE INDEX deliveries_due ON deliveries (bus_id, rule, target, state, next_at);
CREATE INDEX deliveries_event ON deliveries (bus_id, seq);

CREATE TABLE attempts (
  delivery_id INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  latency_ms  REAL NOT NULL,
  outcome     TEXT NOT NULL,
  status      INTEGER,
  error       TEXT,
  PRIMARY KEY (delivery_id, attempt)
) WITHOUT ROWID;
`,
};
