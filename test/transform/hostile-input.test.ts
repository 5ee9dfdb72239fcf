/**
 * Issue 11, items 1 and 5 (audit of transforms and CESQL functions): hostile input costs linear work
 * and is refused with a 400-class error, never a stack overflow or a RangeError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeraldError } from '../../src/errors/index.js';
import { compileTransform, type TransformContext } from '../../src/transform/index.js';
import { compileCesql, evaluate } from '../../src/patterns/cesql/index.js';

const CTX: TransformContext = { ruleArn: 'arn:herald:rule/b/r', ruleName: 'r', ingestionTime: '2024-03-01T10:00:01Z' };
const tooDeep = (e: unknown): boolean => e instanceof HeraldError && e.code === 'HERALD_TOO_DEEP' && /\d+ levels/.test(e.message);

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

// A generous timeout so that a regression fails instead of hanging; the assertion is on the answer.
test('CESQL TRIM is linear: a long run of spaces before a letter', { timeout: 60_000 }, () => {
  // `/\p{White_Space}+$/` retried the run from every start: quadratic, hours on this input.
  const text = `a${' '.repeat(200_000)}b`;
  const result = evaluate(compileCesql(`TRIM(subject) = subject`), { specversion: '1.0', id: '1', source: '/s', type: 't', subject: text });
  assert.deepEqual(result, { value: true, errors: [] });
  const trimmed = evaluate(compileCesql(`TRIM(subject)`), { specversion: '1.0', id: '1', source: '/s', type: 't', subject: ` \t\n${text}\u3000 ` });
  assert.equal(trimmed.value, text);
});

test('a JSONPath wildcard over a 300 000-element array answers (no RangeError from spreading)', () => {
  const items = Array.from({ length: 300_000 }, (_, i) => i);
  const out = compileTransform({ kind: 'path', path: '$.data.items[*]' }).apply({ data: { items } }, CTX);
  assert.equal((out.body as number[]).length, 300_000);
  const obj = compileTransform({ kind: 'path', path: '$.data.*' }).apply({ data: Object.fromEntries(items.slice(0, 1000).map((i) => [`k${i}`, i])) }, CTX);
  assert.equal((obj.body as number[]).length, 1000);
});

test('a transform nested deeper than 64 levels is refused with HERALD_TOO_DEEP', () => {
  assert.throws(() => compileTransform({ kind: 'constant', value: nested(100_000) }), tooDeep);
  assert.throws(() => compileTransform({ kind: 'constant', value: nested(64) }), tooDeep);
  assert.deepEqual(compileTransform({ kind: 'constant', value: nested(62) }).apply({}, CTX).body, nested(62));
});

test('rendering an event too deep to serialize is refused with HERALD_TOO_DEEP; deep but sane events render', () => {
  const template = compileTransform({ kind: 'template', inputPathsMap: { d: '$.data' }, inputTemplate: '{"d": <d>}' });
  assert.throws(() => template.apply({ data: nested(100_000) }, CTX), tooDeep);
  const ok = template.apply({ data: nested(500) }, CTX);
  assert.ok(typeof ok.body === 'string' || typeof ok.body === 'object');
  assert.throws(() => compileTransform({ kind: 'path', path: '$.data' }).apply({ data: nested(100_000) }, CTX), tooDeep);
});
