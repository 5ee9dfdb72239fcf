/**
 * Numbered schema migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records the last one applied. Never edit a released migration: add the next number.
 */
import { m0001Events } from './0001-events.js';
import { m0002RulesDeliveries } from './0002-rules-deliveries.js';
import { m0004EvaluationErrors } from './0004-evaluation-errors.js';
import { m0003SourcesConnections } from './0003-sources-connections.js';
import { m0005DeliveryBudgets } from './0005-delivery-budgets.js';
import { m0006NeverReusedIds } from './0006-never-reused-ids.js';
import type { Db } from '../open.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Steps SQL alone cannot say (e.g. rebuilding a table from its stored definition); run after `sql`. */
  up?(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [m0001Events, m0002RulesDeliveries, m0003SourcesConnections, m0004EvaluationErrors, m0005DeliveryBudgets, m0006NeverReusedIds];
