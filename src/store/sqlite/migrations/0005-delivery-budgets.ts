import type { Migration } from './index.js';

export const m0005DeliveryBudgets: Migration = {
  version: 5,
  name: 'retry budgets and redrives on deliveries; when the router passed each event',
  sql: `
-- Issue 10, item 3. \`attempts\` now counts every logged attempt (it must agree with the attempt log);
-- \`spent\` is what the retry policy counts: attempts since the delivery was made or last redriven,
-- 429s excluded. \`budget_at\` is where the policy's maximum age counts from: when the bus stored
-- the event, or the last redrive (before, a redriven dead letter older than the maximum age died
-- again without a request). \`redrives\` is the JSON history of redrives of this delivery.
ALTER TABLE deliveries ADD COLUMN spent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN budget_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN redrives TEXT;
UPDATE deliveries SET spent = attempts, budget_at = event_at,
  attempts = (SELECT COUNT(*) FROM attempts a WHERE a.delivery_id = deliveries.id);

-- Issue 10, item 4: every event gets a final answer, also when no rule matched it. One row per
-- router transaction: the events up to \`seq\` (past the previous mark) were routed at \`at\`.
CREATE TABLE route_marks (
  bus_id INTEGER NOT NULL,
  seq    INTEGER NOT NULL,
  at     INTEGER NOT NULL,
  PRIMARY KEY (bus_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER route_marks_of_deleted_bus AFTER DELETE ON buses BEGIN
  DELETE FROM route_marks WHERE bus_id = OLD.id;
END;
`,
};
