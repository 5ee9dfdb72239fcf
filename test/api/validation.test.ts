/**
 * Request validation in Herald's error shape (issue 10, item 5): a body member of the wrong type is a
 * 400 naming it by its path; routes that had a more precise validator keep its code; connector
 * configs are checked against the connector's schema with every keyword, `format` and `pattern`
 * included (the hand-written subset ignored both).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/server/start.js';
import { findSource, findTarget } from '../../src/connectors/index.js';
import { httpTarget } from '../../src/connectors/targets/http/index.js';
import { startTestServer } from '../support/server.js';

let server: RunningServer;
const bus = `validation-${randomUUID().slice(0, 8)}`;

before(async () => {
  server = await startTestServer();
  const created = await server.app.inject({ method: 'POST', url: '/v1/buses', payload: { name: bus } });
  assert.equal(created.statusCode, 201, created.body);
});
after(() => server.stop());

interface Answer {
  status: number;
  code: string;
  field?: string;
  message: string;
}

async function call(method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: unknown): Promise<Answer> {
  const response = await server.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  const body = response.json<{ code: string; field?: string; message: string }>();
  return { status: response.statusCode, ...body };
}

function assertRefused(answer: Answer, code: string, field: string, why?: RegExp): void {
  assert.equal(answer.status, 400, JSON.stringify(answer));
  assert.equal(answer.code, code, JSON.stringify(answer));
  assert.equal(answer.field, field, JSON.stringify(answer));
  // The message starts with the field and says why.
  assert.ok(answer.message.startsWith(`${field}: `), answer.message);
  if (why) assert.match(answer.message, why);
}

const rule = (target: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: `r-${randomUUID().slice(0, 8)}`,
  filter: { pattern: { source: ['shop'] } },
  targets: [{ id: 't', type: 'http', config: { url: 'http://127.0.0.1:9/hook' }, ...target }],
  ...extra,
});

test('a body member of the wrong type is a 400 naming the member by its path', async () => {
  assertRefused(await call('POST', '/v1/buses', { name: 'b1', retentionMs: 'a day' }), 'HERALD_INVALID_REQUEST', 'retentionMs', /must be a whole number, got a string/);
  assertRefused(await call('POST', '/v1/buses', { name: 'b1', retentionMs: 10 }), 'HERALD_INVALID_REQUEST', 'retentionMs', /must be at least 1000/);
  assertRefused(await call('PATCH', `/v1/buses/${bus}`, { colour: 'red' }), 'HERALD_INVALID_REQUEST', 'colour', /is not a known field; known: description, retentionMs, dedupeWindowMs/);
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({ concurrency: 'many' })), 'HERALD_INVALID_REQUEST', 'targets[0].concurrency', /must be a whole number/);
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({ retry: { maxAttempts: 0 } })), 'HERALD_INVALID_REQUEST', 'targets[0].retry.maxAttempts', /at least 1/);
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({}, { view: 'xml' })), 'HERALD_INVALID_REQUEST', 'view', /must be one of "cloudevent", "eventbridge"/);
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, { filter: { pattern: {} } }), 'HERALD_INVALID_REQUEST', 'name', /is required/);
  assertRefused(await call('POST', `/v1/buses/${bus}/dlq/redrive`, { ids: [1, 'two'] }), 'HERALD_INVALID_REQUEST', 'ids[1]', /must be a whole number/);
  assertRefused(await call('POST', `/v1/buses/${bus}/dlq/purge`, { all: 'yes' }), 'HERALD_INVALID_REQUEST', 'all', /must be true or false/);
  assertRefused(await call('POST', '/v1/filters/test', { filter: { pattern: {} } }), 'HERALD_INVALID_REQUEST', 'event', /is required/);
  assertRefused(await call('POST', '/v1/transforms/test', { transform: { kind: 'event' }, event: {}, view: 'yaml' }), 'HERALD_INVALID_REQUEST', 'view');
  assertRefused(await call('PATCH', '/v1/sources/nope', { state: 'paused' }), 'HERALD_INVALID_REQUEST', 'state');
  // No body at all, and a body of the wrong type, name the body itself.
  assertRefused(await call('POST', `/v1/buses/${bus}/dlq/purge`), 'HERALD_INVALID_REQUEST', 'body', /required: a JSON object/);
  assertRefused(await call('POST', `/v1/buses/${bus}/dlq/purge`, [1]), 'HERALD_INVALID_REQUEST', 'body', /must be an object, got an array/);
});

test('a path parameter of the wrong type names the parameter', async () => {
  assertRefused(await call('GET', `/v1/buses/${bus}/events/first/trace`), 'HERALD_INVALID_REQUEST', 'sequence', /must be a whole number, got "first"/);
  assertRefused(await call('GET', `/v1/buses/${bus}/dlq/x`), 'HERALD_INVALID_REQUEST', 'id');
});

test('a secret is never quoted in a validation error', async () => {
  const answer = await call('PUT', `/v1/connections/c-${randomUUID().slice(0, 8)}`, { secrets: { url: 'postgres://u:hunter2@db', password: 123456789 } });
  assertRefused(answer, 'HERALD_INVALID_REQUEST', 'secrets.password', /must be a string, got an integer/);
  assert.doesNotMatch(answer.message, /123456789|hunter2/);
});

test('routes with a more precise validator keep their codes', async () => {
  const name = await call('POST', '/v1/buses', { name: 'no spaces allowed' });
  assert.deepEqual([name.status, name.code, name.field], [400, 'HERALD_INVALID_NAME', 'name']);
  const pattern = await call('POST', `/v1/buses/${bus}/rules`, { ...rule({}), filter: { pattern: { source: 'shop' } } });
  assert.equal(pattern.code, 'HERALD_INVALID_PATTERN', JSON.stringify(pattern));
  assert.equal(pattern.field, 'filter.pattern.source');
  const transform = await call('POST', `/v1/buses/${bus}/rules`, rule({ transform: { kind: 'teleport' } }));
  assert.equal(transform.code, 'HERALD_INVALID_TRANSFORM', JSON.stringify(transform));
  const filterTest = await call('POST', '/v1/filters/test', { filter: { cesql: 'type = ' }, event: {} });
  assert.equal(filterTest.status, 400);
  assert.notEqual(filterTest.code, 'HERALD_INVALID_REQUEST', JSON.stringify(filterTest));
});

test('connector configs: format is enforced (an HTTP target url that is not a URI)', async () => {
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({ config: { url: 'not a url' } })), 'HERALD_INVALID_REQUEST', 'targets[0].config.url', /must be an absolute URI/);
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({ config: { url: 'ftp://files.example/x' } })), 'HERALD_INVALID_REQUEST', 'targets[0].config.url', /http: or https:/);
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({ type: 'bus', config: { bus: 'b', url: 'nowhere' } })), 'HERALD_INVALID_REQUEST', 'targets[0].config.url', /absolute URI/);
  assertRefused(
    await call('PUT', `/v1/buses/${bus}/rules/dl-${randomUUID().slice(0, 8)}`, { filter: { pattern: { source: ['shop'] } }, targets: [{ id: 't', type: 'http', config: { url: 'http://127.0.0.1:9/' }, deadLetterTarget: { type: 'http', config: { url: '::' } } }] }),
    'HERALD_INVALID_REQUEST',
    'targets[0].deadLetterTarget.config.url',
  );
  // A valid one is accepted and normalised.
  const ok = await server.app.inject({ method: 'POST', url: `/v1/buses/${bus}/rules`, payload: rule({ config: { url: 'HTTP://127.0.0.1:9/hook' } }) });
  assert.equal(ok.statusCode, 201, ok.body);
});

test('connector configs: pattern is enforced (a NATS subject with spaces, a header name)', async () => {
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({ type: 'nats', config: { url: 'nats://127.0.0.1:4222', subject: 'orders created' } })), 'HERALD_INVALID_REQUEST', 'targets[0].config.subject', /must match/);
  assertRefused(await call('POST', `/v1/buses/${bus}/rules`, rule({ config: { url: 'http://127.0.0.1:9/', headers: { 'x bad': 'v' } } })), 'HERALD_INVALID_REQUEST', 'targets[0].config.headers.x bad', /must match/);
  const source = await call('PUT', `/v1/sources/s-${randomUUID().slice(0, 8)}`, { type: 'nats', bus, config: { url: 'nats://127.0.0.1:4222', stream: 'ORDERS.v1', consumer: 'herald' } });
  assertRefused(source, 'HERALD_INVALID_REQUEST', 'config.stream', /must match/);
});

test('connector configs: defaults are filled, conditional requirements hold, the input is left alone', () => {
  const raw = { url: 'http://example.com/a' };
  assert.deepEqual(httpTarget.validate(raw), { url: 'http://example.com/a', method: 'POST', headers: {}, timeoutMs: 10000, mode: 'binary', maxResponseBytes: 65536 });
  assert.deepEqual(raw, { url: 'http://example.com/a' });
  const redis = findTarget('redis')!;
  assert.throws(() => redis.validate({ url: 'redis://127.0.0.1:6379', mode: 'stream' }), { code: 'HERALD_INVALID_REQUEST', field: 'config.key' });
  assert.doesNotThrow(() => redis.validate({ url: 'redis://127.0.0.1:6379', mode: 'set' }));
  // Every networked connector's server URL is a URI.
  assert.throws(() => findTarget('mqtt')!.validate({ url: 'broker 1883', topic: 't' }), { code: 'HERALD_INVALID_REQUEST', field: 'config.url' });
  assert.throws(() => findSource('amqp')!.validate({ url: 'guest@localhost', queue: 'q' }), { code: 'HERALD_INVALID_REQUEST', field: 'config.url' });
  const schedule = findSource('schedule')!;
  assert.throws(() => schedule.validate({ expression: 'rate(5 minutes)', surprise: true }), { code: 'HERALD_INVALID_REQUEST', field: 'config.surprise' });
});
