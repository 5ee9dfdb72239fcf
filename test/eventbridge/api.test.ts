/**
 * The EventBridge API's refusals and bookkeeping through the official SDK: unsupported members named,
 * AWS limits, PutRule replacing a rule but keeping its targets, tags, pagination and the error shape.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeRuleCommand,
  EventBridgeServiceException,
  InvalidEventPatternException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { client, startEventBridgeServer, type EventBridgeServer } from './harness.js';

let server: EventBridgeServer;
let eb: EventBridgeClient;
before(async () => {
  server = await startEventBridgeServer();
  eb = client(server.url);
  await eb.send(new CreateEventBusCommand({ Name: 'api' }));
  await eb.send(new PutRuleCommand({ Name: 'rule', EventBusName: 'api', EventPattern: '{"source": ["a"]}', Description: 'first' }));
});
after(async () => {
  eb.destroy();
  await server.stop();
});

async function validation(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof EventBridgeServiceException);
    assert.equal(error.name, 'ValidationException');
    assert.match(error.message, message);
    return true;
  });
}

test('members Herald does not support are refused by name, never ignored', async () => {
  await validation(
    eb.send(new PutTargetsCommand({ Rule: 'rule', EventBusName: 'api', Targets: [{ Id: 't', Arn: 'http://127.0.0.1:9/', RoleArn: 'arn:aws:iam::1:role/x' }] })),
    /Targets\[0\]\.RoleArn is not supported/,
  );
  await validation(
    eb.send(new PutTargetsCommand({ Rule: 'rule', EventBusName: 'api', Targets: [{ Id: 't', Arn: 'http://127.0.0.1:9/', SqsParameters: { MessageGroupId: 'g' } }] })),
    /Targets\[0\]\.SqsParameters is not supported/,
  );
  // ScheduleExpression is supported since schedules exist: see test/sources/eventbridge-schedule.test.ts.
  await validation(eb.send(new PutRuleCommand({ Name: 'r2', EventPattern: '{"source":["a"]}', RoleArn: 'arn:aws:iam::1:role/x' })), /RoleArn is not supported/);
  await validation(eb.send(new CreateEventBusCommand({ Name: 'kms', KmsKeyIdentifier: 'k' })), /KmsKeyIdentifier is not supported/);
  await validation(
    eb.send(new PutTargetsCommand({ Rule: 'rule', EventBusName: 'api', Targets: [{ Id: 't', Arn: 'http://127.0.0.1:9/a/*', HttpParameters: { PathParameterValues: ['x', 'y'] } }] })),
    /PathParameterValues has 2 value\(s\) for 1 path wildcard/,
  );
  await validation(
    eb.send(new PutTargetsCommand({ Rule: 'rule', EventBusName: 'api', Targets: [{ Id: 't', Arn: 'http://127.0.0.1:9/', Input: '{"a":1}', InputPath: '$.detail' }] })),
    /only one of Input, InputPath, or InputTransformer/,
  );
  assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: 'rule', EventBusName: 'api' }))).Targets, [], 'nothing was saved');
});

test('PutRule with an invalid pattern raises InvalidEventPatternException and changes nothing', async () => {
  await assert.rejects(eb.send(new PutRuleCommand({ Name: 'rule', EventBusName: 'api', EventPattern: '{"source": "a"}' })), InvalidEventPatternException);
  const rule = await eb.send(new DescribeRuleCommand({ Name: 'rule', EventBusName: 'api' }));
  assert.deepEqual(JSON.parse(rule.EventPattern!), { source: ['a'] });
});

test('a rule has at most 5 targets (LimitExceededException); PutRule replaces the rule and keeps its targets', async () => {
  const targets = (ids: string[]) => ids.map((Id) => ({ Id, Arn: `http://127.0.0.1:9/${Id}` }));
  const put = await eb.send(new PutTargetsCommand({ Rule: 'rule', EventBusName: 'api', Targets: targets(['a', 'b', 'c', 'd', 'e']) }));
  assert.equal(put.FailedEntryCount, 0);
  await assert.rejects(eb.send(new PutTargetsCommand({ Rule: 'rule', EventBusName: 'api', Targets: targets(['f']) })), LimitExceededException);
  // Replacing an existing target is not a sixth one.
  assert.equal((await eb.send(new PutTargetsCommand({ Rule: 'rule', EventBusName: 'api', Targets: [{ Id: 'a', Arn: 'http://127.0.0.1:9/again', Input: '{"x":1}' }] }))).FailedEntryCount, 0);

  await eb.send(new PutRuleCommand({ Name: 'rule', EventBusName: 'api', EventPattern: '{"source": ["b"]}', State: 'DISABLED' }));
  const rule = await eb.send(new DescribeRuleCommand({ Name: 'rule', EventBusName: 'api' }));
  assert.equal(rule.State, 'DISABLED');
  assert.equal(rule.Description, undefined, 'omitted members are not kept (AWS PutRule semantics)');
  assert.deepEqual(JSON.parse(rule.EventPattern!), { source: ['b'] });
  assert.equal(rule.Arn, 'arn:aws:events:local:000000000000:rule/api/rule');
  const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'rule', EventBusName: 'api' }));
  assert.deepEqual(listed.Targets?.map((t) => t.Id), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(listed.Targets?.find((t) => t.Id === 'a'), { Id: 'a', Arn: 'http://127.0.0.1:9/again', Input: '{"x":1}' });
});

test('PutEvents refuses more than 10 entries and more than 256 KB in total', async () => {
  const entry = { Source: 's', DetailType: 't', Detail: '{}' };
  await validation(eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })), /1 to 10 entries/);
  const big = { Source: 's', DetailType: 't', Detail: JSON.stringify({ pad: 'x'.repeat(60 * 1024) }) };
  await validation(eb.send(new PutEventsCommand({ Entries: [big, big, big, big, big] })), /must be less than 262144 bytes/);
  const ok = await eb.send(new PutEventsCommand({ Entries: [big, big, big] }));
  assert.equal(ok.FailedEntryCount, 0);
});

test('tags on rules and buses; buses listed with their ARNs and paged', async () => {
  const ruleArn = 'arn:aws:events:local:000000000000:rule/api/rule';
  await eb.send(new TagResourceCommand({ ResourceARN: ruleArn, Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'env', Value: 'dev' }] }));
  await eb.send(new UntagResourceCommand({ ResourceARN: ruleArn, TagKeys: ['env'] }));
  assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn }))).Tags, [{ Key: 'team', Value: 'orders' }]);

  const busArn = 'arn:aws:events:local:000000000000:event-bus/api';
  await eb.send(new TagResourceCommand({ ResourceARN: busArn, Tags: [{ Key: 'owner', Value: 'me' }] }));
  assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: busArn }))).Tags, [{ Key: 'owner', Value: 'me' }]);

  for (const name of ['page-1', 'page-2', 'page-3']) await eb.send(new CreateEventBusCommand({ Name: name }));
  const first = await eb.send(new ListEventBusesCommand({ NamePrefix: 'page-', Limit: 2 }));
  assert.deepEqual(first.EventBuses?.map((b) => b.Name), ['page-1', 'page-2']);
  const second = await eb.send(new ListEventBusesCommand({ NamePrefix: 'page-', Limit: 2, NextToken: first.NextToken }));
  assert.deepEqual(second.EventBuses?.map((b) => [b.Name, b.Arn]), [['page-3', 'arn:aws:events:local:000000000000:event-bus/page-3']]);
  assert.equal(second.NextToken, undefined);
  await eb.send(new DeleteEventBusCommand({ Name: 'page-3' }));
  await eb.send(new DeleteEventBusCommand({ Name: 'page-3' })); // gone already: succeeds, as on AWS
  await validation(eb.send(new DeleteEventBusCommand({ Name: 'default' })), /Cannot delete event bus default/);
  await validation(eb.send(new DeleteEventBusCommand({ Name: 'api' })), /still has 1 rule/);
  assert.deepEqual((await eb.send(new ListRulesCommand({ EventBusName: 'api' }))).Rules?.map((r) => r.Name), ['rule']);
});

test('errors have the AWS JSON 1.1 shape; unknown operations and content types are refused', async () => {
  const post = (target: string, body: string, type = 'application/x-amz-json-1.1') =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': type, 'x-amz-target': target }, body });
  const missing = await post('AWSEvents.DescribeRule', '{"Name":"nope"}');
  assert.equal(missing.status, 400);
  assert.equal(missing.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
  assert.deepEqual(await missing.json(), { __type: 'ResourceNotFoundException', message: 'Rule nope does not exist on EventBus default.' });
  const unknown = await post('AWSEvents.CreateArchive', '{}');
  assert.equal(unknown.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  const bad = await post('AWSEvents.ListRules', '{"Limit": ');
  assert.equal(bad.headers.get('x-amzn-errortype'), 'SerializationException');
  const array = await post('AWSEvents.ListRules', '[]');
  assert.equal(array.headers.get('x-amzn-errortype'), 'SerializationException');
});
