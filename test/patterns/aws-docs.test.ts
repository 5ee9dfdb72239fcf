/**
 * Issue 10, item 10: the pattern language to the letter of the EventBridge user guide. Each row
 * quotes a pattern (and an event) the guide shows, with the page it comes from; the expected result
 * is the guide's. Rows run on the compiled matcher and the reference interpreter (support.ts).
 *
 * Pages:
 *   ARRAYS   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 *   OPS      https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *   FILTER   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchBoth } from './support.js';
import { validatePattern, MAX_WILDCARD_STARS } from '../../src/patterns/index.js';
import { HeraldError } from '../../src/errors/index.js';

type Row = [label: string, pattern: unknown, event: unknown, expected: boolean];

function table(name: string, rows: Row[]): void {
  test(name, () => {
    const wrong = rows.filter(([, pattern, event, expected]) => matchBoth(pattern, event) !== expected).map(([label]) => label);
    assert.deepEqual(wrong, []);
  });
}

// ARRAYS: "The value of each field in an event pattern is an array containing one or more values. An
// event pattern matches the event if any of the values in the array match the value in the event."
const MIXED = { detail: { state: ['a', { prefix: 'b' }, { numeric: ['>', 5] }, { exists: false }] } };
table('ARRAYS: a value list is an OR of its members, whatever operators they use', [
  ['exact member', MIXED, { detail: { state: 'a' } }, true],
  ['prefix member', MIXED, { detail: { state: 'bravo' } }, true],
  ['numeric member', MIXED, { detail: { state: 6 } }, true],
  ['exists:false member (field absent)', MIXED, { detail: { other: 1 } }, true],
  ['no member holds', MIXED, { detail: { state: 'c' } }, false],
  ['no member holds (number)', MIXED, { detail: { state: 5 } }, false],
  ['null is a value, so not absent', MIXED, { detail: { state: null } }, false],
  ['an event array: one element passing is enough', MIXED, { detail: { state: ['c', 'bx'] } }, true],
  ['anything-but beside exists:false', { d: [{ 'anything-but': 'x' }, { exists: false }] }, { d: 'x' }, false],
  ['anything-but beside exists:false, absent', { d: [{ 'anything-but': 'x' }, { exists: false }] }, {}, true],
  ['exists:false beside another field', { a: ['1'], d: ['v', { exists: false }] }, { a: '1', d: 'w' }, false],
  ['wildcard or exists:false', { f: [{ wildcard: '*.png' }, { exists: false }] }, { f: 'x.png' }, true],
  ['exists:true or exists:false: anything', { f: [{ exists: true }, { exists: false }] }, { g: 1 }, true],
  ['inside $or', { $or: [{ a: ['1', { exists: false }] }, { b: ['2'] }] }, { b: '3' }, true],
  ['array consistency holds per alternative', { d: { a: ['1'], b: ['2', { exists: false }] } }, { d: [{ a: '1', b: '3' }, { b: '2' }] }, false],
  // The guide's own example: the pattern's first ARN is the event's second.
  [
    'resources: a shared value',
    { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    true,
  ],
]);

// OPS / FILTER, "Exists matching": exists matches leaf values only.
table('OPS: exists', [
  ['exists true', { detail: { state: [{ exists: true }] } }, { detail: { state: 'terminated' } }, true],
  ['exists false, absent', { detail: { 'c-count': [{ exists: false }] } }, { detail: { state: 'terminated' } }, true],
  ['exists true on an intermediate node does not match', { detail: { state: [{ exists: true }] } }, { detail: { state: { a: 1 } } }, false],
  ['exists false with a prefix in one list', { source: [{ prefix: 'aws.' }, { exists: false }] }, { source: 'custom' }, false],
]);

// OPS / FILTER, "Anything-but matching" — every form the guide shows.
table('OPS: anything-but', [
  ['a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: { state: 'running' } }, true],
  ['a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 124 } }, true],
  ['a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, { detail: { state: 'overloaded' } }, false],
  ['a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, { detail: { 'x-limit': 200 } }, false],
  ['prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { detail: { state: 'running' } }, true],
  ['suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { detail: { FileName: 'a.txt' } }, false],
  ['equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } }, { detail: { state: 'STOPPED' } }, false],
  ['equals-ignore-case, other', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } }, { detail: { state: 'running' } }, true],
  ['wildcard', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, { detail: { FilePath: '/usr/lib/x.so' } }, false],
  ['wildcard, other path', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, { detail: { FilePath: '/usr/bin/x' } }, true],
  ['wildcard list', { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } }, { detail: { FilePath: '/usr/bin/x' } }, false],
  ['absent field never matches anything-but', { detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: {} }, false],
]);

// OPS / FILTER, "Wildcard matching".
table('OPS: wildcard', [
  ['ARN with two wildcards', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/b' }, true],
  ['a star matches zero characters', { f: [{ wildcard: 'dir/*.png' }] }, { f: 'dir/.png' }, true],
  ['an escaped star is literal', { f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' }, true],
  ['an escaped star is literal, no', { f: [{ wildcard: 'a\\*b' }] }, { f: 'axxb' }, false],
  ['numbers are not strings', { f: [{ wildcard: '1*' }] }, { f: 12 }, false],
  // OPS, "Wildcards and event pattern complexity": the guide's examples of complex patterns and of
  // their simpler rewrites. Herald accepts both (matching is linear whatever the pattern) and they
  // answer alike on the guide's use case.
  ['complex: *:*:*:*:*:event-bus/*', { EventBusArn: [{ wildcard: '*:*:*:*:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/b' }, true],
  ['simpler: arn:aws:events:us-east-1:*:event-bus/*', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/b' }, true],
  ['complex: repeated sequences after a star', { FileName: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] }, { FileName: '/Users/ana/dir/dir/dir/dir/dir/doc.txt' }, true],
  ['complex: repeated sequences, one dir short', { FileName: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] }, { FileName: '/Users/ana/dir/dir/dir/dir/doc.txt' }, false],
  ['simpler: /Users/*/dir/dir/doc.txt', { FileName: [{ wildcard: '/Users/*/dir/dir/doc.txt' }] }, { FileName: '/Users/ana/dir/dir/doc.txt' }, true],
]);

test('OPS "Wildcards and event pattern complexity": a too-complex wildcard pattern is refused when the rule is written', () => {
  // The guide: "If a rule is too complex, EventBridge returns an InvalidEventPatternException when
  // attempting to create the rule." Herald's bound: at most MAX_WILDCARD_STARS stars in one value.
  assert.throws(
    () => validatePattern({ f: [{ wildcard: 'a*'.repeat(MAX_WILDCARD_STARS + 1) }] }),
    (e: unknown) => e instanceof HeraldError && e.code === 'HERALD_INVALID_PATTERN' && /too complex/.test(e.message),
  );
  assert.throws(
    () => validatePattern({ f: [{ 'anything-but': { wildcard: '*a'.repeat(MAX_WILDCARD_STARS + 1) } }] }),
    (e: unknown) => e instanceof HeraldError && /too complex/.test(e.message),
  );
  // "Consecutive wildcard characters" are not allowed either.
  assert.throws(() => validatePattern({ f: [{ wildcard: 'a**b' }] }), HeraldError);
});
