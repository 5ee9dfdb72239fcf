/**
 * Issue 11, item 1: CloudEvents SQL `LIKE` and EventBridge `wildcard` are matched in linear time.
 * Time is counted in the matcher's own steps (glob.ts StepCounter), never on the wall clock, so the
 * property holds however loaded the machine is. On short inputs the matcher is also checked against a
 * plain RegExp reference (the old implementation), which is exact there but backtracks on long ones.
 * Seed: printed by fast-check on failure; set HERALD_FC_SEED to replay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileLike } from '../../src/patterns/cesql/like.js';
import { matchWildcard, parseWildcard, type Wildcard } from '../../src/patterns/wildcard.js';
import type { StepCounter } from '../../src/patterns/glob.js';

const seed = process.env.HERALD_FC_SEED ? Number(process.env.HERALD_FC_SEED) : undefined;
const params = { numRuns: 300, ...(seed === undefined ? {} : { seed }) };

/** Steps allowed per character of pattern + input (see glob.ts: conversion, anchors, KMP or Shift-And). */
const C = 4;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The reference for LIKE: the pre-fix translation to an anchored RegExp (CESQL §3.4.3). */
function likeReference(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) source += escapeRegExp(pattern[++i]);
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'su');
}

function wildcardReference(w: Wildcard): RegExp {
  return new RegExp(`^${w.parts.map(escapeRegExp).join('.*')}$`, 's');
}

// Small alphabets make matches, near-misses and long repeated runs likely: the adversarial cases.
const likeToken = fc.constantFrom('%', '%', '_', 'a', 'a', 'b', '/', '.json', '\\%', '\\_', '\\', 'é', '😀');
const likePattern = fc.array(likeToken, { maxLength: 16 }).map((t) => t.join(''));
const wildToken = fc.constantFrom('*', 'a', 'a', 'b', '/', '.json', '\\*', '\\\\', 'é');
const wildPattern = fc
  .array(wildToken, { maxLength: 16 })
  .map((t) => t.join('').replace(/(?<!\\)\*(?=\*)/g, ''))
  .map((s) => parseWildcard(s))
  .filter((w): w is Wildcard => typeof w !== 'string');
const char = fc.constantFrom('a', 'a', 'a', 'b', '/', '.', 'é', '😀');
const shortText = fc.array(char, { maxLength: 12 }).map((c) => c.join(''));
/** Up to 10 000 characters: long runs of one character, with a few others sprinkled in, or random. */
const longText = fc.oneof(
  fc.tuple(fc.constantFrom('a', '/', 'ab', 'a/'), fc.integer({ min: 0, max: 5_000 }), fc.constantFrom('', 'b', '.json', 'é')).map(
    ([unit, n, tail]) => unit.repeat(n).slice(0, 10_000 - tail.length) + tail,
  ),
  fc.array(char, { maxLength: 10_000 }).map((c) => c.join('')),
);

function counted(run: (counter: StepCounter) => boolean): { result: boolean; steps: number } {
  const counter = { steps: 0 };
  const result = run(counter);
  return { result, steps: counter.steps };
}

test('LIKE: agrees with the RegExp reference on short inputs', () => {
  fc.assert(
    fc.property(likePattern, shortText, (pattern, text) => {
      assert.equal(compileLike(pattern)(text), likeReference(pattern).test(text), `${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)}`);
    }),
    { ...params, numRuns: 5_000 },
  );
});

test('LIKE: steps are linear in pattern + input, up to 10 000 characters, and answers agree with the reference', () => {
  fc.assert(
    fc.property(likePattern, fc.oneof(shortText, longText), (pattern, text) => {
      const { result, steps } = counted((counter) => compileLike(pattern)(text, counter));
      assert.ok(steps <= C * (pattern.length + text.length), `${steps} steps for ${pattern.length} + ${text.length}`);
      // The RegExp reference backtracks, so it is only asked about short inputs.
      if (text.length <= 12) assert.equal(result, likeReference(pattern).test(text), `${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)}`);
    }),
    params,
  );
});

test('wildcard: agrees with the RegExp reference on short inputs', () => {
  fc.assert(
    fc.property(wildPattern, shortText, (w, text) => {
      assert.equal(matchWildcard(w, text), wildcardReference(w).test(text), `${JSON.stringify(text)} ~ ${w.source}`);
    }),
    { ...params, numRuns: 5_000 },
  );
});

test('wildcard: steps are linear in pattern + input, up to 10 000 characters, and answers agree with the reference', () => {
  fc.assert(
    fc.property(wildPattern, fc.oneof(shortText, longText), (w, text) => {
      const { result, steps } = counted((counter) => matchWildcard(w, text, counter));
      assert.ok(steps <= C * (w.source.length + text.length), `${steps} steps for ${w.source.length} + ${text.length}`);
      if (text.length <= 12) assert.equal(result, wildcardReference(w).test(text), `${JSON.stringify(text)} ~ ${w.source}`);
    }),
    params,
  );
});

test('the patterns of issue 11 cost linear steps and answer correctly', () => {
  const cases: Array<{ like: string; text: string; expected: boolean }> = [
    { like: '%a%a%a%a%a%a%a%a%a%a%a%a%_b', text: 'a'.repeat(40), expected: false },
    { like: '%a%a%a%a%a%a%a%a%a%a%a%a%_b', text: 'a'.repeat(10_000), expected: false },
    { like: '%a%a%a%a%a%a%a%a%a%a%a%a%_b', text: `${'a'.repeat(40)}xb`, expected: true },
    { like: '%/%/%/%/%.json', text: '/'.repeat(200), expected: false },
    { like: '%/%/%/%/%.json', text: '/'.repeat(10_000), expected: false },
    { like: '%/%/%/%/%.json', text: 'a/b/c/d/e.json', expected: true },
    // The classic worst case of a one-backtrack-point glob loop: O(n × m) there, O(n) here.
    { like: `%${'a'.repeat(30)}b`, text: 'a'.repeat(10_000), expected: false },
    { like: `%${'a_'.repeat(30)}b`, text: 'a'.repeat(10_000), expected: false },
  ];
  for (const { like, text, expected } of cases) {
    const { result, steps } = counted((counter) => compileLike(like)(text, counter));
    assert.equal(result, expected, like);
    assert.ok(steps <= C * (like.length + text.length), `${like}: ${steps} steps for ${text.length} characters`);
  }
  const w = parseWildcard(`*${'a'.repeat(30)}b`) as Wildcard;
  const { result, steps } = counted((counter) => matchWildcard(w, 'a'.repeat(10_000), counter));
  assert.equal(result, false);
  assert.ok(steps <= C * 10_031, `${steps} steps`);
});

test('segments with _ longer than one machine word (Shift-And across words) agree with the reference', () => {
  for (const width of [30, 31, 32, 33, 63, 64, 65, 100]) {
    const pattern = `%a${'_'.repeat(width)}b%`;
    const like = compileLike(pattern);
    const reference = likeReference(pattern);
    for (const gap of [width - 1, width, width + 1]) {
      for (const text of [`xa${'y'.repeat(gap)}bz`, `a${'a'.repeat(gap)}b`, `${'ab'.repeat(gap)}`, `a${'b'.repeat(gap + 1)}`]) {
        assert.equal(like(text), reference.test(text), `${width}: ${text}`);
      }
    }
  }
});
