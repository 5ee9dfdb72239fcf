/**
 * The official AWS SDK (@aws-sdk/client-eventbridge) against Herald, with only the endpoint and dummy
 * credentials changed: buses, rules, targets, PutEvents with per-entry failures, delivery through an
 * InputTransformer to a real HTTP receiver, disabling, and the documented exceptions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeServiceException,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { client, sleep, startEventBridgeServer, startReceiver, waitFor, type EventBridgeServer } from './harness.js';

let server: EventBridgeServer;
let eb: EventBridgeClient;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  server = await startEventBridgeServer();
  eb = client(server.url);
  receiver = await startReceiver();
});
after(async () => {
  eb.destroy();
  await receiver.stop();
  await server.stop();
});

const ACCOUNT = '000000000000';
const REGION = 'local';
const PATTERN = { source: ['shop'], 'detail-type': ['OrderPlaced'], detail: { total: [{ numeric: ['>=', 100] }] } };

function order(id: string, total: number, bus = 'orders') {
  return { Source: 'shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id, total }), EventBusName: bus };
}

async function rejects(promise: Promise<unknown>, name: string, message?: RegExp): Promise<EventBridgeServiceException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EventBridgeServiceException, `expected an SDK service exception, got ${String(error)}`);
    assert.equal(error.name, name);
    assert.equal(error.$metadata.httpStatusCode, 400);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected ${name}`);
}

test('the SDK creates a bus, a rule and an HTTP target with an InputTransformer, puts events (per-entry failures), delivers only matching events transformed, and stops after DisableRule', async () => {
  const bus = await eb.send(new CreateEventBusCommand({ Name: 'orders', Description: 'shop orders' }));
  assert.equal(bus.EventBusArn, `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders`);
  await assert.rejects(eb.send(new CreateEventBusCommand({ Name: 'orders' })), ResourceAlreadyExistsException);
  const described = await eb.send(new DescribeEventBusCommand({ Name: bus.EventBusArn }));
  assert.equal(described.Name, 'orders');
  assert.equal(described.Description, 'shop orders');

  const rule = await eb.send(new PutRuleCommand({ Name: 'big-orders', EventBusName: 'orders', EventPattern: JSON.stringify(PATTERN) }));
  assert.equal(rule.RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/big-orders`);

  const put = await eb.send(
    new PutTargetsCommand({
      Rule: 'big-orders',
      EventBusName: bus.EventBusArn,
      Targets: [
        {
          Id: 'receiver',
          Arn: `${receiver.url}/orders/*`,
          HttpParameters: { PathParameterValues: ['big'], QueryStringParameters: { from: 'herald' }, HeaderParameters: { 'x-shop': 'one' } },
          InputTransformer: {
            InputPathsMap: { eventId: '$.id', order: '$.detail.id', total: '$.detail.total' },
            InputTemplate: '{"event": <eventId>, "order": <order>, "amount": <total>, "rule": "<aws.events.rule-name>"}',
          },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
        },
        { Id: 'lambda', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:nope' },
      ],
    }),
  );
  assert.equal(put.FailedEntryCount, 1);
  assert.equal(put.FailedEntries?.[0]?.TargetId, 'lambda');
  assert.equal(put.FailedEntries?.[0]?.ErrorCode, 'ValidationException');

  const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: 'big-orders', EventBusName: 'orders' }));
  assert.equal(targets.Targets?.length, 1);
  const target = targets.Targets![0]!;
  assert.equal(target.Arn, `${receiver.url}/orders/big?from=herald`);
  assert.deepEqual(target.RetryPolicy, { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 });
  assert.deepEqual(target.HttpParameters?.HeaderParameters, { 'x-shop': 'one' });
  assert.equal(target.InputTransformer?.InputTemplate, '{"event": <eventId>, "order": <order>, "amount": <total>, "rule": "<aws.events.rule-name>"}');

  const events = await eb.send(
    new PutEventsCommand({
      Entries: [
        order('o-1', 150),
        order('o-2', 5), // stored, but the pattern does not match it
        { Source: 'shop', DetailType: 'OrderPlaced', EventBusName: 'orders' }, // no Detail
        { ...order('o-3', 200), Detail: '{"id": "o-3", ' }, // not JSON
        order('o-4', 300, 'nope'), // no such bus
        order('o-5', 100, bus.EventBusArn),
      ],
    }),
  );
  assert.equal(events.FailedEntryCount, 3);
  const results = events.Entries!;
  assert.equal(results.length, 6);
  assert.equal(results[2]?.ErrorCode, 'InvalidArgument');
  assert.equal(results[3]?.ErrorCode, 'MalformedDetail');
  assert.equal(results[4]?.ErrorCode, 'ResourceNotFoundException');
  for (const i of [0, 1, 5]) {
    assert.match(results[i]?.EventId ?? '', /^[0-9a-f-]{36}$/, `entry ${i} has an EventId`);
    assert.equal(results[i]?.ErrorCode, undefined);
  }

  await waitFor(() => receiver.received.length >= 2, 15_000, 'two deliveries');
  await sleep(500); // nothing else may follow: o-2 does not match, the failed entries were never stored
  assert.equal(receiver.received.length, 2);
  const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>).sort((a, b) => String(a.order).localeCompare(String(b.order)));
  assert.deepEqual(bodies, [
    { event: results[0]!.EventId, order: 'o-1', amount: 150, rule: 'big-orders' },
    { event: results[5]!.EventId, order: 'o-5', amount: 100, rule: 'big-orders' },
  ]);
  for (const r of receiver.received) {
    assert.equal(r.path, '/orders/big?from=herald');
    assert.equal(r.headers['x-shop'], 'one');
  }

  await eb.send(new DisableRuleCommand({ Name: 'big-orders', EventBusName: 'orders' }));
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'big-orders', EventBusName: 'orders' }))).State, 'DISABLED');
  const later = await eb.send(new PutEventsCommand({ Entries: [order('o-6', 999)] }));
  assert.equal(later.FailedEntryCount, 0);
  await sleep(1500);
  assert.equal(receiver.received.length, 2, 'a disabled rule delivers nothing');
});

test('the SDK gets ResourceNotFoundException for a missing rule or bus, and ValidationException for deleting a rule with targets', async () => {
  await eb.send(new CreateEventBusCommand({ Name: 'errors' }));
  await eb.send(new PutRuleCommand({ Name: 'r', EventBusName: 'errors', EventPattern: '{"source": ["x"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'errors', Targets: [{ Id: 't', Arn: 'http://127.0.0.1:9/x' }] }));

  const missing = await rejects(eb.send(new DescribeRuleCommand({ Name: 'missing', EventBusName: 'errors' })), 'ResourceNotFoundException', /Rule missing does not exist/);
  assert.ok(missing instanceof ResourceNotFoundException);
  await assert.rejects(eb.send(new DescribeRuleCommand({ Name: 'r', EventBusName: 'no-such-bus' })), ResourceNotFoundException);
  await assert.rejects(eb.send(new DescribeEventBusCommand({ Name: 'no-such-bus' })), ResourceNotFoundException);
  await assert.rejects(eb.send(new PutTargetsCommand({ Rule: 'missing', EventBusName: 'errors', Targets: [{ Id: 't', Arn: 'http://127.0.0.1:9/' }] })), ResourceNotFoundException);

  await rejects(eb.send(new DeleteRuleCommand({ Name: 'r', EventBusName: 'errors' })), 'ValidationException', /^Rule can't be deleted since it has targets\.$/);
  const removed = await eb.send(new RemoveTargetsCommand({ Rule: 'r', EventBusName: 'errors', Ids: ['t', 'not-there'] }));
  assert.equal(removed.FailedEntryCount, 1);
  assert.equal(removed.FailedEntries?.[0]?.TargetId, 'not-there');
  await eb.send(new DeleteRuleCommand({ Name: 'r', EventBusName: 'errors' }));
  // AWS: "If you call delete rule multiple times for the same rule, all calls will succeed."
  await eb.send(new DeleteRuleCommand({ Name: 'r', EventBusName: 'errors' }));
  assert.deepEqual((await eb.send(new ListRulesCommand({ EventBusName: 'errors' }))).Rules, []);
});
