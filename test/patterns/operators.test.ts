/**
 * One table per operator. Expected results come from the EventBridge documentation ("Content filtering
 * in Amazon EventBridge event patterns", "Comparison operators for use in event patterns") and the
 * aws/event-ruler README; each row is checked on the compiled matcher and the reference interpreter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchBoth } from './support.js';

type Row = [label: string, pattern: unknown, event: unknown, expected: boolean];

function table(name: string, rows: Row[]): void {
  test(name, () => {
    for (const [label, pattern, event, expected] of rows) {
      assert.equal(matchBoth(pattern, event), expected, `${name}: ${label}`);
    }
  });
}

table('exact values: strings, numbers by value, booleans, null vs ""', [
  ['string equal', { source: ['aws.ec2'] }, { source: 'aws.ec2' }, true],
  ['string differs', { source: ['aws.ec2'] }, { source: 'aws.ec3' }, false],
  ['case matters', { source: ['aws.ec2'] }, { source: 'AWS.EC2' }, false],
  ['list is OR', { source: ['a', 'b'] }, { source: 'b' }, true],
  ['number equal', { x: [300] }, { x: 300 }, true],
  ['300 = 3.0e2', { x: [300] }, { x: 3.0e2 }, true],
  ['300.0 = 300', { x: [300.0] }, JSON.parse('{"x":300.0}'), true],
  ['number is not the string', { x: [300] }, { x: '300' }, false],
  ['string is not the number', { x: ['300'] }, { x: 300 }, false],
  ['true', { ok: [true] }, { ok: true }, true],
  ['true is not "true"', { ok: [true] }, { ok: 'true' }, false],
  ['false is not true', { ok: [false] }, { ok: true }, false],
  ['null matches null', { v: [null] }, { v: null }, true],
  ['null does not match a missing field', { v: [null] }, {}, false],
  ['null does not match ""', { v: [null] }, { v: '' }, false],
  ['"" matches ""', { v: [''] }, { v: '' }, true],
  ['"" does not match null', { v: [''] }, { v: null }, false],
  ['missing field fails', { source: ['a'] }, { other: 'a' }, false],
  ['nested object', { detail: { state: ['running'] } }, { detail: { state: 'running' } }, true],
  ['dotted pattern key = nested event', { 'detail.state': ['running'] }, { detail: { state: 'running' } }, true],
  ['nested pattern = dotted event key', { detail: { state: ['running'] } }, { 'detail.state': 'running' }, true],
  ['event array: any element', { tags: ['admin'] }, { tags: ['user', 'admin'] }, true],
  ['event array: none', { tags: ['root'] }, { tags: ['user', 'admin'] }, false],
  ['object is not a leaf', { detail: ['x'] }, { detail: { a: 'x' } }, false],
  ['all fields must match (AND)', { a: ['1'], b: ['2'] }, { a: '1', b: '3' }, false],
  ['unused fields are ignored', { a: ['1'] }, { a: '1', b: { c: [1, 2] } }, true],
  ['prototype key is not an own field', { constructor: ['x'] }, {}, false],
]);

table('prefix (and prefix equals-ignore-case)', [
  ['prefix', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' }, true],
  ['not prefix', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-03T18:43:48Z' }, false],
  ['whole value', { r: [{ prefix: 'us-' }] }, { r: 'us-' }, true],
  ['case matters', { r: [{ prefix: 'us-' }] }, { r: 'US-east-1' }, false],
  ['strings only', { n: [{ prefix: '12' }] }, { n: 123 }, false],
  ['ignore case', { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { service: 'eventbridge' }, true],
  ['ignore case upper', { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'EVENTBRIDGE' }, true],
  ['ignore case, no', { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'sqs' }, false],
]);

table('suffix (and suffix equals-ignore-case)', [
  ['suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
  ['not suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, false],
  ['case matters', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false],
  ['ignore case', { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { FileName: 'image.PNG' }, true],
  ['ignore case, no', { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { FileName: 'image.gif' }, false],
  ['strings only', { n: [{ suffix: '0' }] }, { n: 10 }, false],
]);

table('equals-ignore-case', [
  ['any case', { name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' }, true],
  ['mixed case', { name: [{ 'equals-ignore-case': 'aLiCe' }] }, { name: 'Alice' }, true],
  ['different', { name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'alicia' }, false],
  ['strings only', { b: [{ 'equals-ignore-case': 'true' }] }, { b: true }, false],
]);

table('wildcard', [
  ['middle', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }, true],
  ['middle, no', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }, false],
  ['star matches empty', { f: [{ wildcard: 'a*b' }] }, { f: 'ab' }, true],
  ['leading', { f: [{ wildcard: '*.png' }] }, { f: 'dir/x.png' }, true],
  ['no star = exact', { f: [{ wildcard: 'abc' }] }, { f: 'abcd' }, false],
  ['escaped star is literal', { f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' }, true],
  ['escaped star is not a wildcard', { f: [{ wildcard: 'a\\*b' }] }, { f: 'axb' }, false],
  ['escaped backslash', { f: [{ wildcard: 'a\\\\*' }] }, { f: 'a\\zzz' }, true],
  ['several stars in order', { f: [{ wildcard: '*a*b*c*' }] }, { f: 'xxcbaxbyc' }, true],
  ['several stars out of order', { f: [{ wildcard: '*a*b*c*' }] }, { f: 'cba' }, false],
  ['literals may not overlap', { f: [{ wildcard: 'ab*ba' }] }, { f: 'aba' }, false],
  ['strings only', { f: [{ wildcard: '1*' }] }, { f: 12 }, false],
]);

table('anything-but', [
  ['single string, other', { state: [{ 'anything-but': 'initializing' }] }, { state: 'running' }, true],
  ['single string, same', { state: [{ 'anything-but': 'initializing' }] }, { state: 'initializing' }, false],
  ['single number', { x: [{ 'anything-but': 123 }] }, { x: 456 }, true],
  ['single number, same value', { x: [{ 'anything-but': 123 }] }, { x: 1.23e2 }, false],
  ['string list', { state: [{ 'anything-but': ['stopped', 'overloaded'] }] }, { state: 'stopped' }, false],
  ['string list, other', { state: [{ 'anything-but': ['stopped', 'overloaded'] }] }, { state: 'running' }, true],
  ['number list', { x: [{ 'anything-but': [100, 200, 300] }] }, { x: 300.0 }, false],
  ['number list, other', { x: [{ 'anything-but': [100, 200, 300] }] }, { x: 301 }, true],
  ['field must be present', { state: [{ 'anything-but': 'initializing' }] }, {}, false],
  ['empty array holds no value', { state: [{ 'anything-but': 'x' }] }, { state: [] }, false],
  ['null value is not excluded (AWS matches)', { command: [{ 'anything-but': ['no-message'] }] }, { command: null }, true],
  ['a number is not an excluded string', { v: [{ 'anything-but': '5' }] }, { v: 5 }, true],
  ['array: some element passes', { tags: [{ 'anything-but': 'banned' }] }, { tags: ['banned', 'ok'] }, true],
  ['array: every element excluded', { tags: [{ 'anything-but': 'banned' }] }, { tags: ['banned', 'banned'] }, false],
  ['prefix', { Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'eu-west-1' }, true],
  ['prefix, excluded', { Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'us-east-1' }, false],
  ['suffix', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.jpg' }, true],
  ['suffix, excluded', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.png' }, false],
  ['ignore case', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' }, false],
  ['ignore case, list', { state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] }, { state: 'b' }, false],
  ['ignore case, other', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'running' }, true],
  ['wildcard', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/x' }, true],
  ['wildcard, excluded', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/x' }, false],
]);

table('numeric', [
  ['=', { x: [{ numeric: ['=', 3.018e2] }] }, { x: 301.8 }, true],
  ['= other', { x: [{ numeric: ['=', 5] }] }, { x: 5.0001 }, false],
  ['>', { x: [{ numeric: ['>', 0] }] }, { x: 0 }, false],
  ['>=', { x: [{ numeric: ['>=', 0] }] }, { x: 0 }, true],
  ['<', { x: [{ numeric: ['<', 10] }] }, { x: 10 }, false],
  ['<=', { x: [{ numeric: ['<=', 10] }] }, { x: 10 }, true],
  ['range in', { c: [{ numeric: ['>', 0, '<=', 5] }] }, { c: 5 }, true],
  ['range low edge', { c: [{ numeric: ['>', 0, '<=', 5] }] }, { c: 0 }, false],
  ['range above', { c: [{ numeric: ['>', 0, '<=', 5] }] }, { c: 5.5 }, false],
  ['negative and fractional', { x: [{ numeric: ['>=', -122.5, '<', -122.4] }] }, { x: -122.41 }, true],
  ['numbers only, not numeric strings', { x: [{ numeric: ['>', 0] }] }, { x: '5' }, false],
  ['array element', { x: [{ numeric: ['>', 0, '<', 10] }] }, { x: [100, 5, 200] }, true],
  ['large values compare as doubles', { id: [{ numeric: ['>', 1e15] }] }, { id: 123456789012345680 }, true],
]);

table('cidr', [
  ['IPv4 in', { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }, { sourceIPAddress: '10.0.0.255' }, true],
  ['IPv4 out', { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }, { sourceIPAddress: '10.0.1.0' }, false],
  ['IPv4 /32', { ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.7' }, true],
  ['IPv4 /0', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '255.255.255.255' }, true],
  ['not an IP', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'ten' }, false],
  ['IPv6 in', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:ffff::1' }, true],
  ['IPv6 out', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, false],
  ['IPv6 expanded form', { ip: [{ cidr: '2001:db8::/64' }] }, { ip: '2001:0db8:0000:0000:abcd:0000:0000:0001' }, true],
  ['families do not mix', { ip: [{ cidr: '::/0' }] }, { ip: '10.0.0.1' }, false],
]);

table('exists', [
  ['true, present', { d: { a: [{ exists: true }] } }, { d: { a: 1 } }, true],
  ['true, null counts as present', { d: { a: [{ exists: true }] } }, { d: { a: null } }, true],
  ['true, absent', { d: { a: [{ exists: true }] } }, { d: {} }, false],
  ['true, empty array', { d: { a: [{ exists: true }] } }, { d: { a: [] } }, false],
  ['true, leaf fields only', { d: [{ exists: true }] }, { d: { a: 1 } }, false],
  ['false, absent', { c: [{ exists: false }] }, { a: 1 }, true],
  ['false, present', { c: [{ exists: false }] }, { c: 'x' }, false],
  ['false, null is present', { c: [{ exists: false }] }, { c: null }, false],
  ['false, empty array', { c: [{ exists: false }] }, { c: [] }, true],
  ['false with another field', { a: ['1'], c: [{ exists: false }] }, { a: '1' }, true],
  ['false on an empty event', { c: [{ exists: false }] }, {}, true],
]);

table('$or', [
  ['first branch', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '1' }, true],
  ['second branch', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '2' }, true],
  ['neither', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '2', b: '1' }, false],
  ['with a common field', { source: ['s'], $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '1' }, false],
  ['nested in an object', { detail: { $or: [{ c: [{ numeric: ['>', 0, '<=', 5] }] }, { d: [{ numeric: ['<', 10] }] }] } },
    { detail: { d: 3 } }, true],
  ['$or as a field name', { $or: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['>', 10] }] }, { $or: 11 }, true],
  ['$or as a field name, no', { $or: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['>', 10] }] }, { $or: 7 }, false],
]);

table('array consistency', [
  ['same element', { d: { a: ['1'], b: ['2'] } }, { d: [{ a: '1', b: '2' }] }, true],
  ['different elements', { d: { a: ['1'], b: ['2'] } }, { d: [{ a: '1' }, { b: '2' }] }, false],
  ['primitive array + scalar', { d: { tags: ['x'], type: ['t'] } }, { d: { tags: ['y', 'x'], type: 't' } }, true],
  ['nested arrays', { u: { t: { k: ['c'], v: ['b'] } } }, { u: [{ t: [{ k: 'c' }, { v: 'b' }] }] }, false],
  ['exists:false judged in the chosen element', { d: { a: ['1'], b: [{ exists: false }] } }, { d: [{ a: '1' }, { b: 2 }] }, true],
  ['exists:false fails in the chosen element', { d: { a: ['1'], b: [{ exists: false }] } }, { d: [{ a: '1', b: 2 }] }, false],
]);
