/**
 * Success path: event in, matching rule, the target receives it transformed exactly as configured,
 * for each transform kind and both views.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { waitUntil } from './support.js';

let server: RunningServer;
let receiver: Receiver;
before(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
});
after(async () => {
  await server.stop();
  await receiver.close();
});

const json = { 'content-type': 'application/json' };
async function putRule(bus: string, rule: Record<string, unknown>) {
  const response = await fetch(`${server.url}/v1/buses/${bus}/rules/${rule.name as string}`, { method: 'PUT', headers: json, body: JSON.stringify(rule) });
  const body = await response.json();
  assert.ok(response.status === 200 || response.status === 201, JSON.stringify(body));
  return body;
}
async function publish(bus: string, event: Record<string, unknown>) {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', source: '/shop', ...event }),
  });
  assert.equal(response.status, 202);
  return (await response.json()) as { sequence: number };
}

const order = { id: 'o-1', type: 'order.created', subject: 'order/1', time: '2026-11-25T10:00:00Z', datacontenttype: 'application/json', data: { id: 1, total: 42.5, customer: { name: 'Ada' } }, tenant: 'acme' };

test('each transform kind, on both views, reaches the target exactly as configured', async () => {
  await server.store.buses.create('shop');
  const cases = [
    { id: 'ce-event', view: 'cloudevent', transform: undefined, mode: 'structured' },
    { id: 'ce-path', view: 'cloudevent', transform: { kind: 'path', path: '$.data.customer' }, mode: 'raw' },
    { id: 'ce-constant', view: 'cloudevent', transform: { kind: 'constant', value: { hello: 'world' } }, mode: 'raw' },
    { id: 'ce-template', view: 'cloudevent', transform: { kind: 'template', inputPathsMap: { who: '$.data.customer.name', total: '$.data.total' }, inputTemplate: '{"who": <who>, "total": <total>}' }, mode: 'raw' },
    { id: 'eb-event', view: 'eventbridge', transform: undefined, mode: 'raw' },
    { id: 'eb-path', view: 'eventbridge', transform: { kind: 'path', path: '$.detail.customer' }, mode: 'raw' },
    { id: 'eb-template', view: 'eventbridge', transform: { kind: 'template', inputPathsMap: { t: '$.detail-type' }, inputTemplate: 'type is <t> for rule <aws.events.rule-name>' }, mode: 'raw' },
  ] as const;
  for (const c of cases) {
    await putRule('shop', {
      name: c.id,
      view: c.view,
      filter: { pattern: c.view === 'cloudevent' ? { type: ['order.created'] } : { 'detail-type': ['order.created'] } },
      targets: [{ id: 't', type: 'http', config: { url: `${receiver.url}/${c.id}`, mode: c.mode }, ...(c.transform ? { transform: c.transform } : {}) }],
    });
  }
  await publish('shop', { id: 'ignored', type: 'order.cancelled' });
  const { sequence } = await publish('shop', order);
  const received = await receiver.waitFor(cases.length);
  const body = (id: string) => received.find((r) => r.path === `/${id}`)!;
  const parsed = (id: string) => JSON.parse(body(id).body) as unknown;
  assert.deepEqual(parsed('ce-event'), { specversion: '1.0', source: '/shop', ...order });
  assert.equal(body('ce-event').headers['content-type'], 'application/cloudevents+json; charset=utf-8');
  assert.deepEqual(parsed('ce-path'), { name: 'Ada' });
  assert.deepEqual(parsed('ce-constant'), { hello: 'world' });
  assert.deepEqual(parsed('ce-template'), { who: 'Ada', total: 42.5 });
  const envelope = parsed('eb-event') as Record<string, unknown>;
  assert.deepEqual(envelope, {
    version: '0',
    id: 'o-1',
    'detail-type': 'order.created',
    source: '/shop',
    account: '000000000000',
    time: '2026-11-25T10:00:00Z',
    region: 'local',
    resources: [],
    detail: { id: 1, total: 42.5, customer: { name: 'Ada' } },
  });
  assert.deepEqual(parsed('eb-path'), { name: 'Ada' });
  assert.equal(body('eb-template').body, 'type is order.created for rule eb-template');
  assert.equal(body('eb-template').headers['content-type'], 'text/plain; charset=utf-8');
  // Every delivery carries a stable idempotency key: the event id and the delivery id.
  for (const r of received) assert.match(String(r.headers['webhook-id']), /^o-1:\d+$/);
  const trace = (await (await fetch(`${server.url}/v1/buses/shop/events/${sequence}/trace`)).json()) as {
    rulesMatched: string[];
    deliveries: Array<{ state: string; attempts: Array<{ status: number }> }>;
  };
  assert.deepEqual(trace.rulesMatched.sort(), cases.map((c) => c.id).sort());
  await waitUntil(async () => {
    const t = (await (await fetch(`${server.url}/v1/buses/shop/events/${sequence}/trace`)).json()) as typeof trace;
    return t.deliveries.every((d) => d.state === 'delivered' && d.attempts[0]?.status === 200);
  });
});

test('binary mode carries the attributes as ce- headers and the data as the body', async () => {
  await putRule('default', { name: 'bin', filter: { cesql: "type = 'bin.test'" }, targets: [{ id: 'b', type: 'http', config: { url: `${receiver.url}/bin` } }] });
  const before = receiver.received.length;
  await publish('default', { id: 'b-1', type: 'bin.test', subject: 'café', data: { x: 1 }, datacontenttype: 'application/json' });
  const [request] = (await receiver.waitFor(before + 1)).slice(before);
  assert.equal(request.headers['ce-id'], 'b-1');
  assert.equal(request.headers['ce-type'], 'bin.test');
  assert.equal(request.headers['ce-subject'], 'caf%C3%A9');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(request.body), { x: 1 });
});

test('a reply CloudEvent from a target is published on the rule reply bus', async () => {
  const replying = await startReceiver((request) => ({
    status: 200,
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: `reply-to-${String(request.headers['ce-id'])}`, source: '/replier', type: 'order.checked', data: { ok: true } }),
  }));
  try {
    await server.store.buses.create('replies');
    await putRule('default', { name: 'ask', filter: { pattern: { type: ['ask.me'] } }, replyBus: 'replies', targets: [{ id: 'r', type: 'http', config: { url: replying.url } }] });
    await publish('default', { id: 'q-1', type: 'ask.me' });
    await waitUntil(async () => (await server.store.events.read('replies', 0, 10)).length === 1);
    const [reply] = await server.store.events.read('replies', 0, 10);
    assert.deepEqual(reply.event, { specversion: '1.0', id: 'reply-to-q-1', source: '/replier', type: 'order.checked', data: { ok: true } });
  } finally {
    await replying.close();
  }
});

test('a CloudEvents SQL filter that fails to evaluate does not match, and the trace says why', async () => {
  await putRule('default', { name: 'sql-cast', filter: { cesql: 'INT(tenant) > 5' }, targets: [{ id: 't', type: 'http', config: { url: `${receiver.url}/sql-cast` } }] });
  const { sequence } = await publish('default', { id: 'sql-1', type: 'whatever', tenant: 'acme' });
  await waitUntil(async () => {
    const t = (await (await fetch(`${server.url}/v1/buses/default/events/${sequence}/trace`)).json()) as { routed: boolean };
    return t.routed;
  });
  const trace = (await (await fetch(`${server.url}/v1/buses/default/events/${sequence}/trace`)).json()) as {
    rulesMatched: string[];
    filterErrors: Array<{ rule: string; message: string }>;
  };
  assert.ok(!trace.rulesMatched.includes('sql-cast'));
  assert.equal(trace.filterErrors.length, 1);
  assert.equal(trace.filterErrors[0].rule, 'sql-cast');
  assert.match(trace.filterErrors[0].message, /cast/i);
  assert.ok(!receiver.received.some((r) => r.path === '/sql-cast'));
});
