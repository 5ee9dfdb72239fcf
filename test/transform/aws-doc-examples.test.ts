/**
 * EventBridge's published input-transformer examples, with their literal expected outputs:
 * - user guide "Amazon EventBridge input transformation" → "Input transform examples" (EC2 event);
 * - API reference "InputTransformer" (the InputTemplate examples);
 * - outputs EventBridge itself produced, as recorded against AWS in LocalStack's
 *   tests/aws/services/events/test_events_inputs.snapshot.json (markers.aws.validated).
 * Each expected output is the doc's text, parsed as JSON where the doc's output is JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTransform, type TransformContext } from '../../src/transform/index.js';

const EC2_EVENT = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const EC2_PATHS = {
  timestamp: '$.time',
  instance: '$.detail.instance-id',
  state: '$.detail.state',
  resource: '$.resources[0]',
};
const CTX: TransformContext = {
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ruleName: 'example',
  ingestionTime: '2015-11-11T21:29:55Z',
};

interface Example {
  name: string;
  template: string;
  /** The doc's output, literally. */
  output: string;
  contentType: 'application/json' | 'text/plain';
}

// User guide, "Input transform examples" table (all rows but the CloudWatch Logs one, below).
const USER_GUIDE: Example[] = [
  {
    name: 'Simple string',
    template: '"instance <instance> is in <state>"',
    output: '"instance i-0123456789 is in RUNNING"',
    contentType: 'application/json',
  },
  {
    name: 'String with escaped quotes',
    template: '"instance \\"<instance>\\" is in <state>"',
    output: '"instance \\"i-0123456789\\" is in RUNNING"',
    contentType: 'application/json',
  },
  {
    name: 'Simple JSON',
    template: '{\n  "instance" : <instance>,\n  "state": <state>\n}',
    output: '{\n  "instance" : "i-0123456789",\n  "state": "RUNNING"\n}',
    contentType: 'application/json',
  },
  {
    name: 'JSON with strings and variables',
    template: '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}',
    output: '{\n "instance" : "i-0123456789",\n "state": "RUNNING",\n "instanceStatus": "instance \\"i-0123456789\\" is in RUNNING"\n}',
    contentType: 'application/json',
  },
  {
    name: 'JSON with a mix of variables and static information',
    template: '{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}',
    output: '{\n  "instance" : "i-0123456789",\n  "state": [\n    9,\n    "RUNNING",\n    true\n  ],\n  "Transformed" : "Yes"\n}',
    contentType: 'application/json',
  },
  {
    name: 'Including reserved variables in a string',
    template: '"<aws.events.rule-name> triggered"',
    output: '"example triggered"',
    contentType: 'application/json',
  },
  {
    name: 'An array element by index ($.resources[0])',
    template: '{"resource": <resource>}',
    output: '{"resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"}',
    contentType: 'application/json',
  },
];

function run(template: string, paths: Record<string, string>, event: unknown) {
  return compileTransform({ kind: 'template', inputPathsMap: paths, inputTemplate: template }).apply(event, CTX);
}

for (const example of USER_GUIDE) {
  test(`user guide example: ${example.name}`, () => {
    const out = run(example.template, EC2_PATHS, EC2_EVENT);
    assert.equal(out.contentType, example.contentType);
    assert.deepEqual(out.body, JSON.parse(example.output));
  });
}

test('user guide example: Including reserved variables in JSON (originalEvent is the whole event)', () => {
  const template =
    '{\n  "instance" : <instance>,\n  "state": <state>,\n  "ruleArn" : <aws.events.rule-arn>,\n' +
    '  "ruleName" : <aws.events.rule-name>,\n  "originalEvent" : <aws.events.event.json>\n}';
  const out = run(template, EC2_PATHS, EC2_EVENT);
  assert.equal(out.contentType, 'application/json');
  assert.deepEqual(out.body, {
    instance: 'i-0123456789',
    state: 'RUNNING',
    ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
    ruleName: 'example',
    originalEvent: EC2_EVENT, // the doc elides it: "... // commented for brevity"
  });
});

test('user guide example: CloudWatch log group — Herald keeps the output valid JSON (documented deviation)', () => {
  // The doc shows `{"timestamp" : 2015-11-11T21:29:54Z, "message": "instance "i-0123456789" is in RUNNING}`
  // for a CloudWatch Logs target, which is not JSON. Herald quotes the string value and escapes the text.
  const out = run('{\n  "timestamp" : <timestamp>,\n  "message": "instance \\"<instance>\\" is in <state>"\n}', EC2_PATHS, EC2_EVENT);
  assert.deepEqual(out.body, { timestamp: '2015-11-11T21:29:54Z', message: 'instance "i-0123456789" is in RUNNING' });
});

// API reference, InputTransformer: InputPathsMap {"instance": "$.detail.instance","status": "$.detail.status"}.
const API_EVENT = { ...EC2_EVENT, detail: { instance: 'i-0123456789', status: 'RUNNING' } };
const API_PATHS = { instance: '$.detail.instance', status: '$.detail.status' };
const API_REFERENCE: Example[] = [
  {
    name: 'a plain text template',
    template: '<instance> is in state <status>',
    output: 'i-0123456789 is in state RUNNING',
    contentType: 'text/plain',
  },
  {
    name: 'quote marks within a text template',
    template: '<instance> is in state "<status>"',
    output: 'i-0123456789 is in state "RUNNING"',
    contentType: 'text/plain',
  },
  {
    name: 'JSON with variables in quotes or out',
    template: '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}',
    output: '{"myInstance": "i-0123456789","myStatus": "i-0123456789 is in state \\"RUNNING\\""}',
    contentType: 'application/json',
  },
];
for (const example of API_REFERENCE) {
  test(`API reference example: ${example.name}`, () => {
    const out = run(example.template, API_PATHS, API_EVENT);
    assert.equal(out.contentType, example.contentType);
    assert.deepEqual(out.body, example.contentType === 'text/plain' ? example.output : JSON.parse(example.output));
  });
}

// Recorded from AWS (LocalStack snapshot). The event as EventBridge delivered it, `time` fixed here.
const RECORDED_EVENT = {
  version: '0',
  id: 'b3c9d1a2-0000-4000-8000-000000000001',
  'detail-type': 'core.update-account-command',
  source: 'core.update-account-command',
  account: '111111111111',
  time: '2024-05-13T12:27:07Z',
  region: 'us-east-1',
  resources: [],
  detail: { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } },
};
const RECORDED_PATHS = { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' };
const MISSING_PATHS = { ...RECORDED_PATHS, command: '$.detail.notinmessage' };

const RECORDED: Array<Example & { paths: Record<string, string> }> = [
  {
    name: 'string template, all paths present',
    paths: RECORDED_PATHS,
    template: '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"',
    output: '"Event of core.update-account-command type, at time 2024-05-13T12:27:07Z, info extracted from detail update-account"',
    contentType: 'application/json',
  },
  {
    name: 'string template, a path missing from the event binds to nothing',
    paths: MISSING_PATHS,
    template: '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"',
    output: '"Event of core.update-account-command type, at time 2024-05-13T12:27:07Z, info extracted from detail "',
    contentType: 'application/json',
  },
  {
    name: 'string template with special starting characters',
    paths: RECORDED_PATHS,
    template: '"{[/Check with special starting characters for event of <detail-type> type"',
    output: '"{[/Check with special starting characters for event of core.update-account-command type"',
    contentType: 'application/json',
  },
  {
    name: 'JSON template, all paths present',
    paths: RECORDED_PATHS,
    template: '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}',
    output: '{"detailType": "core.update-account-command", "time": "2024-05-13T12:27:07Z", "command": "update-account"}',
    contentType: 'application/json',
  },
  {
    name: 'JSON template, a path missing from the event binds to ""',
    paths: MISSING_PATHS,
    template: '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}',
    output: '{"detailType": "core.update-account-command", "time": "2024-05-13T12:27:07Z", "command": ""}',
    contentType: 'application/json',
  },
  {
    name: 'predefined variables in a string',
    paths: {},
    template: '"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"',
    output:
      '"Message containing all pre defined variables arn:aws:events:us-east-2:123456789012:rule/example example 2015-11-11T21:29:55Z"',
    contentType: 'application/json',
  },
];
for (const example of RECORDED) {
  test(`recorded AWS output: ${example.name}`, () => {
    const out = run(example.template, example.paths, RECORDED_EVENT);
    assert.equal(out.contentType, example.contentType);
    assert.deepEqual(out.body, JSON.parse(example.output));
  });
}

test('recorded AWS output: <aws.events.event> is the event without detail; <aws.events.event.json> is all of it', () => {
  const out = compileTransform({
    kind: 'template',
    inputTemplate: '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}',
  }).apply(RECORDED_EVENT, CTX);
  const { detail: _detail, ...withoutDetail } = RECORDED_EVENT;
  assert.deepEqual(out.body, { originalEvent: withoutDetail, originalEventJson: RECORDED_EVENT });
});

const INPUT_PATHS: Array<{ path: string; output: string }> = [
  { path: '$.detail', output: '{"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}}' },
  { path: '$.detail.payload', output: '{"acc_id": "0a787ecb-4015", "sf_id": "baz"}' },
  { path: '$.detail.payload.sf_id', output: '"baz"' },
];
for (const { path, output } of INPUT_PATHS) {
  test(`recorded AWS output: InputPath ${path}`, () => {
    const out = compileTransform({ kind: 'path', path }).apply(RECORDED_EVENT, CTX);
    assert.equal(out.contentType, 'application/json');
    assert.deepEqual(out.body, JSON.parse(output));
  });
}
