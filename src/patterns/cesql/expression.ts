/**
 * The public face of the CESQL engine: compile once (`compileCesql`), evaluate many times
 * (`evaluate`, `matchesCesql`). Parse errors are HERALD_INVALID_FILTER with the position.
 */
import { HeraldError } from '../../errors/index.js';
import { compileNode } from './compile.js';
import { impliedTypes } from './implied-types.js';
import { CesqlSyntaxError } from './lexer.js';
import { CesqlLimitError, parseCesql } from './parser.js';

/**
 * The longest expression accepted (docs/filters-cesql.md, "Limits"). It also bounds the longest
 * LIKE pattern, whose `_` segments cost ⌈length/32⌉ word operations per character matched.
 */
export const MAX_CESQL_CHARS = 8192;
import type { CesqlError, CesqlType, EvalContext, EvaluationResult, Evaluator, Node } from './types.js';

export interface CompiledExpression {
  readonly text: string;
  readonly ast: Node;
  /** The static type of the whole expression; a filter needs Boolean (CESQL §1.2). */
  readonly type: CesqlType;
  readonly run: Evaluator;
  /** Errors certain before any event is seen (calls to functions that do not exist). */
  readonly staticErrors: readonly CesqlError[];
  /** Event types the expression can be true for (`null`: any), for the matcher's type index. */
  readonly impliedTypes: ReadonlySet<string> | null;
}

/**
 * Parses and compiles an expression. Throws HERALD_INVALID_FILTER (`field` defaults to `cesql`,
 * `details.position` the 1-based column, `details.kind` 'parse') when it does not parse. A call to an
 * unknown function is not a parse error (the TCK evaluates it to false with a MissingFunctionError);
 * it is listed in `staticErrors`, and `validateCesql` rejects it.
 */
export function compileCesql(text: string, field = 'cesql'): CompiledExpression {
  if (typeof text !== 'string') {
    throw new HeraldError('HERALD_INVALID_FILTER', 'a CloudEvents SQL expression must be a string', field, { kind: 'parse' });
  }
  let ast: Node;
  try {
    // Parsed before the length is checked, so that deep input is reported as too deep (the parser
    // stops at the depth limit; the lexer before it is a linear loop).
    ast = parseCesql(text);
  } catch (error) {
    if (error instanceof CesqlLimitError) {
      throw new HeraldError(error.limit === 'depth' ? 'HERALD_TOO_DEEP' : 'HERALD_INVALID_FILTER', `CloudEvents SQL: ${error.message}`, field, {
        kind: 'parse',
        position: error.position,
      });
    }
    if (error instanceof CesqlSyntaxError) {
      throw new HeraldError('HERALD_INVALID_FILTER', `CloudEvents SQL parse error: ${error.message}`, field, {
        kind: 'parse',
        position: error.position,
      });
    }
    throw error;
  }
  if (text.length > MAX_CESQL_CHARS) {
    throw new HeraldError('HERALD_INVALID_FILTER', `CloudEvents SQL: the expression is ${text.length} characters, over the limit of ${MAX_CESQL_CHARS}`, field, {
      kind: 'parse',
    });
  }
  const staticErrors: CesqlError[] = [];
  const compiled = compileNode(ast, staticErrors);
  return Object.freeze({
    text,
    ast,
    type: compiled.type,
    run: compiled.run,
    staticErrors: Object.freeze(staticErrors),
    impliedTypes: impliedTypes(ast),
  });
}

/** Compiles and checks that the expression can be a filter: no unknown function, not certainly non-Boolean. */
export function validateCesql(text: string, field = 'cesql'): CompiledExpression {
  const compiled = compileCesql(text, field);
  const missing = compiled.staticErrors[0];
  if (missing !== undefined) {
    throw new HeraldError('HERALD_INVALID_FILTER', `CloudEvents SQL error: ${missing.message} at position ${missing.position}`, field, {
      kind: missing.kind,
      position: missing.position,
    });
  }
  // CESQL §1.2: a filter's value MUST be Boolean; an Integer or String expression can never pass.
  if (compiled.type === 'integer' || compiled.type === 'string') {
    throw new HeraldError(
      'HERALD_INVALID_FILTER',
      `CloudEvents SQL filter yields ${compiled.type === 'integer' ? 'an Integer' : 'a String'}, not a Boolean`,
      field,
      { kind: 'generic', position: 1 },
    );
  }
  return compiled;
}

function asEvent(event: unknown): Record<string, unknown> {
  return typeof event === 'object' && event !== null && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
}

/** Evaluates against one event: the value and the error list beside it (CESQL §3.3). */
export function evaluate(compiled: CompiledExpression, event: unknown): EvaluationResult {
  const ctx: EvalContext = { event: asEvent(event), errors: null };
  const value = compiled.run(ctx);
  return { value, errors: ctx.errors ?? [] };
}

/**
 * The filter decision (CESQL §1.2): true only when the value is Boolean true and no error occurred.
 * `errorsOut`, when given, receives the evaluation's errors.
 */
export function matchesCesql(compiled: CompiledExpression, event: unknown, errorsOut?: CesqlError[]): boolean {
  const ctx: EvalContext = { event: asEvent(event), errors: null };
  const value = compiled.run(ctx);
  if (ctx.errors !== null) {
    if (errorsOut !== undefined) errorsOut.push(...ctx.errors);
    return false;
  }
  return value === true;
}
