/**
 * TestEventPattern through the official SDK. Every pattern, event and expected result below is taken
 * from the EventBridge user guide, not from Herald: "Creating Amazon EventBridge event patterns"
 * (eb-event-patterns.html, the EC2 example), "Content filtering in Amazon EventBridge event patterns"
 * (eb-event-patterns-content-based-filtering.html: prefix, suffix, anything-but, numeric, IP address,
 * exists, equals-ignore-case, wildcard, $or), "Matching null values and empty strings"
 * (eb-event-patterns-null-values.html) and "Arrays in event patterns" (eb-event-patterns-arrays.html).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidEventPatternException, TestEventPatternCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { client, startEventBridgeServer, type EventBridgeServer } from './harness.js';

let server: EventBridgeServer;
let eb: EventBridgeClient;
before(async () => {
  server = await startEventBridgeServer();
  eb = client(server.url);
});
after(async () => {
  eb.destroy();
  await server.stop();
});

/** The user guide's example event (eb-event-patterns.html). */
const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The same envelope with other top-level fields or another `detail`. */
function event(detail: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...EC2_EVENT, ...top, detail };
}

const NUMERIC = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
const OR = {
  $or: [{ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, { detail: { 'x-limit': [{ numeric: ['>', 0, '<=', 5] }] } }],
};
const MIXED = { detail: { state: ['a', { prefix: 'b' }, { numeric: ['>', 5] }, { exists: false }] } };
const ARRAY_PATTERN = {
  resources: [
    'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
    'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
    'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
  ],
};

const CASES: Array<{ name: string; pattern: unknown; event: unknown; result: boolean }> = [
  { name: 'EC2 terminated: source, detail-type and detail.state all match', pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, event: EC2_EVENT, result: true },
  { name: 'EC2 pattern, instance running', pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, event: event({ state: 'running' }), result: false },
  { name: 'matching is case-sensitive', pattern: { source: ['AWS.EC2'] }, event: EC2_EVENT, result: false },
  { name: 'prefix on time', pattern: { time: [{ prefix: '2017-10-02' }] }, event: { ...EC2_EVENT, time: '2017-10-02T18:43:48Z' }, result: true },
  { name: 'prefix on time, another day', pattern: { time: [{ prefix: '2017-10-02' }] }, event: EC2_EVENT, result: false },
  { name: 'Auto Scaling events from European regions', pattern: { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, event: { ...EC2_EVENT, source: 'aws.autoscaling', region: 'eu-west-1' }, result: true },
  { name: 'Auto Scaling pattern, US region', pattern: { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, event: { ...EC2_EVENT, source: 'aws.autoscaling', region: 'us-east-1' }, result: false },
  { name: 'prefix with equals-ignore-case', pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, event: event({ service: 'eventbridge' }), result: true },
  { name: 'suffix with equals-ignore-case', pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, event: event({ FileName: 'photo.PNG' }), result: true },
  { name: 'suffix, another extension', pattern: { detail: { FileName: [{ suffix: '.png' }] } }, event: event({ FileName: 'photo.jpg' }), result: false },
  { name: 'anything-but a string, other value', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: event({ state: 'running' }), result: true },
  { name: 'anything-but a string, that value', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: event({ state: 'initializing' }), result: false },
  { name: 'anything-but a number', pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, event: event({ 'x-limit': 123 }), result: false },
  { name: 'anything-but a list of strings', pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, event: event({ state: 'stopped' }), result: false },
  { name: 'anything-but a list of numbers, other number', pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, event: event({ 'x-limit': 150 }), result: true },
  { name: 'anything-but a prefix', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: event({ state: 'initializing' }), result: false },
  { name: 'anything-but a suffix', pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, event: event({ FileName: 'notes.md' }), result: true },
  { name: 'numeric ranges all hold', pattern: NUMERIC, event: event({ 'c-count': 5, 'd-count': 9, 'x-limit': 301.8 }), result: true },
  { name: 'numeric: c-count 0 is not > 0', pattern: NUMERIC, event: event({ 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 }), result: false },
  { name: 'numeric matches JSON numbers only, not numeric strings', pattern: { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, event: event({ 'd-count': '5' }), result: false },
  { name: 'IP address in the CIDR block', pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, event: event({ sourceIPAddress: '10.0.0.255' }), result: true },
  { name: 'IP address outside the CIDR block', pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, event: event({ sourceIPAddress: '10.0.1.1' }), result: false },
  { name: 'exists: true on a present field', pattern: { detail: { state: [{ exists: true }] } }, event: EC2_EVENT, result: true },
  { name: 'exists: false on a present field', pattern: { detail: { state: [{ exists: false }] } }, event: EC2_EVENT, result: false },
  { name: 'exists: false on an absent field', pattern: { detail: { 'c-count': [{ exists: false }] } }, event: EC2_EVENT, result: true },
  { name: 'equals-ignore-case on detail-type', pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, event: EC2_EVENT, result: true },
  { name: 'wildcard on an ARN', pattern: { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } }, event: event({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }), result: true },
  { name: 'wildcard on an ARN, other region', pattern: { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } }, event: event({ EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' }), result: false },
  { name: 'null value matches [null]', pattern: { detail: { responseElements: [null] } }, event: event({ eventVersion: '', responseElements: null }), result: true },
  { name: 'empty string matches [""]', pattern: { detail: { eventVersion: [''] } }, event: event({ eventVersion: '', responseElements: null }), result: true },
  { name: 'arrays: any shared value matches', pattern: ARRAY_PATTERN, event: { ...EC2_EVENT, resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] }, result: true },
  { name: 'arrays: no shared value', pattern: ARRAY_PATTERN, event: EC2_EVENT, result: false },
  { name: '$or: one branch holds', pattern: OR, event: event({ 'd-count': 7 }), result: true },
  { name: '$or: no branch holds', pattern: OR, event: event({ 'c-count': 9, 'd-count': 12, 'x-limit': 9 }), result: false },
  // eb-event-patterns-arrays.html: a value list is an OR of its members, whatever operators they use.
  { name: 'mixed list: prefix member', pattern: MIXED, event: event({ state: 'bravo' }), result: true },
  { name: 'mixed list: numeric member', pattern: MIXED, event: event({ state: 9 }), result: true },
  { name: 'mixed list: exists:false member', pattern: MIXED, event: event({}), result: true },
  { name: 'mixed list: no member', pattern: MIXED, event: event({ state: 'terminated' }), result: false },
  // eb-create-pattern-operators.html: anything-but with equals-ignore-case and with wildcard.
  { name: 'anything-but equals-ignore-case', pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } }, event: event({ state: 'overloaded' }), result: false },
  { name: 'anything-but wildcard', pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, event: event({ FilePath: '/usr/bin/x' }), result: true },
];

test(`TestEventPattern answers the EventBridge user guide's results for ${CASES.length} pattern/event pairs`, async () => {
  const wrong: string[] = [];
  for (const c of CASES) {
    const answer = await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(c.pattern), Event: JSON.stringify(c.event) }));
    if (answer.Result !== c.result) wrong.push(`${c.name}: expected ${c.result}, got ${String(answer.Result)}`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(CASES.filter((c) => c.result).length >= 10 && CASES.filter((c) => !c.result).length >= 10);
});

test('TestEventPattern refuses invalid patterns with InvalidEventPatternException', async () => {
  const invalid = [
    '{"detail": {"state": "terminated"}}', // leaf values must be arrays
    '{"detail": {"x": [{"numeric": [">", "five"]}]}}',
    '{"source": [{"prefix": 5}]}',
    '{"source": ["aws.ec2"]', // not JSON
  ];
  for (const pattern of invalid) {
    await assert.rejects(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify(EC2_EVENT) })), InvalidEventPatternException, pattern);
  }
});

test('TestEventPattern refuses an Event without a field the API reference makes mandatory', async () => {
  // API_TestEventPattern.html, Event: "the following fields are mandatory: id, account, source, time,
  // region, resources, detail-type".
  for (const field of ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type']) {
    const { [field]: _removed, ...rest } = EC2_EVENT as Record<string, unknown>;
    await assert.rejects(
      eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: ['aws.ec2'] }), Event: JSON.stringify(rest) })),
      (e: Error) => e.name === 'ValidationException' && e.message.includes(`"${field}"`),
      field,
    );
  }
  await assert.rejects(
    eb.send(new TestEventPatternCommand({ EventPattern: '{"source": ["aws.ec2"]}', Event: JSON.stringify({ ...EC2_EVENT, resources: 'arn' }) })),
    (e: Error) => e.name === 'ValidationException',
  );
  // The fields that are not mandatory (version, detail) may be left out.
  const { version: _v, detail: _d, ...minimal } = EC2_EVENT;
  const answer = await eb.send(new TestEventPatternCommand({ EventPattern: '{"source": ["aws.ec2"]}', Event: JSON.stringify(minimal) }));
  assert.equal(answer.Result, true);
});

test('TestEventPattern refuses a deeply nested Event or pattern with a 400, not a 500', async () => {
  const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  const event = `${JSON.stringify(EC2_EVENT).slice(0, -1)},"detail":${deep}}`;
  await assert.rejects(
    eb.send(new TestEventPatternCommand({ EventPattern: '{"source": ["aws.ec2"]}', Event: event })),
    // The request's own JSON-depth check (64 + 4 levels for a JSON document in a string member)
    // answers before the event is parsed; either way a 400 that names the limit.
    (e: Error) => e.name === 'ValidationException' && /\b(64|68)\b/.test(e.message),
  );
  await assert.rejects(
    eb.send(new TestEventPatternCommand({ EventPattern: `{"detail":${'{"a":'.repeat(100_000)}[1]${'}'.repeat(100_000)}}`, Event: JSON.stringify(EC2_EVENT) })),
    (e: Error) => (e instanceof InvalidEventPatternException || e.name === 'ValidationException') && /\b(64|68)\b/.test(e.message),
  );
});
