/** Every documented rejection (docs/patterns.md, "Validation errors"), with the path it names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejects } from './support.js';
import { parsePattern, validatePattern, MAX_WILDCARD_STARS } from '../../src/patterns/index.js';

const cases: Array<[label: string, pattern: unknown, field: string]> = [
  ['not an object', ['a'], ''],
  ['null pattern', null, ''],
  ['empty pattern', {}, ''],
  ['empty nested object', { detail: {} }, 'detail'],
  ['leaf not in an array', { source: 'aws.ec2' }, 'source'],
  ['empty value list', { source: [] }, 'source'],
  ['nested array', { source: [['a']] }, 'source[0]'],
  ['unknown operator', { source: [{ contains: 'x' }] }, 'source.contains'],
  ['two keys in an operator', { source: [{ prefix: 'a', suffix: 'b' }] }, 'source'],
  ['prefix operand', { source: [{ prefix: 1 }] }, 'source.prefix'],
  ['prefix nested operator', { source: [{ prefix: { wildcard: 'a' } }] }, 'source.prefix'],
  ['suffix operand', { source: [{ suffix: null }] }, 'source.suffix'],
  ['suffix ignore-case operand', { source: [{ suffix: { 'equals-ignore-case': 5 } }] }, 'source.suffix.equals-ignore-case'],
  ['equals-ignore-case operand', { source: [{ 'equals-ignore-case': ['a'] }] }, 'source.equals-ignore-case'],
  ['exists operand', { source: [{ exists: 'yes' }] }, 'source.exists'],
  ['numeric not an array', { detail: { price: [{ numeric: '>5' }] } }, 'detail.price.numeric'],
  ['numeric bound not a number', { detail: { price: [{ numeric: ['>', 'x'] }] } }, 'detail.price.numeric[1]'],
  ['numeric unknown operator', { detail: { price: [{ numeric: ['!=', 1] }] } }, 'detail.price.numeric[0]'],
  ['numeric 3 elements', { detail: { price: [{ numeric: ['>', 1, '<'] }] } }, 'detail.price.numeric'],
  ['numeric lower above upper', { detail: { price: [{ numeric: ['>', 10, '<', 5] }] } }, 'detail.price.numeric'],
  ['numeric empty range', { detail: { price: [{ numeric: ['>=', 5, '<=', 5] }] } }, 'detail.price.numeric'],
  ['numeric range must start low', { detail: { price: [{ numeric: ['<', 10, '>', 5] }] } }, 'detail.price.numeric[0]'],
  ['numeric = with a second bound', { detail: { price: [{ numeric: ['=', 1, '<', 5] }] } }, 'detail.price.numeric[0]'],
  ['numeric second operator', { detail: { price: [{ numeric: ['>', 1, '>', 5] }] } }, 'detail.price.numeric[2]'],
  ['cidr not a string', { ip: [{ cidr: 10 }] }, 'ip.cidr'],
  ['cidr without prefix length', { ip: [{ cidr: '10.0.0.1' }] }, 'ip.cidr'],
  ['cidr octet over 255', { ip: [{ cidr: '10.0.0.256/24' }] }, 'ip.cidr'],
  ['cidr IPv4 prefix over 32', { ip: [{ cidr: '10.0.0.0/33' }] }, 'ip.cidr'],
  ['cidr IPv6 prefix over 128', { ip: [{ cidr: '2001:db8::/129' }] }, 'ip.cidr'],
  ['cidr malformed IPv6', { ip: [{ cidr: '2001:db8:::1/64' }] }, 'ip.cidr'],
  ['wildcard operand', { f: [{ wildcard: 5 }] }, 'f.wildcard'],
  ['wildcard **', { f: [{ wildcard: 'a**b' }] }, 'f.wildcard'],
  ['wildcard bad escape', { f: [{ wildcard: 'a\\b' }] }, 'f.wildcard'],
  ['wildcard too complex', { f: [{ wildcard: 'a*'.repeat(MAX_WILDCARD_STARS + 1) }] }, 'f.wildcard'],
  ['anything-but null', { s: [{ 'anything-but': null }] }, 's.anything-but'],
  ['anything-but boolean in list', { s: [{ 'anything-but': ['a', true] }] }, 's.anything-but[1]'],
  ['anything-but mixed list', { s: [{ 'anything-but': ['a', 1] }] }, 's.anything-but'],
  ['anything-but empty list', { s: [{ 'anything-but': [] }] }, 's.anything-but'],
  ['anything-but unknown nested', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, 's.anything-but.numeric'],
  ['anything-but empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, 's.anything-but.prefix'],
  ['anything-but ignore-case number', { s: [{ 'anything-but': { 'equals-ignore-case': [1] } }] }, 's.anything-but.equals-ignore-case[0]'],
  ['anything-but wildcard **', { s: [{ 'anything-but': { wildcard: '**' } }] }, 's.anything-but.wildcard'],
  ['$or with one sub-pattern', { $or: [{ a: ['1'] }] }, '$or'],
  ['$or element not an object', { $or: [{ a: ['1'] }, ['b']] }, '$or[1]'],
  ['operator name as a field inside $or', { $or: [{ a: ['1'] }, { numeric: ['>', 1] }] }, '$or[1].numeric'],
  ['operator name deeper inside $or', { $or: [{ a: ['1'] }, { b: { prefix: ['x'] } }] }, '$or[1].b.prefix'],
  ['error inside $or', { $or: [{ a: ['1'] }, { b: [{ numeric: ['>', 'x'] }] }] }, '$or[1].b.numeric[1]'],
];

test('invalid patterns are rejected with HERALD_INVALID_PATTERN naming the path and why', () => {
  for (const [label, pattern, field] of cases) {
    const message = rejects(pattern, field);
    assert.ok(message.includes(': '), `${label}: message says why: ${message}`);
  }
});

test('the example message from the issue', () => {
  assert.equal(
    rejects({ detail: { price: [{ numeric: ['>', 'ten'] }] } }),
    'detail.price.numeric[1]: expected a number, got string "ten"',
  );
});

test('patterns over 4 096 characters of JSON are rejected; at the limit they pass', () => {
  const base = JSON.stringify({ a: [''] }).length; // {"a":[""]}
  validatePattern({ a: ['x'.repeat(4096 - base)] });
  rejects({ a: ['x'.repeat(4097 - base)] }, '');
});

test('more than 1 000 $or combinations are rejected; 1 000 pass', () => {
  const or = (n: number, key: string) => ({ $or: Array.from({ length: n }, (_, i) => ({ [key]: [i] })) });
  // 10 x 10 x 10 = 1000 sub-rules
  assert.equal(parsePattern({ a: or(10, 'x'), b: or(10, 'y'), c: or(10, 'z') }).subRules.length, 1000);
  rejects({ a: or(10, 'x'), b: or(10, 'y'), c: or(11, 'z') }, 'c.$or');
});

test('a wildcard at the complexity bound passes', () => {
  validatePattern({ f: [{ wildcard: 'a*'.repeat(MAX_WILDCARD_STARS) }] });
});

test('validation accepts what the documentation shows', () => {
  for (const pattern of [
    { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running'] } },
    { time: [{ prefix: '2017-10-02' }] },
    { detail: { c: [{ numeric: ['>', 0, '<=', 5] }], d: [{ numeric: ['<', 10] }], x: [{ numeric: ['=', 3.018e2] }] } },
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    { detail: { 'c-count': [{ exists: false }] } },
    // A value list is an OR of its members, whatever operators they use (eb-event-patterns-arrays.html).
    { detail: { state: ['a', { prefix: 'b' }, { numeric: ['>', 5] }, { exists: false }] } },
  ]) {
    validatePattern(pattern);
  }
});
