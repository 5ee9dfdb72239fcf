import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand, DeleteRuleCommand, EnableRuleCommand, DescribeRuleCommand, EventBridgeClient, ListRulesCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { busEvents, eventually, startHarness } from './harness.js';

const T0 = Date.parse('2026-05-01T08:00:00.000Z');

function client(url: string): EventBridgeClient {
  return new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
}

test('PutRule with ScheduleExpression (AWS SDK) fires "Scheduled Event"s that only its rule matches; DeleteRule removes the schedule', async (t) => {
  const now = T0;
  const h = await startHarness({ now: () => new Date(now) });
  t.after(() => h.stop());
  const eb = client(h.url);
  t.after(() => eb.destroy());
  await eb.send(new CreateEventBusCommand({ Name: 'jobs' }));
  await eb.send(new CreateEventBusCommand({ Name: 'fired' }));
  await eb.send(new CreateEventBusCommand({ Name: 'other' }));

  // Made disabled, so that its target is in place before the first firing (a disabled scheduled rule does not fire).
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'nightly', EventBusName: 'jobs', ScheduleExpression: 'rate(1 minute)', State: 'DISABLED' }));
  assert.ok(RuleArn?.endsWith(':rule/jobs/nightly'), RuleArn);
  // A second scheduled rule on the same bus: its firings must not reach the first rule's target.
  await eb.send(new PutRuleCommand({ Name: 'hourly', EventBusName: 'jobs', ScheduleExpression: 'cron(0 * * * ? *)' }));
  await eb.send(new PutTargetsCommand({ Rule: 'nightly', EventBusName: 'jobs', Targets: [{ Id: 'fwd', Arn: `arn:aws:events:local:000000000000:event-bus/fired` }] }));
  assert.equal((await h.app.inject({ method: 'GET', url: '/v1/sources/rule-jobs-nightly' })).json().status.state, 'stopped');
  await eb.send(new EnableRuleCommand({ Name: 'nightly', EventBusName: 'jobs' }));

  // The schedule is a source on the bus, its events shaped like AWS's.
  const source = (await h.app.inject({ method: 'GET', url: '/v1/sources/rule-jobs-nightly' })).json();
  assert.equal(source.type, 'schedule');
  assert.equal(source.bus, 'jobs');
  assert.equal(source.config.expression, 'rate(1 minute)');
  assert.equal(source.config.startAt, new Date(T0).toISOString());
  assert.equal(source.status.state, 'running');

  const described = await eb.send(new DescribeRuleCommand({ Name: 'nightly', EventBusName: 'jobs' }));
  assert.equal(described.ScheduleExpression, 'rate(1 minute)');
  assert.equal(described.EventPattern, undefined);
  const listed = await eb.send(new ListRulesCommand({ EventBusName: 'jobs' }));
  assert.deepEqual(listed.Rules?.map((r) => [r.Name, r.ScheduleExpression]), [['hourly', 'cron(0 * * * ? *)'], ['nightly', 'rate(1 minute)']]);

  // With the injected clock at creation time, rate(1 minute) fires its first firing (the hourly cron fires at 08:00 too).
  await eventually('the scheduled events', async () => (await busEvents(h.app, 'jobs')).length === 2);
  const fired = (await busEvents(h.app, 'jobs')).map((e) => e.event).find((e) => String(e.id).startsWith('rule-jobs-nightly@'));
  assert.ok(fired);
  assert.equal(fired.source, 'aws.events');
  assert.equal(fired.type, 'Scheduled Event');
  assert.deepEqual(JSON.parse(String(fired.resources)), [RuleArn]);
  assert.deepEqual(fired.data, {});

  // Only nightly's own firing reaches its target (matched by resources = its ARN).
  const forwarded = await eventually('the forwarded firing', async () => {
    const events = await busEvents(h.app, 'fired');
    return events.length > 0 ? events : undefined;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal((await busEvents(h.app, 'fired')).length, 1);
  assert.equal(forwarded[0].event.id, fired.id);

  // A bad or one-time expression is refused like AWS does.
  await assert.rejects(eb.send(new PutRuleCommand({ Name: 'bad', EventBusName: 'jobs', ScheduleExpression: 'rate(often)' })), /ScheduleExpression is not valid/);
  await assert.rejects(eb.send(new PutRuleCommand({ Name: 'bad', EventBusName: 'jobs', ScheduleExpression: 'at(2026-06-01T00:00:00)' })), /ScheduleExpression is not valid/);

  await eb.send(new RemoveTargetsCommand({ Rule: 'nightly', EventBusName: 'jobs', Ids: ['fwd'] }));
  await eb.send(new DeleteRuleCommand({ Name: 'nightly', EventBusName: 'jobs' }));
  assert.equal((await h.app.inject({ method: 'GET', url: '/v1/sources/rule-jobs-nightly' })).statusCode, 404);
  assert.equal(h.sources.instance('rule-jobs-nightly'), undefined);
  assert.equal((await h.app.inject({ method: 'GET', url: '/v1/sources/rule-jobs-hourly' })).statusCode, 200);
});
