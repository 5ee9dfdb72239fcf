/**
 * CloudEvents SQL v1 — the value model, error kinds and syntax tree shared by the lexer, parser
 * and compiler. Spec: reference/cloudevents/cesql-spec.md (cited below as "CESQL §n").
 */

/** A CESQL value (CESQL §3.1): String, Integer (a JS number kept inside int32) or Boolean. */
export type CesqlValue = string | number | boolean;

/** The static type of a sub-expression; `any` for attribute reads, known only per event. */
export type CesqlType = 'string' | 'integer' | 'boolean' | 'any';

/** The error kinds every engine MUST support (CESQL §3.3), spelled as the TCK spells them. */
export const CESQL_ERROR_KINDS = [
  'parse',
  'math',
  'cast',
  'missingFunction',
  'functionEvaluation',
  'missingAttribute',
  'generic',
] as const;
export type CesqlErrorKind = (typeof CESQL_ERROR_KINDS)[number];

/** One entry of the evaluation's error list (CESQL §3.3); `position` is the 1-based column in the expression. */
export interface CesqlError {
  kind: CesqlErrorKind;
  message: string;
  position: number;
  /** The attribute at fault, for missingAttribute errors. */
  attribute?: string;
  /** Where the expression sits in a Subscriptions filter, e.g. `subscriptions[0].all[1].sql`. */
  filter?: string;
}

/** The result of one evaluation: the value and, beside it, the error list (CESQL §1, §3.3). */
export interface EvaluationResult {
  value: CesqlValue;
  errors: CesqlError[];
}

/** Evaluation state for one event. `errors` stays null on the (common) error-free path: no allocation. */
export interface EvalContext {
  event: Record<string, unknown>;
  errors: CesqlError[] | null;
  /** LIKE's work in this evaluation, created by the first LIKE (compile.ts, MAX_CESQL_STEPS). */
  work?: { steps: number; limit: number; exceeded?: boolean };
}

export type Evaluator = (ctx: EvalContext) => CesqlValue;

/** A compiled sub-expression: its static type and its closure. */
export interface CompiledNode {
  type: CesqlType;
  run: Evaluator;
}

// --- syntax tree (CESQL §2); `pos` is the 1-based column of the node's first token ---

export type BinaryOperator =
  | 'AND' | 'OR' | 'XOR'
  | '=' | '!=' | '<>' | '<' | '<=' | '>' | '>='
  | '+' | '-' | '*' | '/' | '%';

export type Node =
  | { kind: 'literal'; value: CesqlValue; pos: number; end: number }
  | { kind: 'attribute'; name: string; pos: number; end: number }
  | { kind: 'not'; operand: Node; pos: number; end: number }
  | { kind: 'negate'; operand: Node; pos: number; end: number }
  | { kind: 'binary'; op: BinaryOperator; left: Node; right: Node; pos: number; end: number }
  | { kind: 'like'; operand: Node; pattern: string; negated: boolean; pos: number; end: number }
  | { kind: 'in'; operand: Node; set: Node[]; negated: boolean; pos: number; end: number }
  | { kind: 'exists'; name: string; pos: number; end: number }
  | { kind: 'call'; name: string; args: Node[]; pos: number; end: number };

export function zeroValue(type: CesqlType): CesqlValue {
  // CESQL §3.2: when the return type cannot be determined, assume Boolean.
  return type === 'string' ? '' : type === 'integer' ? 0 : false;
}

export function typeOfValue(value: CesqlValue): Exclude<CesqlType, 'any'> {
  return typeof value === 'string' ? 'string' : typeof value === 'number' ? 'integer' : 'boolean';
}

export const TYPE_NAMES: Record<CesqlType, string> = {
  string: 'String',
  integer: 'Integer',
  boolean: 'Boolean',
  any: 'Any',
};
