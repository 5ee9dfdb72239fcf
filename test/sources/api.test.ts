import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signStandard } from '../../src/connectors/index.js';
import { busEvents, createBus, eventually, startHarness } from './harness.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

test('PUT /v1/sources validates with field paths: unknown type, connector config, missing bus', async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const put = (body: unknown) => h.app.inject({ method: 'PUT', url: '/v1/sources/s1', payload: body as object });

  let res = await put({ type: 'carrier-pigeon', bus: 'default', config: {} });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().field, 'type');

  res = await put({ type: 'schedule', bus: 'default', config: { expression: 'every tuesday' } });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().field, /^config/);

  res = await put({ type: 'schedule', bus: 'default', config: { expression: 'rate(1 minute)', colour: 'red' } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().field, 'config.colour');

  res = await put({ type: 'schedule', bus: 'nope', config: { expression: 'rate(1 minute)' } });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().code, 'HERALD_BUS_NOT_FOUND');
  assert.equal(res.json().field, 'bus');

  res = await put({ type: 'schedule', bus: 'default', config: { expression: 'rate(1 minute)' }, extensions: { Bad: 'x' } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().field, 'extensions.Bad');

  // Nothing of the refused PUTs was stored.
  assert.deepEqual((await h.app.inject({ method: 'GET', url: '/v1/sources' })).json(), { sources: [] });
  assert.equal((await h.app.inject({ method: 'GET', url: '/v1/sources/s1' })).statusCode, 404);
});

test('a schedule source with an injected clock fires onto its bus; disabling stops it, deleting stops it', async (t) => {
  let now = T0;
  const h = await startHarness({ now: () => new Date(now) });
  t.after(() => h.stop());
  await createBus(h.app, 'ticks');
  const spec = { type: 'schedule', bus: 'ticks', config: { expression: 'rate(1 minute)', startAt: new Date(T0).toISOString(), tickMs: 10 } };
  const created = await h.app.inject({ method: 'PUT', url: '/v1/sources/clock', payload: spec });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().status.state, 'running');

  // startAt itself is the first firing; each minute of the injected clock is one more.
  await eventually('first firing', async () => (await busEvents(h.app, 'ticks')).length === 1);
  now = T0 + 60_000;
  await eventually('second firing', async () => (await busEvents(h.app, 'ticks')).length === 2);
  const events = await busEvents(h.app, 'ticks');
  assert.deepEqual(events.map((e) => e.event.id), ['clock@2026-03-01T10:00:00.000Z', 'clock@2026-03-01T10:01:00.000Z']);
  assert.equal(events[1].event.source, '/schedules/clock');
  const got = (await h.app.inject({ method: 'GET', url: '/v1/sources/clock' })).json();
  assert.equal(got.status.state, 'running');
  assert.equal(got.status.lastEventAt, new Date(T0 + 60_000).toISOString());

  // Disabled: the clock moves on, nothing fires.
  const disabled = await h.app.inject({ method: 'PATCH', url: '/v1/sources/clock', payload: { state: 'disabled' } });
  assert.equal(disabled.statusCode, 200, disabled.body);
  assert.equal(disabled.json().status.state, 'stopped');
  now = T0 + 120_000;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal((await busEvents(h.app, 'ticks')).length, 2);

  // Enabled again: the missed firing (10:02) is caught up once.
  await h.app.inject({ method: 'PUT', url: '/v1/sources/clock', payload: { ...spec, state: 'enabled' } });
  await eventually('catch-up firing', async () => (await busEvents(h.app, 'ticks')).length === 3);

  // Deleted: stopped and gone.
  assert.equal((await h.app.inject({ method: 'DELETE', url: '/v1/sources/clock' })).statusCode, 204);
  assert.equal((await h.app.inject({ method: 'GET', url: '/v1/sources/clock' })).statusCode, 404);
  assert.equal(h.sources.instance('clock'), undefined);
  now = T0 + 180_000;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal((await busEvents(h.app, 'ticks')).length, 3);
  assert.equal((await h.app.inject({ method: 'DELETE', url: '/v1/sources/clock' })).statusCode, 404);
});

test('connections: secrets go in, no GET (or PUT answer) ever returns a value', async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const secret = 'whsec_' + Buffer.from('connection-secret-value-123').toString('base64');
  const put = await h.app.inject({ method: 'PUT', url: '/v1/connections/hook', payload: { type: 'webhook', description: 'signing key', secrets: { secret, url: 'redis://user:pa55word@127.0.0.1:6379' } } });
  assert.equal(put.statusCode, 201, put.body);
  const list = await h.app.inject({ method: 'GET', url: '/v1/connections' });
  const one = await h.app.inject({ method: 'GET', url: '/v1/connections/hook' });
  for (const res of [put, list, one]) {
    assert.ok(!res.body.includes(secret) && !res.body.includes('pa55word'), `a value leaked: ${res.body}`);
  }
  assert.deepEqual(one.json().keys, ['secret', 'url']);
  assert.equal(list.json().connections[0].description, 'signing key');
  // Connectors get the values through the resolver.
  assert.equal((await h.sources.connectionResolver('hook')).secret, secret);
  await assert.rejects(h.sources.connectionResolver('nope'), (e: { code?: string }) => e.code === 'HERALD_INVALID_REQUEST');

  const bad = await h.app.inject({ method: 'PUT', url: '/v1/connections/x', payload: { secrets: { url: 42 } } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().field, 'secrets.url');
  assert.equal((await h.app.inject({ method: 'DELETE', url: '/v1/connections/hook' })).statusCode, 204);
  assert.equal((await h.app.inject({ method: 'GET', url: '/v1/connections/hook' })).statusCode, 404);
});

test('webhook source over the route: a valid Standard Webhooks signature → 202 and on the bus; a bad one → 401', async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  await createBus(h.app, 'hooks');
  const secret = 'whsec_' + Buffer.from('a-very-secret-signing-key').toString('base64');
  await h.app.inject({ method: 'PUT', url: '/v1/connections/hook-secret', payload: { secrets: { secret } } });
  const res = await h.app.inject({ method: 'PUT', url: '/v1/sources/orders-hook', payload: { type: 'webhook', bus: 'hooks', config: { style: 'standard', connection: 'hook-secret' } } });
  assert.equal(res.statusCode, 201, res.body);

  // Odd spacing and key order: re-serialised JSON would not match the signature.
  const body = '{ "type":"order.paid",   "data": {"id": 7} }';
  const ts = Math.floor(Date.now() / 1000);
  const send = (signature: string, id = 'msg_1') =>
    fetch(`${h.url}/v1/sources/orders-hook/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature },
      body,
    });
  const ok = await send(signStandard('msg_1', ts, body, secret));
  assert.equal(ok.status, 202, await ok.clone().text());
  const again = await send(signStandard('msg_1', ts, body, secret)); // the sender's retry
  assert.equal(again.status, 202);
  const bad = await send(signStandard('msg_2', ts, body, 'whsec_' + Buffer.from('wrong').toString('base64')), 'msg_2');
  assert.equal(bad.status, 401);

  const events = await busEvents(h.app, 'hooks');
  assert.equal(events.length, 1, 'the retry is deduped, the forgery never stored');
  assert.equal(events[0].event.id, 'msg_1');
  assert.equal(events[0].event.type, 'order.paid');
  assert.deepEqual(events[0].event.data, { type: 'order.paid', data: { id: 7 } });

  const notHook = await fetch(`${h.url}/v1/sources/nope/webhook`, { method: 'POST', body: '{}' });
  assert.equal(notHook.status, 404);
  await h.app.inject({ method: 'PATCH', url: '/v1/sources/orders-hook', payload: { state: 'disabled' } });
  assert.equal((await send(signStandard('msg_3', ts, body, secret), 'msg_3')).status, 503);
});

test('a stored enabled source starts again when the runtime restarts on the same data directory', async (t) => {
  let now = T0;
  const clock = () => new Date(now);
  const first = await startHarness({ now: clock });
  t.after(() => first.stop());
  await createBus(first.app, 'ticks');
  await first.app.inject({ method: 'PUT', url: '/v1/sources/clock', payload: { type: 'schedule', bus: 'ticks', config: { expression: 'rate(1 minute)', startAt: new Date(T0).toISOString(), tickMs: 10 } } });
  await eventually('first firing', async () => (await busEvents(first.app, 'ticks')).length === 1);
  await first.stop();

  now = T0 + 60_000;
  const second = await startHarness({ now: clock, dataDir: first.dataDir });
  t.after(() => second.stop());
  assert.equal((await second.app.inject({ method: 'GET', url: '/v1/sources/clock' })).json().status.state, 'running');
  await eventually('firing after restart', async () => (await busEvents(second.app, 'ticks')).length === 2);
  const ids = (await busEvents(second.app, 'ticks')).map((e) => e.event.id);
  assert.deepEqual(ids, ['clock@2026-03-01T10:00:00.000Z', 'clock@2026-03-01T10:01:00.000Z']);
});
