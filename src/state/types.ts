/**
 * The desired state of a Herald (connections, buses with their rules, sources) and the plan that
 * makes the store match it (issue 10, item 6). herald.yaml is one way to write a desired state; the
 * server's `POST /v1/apply` validates, plans and applies one in a single store transaction.
 */
import type { RuleSpec } from '../rules/types.js';
import type { SourceSpec } from '../sources/types.js';
import type { Segment } from './data-path.js';

export type { Segment } from './data-path.js';

export interface BusDeclaration {
  name: string;
  description?: string;
  retentionMs?: number;
  dedupeWindowMs?: number;
  /** The rules the file declares for the bus; a bus without `rules:` declares none. */
  rules: RuleSpec[];
}

/** A string of herald.yaml whose value came from `${VAR}` (config-file/env.ts): where it is, and its text as written. */
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
  /** The strings of `spec` that came from the environment: masked in the plan (none when the server plans). */
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
  /** Where the item is declared in the desired state (`buses`, 1, `rules`, 0): herald.yaml has the same shape. */
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


/** A bus as the desired state declares it: its settings as `POST /v1/buses` takes them, and its rules. */
export interface BusInput {
  name: string;
  description?: string;
  retentionMs?: number;
  dedupeWindowMs?: number;
  /** RuleSpecs, as `PUT /v1/buses/{bus}/rules/{rule}` takes them (unvalidated). */
  rules?: unknown[];
}

/**
 * The desired state `POST /v1/apply` takes. A section left out is not managed (not even by prune);
 * `buses` left out declares none.
 */
export interface DesiredState {
  /** `PUT /v1/connections/{name}` bodies, with the name. */
  connections?: unknown[];
  buses?: BusInput[];
  /** `PUT /v1/sources/{name}` bodies, with the name. */
  sources?: unknown[];
}

/** The body of `POST /v1/apply`. */
export interface ApplyRequest {
  /** Validate and plan only; write nothing. @defaultValue false */
  dryRun?: boolean;
  /** Delete what the state does not name (see PlanOptions). @defaultValue false */
  prune?: boolean;
  /** Rewrite every declared connection (the store never shows secret values to compare). @defaultValue false */
  updateConnections?: boolean;
  /**
   * The deletes the caller confirmed (`itemKey`: `bus scratch`, `rule orders/old`): when given, a plan
   * that deletes anything else — the store changed since the caller's dry run — is refused whole.
   * @defaultValue no check
   */
  confirmDeletes?: string[];
  state: DesiredState;
}

/** The answer of `POST /v1/apply`. */
export interface ApplyResponse {
  plan: Plan;
  /** True when the plan's changes were committed (false on a dry run, or when there was nothing to do). */
  applied: boolean;
}
