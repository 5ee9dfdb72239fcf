/**
 * Validates a whole event pattern and normalises it into sub-rules (types.ts). Fails closed: anything
 * outside the language throws HERALD_INVALID_PATTERN naming the path in the pattern and the reason.
 *
 * `$or` follows aws/event-ruler JsonRuleCompiler.parseIntoOrRelationship: each object of the array
 * forks the sub-rules built so far, so `{a, $or:[{b},{c}]}` becomes `{a,b}` and `{a,c}`. A `$or`
 * whose array holds values or operator objects only (every object key an operator name) is an
 * ordinary field named `$or` (event-ruler normalRulesWithOrWording.json), as is a `$or` holding an
 * object. A field path that appears twice in one sub-rule keeps the later one (event-ruler's
 * default "withOverriding"). A value list with `{"exists": false}` beside other values forks the same
 * way: one alternative with the values, one with the field absent.
 */
import type { Condition, ParsedPattern, SubRule } from './types.js';
import { RESERVED_KEYS, fail, isPlainObject, parseValueList } from './parse-values.js';
import { assertNotTooDeep } from './depth.js';

/** Limits (docs/patterns.md, "Limits"). */
export const MAX_PATTERN_CHARS = 4096;
export const MAX_OR_COMBINATIONS = 1000;

type Branch = Map<string, Condition>;

export function parsePattern(pattern: unknown): ParsedPattern {
  // Before anything recursive (JSON.stringify, parseObject) walks it: a 100 000-level pattern gave a
  // stack overflow (issue 11, item 5). `field` '' is the pattern as a whole.
  assertNotTooDeep(pattern, '', 'the pattern');
  let text: string | undefined;
  try {
    text = JSON.stringify(pattern);
  } catch {
    fail('', 'the pattern is not JSON');
  }
  if (text === undefined) fail('', 'the pattern is not JSON');
  if (text.length > MAX_PATTERN_CHARS) {
    fail('', `the pattern is ${text.length} characters of JSON, over the limit of ${MAX_PATTERN_CHARS}`);
  }
  if (!isPlainObject(pattern)) fail('', 'a pattern must be a JSON object');
  const branches: Branch[] = [];
  parseObject(pattern, [], '', branches);
  if (branches.length === 0) branches.push(new Map());
  const subRules: SubRule[] = branches.map((b) => ({ conditions: [...b.values()] }));
  return { subRules };
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** `$or` is the operator when its array holds a sub-pattern: an object with a key that is no operator name. */
function isOrOperator(value: unknown): value is unknown[] {
  if (!Array.isArray(value)) return false;
  return value.some((e) => isPlainObject(e) && (Object.keys(e).length === 0 || Object.keys(e).some((k) => !RESERVED_KEYS.has(k))));
}

function parseObject(
  obj: Record<string, unknown>,
  fieldPath: readonly string[],
  patternPath: string,
  branches: Branch[],
  insideOr = false,
): void {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail(patternPath, 'empty objects are not allowed');
  for (const key of keys) {
    const value = obj[key];
    const at = join(patternPath, key);
    if (key === '$or' && isOrOperator(value)) {
      parseOr(value, fieldPath, at, branches);
    } else if (insideOr && RESERVED_KEYS.has(key)) {
      // event-ruler JsonRuleCompiler.parseObjectInsideOrRelationship: a sub-pattern that mixes field
      // names with operator names is ambiguous, so it is refused rather than read as a field.
      fail(at, `"${key}" is an operator name and cannot be a field name inside $or`);
    } else if (isPlainObject(value)) {
      parseObject(value, [...fieldPath, key], at, branches, insideOr);
    } else if (Array.isArray(value)) {
      const { tests, orAbsent } = parseValueList(value, at);
      const path = [...fieldPath, key].join('.');
      const absent: Condition = { path, absent: true, tests: [], patternPath: at };
      const present: Condition = { path, absent: false, tests, patternPath: at };
      if (branches.length === 0) branches.push(new Map());
      if (tests.length === 0) {
        for (const b of branches) b.set(path, absent);
      } else if (!orAbsent) {
        for (const b of branches) b.set(path, present);
      } else {
        // `[…, {"exists": false}]`: "one of the values, or no value" is an OR of two conditions, so each
        // alternative forks in two, exactly as a `$or` of the two would.
        const forked = branches.map((b) => new Map(b).set(path, absent));
        for (const b of branches) b.set(path, present);
        branches.push(...forked);
        if (branches.length > MAX_OR_COMBINATIONS) fail(at, `the pattern expands to more than ${MAX_OR_COMBINATIONS} combinations`);
      }
    } else {
      fail(at, `must be an object or an array, got ${value === null ? 'null' : typeof value}`);
    }
  }
}

function parseOr(list: unknown[], fieldPath: readonly string[], patternPath: string, branches: Branch[]): void {
  if (list.length < 2) fail(patternPath, `$or needs at least 2 sub-patterns, got ${list.length}`);
  const before = branches.length === 0 ? [new Map<string, Condition>()] : branches.map((b) => new Map(b));
  const after: Branch[] = [];
  list.forEach((sub, i) => {
    const at = `${patternPath}[${i}]`;
    if (!isPlainObject(sub)) fail(at, 'each element of $or must be an object (a sub-pattern)');
    const forked = before.map((b) => new Map(b));
    parseObject(sub, fieldPath, at, forked, true);
    after.push(...forked);
    if (after.length > MAX_OR_COMBINATIONS) {
      fail(patternPath, `$or expands to more than ${MAX_OR_COMBINATIONS} combinations`);
    }
  });
  branches.length = 0;
  branches.push(...after);
}
