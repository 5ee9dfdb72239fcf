/**
 * Built-in functions (CESQL §3.5). Overloads are told apart by arity only (§3.5); a variadic
 * definition takes `params.length` fixed arguments and then any number of `variadic` ones.
 */
import { pushError, toBooleanValue, toIntegerValue, toStringValue } from './casts.js';
import type { CesqlType, CesqlValue, EvalContext } from './types.js';

export interface FunctionDefinition {
  name: string;
  params: CesqlType[];
  variadic?: CesqlType;
  returns: Exclude<CesqlType, 'any'>;
  impl: (ctx: EvalContext, args: CesqlValue[], position: number) => CesqlValue;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const WHITE_SPACE = /^\p{White_Space}$/u;

/**
 * TRIM without a RegExp: `/\p{White_Space}+$/` is quadratic on a long run of spaces followed by
 * anything else (the engine retries the run from every start; issue 11, item 1 audit). One scan
 * from each end instead. White_Space characters are all in the BMP, so code units are enough.
 */
function trim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && WHITE_SPACE.test(s[start])) start++;
  while (end > start && WHITE_SPACE.test(s[end - 1])) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** "Character" means Unicode code point (§3.5.1), not UTF-16 unit; the fast path skips the split. */
function chars(s: string): string[] | null {
  return SURROGATE.test(s) ? Array.from(s) : null;
}

function length(s: string): number {
  const cs = chars(s);
  return cs === null ? s.length : cs.length;
}

function slice(s: string, start: number, end?: number): string {
  const cs = chars(s);
  return cs === null ? s.slice(start, end) : cs.slice(start, end).join('');
}

function evaluationError(ctx: EvalContext, name: string, message: string, position: number): void {
  pushError(ctx, { kind: 'functionEvaluation', message: `${name}: ${message}`, position });
}

function substring(ctx: EvalContext, args: CesqlValue[], position: number): string {
  const x = args[0] as string;
  const pos = args[1] as number;
  const len = args.length > 2 ? (args[2] as number) : undefined;
  const n = length(x);
  if (pos > n || pos < -n) {
    evaluationError(ctx, 'SUBSTRING', `position ${pos} is outside a string of length ${n}`, position);
    return '';
  }
  if (len !== undefined && len < 0) {
    evaluationError(ctx, 'SUBSTRING', `length ${len} is negative`, position);
    return '';
  }
  if (pos === 0) return '';
  const start = pos > 0 ? pos - 1 : n + pos;
  return len === undefined ? slice(x, start) : slice(x, start, Math.min(n, start + len));
}

export const BUILTIN_FUNCTIONS: readonly FunctionDefinition[] = [
  // Explicit casts (§3.7): same semantics as implicit ones, except Integer -> Boolean is allowed.
  { name: 'INT', params: ['any'], returns: 'integer', impl: (ctx, [x], p) => toIntegerValue(ctx, x, p) },
  { name: 'BOOL', params: ['any'], returns: 'boolean', impl: (ctx, [x], p) => toBooleanValue(ctx, x, p, true) },
  { name: 'STRING', params: ['any'], returns: 'string', impl: (_ctx, [x]) => toStringValue(x) },
  // §3.5.1 string manipulation
  { name: 'LENGTH', params: ['string'], returns: 'integer', impl: (_ctx, [x]) => length(x as string) },
  { name: 'CONCAT', params: [], variadic: 'string', returns: 'string', impl: (_ctx, xs) => xs.join('') },
  {
    name: 'CONCAT_WS',
    params: ['string'],
    variadic: 'string',
    returns: 'string',
    impl: (_ctx, [delimiter, ...xs]) => xs.join(delimiter as string),
  },
  { name: 'LOWER', params: ['string'], returns: 'string', impl: (_ctx, [x]) => (x as string).toLowerCase() },
  { name: 'UPPER', params: ['string'], returns: 'string', impl: (_ctx, [x]) => (x as string).toUpperCase() },
  // Unicode White_Space only: String.prototype.trim would also strip U+FEFF, which is not one.
  { name: 'TRIM', params: ['string'], returns: 'string', impl: (_ctx, [x]) => trim(x as string) },
  {
    name: 'LEFT',
    params: ['string', 'integer'],
    returns: 'string',
    impl: (ctx, [x, y], p) => {
      if ((y as number) < 0) {
        evaluationError(ctx, 'LEFT', `length ${String(y)} is negative`, p);
        return x;
      }
      return slice(x as string, 0, y as number);
    },
  },
  {
    name: 'RIGHT',
    params: ['string', 'integer'],
    returns: 'string',
    impl: (ctx, [x, y], p) => {
      const s = x as string;
      const count = y as number;
      if (count < 0) {
        evaluationError(ctx, 'RIGHT', `length ${count} is negative`, p);
        return s;
      }
      const n = length(s);
      return count >= n ? s : slice(s, n - count);
    },
  },
  { name: 'SUBSTRING', params: ['string', 'integer'], returns: 'string', impl: substring },
  { name: 'SUBSTRING', params: ['string', 'integer', 'integer'], returns: 'string', impl: substring },
  // §3.5.2 math
  {
    name: 'ABS',
    params: ['integer'],
    returns: 'integer',
    impl: (ctx, [x], p) => {
      const n = x as number;
      if (n === -2147483648) {
        pushError(ctx, { kind: 'math', message: 'ABS(-2147483648) overflows 32 bits', position: p });
        return 2147483647;
      }
      return Math.abs(n);
    },
  },
];

/** Resolves a call by name and arity (§3.5): the fixed-arity overload first, then the variadic one. */
export function resolveFunction(name: string, arity: number): FunctionDefinition | undefined {
  let variadic: FunctionDefinition | undefined;
  for (const def of BUILTIN_FUNCTIONS) {
    if (def.name !== name) continue;
    if (def.variadic === undefined && def.params.length === arity) return def;
    if (def.variadic !== undefined && arity >= def.params.length) variadic = def;
  }
  return variadic;
}

export function isKnownFunctionName(name: string): boolean {
  return BUILTIN_FUNCTIONS.some((def) => def.name === name);
}
