/**
 * Compiles a CESQL syntax tree into closures, once, when a rule is saved; evaluating an event then
 * calls them without re-reading the text or walking a tree.
 *
 * Error model (CESQL §3.3, §4.1 "fail fast", shaped by the official TCK):
 * - an operator or function whose operand evaluation produced an error returns the zero value of its
 *   own return type at once, without evaluating further operands (`missing / 0` is 0 with only a
 *   MissingAttributeError; `true AND (1 != 1 / 0)` is false with a MathError);
 * - an error an operator raises itself (a cast of its operands, division by zero, overflow) is
 *   recorded and the operator still returns its defined value (`NOT 10` is true with a CastError,
 *   `ABS(-2147483648)` is 2147483647 with a MathError).
 * `ctx.errors` stays null until the first error, so the check after each operand is one comparison.
 */
import { attributeReader, hasAttribute, REQUIRED_ATTRIBUTES } from './attributes.js';
import { implicitCaster, pushError, toBooleanValue, toIntegerValue, toStringValue, type Caster } from './casts.js';
import { resolveFunction } from './functions.js';
import { compileLike } from './like.js';
import { compileArithmetic } from './arithmetic.js';
import type { CesqlError, CesqlType, CesqlValue, CompiledNode, EvalContext, Evaluator, Node } from './types.js';

/** Errors known before any event is seen (a call no function answers); the parse itself succeeded. */
export type StaticErrors = CesqlError[];

/** An operand evaluator already cast to `target`; the caller checks `ctx.errors` before using it. */
function operand(node: CompiledNode, target: Exclude<CesqlType, 'any'>, position: number): [Evaluator, Caster | null] {
  return [node.run, implicitCaster(node.type, target, position)];
}

export function compileNode(node: Node, staticErrors: StaticErrors): CompiledNode {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return { type: typeof value === 'string' ? 'string' : typeof value === 'number' ? 'integer' : 'boolean', run: () => value };
    }
    case 'attribute':
      return { type: 'any', run: attributeReader(node.name, node.pos) };
    case 'exists': {
      const name = node.name;
      // CESQL §3.4.4: EXISTS on a REQUIRED attribute is always true (the input is a valid event).
      if (REQUIRED_ATTRIBUTES.has(name)) return { type: 'boolean', run: () => true };
      return { type: 'boolean', run: (ctx) => hasAttribute(ctx.event, name) };
    }
    case 'not': {
      const [run, cast] = operand(compileNode(node.operand, staticErrors), 'boolean', node.operand.pos);
      return {
        type: 'boolean',
        run: (ctx) => {
          const v = run(ctx);
          if (ctx.errors !== null) return false;
          return !(cast === null ? v : cast(ctx, v));
        },
      };
    }
    case 'negate': {
      const [run, cast] = operand(compileNode(node.operand, staticErrors), 'integer', node.operand.pos);
      const pos = node.pos;
      return {
        type: 'integer',
        run: (ctx) => {
          const v = run(ctx);
          if (ctx.errors !== null) return 0;
          const n = (cast === null ? v : cast(ctx, v)) as number;
          if (n === -2147483648) {
            pushError(ctx, { kind: 'math', message: '-(-2147483648) overflows 32 bits', position: pos });
            return 0;
          }
          return n === 0 ? 0 : -n;
        },
      };
    }
    case 'like':
      return compileLikeNode(node, staticErrors);
    case 'in':
      return compileIn(node, staticErrors);
    case 'call':
      return compileCall(node, staticErrors);
    case 'binary':
      return compileBinary(node, staticErrors);
  }
}

/**
 * The LIKE work one evaluation may do, in glob steps (about one per character scanned): with at most
 * 2 000 nodes, an expression could otherwise run hundreds of LIKEs over a megabyte-long attribute.
 * Past it, the LIKE is false with an error, so the filter fails closed (docs/filters-cesql.md, "Limits").
 */
export const MAX_CESQL_STEPS = 10_000_000;

function compileLikeNode(node: Extract<Node, { kind: 'like' }>, staticErrors: StaticErrors): CompiledNode {
  const test = compileLike(node.pattern);
  const negated = node.negated;
  const inner = compileNode(node.operand, staticErrors);
  const run = inner.run;
  const pos = node.pos;
  const like = (ctx: EvalContext, s: string): boolean => {
    const work = ctx.work ?? (ctx.work = { steps: 0, limit: MAX_CESQL_STEPS });
    const matched = test(s, work);
    if (work.exceeded === true) {
      pushError(ctx, { kind: 'generic', message: `evaluation limit: LIKE on a ${s.length}-character value would pass ${MAX_CESQL_STEPS} steps for this event`, position: pos });
      return false;
    }
    return matched !== negated;
  };
  // §3.4.3: a non-String left operand is cast to String (always succeeds).
  return {
    type: 'boolean',
    run: (ctx) => {
      const v = run(ctx);
      if (ctx.errors !== null) return false;
      return like(ctx, typeof v === 'string' ? v : toStringValue(v));
    },
  };
}

/** `x [NOT] IN (…)` (§3.4.5): `=` semantics, each element cast to the type of `x`. */
function compileIn(node: Extract<Node, { kind: 'in' }>, staticErrors: StaticErrors): CompiledNode {
  const left = compileNode(node.operand, staticErrors).run;
  const set = node.set.map((element) => ({ run: compileNode(element, staticErrors).run, pos: element.pos }));
  const negated = node.negated;
  return {
    type: 'boolean',
    run: (ctx) => {
      const x = left(ctx);
      if (ctx.errors !== null) return false;
      for (const element of set) {
        const y = element.run(ctx);
        if (ctx.errors !== null) return false;
        const equal = equalsAs(ctx, x, y, element.pos);
        // A cast error stops the search (fail fast): the elements after it are not evaluated.
        if (ctx.errors !== null) return equal !== negated;
        if (equal) return !negated;
      }
      return negated;
    },
  };
}

/** `y` cast to the runtime type of `x`, then compared (IN's rule, §3.7). */
function equalsAs(ctx: EvalContext, x: CesqlValue, y: CesqlValue, position: number): boolean {
  switch (typeof x) {
    case 'string':
      return x === toStringValue(y);
    case 'number':
      return x === toIntegerValue(ctx, y, position);
    default:
      return x === toBooleanValue(ctx, y, position, false);
  }
}

function compileCall(node: Extract<Node, { kind: 'call' }>, staticErrors: StaticErrors): CompiledNode {
  const def = resolveFunction(node.name, node.args.length);
  const pos = node.pos;
  if (def === undefined) {
    const error: CesqlError = {
      kind: 'missingFunction',
      message: `no function ${node.name} taking ${node.args.length} argument${node.args.length === 1 ? '' : 's'}`,
      position: pos,
    };
    staticErrors.push(error);
    // §3.5: a call that cannot be dispatched is false with a MissingFunctionError.
    return { type: 'boolean', run: (ctx) => { pushError(ctx, { ...error }); return false; } };
  }
  const args = node.args.map((arg, i) => {
    const compiled = compileNode(arg, staticErrors);
    const target = i < def.params.length ? def.params[i] : (def.variadic ?? 'any');
    return { run: compiled.run, cast: target === 'any' ? null : implicitCaster(compiled.type, target, arg.pos) };
  });
  const zero = def.returns === 'string' ? '' : def.returns === 'integer' ? 0 : false;
  const impl = def.impl;
  return {
    type: def.returns,
    run: (ctx) => {
      const values: CesqlValue[] = new Array<CesqlValue>(args.length);
      for (let i = 0; i < args.length; i++) {
        values[i] = args[i].run(ctx);
        if (ctx.errors !== null) return zero;
      }
      for (let i = 0; i < args.length; i++) {
        const cast = args[i].cast;
        if (cast !== null) values[i] = cast(ctx, values[i]);
      }
      return impl(ctx, values, pos);
    },
  };
}

function compileBinary(node: Extract<Node, { kind: 'binary' }>, staticErrors: StaticErrors): CompiledNode {
  const left = compileNode(node.left, staticErrors);
  const right = compileNode(node.right, staticErrors);
  switch (node.op) {
    case 'AND':
    case 'OR':
    case 'XOR':
      return compileLogic(node.op, left, right, node);
    case '=':
    case '!=':
    case '<>':
      return compileEquality(node.op !== '=', left, right, node);
    default:
      return compileArithmetic(node.op, left, right, node);
  }
}

function compileLogic(op: 'AND' | 'OR' | 'XOR', left: CompiledNode, right: CompiledNode, node: Extract<Node, { kind: 'binary' }>): CompiledNode {
  const [l, lc] = operand(left, 'boolean', node.left.pos);
  const [r, rc] = operand(right, 'boolean', node.right.pos);
  // §3.4.2 / §3.6: AND and OR MUST short-circuit.
  const stop = op === 'AND' ? false : true;
  if (op !== 'XOR') {
    return {
      type: 'boolean',
      run: (ctx) => {
        const a = l(ctx);
        if (ctx.errors !== null) return false;
        const ab = lc === null ? a : lc(ctx, a);
        // A cast error on the left stops here (fail fast), before the right operand is evaluated.
        if (ab === stop || ctx.errors !== null) return ab;
        const b = r(ctx);
        if (ctx.errors !== null) return false;
        return rc === null ? b : rc(ctx, b);
      },
    };
  }
  return {
    type: 'boolean',
    run: (ctx) => {
      const a = l(ctx);
      if (ctx.errors !== null) return false;
      const b = r(ctx);
      if (ctx.errors !== null) return false;
      return (lc === null ? a : lc(ctx, a)) !== (rc === null ? b : rc(ctx, b));
    },
  };
}

/**
 * `=`, `!=`, `<>` are ambiguous (defined for String, Integer and Boolean): the right operand's type
 * picks the definition and the left operand is cast to it (§3.7). When the right type is known at
 * compile time the cast is chosen once; for an attribute it is chosen per event.
 */
function compileEquality(negated: boolean, left: CompiledNode, right: CompiledNode, node: Extract<Node, { kind: 'binary' }>): CompiledNode {
  const l = left.run;
  const r = right.run;
  const pos = node.left.pos;
  if (right.type === 'any') {
    return {
      type: 'boolean',
      run: (ctx) => {
        const a = l(ctx);
        if (ctx.errors !== null) return false;
        const b = r(ctx);
        if (ctx.errors !== null) return false;
        return equalsAs(ctx, b, a, pos) !== negated;
      },
    };
  }
  const cast = implicitCaster(left.type, right.type, pos);
  // The shape of almost every Knative filter: `attribute = 'literal'` — one read, one comparison.
  if (node.left.kind === 'attribute' && node.right.kind === 'literal' && typeof node.right.value === 'string') {
    const literal = node.right.value;
    return {
      type: 'boolean',
      run: (ctx) => {
        const a = l(ctx);
        if (typeof a === 'string') return (a === literal) !== negated;
        if (ctx.errors !== null) return false;
        return (toStringValue(a) === literal) !== negated;
      },
    };
  }
  return {
    type: 'boolean',
    run: (ctx) => {
      const a = l(ctx);
      if (ctx.errors !== null) return false;
      const b = r(ctx);
      if (ctx.errors !== null) return false;
      return ((cast === null ? a : cast(ctx, a)) === b) !== negated;
    },
  };
}

