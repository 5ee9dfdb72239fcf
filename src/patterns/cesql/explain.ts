/**
 * Why a CESQL filter did or did not match one event (`POST /v1/filters/test`). Not on the hot
 * path: it may re-compile parts of the expression to say which conjunct failed.
 */
import type { Explanation } from '../matcher.js';
import { attributeValue } from './attributes.js';
import { compileNode } from './compile.js';
import { evaluate, validateCesql, type CompiledExpression } from './expression.js';
import { TYPE_NAMES, typeOfValue, type CesqlError, type Node } from './types.js';

type Reason = Explanation['reasons'][number];

/** Explains a filter against an event; throws HERALD_INVALID_FILTER when the filter is invalid. */
export function explainCesql(text: string, event: unknown, field = 'cesql'): Explanation {
  return explainCompiled(validateCesql(text, field), event, field);
}

/** As explainCesql, for an expression already compiled (the `sql` dialect of Subscriptions). */
export function explainCompiled(compiled: CompiledExpression, event: unknown, field: string): Explanation {
  const text = compiled.text;
  const { value, errors } = evaluate(compiled, event);
  if (errors.length > 0) return { matched: false, reasons: errors.map((e) => errorReason(e, field)) };
  if (value === true) return { matched: true, reasons: [] };
  if (typeof value !== 'boolean') {
    return {
      matched: false,
      reasons: [{ field, reason: `the expression yields ${TYPE_NAMES[typeOfValue(value)]} ${JSON.stringify(value)}, not Boolean true` }],
    };
  }
  return { matched: false, reasons: falseConjuncts(text, compiled.ast, event, field) };
}

/** An evaluation error as a reason naming the attribute at fault (or the filter's field). */
export function errorReason(error: CesqlError, field = 'cesql'): Reason {
  return {
    field: error.attribute ?? field,
    reason: `${error.kind} error at position ${error.position}: ${error.message}`,
  };
}

function conjuncts(node: Node): Node[] {
  return node.kind === 'binary' && node.op === 'AND' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

function attributesOf(node: Node, out: Set<string>): Set<string> {
  switch (node.kind) {
    case 'attribute':
    case 'exists':
      out.add(node.name);
      break;
    case 'not':
    case 'negate':
    case 'like':
      attributesOf(node.operand, out);
      break;
    case 'in':
      attributesOf(node.operand, out);
      for (const n of node.set) attributesOf(n, out);
      break;
    case 'binary':
      attributesOf(node.left, out);
      attributesOf(node.right, out);
      break;
    case 'call':
      for (const n of node.args) attributesOf(n, out);
      break;
    case 'literal':
      break;
  }
  return out;
}

function falseConjuncts(text: string, ast: Node, event: unknown, field: string): Reason[] {
  const record = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  const reasons: Reason[] = [];
  for (const part of conjuncts(ast)) {
    const run = compileNode(part, []).run;
    const ctx = { event: record, errors: null };
    if (run(ctx) === true) continue;
    const names = [...attributesOf(part, new Set())];
    const values = names.map((name) => {
      const v = attributeValue(record, name);
      return v === undefined ? `${name} is absent` : `${name} is ${JSON.stringify(v)}`;
    });
    const source = text.slice(part.pos - 1, part.end - 1);
    reasons.push({
      field: names[0] ?? field,
      reason: `\`${source}\` is false${values.length > 0 ? ` (${values.join(', ')})` : ''}`,
    });
  }
  // A false result always has a false conjunct; the fallback only guards odd shapes.
  return reasons.length > 0 ? reasons : [{ field, reason: 'the expression is false' }];
}
