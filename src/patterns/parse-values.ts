/**
 * Parses one field's value list (`"field": [ … ]`) into value tests, failing closed on anything that
 * is not the documented language (EventBridge "Content filtering in Amazon EventBridge event patterns";
 * operand shapes as aws/event-ruler JsonRuleCompiler.processMatchExpression accepts them).
 */
import { HeraldError } from '../errors/index.js';
import type { AnythingBut, NumericRange, ValueTest } from './types.js';
import { parseWildcard, type Wildcard } from './wildcard.js';
import { parseCidr } from './cidr.js';

/** Operator names. A `$or` whose objects use only these keys is a field named `$or` (normalRulesWithOrWording.json). */
export const OPERATORS = [
  'prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'cidr', 'exists',
] as const;

/** Also reserved by event-ruler (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP), never a sub-pattern key. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set<string>([
  ...OPERATORS, 'exactly', 'html', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case',
  'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range',
  'ip-address-in-range', 'ip-address-not-in-range',
]);

export function fail(path: string, why: string): never {
  throw new HeraldError('HERALD_INVALID_PATTERN', `${path === '' ? '(pattern)' : path}: ${why}`, path);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, `expected a string, got ${describe(value)}`);
  return value;
}

function expectNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `expected a number, got ${describe(value)}`);
  return value;
}

/**
 * A parsed value list: the tests any one value may pass and, when the list holds `{"exists": false}`,
 * `orAbsent` — the field may also be missing. A list is an OR of its members, whatever operators they
 * use (EventBridge "Arrays in event patterns"), so `["a", {"exists": false}]` is "a, or no value".
 */
export interface ValueList {
  readonly tests: ValueTest[];
  readonly orAbsent: boolean;
}

/** Parses the value list at `path`; the result has at least one test, or `orAbsent`, or both. */
export function parseValueList(list: readonly unknown[], path: string): ValueList {
  if (list.length === 0) fail(path, 'empty arrays are not allowed');
  const tests: ValueTest[] = [];
  let orAbsent = false;
  list.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (item === null || typeof item === 'string' || typeof item === 'boolean') {
      tests.push({ kind: 'exact', value: item });
    } else if (typeof item === 'number') {
      tests.push({ kind: 'exact', value: expectNumber(item, at) });
    } else if (Array.isArray(item)) {
      fail(at, 'a match value must be a string, number, boolean, null or an operator object, not an array');
    } else if (isPlainObject(item)) {
      const test = parseOperator(item, path);
      if (test === 'absent') orAbsent = true;
      else tests.push(test);
    } else {
      fail(at, `unsupported value ${describe(item)}`);
    }
  });
  return { tests, orAbsent };
}

function parseOperator(op: Record<string, unknown>, path: string): ValueTest | 'absent' {
  const keys = Object.keys(op);
  if (keys.length !== 1) fail(path, `an operator object must have exactly one key, got ${keys.length}`);
  const name = keys[0];
  const operand = op[name];
  const at = `${path}.${name}`;
  switch (name) {
    case 'prefix':
    case 'suffix': {
      if (isPlainObject(operand)) {
        const inner = Object.keys(operand);
        if (inner.length !== 1 || inner[0] !== 'equals-ignore-case') {
          fail(at, `only {"equals-ignore-case": "…"} may be nested in ${name}`);
        }
        const value = expectString(operand['equals-ignore-case'], `${at}.equals-ignore-case`);
        return { kind: name, value, ignoreCase: true };
      }
      return { kind: name, value: expectString(operand, at), ignoreCase: false };
    }
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', value: expectString(operand, at) };
    case 'wildcard':
      return { kind: 'wildcard', wildcard: wildcardOf(expectString(operand, at), at) };
    case 'numeric':
      return { kind: 'numeric', range: parseNumeric(operand, at) };
    case 'cidr': {
      const text = expectString(operand, at);
      const range = parseCidr(text);
      if (typeof range === 'string') fail(at, `malformed CIDR: ${range}`);
      return { kind: 'cidr', range, text };
    }
    case 'exists':
      if (typeof operand !== 'boolean') fail(at, `expected true or false, got ${describe(operand)}`);
      return operand ? { kind: 'exists' } : 'absent';
    case 'anything-but':
      return { kind: 'anything-but', but: parseAnythingBut(operand, at) };
    default:
      return fail(at, `unknown operator "${name}"`);
  }
}

function wildcardOf(source: string, path: string): Wildcard {
  const w = parseWildcard(source);
  if (typeof w === 'string') fail(path, `invalid wildcard: ${w}`);
  return w;
}

/** `[op, n]` or `[">"|">=", lo, "<"|"<=", hi]` (event-ruler processNumericMatchExpression). */
function parseNumeric(operand: unknown, path: string): NumericRange {
  if (!Array.isArray(operand)) fail(path, `expected an array such as [">", 0, "<=", 5], got ${describe(operand)}`);
  if (operand.length !== 2 && operand.length !== 4) fail(path, `expected 2 or 4 elements, got ${operand.length}`);
  const op = operand[0];
  if (typeof op !== 'string' || !['=', '<', '<=', '>', '>='].includes(op)) {
    fail(`${path}[0]`, `expected one of "=", "<", "<=", ">", ">=", got ${describe(op)}`);
  }
  const n = expectNumber(operand[1], `${path}[1]`);
  if (operand.length === 2) {
    if (op === '=') return { lower: n, lowerInclusive: true, upper: n, upperInclusive: true };
    if (op === '<' || op === '<=') return { lower: -Infinity, lowerInclusive: false, upper: n, upperInclusive: op === '<=' };
    return { lower: n, lowerInclusive: op === '>=', upper: Infinity, upperInclusive: false };
  }
  if (op !== '>' && op !== '>=') fail(`${path}[0]`, 'a range must start with ">" or ">=" and end with "<" or "<="');
  const op2 = operand[2];
  if (op2 !== '<' && op2 !== '<=') fail(`${path}[2]`, `expected "<" or "<=", got ${describe(op2)}`);
  const hi = expectNumber(operand[3], `${path}[3]`);
  if (!(n < hi)) fail(path, `bad range: the lower bound ${n} must be below the upper bound ${hi}`);
  return { lower: n, lowerInclusive: op === '>=', upper: hi, upperInclusive: op2 === '<=' };
}

function parseAnythingBut(operand: unknown, path: string): AnythingBut {
  if (typeof operand === 'string') return { mode: 'strings', values: [operand] };
  if (typeof operand === 'number') return { mode: 'numbers', values: [expectNumber(operand, path)] };
  if (Array.isArray(operand)) {
    if (operand.length === 0) fail(path, 'empty arrays are not allowed');
    if (operand.every((v) => typeof v === 'string')) return { mode: 'strings', values: operand as string[] };
    if (operand.every((v) => typeof v === 'number')) {
      return { mode: 'numbers', values: operand.map((v, i) => expectNumber(v, `${path}[${i}]`)) };
    }
    const bad = operand.findIndex((v) => typeof v !== 'string' && typeof v !== 'number');
    if (bad >= 0) fail(`${path}[${bad}]`, `expected a string or a number, got ${describe(operand[bad])}`);
    return fail(path, 'values must be all strings or all numbers, not mixed');
  }
  if (!isPlainObject(operand)) fail(path, `expected a string, a number, a list or an object, got ${describe(operand)}`);
  const keys = Object.keys(operand);
  if (keys.length !== 1) fail(path, `expected exactly one of equals-ignore-case, prefix, suffix, wildcard, got ${keys.length} keys`);
  const mode = keys[0];
  const at = `${path}.${mode}`;
  const inner = operand[mode];
  const strings = (): string[] => {
    if (typeof inner === 'string') return [inner];
    if (!Array.isArray(inner) || inner.length === 0) fail(at, `expected a string or a non-empty list of strings, got ${describe(inner)}`);
    return inner.map((v, i) => expectString(v, `${at}[${i}]`));
  };
  switch (mode) {
    case 'equals-ignore-case':
      return { mode, values: strings() };
    case 'prefix':
    case 'suffix': {
      const values = strings();
      if (values.some((v) => v === '')) fail(at, `an empty ${mode} is not allowed in anything-but`);
      return { mode, values };
    }
    case 'wildcard':
      return { mode, values: strings().map((v) => wildcardOf(v, at)) };
    default:
      return fail(at, `unsupported anything-but operator "${mode}"`);
  }
}
