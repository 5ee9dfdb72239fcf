/**
 * Property test: on random (pattern, event) pairs the compiled matcher and the reference interpreter
 * agree. Each run adds a batch of random patterns to one matcher (so rules share paths and indexes),
 * removes and re-adds some, and compares every (pattern, event) pair with the reference.
 * Seed: printed; set it with HERALD_FC_SEED to replay a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPatternMatcher, parsePattern, referenceMatches, type ParsedPattern } from '../../src/patterns/index.js';

const PATTERNS_PER_RUN = 20;
const EVENTS_PER_RUN = 50;
const TARGET_PAIRS = 100_000;
const RUNS = Math.ceil(TARGET_PAIRS / (PATTERNS_PER_RUN * EVENTS_PER_RUN));

// Dotted keys check the flattening equivalence; `constructor` (rare) checks that inherited properties are not fields.
const KEYS = ['a', 'b', 'c', 'a.b'] as const;
const key = fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 12 }, { arbitrary: fc.constant('constructor'), weight: 1 });
const leaf = fc.constantFrom<string | number | boolean | null>(
  '', 'ab', 'abc', 'ABC', 'Ab', 'xyz', 'b', '10.0.0.1', '10.0.1.5', '2001:db8::1', 'a*b', 0, 1, 2.5, 300, -5, true, false, null,
);
const { event } = fc.letrec<{ value: unknown; event: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    { arbitrary: leaf, weight: 8 },
    { arbitrary: tie('event'), weight: 1 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 2 },
  ),
  event: fc.dictionary(key, tie('value'), { minKeys: 2, maxKeys: 4 }),
}));

const str = fc.constantFrom('', 'a', 'ab', 'abc', 'AB', 'b', 'c', 'xyz', '10.');
const nonEmpty = fc.constantFrom('a', 'ab', 'AB', 'b', 'c', 'bc', 'xyz', '10.');
const num = fc.constantFrom(-5, 0, 1, 2.5, 300, 3.0e2);
const wildcard = fc.constantFrom('*', 'a*', '*c', 'a*c', '*b*', 'x*z', 'a\\*b', 'ab', '*.*', 'A*');
const numeric = fc.oneof(
  fc.tuple(fc.constantFrom('=', '<', '<=', '>', '>='), num),
  fc.tuple(fc.constantFrom('>', '>='), num, fc.constantFrom('<', '<='), fc.constantFrom(0.5, 3, 1000)).map(([o1, lo, o2, d]) => [o1, lo, o2, lo + d]),
);
const valueTest = fc.oneof(
  leaf,
  str.map((s) => ({ prefix: s })),
  str.map((s) => ({ prefix: { 'equals-ignore-case': s } })),
  str.map((s) => ({ suffix: s })),
  str.map((s) => ({ suffix: { 'equals-ignore-case': s } })),
  str.map((s) => ({ 'equals-ignore-case': s })),
  wildcard.map((w) => ({ wildcard: w })),
  fc.oneof(str, num, fc.array(str, { minLength: 1, maxLength: 3 }), fc.array(num, { minLength: 1, maxLength: 3 })).map((v) => ({ 'anything-but': v })),
  nonEmpty.map((s) => ({ 'anything-but': { prefix: s } })),
  nonEmpty.map((s) => ({ 'anything-but': { suffix: s } })),
  fc.oneof(str, fc.array(str, { minLength: 1, maxLength: 2 })).map((s) => ({ 'anything-but': { 'equals-ignore-case': s } })),
  wildcard.map((w) => ({ 'anything-but': { wildcard: w } })),
  numeric.map((n) => ({ numeric: n })),
  fc.constantFrom('10.0.0.0/24', '10.0.0.0/8', '0.0.0.0/0', '2001:db8::/32', '::/0').map((c) => ({ cidr: c })),
  fc.constant({ exists: true }),
);
const valueList = fc.oneof(
  { arbitrary: fc.array(valueTest, { minLength: 1, maxLength: 4 }), weight: 9 },
  { arbitrary: fc.constant([{ exists: false }]), weight: 1 },
  // A list is an OR of its members, `exists: false` included (AWS "Arrays in event patterns").
  { arbitrary: fc.array(valueTest, { minLength: 1, maxLength: 3 }).map((l) => [...l, { exists: false }]), weight: 1 },
);
const { pattern } = fc.letrec<{ field: unknown; pattern: Record<string, unknown> }>((tie) => ({
  field: fc.oneof({ maxDepth: 2, depthSize: 'small' }, { arbitrary: valueList, weight: 4 }, { arbitrary: tie('pattern'), weight: 1 }),
  pattern: fc
    .tuple(
      fc.oneof(
        fc.dictionary(key, tie('field'), { minKeys: 1, maxKeys: 1 }),
        fc.dictionary(key, tie('field'), { minKeys: 1, maxKeys: 2 }),
      ),
      fc.option(fc.array(fc.dictionary(key, valueList, { minKeys: 1, maxKeys: 2 }), { minLength: 2, maxLength: 3 }), { freq: 2 }),
    )
    .map(([fields, or]) => (or === null ? fields : { ...fields, $or: or })),
}));

/** Counts the operators a raw pattern uses (each value-list entry once; `$or` once per use). */
function countOperators(p: unknown, counts: Map<string, number>): void {
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  if (Array.isArray(p)) {
    for (const item of p) {
      if (typeof item !== 'object' || item === null) bump('exact');
      else {
        const [op, operand] = Object.entries(item)[0];
        if (op === 'exists') bump(operand === true ? 'exists:true' : 'exists:false');
        else if ((op === 'prefix' || op === 'suffix') && typeof operand === 'object') bump(`${op}:equals-ignore-case`);
        else if (op === 'anything-but' && typeof operand === 'object' && operand !== null && !Array.isArray(operand)) bump(`anything-but:${Object.keys(operand)[0]}`);
        else bump(op);
      }
    }
  } else if (typeof p === 'object' && p !== null) {
    for (const [k, v] of Object.entries(p)) {
      if (k === '$or') {
        bump('$or');
        for (const sub of v as unknown[]) countOperators(sub, counts);
      } else countOperators(v, counts);
    }
  }
}

test(`compiled matcher agrees with the reference interpreter on ${TARGET_PAIRS} random pairs`, () => {
  const seed = process.env.HERALD_FC_SEED !== undefined ? Number(process.env.HERALD_FC_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);
  console.log(`fast-check seed: ${seed} (replay with HERALD_FC_SEED=${seed})`);
  const counts = new Map<string, number>();
  let pairs = 0;
  let matches = 0;
  fc.assert(
    fc.property(fc.array(pattern, { minLength: PATTERNS_PER_RUN, maxLength: PATTERNS_PER_RUN }), fc.array(event, { minLength: EVENTS_PER_RUN, maxLength: EVENTS_PER_RUN }), fc.integer({ min: 0, max: PATTERNS_PER_RUN - 1 }), (patterns, events, removeFrom) => {
      const m = createPatternMatcher();
      const parsed: ParsedPattern[] = patterns.map((p) => parsePattern(p));
      patterns.forEach((p, i) => m.add(`p${i}`, { pattern: p }));
      // Remove a few and add them back: the structure must not depend on insertion history.
      for (let i = removeFrom; i < PATTERNS_PER_RUN; i += 3) m.remove(`p${i}`);
      const removedResult = m.match(events[0]);
      for (let i = removeFrom; i < PATTERNS_PER_RUN; i += 3) assert.ok(!removedResult.includes(`p${i}`));
      for (let i = removeFrom; i < PATTERNS_PER_RUN; i += 3) m.add(`p${i}`, { pattern: patterns[i] });
      for (const e of events) {
        const got = new Set(m.match(e));
        parsed.forEach((pp, i) => {
          const want = referenceMatches(pp, e);
          if (got.has(`p${i}`) !== want) {
            assert.fail(`disagree on pattern ${JSON.stringify(patterns[i])} event ${JSON.stringify(e)}: reference ${want}`);
          }
          pairs++;
          if (want) matches++;
        });
      }
      for (const p of patterns) countOperators(p, counts);
    }),
    { seed, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
  const opCounts = Object.fromEntries([...counts].map(([k, v]) => [k, v * EVENTS_PER_RUN]));
  console.log(JSON.stringify({ pairs, matchRatio: matches / pairs, operatorPairs: opCounts }));
  assert.ok(pairs >= TARGET_PAIRS, `${pairs} pairs`);
  assert.ok(matches / pairs >= 0.2, `match ratio ${matches / pairs}`);
  const operators = ['exact', 'prefix', 'prefix:equals-ignore-case', 'suffix', 'suffix:equals-ignore-case', 'equals-ignore-case', 'wildcard',
    'anything-but', 'anything-but:prefix', 'anything-but:suffix', 'anything-but:equals-ignore-case', 'anything-but:wildcard',
    'numeric', 'cidr', 'exists:true', 'exists:false', '$or'];
  for (const op of operators) assert.ok((opCounts[op] ?? 0) >= 1000, `${op} appears in ${opCounts[op] ?? 0} pairs`);
});
