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
import type { Declarations, Plan, Segment } from '../state/types.js';

export type {
  BusDeclaration,
  ConnectionDeclaration,
  CurrentState,
  Declarations,
  FieldChange,
  Plan,
  PlanAction,
  PlanItem,
  PlanKind,
  PlanSummary,
  Segment,
  SourceDeclaration,
  Substitution,
} from '../state/types.js';

export interface Position {
  line: number;
  col: number;
}

/** A parsed, validated herald.yaml; durations are already milliseconds. */
export interface HeraldFile extends Declarations {
  /** The name errors are reported with (the path as the user gave it). */
  name: string;
  /** Where a path of the file's data starts (best effort: the deepest part of the path that exists). */
  locate(path: Segment[]): Position;
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
  /** Refuse (on the server) a plan that deletes anything but these (`itemKey`s of a plan shown before). @defaultValue no check */
  confirmDeletes?: string[];
  /** Where `${VAR}` is looked up. @defaultValue process.env */
  env?: Record<string, string | undefined>;
  /** Told of each change once the one transaction that made them all committed (`[2/5] + rule orders/notify`). */
  onProgress?: (line: string) => void;
}

export interface ApplyResult {
  file: string;
  server: string;
  dryRun: boolean;
  prune: boolean;
  plan: Plan;
  /** How many changes were made, all in one transaction (0 on a dry run). */
  applied: number;
}
