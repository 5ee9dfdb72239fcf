/**
 * The matching corpus (test/fixtures/matching, origin and licence in SOURCES.md there): expected results recorded
 * in citylots-benchmark-rules.json, and correctness-cases.json used differentially.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPatternMatcher, parsePattern, referenceMatches } from '../../src/patterns/index.js';
import { fixture, matchBoth, rejects } from './support.js';

interface Expectations {
  fixture_expectations: {
    array_consistency: { rules_added: Record<string, string>; expected_array_consistent: Record<string, string[]> };
    or_rules: Record<string, { expected_subrule_count_after_$or_expansion?: number[] }>;
  };
}
const expectations = fixture<Expectations>('citylots-benchmark-rules.json').fixture_expectations;

test('array consistency: arrayRule1-3 on arrayEvent1-4 give the recorded rule sets', () => {
  const { rules_added, expected_array_consistent } = expectations.array_consistency;
  const m = createPatternMatcher();
  for (const [name, file] of Object.entries(rules_added)) m.add(name, { pattern: fixture(file) });
  for (const [file, expected] of Object.entries(expected_array_consistent)) {
    const event = fixture(file);
    assert.deepEqual(m.match(event).sort(), [...expected].sort(), file);
    for (const [name, ruleFile] of Object.entries(rules_added)) {
      assert.equal(referenceMatches(parsePattern(fixture(ruleFile)), event), expected.includes(name), `${name} on ${file}`);
    }
  }
});

test('arrayRule4 matches arrayEvent4 (one element carries both fields)', () => {
  assert.equal(matchBoth(fixture('arrayRule4.json'), fixture('arrayEvent4.json')), true);
  assert.equal(matchBoth(fixture('arrayRule4.json'), fixture('arrayEvent2.json')), false);
});

test('the big CloudTrail event matches bigEventRule quickly (event-ruler budget: 500 ms)', () => {
  const event = fixture('bigEvent.json');
  const m = createPatternMatcher();
  m.add('big', { pattern: fixture('bigEventRule.json') });
  const started = performance.now();
  assert.deepEqual(m.match(event), ['big']);
  const ms = performance.now() - started;
  assert.ok(ms < 500, `took ${ms} ms`);
  assert.equal(referenceMatches(parsePattern(fixture('bigEventRule.json')), event), true);
});

test('$or rules expand to the recorded number of sub-rules', () => {
  const rules = fixture<unknown[]>('orRelationshipRules.json');
  const counts = expectations.or_rules['orRelationshipRules.json']['expected_subrule_count_after_$or_expansion'];
  assert.deepEqual(rules.map((r) => parsePattern(r).subRules.length), counts);
});

test('$or rules match by branch', () => {
  const [r1, , r3, r4] = fixture<unknown[]>('orRelationshipRules.json');
  assert.equal(matchBoth(r1, { metricName: 'ReadLatency' }), true);
  assert.equal(matchBoth(r1, { namespace: 'AWS/ES' }), true);
  assert.equal(matchBoth(r1, { metricName: 'Other', namespace: 'Other' }), false);
  assert.equal(matchBoth(r3, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' }), true);
  assert.equal(matchBoth(r3, { source: 'aws.cloudwatch', metricType: 'MetricType' }), false);
  assert.equal(matchBoth(r3, { source: 'other', scope: 'Service' }), false);
  assert.equal(matchBoth(r4, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 }), true);
  assert.equal(matchBoth(r4, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' }), false);
});

test('wrongOrRelationshipRules.json: every rule is rejected', () => {
  for (const rule of fixture<unknown[]>('wrongOrRelationshipRules.json')) rejects(rule);
});

test('normalRulesWithOrWording.json: $or is a plain field name there', () => {
  const [r1, r2, r3, r4] = fixture<unknown[]>('normalRulesWithOrWording.json');
  for (const r of [r1, r2, r3, r4]) assert.equal(parsePattern(r).subRules.length, 1);
  assert.equal(matchBoth(r1, { $or: '10.0.0.7' }), true);
  assert.equal(matchBoth(r1, { $or: '10.0.1.7' }), false);
  assert.equal(matchBoth(r2, { source: 'aws.cloudwatch', $or: { metricType: 'MetricType', namespace: 'AWS/ES' } }), true);
  assert.equal(matchBoth(r2, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' }), false);
  assert.equal(matchBoth(r3, { time: '2017-10-02T00:00:00Z', detail: { $or: '10.1.2.3' } }), true);
  assert.equal(matchBoth(r3, { time: '2017-10-02T00:00:00Z', detail: { $or: 3 } }), true);
  assert.equal(matchBoth(r4, { detail: { $or: 11 } }), true);
  assert.equal(matchBoth(r4, { detail: { $or: 7 } }), false);
});

test('correctness-cases.json: compiled matcher and reference interpreter agree on all 51 cases', () => {
  const cases = fixture<Array<{ name: string; rule: unknown; event: unknown }>>('correctness-cases.json');
  assert.equal(cases.length, 51);
  let matched = 0;
  for (const c of cases) if (matchBoth(c.rule, c.event)) matched++;
  // Sanity: the set mixes matching and non-matching cases.
  assert.ok(matched > 10 && matched < 45, `matched ${matched}`);
  // A few with an unambiguous answer under array-consistent matching:
  const byName = new Map(cases.map((c) => [c.name, c]));
  const expect = (name: string, want: boolean) => {
    const c = byName.get(name);
    assert.ok(c, name);
    assert.equal(matchBoth(c.rule, c.event), want, name);
  };
  expect('objarray: split', false);
  expect('objarray: 3 elem, last valid', true);
  expect('nested: inner split', false);
  expect('N emails, only last element has name — dedup loses the only valid match', true);
  expect('exists-false: present', false);
  expect('primarray: empty prim array', false);
});
