import type { Migration } from './index.js';

export const m0004EvaluationErrors: Migration = {
  version: 4,
  name: 'filter evaluation errors, for the trace',
  sql: `
-- A CloudEvents SQL filter that fails to evaluate on an event does not match it
-- (subscriptions-spec.md); the error is kept here so the event's trace can say why.
CREATE TABLE evaluation_errors (
  bus_id  INTEGER NOT NULL,
  seq     INTEGER NOT NULL,
  rule    TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX evaluation_errors_event ON evaluation_errors (bus_id, seq);
`,
};
