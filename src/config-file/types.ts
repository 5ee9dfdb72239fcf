/**
 * herald.yaml: the declarative form of a Herald's buses and rules (issue 5). The file is the source
 * of truth when applied; changes made through the API stand until the next apply.
 *
 *   buses:
 *     - name: orders
 *       description: Order lifecycle events
 *       retention: 7d          # a duration (500ms, 30s, 5m, 24h, 7d) or milliseconds
 *       dedupeWindow: 24h
 *       rules:
 *         - <RuleSpec, as POST /v1/buses/{bus}/rules takes it>
 */
import type { RuleSpec } from '../rules/types.js';

/** A path into the file's data: keys and array indexes (`buses`, 0, `rules`, 2, `name`). */
export type Segment = string | number;

export interface Position {
  line: number;
  col: number;
}

export interface BusDeclaration {
  name: string;
  description?: string;
  retentionMs?: number;
  dedupeWindowMs?: number;
  /** The rules the file declares for the bus; a bus without `rules:` declares none. */
  rules: RuleSpec[];
}

/** A parsed, validated herald.yaml; durations are already milliseconds. */
export interface HeraldFile {
  /** The name errors are reported with (the path as the user gave it). */
  name: string;
  buses: BusDeclaration[];
  /** Where a path of the file's data starts (best effort: the deepest part of the path that exists). */
  locate(path: Segment[]): Position;
}

/** A changed field: `from` absent means added, `to` absent means removed. */
export interface FieldChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

export const PLAN_ACTIONS = ['create', 'update', 'delete', 'unchanged', 'unmanaged'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export interface PlanItem {
  action: PlanAction;
  kind: 'bus' | 'rule';
  bus: string;
  rule?: string;
  /** For update: the fields that differ, current → file. */
  changes: FieldChange[];
  /** What is sent: the bus settings (create/update) or the rule spec (create/update). */
  body?: unknown;
  /** Where in the file the bus or rule is declared (for error positions). */
  source?: Segment[];
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
  unmanaged: number;
}

export interface Plan {
  items: PlanItem[];
  summary: PlanSummary;
}

/** What the server has now, as the plan sees it. */
export interface CurrentState {
  buses: Array<{ name: string; description?: string; retentionMs?: number; dedupeWindowMs?: number }>;
  /** Rules by bus name (RuleRecords as the API returns them). */
  rules: Record<string, unknown[]>;
}

export interface ApplyOptions {
  /** Base URL of the Herald server, e.g. http://127.0.0.1:8740. */
  server: string;
  /** Compute and return the plan; change nothing. */
  dryRun?: boolean;
  /** Delete rules, and buses other than `default`, that the file does not name. */
  prune?: boolean;
  /** Called before each change is made (`[2/5] + rule orders/notify`). */
  onProgress?: (line: string) => void;
}

export interface ApplyResult {
  file: string;
  server: string;
  dryRun: boolean;
  prune: boolean;
  plan: Plan;
  /** How many changes were made (0 on a dry run). */
  applied: number;
}
