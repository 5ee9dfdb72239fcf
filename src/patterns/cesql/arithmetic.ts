/**
 * Integer operators (CESQL §3.4.2): `< <= > >=` and `+ - * / %`, both operands cast to Integer.
 *
 * Overflow: the spec fixes Integer to 32 bits (§3.1) but does not say what `+ - *` (and
 * `-2147483648 / -1`) return when the result leaves that range. Herald neither wraps nor saturates:
 * it returns 0 (the zero value, §3.3) with a MathError, so a filter whose arithmetic overflows
 * fails closed instead of silently comparing a wrapped number.
 */
import { implicitCaster, pushError } from './casts.js';
import type { BinaryOperator, CesqlValue, CompiledNode, EvalContext, Node } from './types.js';

const MIN = -2147483648;
const MAX = 2147483647;

type IntegerOp = (ctx: EvalContext, a: number, b: number, position: number) => CesqlValue;

function checked(ctx: EvalContext, result: number, what: string, position: number): number {
  if (result < MIN || result > MAX) {
    pushError(ctx, { kind: 'math', message: `${what} overflows 32 bits`, position });
    return 0;
  }
  return result === 0 ? 0 : result;
}

const OPERATIONS: Record<string, IntegerOp> = {
  '<': (_ctx, a, b) => a < b,
  '<=': (_ctx, a, b) => a <= b,
  '>': (_ctx, a, b) => a > b,
  '>=': (_ctx, a, b) => a >= b,
  '+': (ctx, a, b, p) => checked(ctx, a + b, `${a} + ${b}`, p),
  '-': (ctx, a, b, p) => checked(ctx, a - b, `${a} - ${b}`, p),
  // Both factors are below 2^31, so a product that leaves int32 is far from any rounding doubt.
  '*': (ctx, a, b, p) => checked(ctx, a * b, `${a} * ${b}`, p),
  '/': (ctx, a, b, p) => {
    if (b === 0) {
      pushError(ctx, { kind: 'math', message: 'division by zero', position: p });
      return 0;
    }
    // Rounded towards 0 (§3.4.2).
    return checked(ctx, Math.trunc(a / b), `${a} / ${b}`, p);
  },
  '%': (ctx, a, b, p) => {
    if (b === 0) {
      pushError(ctx, { kind: 'math', message: 'modulo by zero', position: p });
      return 0;
    }
    // JS `%` keeps the sign of the dividend, as §3.4.2 asks.
    const r = a % b;
    return r === 0 ? 0 : r;
  },
};

export function compileArithmetic(
  op: Exclude<BinaryOperator, 'AND' | 'OR' | 'XOR' | '=' | '!=' | '<>'>,
  left: CompiledNode,
  right: CompiledNode,
  node: Extract<Node, { kind: 'binary' }>,
): CompiledNode {
  const l = left.run;
  const r = right.run;
  const lc = implicitCaster(left.type, 'integer', node.left.pos);
  const rc = implicitCaster(right.type, 'integer', node.right.pos);
  const operation = OPERATIONS[op];
  const comparison = op === '<' || op === '<=' || op === '>' || op === '>=';
  const zero = comparison ? false : 0;
  const position = node.pos;
  return {
    type: comparison ? 'boolean' : 'integer',
    run: (ctx) => {
      const a = l(ctx);
      if (ctx.errors !== null) return zero;
      const b = r(ctx);
      if (ctx.errors !== null) return zero;
      return operation(
        ctx,
        (lc === null ? a : lc(ctx, a)) as number,
        (rc === null ? b : rc(ctx, b)) as number,
        position,
      );
    },
  };
}
