/** The Matcher seam: adding, replacing and removing rules without a rebuild; filter kinds; explanations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPatternMatcher, explainPattern } from '../../src/patterns/index.js';
import { HeraldError } from '../../src/errors/index.js';

test('many rules: each event gets exactly the rules it matches', () => {
  const m = createPatternMatcher();
  for (let i = 0; i < 1000; i++) m.add(`exact-${i}`, { pattern: { detail: { id: [`v${i}`] } } });
  m.add('prefix', { pattern: { detail: { id: [{ prefix: 'v99' }] } } });
  m.add('src', { pattern: { source: ['a'], detail: { id: [{ exists: true }] } } });
  assert.deepEqual(m.match({ detail: { id: 'v990' } }).sort(), ['exact-990', 'prefix']);
  assert.deepEqual(m.match({ source: 'a', detail: { id: 'v5' } }).sort(), ['exact-5', 'src']);
  assert.deepEqual(m.match({ source: 'a' }), []);
});

test('remove takes a rule out; other rules on the same path keep matching', () => {
  const m = createPatternMatcher();
  m.add('a', { pattern: { x: { y: ['1'] } } });
  m.add('b', { pattern: { x: { y: ['1'], z: [{ exists: false }] } } });
  assert.deepEqual(m.match({ x: { y: '1' } }).sort(), ['a', 'b']);
  m.remove('b');
  assert.deepEqual(m.match({ x: { y: '1' } }), ['a']);
  m.remove('a');
  assert.deepEqual(m.match({ x: { y: '1' } }), []);
  m.remove('never-added');
  m.add('a', { pattern: { x: { y: ['1'] } } });
  assert.deepEqual(m.match({ x: { y: '1' } }), ['a']);
});

test('add with an existing id replaces the rule', () => {
  const m = createPatternMatcher();
  m.add('r', { pattern: { a: ['1'] } });
  m.add('r', { pattern: { a: ['2'] } });
  assert.deepEqual(m.match({ a: '1' }), []);
  assert.deepEqual(m.match({ a: '2' }), ['r']);
});

test('an invalid pattern is rejected and leaves the previous rule in place (fail closed)', () => {
  const m = createPatternMatcher();
  m.add('r', { pattern: { a: ['1'] } });
  assert.throws(() => m.add('r', { pattern: { a: [{ numeric: ['>', 'x'] }] } }), (e: unknown) =>
    e instanceof HeraldError && e.code === 'HERALD_INVALID_PATTERN' && e.field === 'a.numeric[1]');
  assert.deepEqual(m.match({ a: '1' }), ['r']);
});

test('only {pattern} filters are accepted', () => {
  const m = createPatternMatcher();
  assert.throws(() => m.add('r', { cesql: "type = 'x'" }), (e: unknown) => e instanceof HeraldError && e.code === 'HERALD_INVALID_FILTER');
  assert.throws(() => m.add('r', { subscriptions: [] }), (e: unknown) => e instanceof HeraldError && e.code === 'HERALD_INVALID_FILTER');
});

test('a rule with $or is reported once even when several branches match', () => {
  const m = createPatternMatcher();
  m.add('r', { pattern: { $or: [{ a: ['1'] }, { b: ['2'] }] } });
  assert.deepEqual(m.match({ a: '1', b: '2' }), ['r']);
});

test('non-object events match only patterns made of exists:false', () => {
  const m = createPatternMatcher();
  m.add('absent', { pattern: { a: [{ exists: false }] } });
  m.add('present', { pattern: { a: [{ exists: true }] } });
  for (const event of [null, 'text', 5, [{ a: 1 }]]) assert.deepEqual(m.match(event), ['absent']);
});

test('explainPattern names the failing field and why', () => {
  assert.deepEqual(explainPattern({ source: ['a'] }, { source: 'a' }), { matched: true, reasons: [] });
  const missing = explainPattern({ detail: { price: [{ numeric: ['>', 10] }] } }, { detail: {} });
  assert.equal(missing.matched, false);
  assert.equal(missing.reasons[0].field, 'detail.price');
  assert.match(missing.reasons[0].reason, /missing/);
  const wrong = explainPattern({ detail: { price: [{ numeric: ['>', 10] }] } }, { detail: { price: 3 } });
  assert.deepEqual(wrong.reasons, [{ field: 'detail.price', reason: 'got 3, expected numeric > 10' }]);
  const split = explainPattern({ d: { a: ['1'], b: ['2'] } }, { d: [{ a: '1' }, { b: '2' }] });
  assert.equal(split.matched, false);
  assert.match(split.reasons[0].reason, /same element/);
  const present = explainPattern({ c: [{ exists: false }] }, { c: 1 });
  assert.match(present.reasons[0].reason, /absent/);
  assert.throws(() => explainPattern({ a: 'x' }, {}), (e: unknown) => e instanceof HeraldError && e.code === 'HERALD_INVALID_PATTERN');
});

test('fields no pattern uses are never visited', () => {
  const touched = new Set<string>();
  const watch = (value: unknown, path: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string' && !/^\d+$/.test(key) && key !== 'length') touched.add(path === '' ? key : `${path}.${key}`);
        return watch(Reflect.get(target, key, receiver), typeof key === 'string' && !/^\d+$/.test(key) ? (path === '' ? key : `${path}.${key}`) : path);
      },
    });
  };
  const m = createPatternMatcher();
  m.add('r1', { pattern: { detail: { state: ['on'] } } });
  m.add('r2', { pattern: { source: [{ prefix: 'a' }], detail: { items: { id: [{ numeric: ['>', 1] }] } } } });
  const event = {
    source: 'abc',
    id: 'x',
    detail: { state: 'on', big: { deep: [1, 2, 3] }, items: [{ id: 2, name: 'n', tags: ['t'] }] },
    unrelated: { a: [{ b: 1 }] },
  };
  assert.deepEqual(m.match(watch(event, '')).sort(), ['r1', 'r2']);
  // Only the paths patterns use (and their parents) are read; dotted shortcut keys name the same paths.
  const used = new Set(['source', 'detail', 'detail.state', 'detail.items', 'detail.items.id']);
  for (const path of touched) assert.ok(used.has(path), `visited ${path}`);
  assert.ok(touched.has('detail.items.id'));
});

test('deeply nested arrays neither overflow the stack nor count past the nesting bound', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  let shallow: unknown = 'x';
  for (let i = 0; i < 64; i++) shallow = [shallow];
  const m = createPatternMatcher();
  m.add('r', { pattern: { a: ['x'] } });
  assert.deepEqual(m.match({ a: deep }), []);
  assert.deepEqual(m.match({ a: shallow }), ['r']);
  assert.equal(explainPattern({ a: ['x'] }, { a: deep }).matched, false);
  assert.equal(explainPattern({ a: ['x'] }, { a: shallow }).matched, true);
});

test('deeply nested objects do not overflow the stack', () => {
  let deep: Record<string, unknown> = { v: 1 };
  for (let i = 0; i < 50_000; i++) deep = { a: deep };
  const m = createPatternMatcher();
  m.add('r', { pattern: { a: { a: { b: [{ exists: false }] } } } });
  assert.deepEqual(m.match(deep), ['r']);
  assert.equal(explainPattern({ a: { a: { b: [{ exists: false }] } } }, deep).matched, true);
});
