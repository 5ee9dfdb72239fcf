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
 *   connections:               # issue 6: named credentials, values from the environment
 *     - name: orders-db
 *       secrets: { url: "${ORDERS_DB_URL}" }
 *   sources:                   # issue 6: PUT /v1/sources/{name} bodies
 *     - name: hourly
 *       type: schedule
 *       bus: orders
 *       config: { expression: "rate(1 hour)" }
 */
import type { RuleSpec } from '../rules/types.js';
import type { SourceSpec } from '../sources/types.js';

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

/** A string of the file whose value came from `${VAR}` (env.ts): where it is, and its text as written. */
export interface Substitution {
  /** Inside the declaration (`['config', 'url']`, `['secrets', 'password']`). */
  path: Segment[];
  /** The text as the file writes it (`nats://app:${NATS_PASSWORD}@nats:4222`): what the plan shows. */
  text: string;
}

export interface SourceDeclaration {
  name: string;
  /** What `PUT /v1/sources/{name}` is sent, `${VAR}`s already replaced. */
  spec: SourceSpec;
  /** The strings of `spec` that came from the environment: masked in the plan. */
  substituted: Substitution[];
}

export interface ConnectionDeclaration {
  name: string;
  type?: string;
  description?: string;
  /** The secret values, `${VAR}`s already replaced; never put in a plan (only their keys are). */
  secrets: Record<string, string>;
}

/** What a file declares; a section left out of the file (`sources:`) is undefined, not empty. */
export interface Declarations {
  buses: BusDeclaration[];
  /** Undefined when the file has no `sources:` section: the server's sources are then left alone, even by prune. */
  sources?: SourceDeclaration[];
  /** Undefined when the file has no `connections:` section: as for sources. */
  connections?: ConnectionDeclaration[];
}

/** A parsed, validated herald.yaml; durations are already milliseconds. */
export interface HeraldFile extends Declarations {
  /** The name errors are reported with (the path as the user gave it). */
  name: string;
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

export const PLAN_KINDS = ['connection', 'bus', 'source', 'rule'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export interface PlanItem {
  action: PlanAction;
  kind: PlanKind;
  /** The bus (kind bus or rule), or the bus a source appends to (kind source); '' for a connection. */
  bus: string;
  rule?: string;
  /** The source's or connection's name (kinds source and connection). */
  name?: string;
  /** For update: the fields that differ, current → file. Secret values never appear here. */
  changes: FieldChange[];
  /**
   * What is sent, for display and scripts: the bus settings, the rule spec, the source spec with
   * values from the environment shown as the file writes them (`${VAR}`), or the connection with
   * its secret keys only. Apply sends the real values from the file, not this.
   */
  body?: unknown;
  /** Where in the file the item is declared (for error positions). */
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
  /** The server's sources (SourceViews), read only when the file has a `sources:` section. */
  sources?: unknown[];
  /** The server's connections (names, keys; never values), read only when the file has `connections:`. */
  connections?: Array<{ name: string; type?: string; description?: string; keys?: string[] }>;
}

export interface ApplyOptions {
  /** Base URL of the Herald server, e.g. http://127.0.0.1:8740. */
  server: string;
  /** Compute and return the plan; change nothing. */
  dryRun?: boolean;
  /**
   * Delete rules, and buses other than `default`, that the file does not name; and the sources and
   * connections it does not name, when it has a `sources:` / `connections:` section.
   */
  prune?: boolean;
  /**
   * Rewrite every connection the file declares, even when nothing comparable changed: the server
   * never returns secret values, so a changed value alone cannot be detected (docs/configuration.md).
   */
  updateConnections?: boolean;
  /** Where `${VAR}` is looked up. @defaultValue process.env */
  env?: Record<string, string | undefined>;
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
