/** The CESQL matcher: rejection on add, fail-closed matching, reported errors, the type index. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCesqlMatcher, explainCesql } from '../../src/patterns/cesql/index.js';
import { HeraldError } from '../../src/errors/index.js';

const event = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  specversion: '1.0', id: '1', source: 'https://example.com/orders', type, ...extra,
});

test('rules match by their expressions; remove and replace take effect', () => {
  const m = createCesqlMatcher();
  m.add('created', { cesql: "type = 'order.created'" });
  m.add('any-order', { cesql: "type LIKE 'order.%'" });
  m.add('https', { cesql: "source LIKE 'https://%' AND EXISTS priority" });
  assert.deepEqual(m.match(event('order.created')).sort(), ['any-order', 'created']);
  assert.deepEqual(m.match(event('order.created', { priority: 1 })).sort(), ['any-order', 'created', 'https']);
  m.remove('created');
  assert.deepEqual(m.match(event('order.created')), ['any-order']);
  m.add('any-order', { cesql: "type = 'order.paid'" });
  assert.deepEqual(m.match(event('order.created')), []);
  assert.deepEqual(m.match(event('order.paid')), ['any-order']);
  assert.equal(m.size, 2);
});

test('an invalid filter is rejected when added and leaves the matcher unchanged', () => {
  const m = createCesqlMatcher();
  m.add('r', { cesql: "type = 'a'" });
  for (const cesql of ["type = 'a' AND", 'NOPE(1)', '1 + 1']) {
    assert.throws(() => m.add('r', { cesql }), (e: unknown) => e instanceof HeraldError && e.code === 'HERALD_INVALID_FILTER');
  }
  assert.throws(() => m.add('p', { pattern: {} }), (e: unknown) => e instanceof HeraldError && e.code === 'HERALD_INVALID_FILTER');
  assert.deepEqual(m.match(event('a')), ['r']);
});

test('an evaluation error means no match, and matchDetailed reports it', () => {
  const m = createCesqlMatcher();
  m.add('ext', { cesql: "myext = 'x' OR type = 'a'" });
  assert.deepEqual(m.match(event('a')), [], 'missing myext fails the whole expression');
  const detailed = m.matchDetailed(event('a'));
  assert.deepEqual(detailed.matched, []);
  assert.equal(detailed.errors.length, 1);
  assert.equal(detailed.errors[0].ruleId, 'ext');
  assert.equal(detailed.errors[0].errors[0].kind, 'missingAttribute');
  assert.equal(detailed.errors[0].errors[0].attribute, 'myext');
  assert.deepEqual(m.match(event('a', { myext: 'y' })), ['ext']);
});

test('a non-Boolean result never matches (CESQL §1.2)', () => {
  const m = createCesqlMatcher();
  m.add('r', { cesql: 'flag' });
  assert.deepEqual(m.match(event('a', { flag: true })), ['r']);
  assert.deepEqual(m.match(event('a', { flag: 'yes' })), []);
  assert.deepEqual(m.match(event('a', { flag: 1 })), []);
});

test('rules with an implied type are evaluated only for events of that type', () => {
  const m = createCesqlMatcher();
  // Evaluating this rule always raises an error (missing attribute), so an evaluation shows in matchDetailed.
  m.add('typed', { cesql: "missing = 1 AND type = 'a'" });
  m.add('typed-in', { cesql: "missing = 1 AND type IN ('b', 'c')" });
  m.add('untyped', { cesql: "missing = 1 OR source = 'x'" });
  const evaluated = (type: string): string[] => m.matchDetailed(event(type)).errors.map((e) => e.ruleId).sort();
  assert.deepEqual(evaluated('a'), ['typed', 'untyped']);
  assert.deepEqual(evaluated('c'), ['typed-in', 'untyped']);
  assert.deepEqual(evaluated('z'), ['untyped']);
  m.remove('typed');
  assert.deepEqual(evaluated('a'), ['untyped']);
});

test('the type index never hides a match: OR, NOT and IN forms', () => {
  const m = createCesqlMatcher();
  m.add('or', { cesql: "type = 'a' OR type = 'b'" });
  m.add('or-open', { cesql: "type = 'a' OR source LIKE 'https:%'" });
  m.add('not', { cesql: "NOT (type = 'a')" });
  m.add('not-in', { cesql: "type NOT IN ('a')" });
  m.add('int', { cesql: "type = '5'" });
  assert.deepEqual(m.match(event('b')).sort(), ['not', 'not-in', 'or', 'or-open']);
  assert.deepEqual(m.match(event('a')).sort(), ['or', 'or-open']);
  assert.deepEqual(m.match(event('z', { source: 'http://x' })).sort(), ['not', 'not-in']);
  // A (non-conforming) Integer type: `=` casts it to the String literal's type, so the index keys
  // it by its decimal form; IN casts the set to Integer, and 'a' is a cast error, so no match.
  assert.deepEqual(m.match({ ...event('x'), type: 5 }).sort(), ['int', 'not', 'or-open']);
});

test('explainCesql names the attribute and why', () => {
  assert.deepEqual(explainCesql("type = 'a'", event('a')), { matched: true, reasons: [] });
  const wrong = explainCesql("type = 'a' AND source LIKE 'https://%'", event('b'));
  assert.equal(wrong.matched, false);
  assert.deepEqual(wrong.reasons, [{ field: 'type', reason: "`type = 'a'` is false (type is \"b\")" }]);
  const missing = explainCesql("myext = 'x'", event('a'));
  assert.equal(missing.matched, false);
  assert.equal(missing.reasons[0].field, 'myext');
  assert.match(missing.reasons[0].reason, /missingAttribute error at position 1/);
  const nonBool = explainCesql('flag', event('a', { flag: 'yes' }));
  assert.match(nonBool.reasons[0].reason, /String "yes", not Boolean true/);
  assert.throws(() => explainCesql('type =', event('a')), (e: unknown) => e instanceof HeraldError && e.status === 400);
});
