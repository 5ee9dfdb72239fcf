/**
 * Issue 11, item 5: an event nested 4 109 levels deep was accepted and then every read of its bus
 * answered 500. Every HTTP path that parses JSON now refuses input deeper than --max-json-depth
 * (default 64) with 400 HERALD_TOO_DEEP naming the limit — never a 500, even at 100 000 levels —
 * and what is accepted can always be read back.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { RunningServer } from '../../src/server/start.js';
import { loadConfig } from '../../src/server/config.js';
import { signStandard } from '../../src/connectors/sources/webhook/verify.js';
import { startTestServer } from '../support/server.js';

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const binaryHeaders = (id: string) => ({ 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/depth', 'ce-type': 'depth.t', 'content-type': 'application/json' });

/** `levels` objects, one inside the other: {"a":{"a":…1…}}. */
const objects = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
/** `levels` arrays, one inside the other. */
const arrays = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
/** A structured event whose `data` is the given JSON text. */
const eventText = (id: string, data: string): string => `{"specversion":"1.0","id":"${id}","source":"/depth","type":"depth.t","data":${data}}`;

let server: RunningServer;
let bus: string;
before(async () => {
  server = await startTestServer();
  bus = `depth-${randomBytes(4).toString('hex')}`;
  const created = await post('/v1/buses', 'application/json', JSON.stringify({ name: bus }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
});
after(() => server.stop());

async function post(path: string, contentType: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const ingest = (contentType: string, body: string, headers: Record<string, string> = {}) => post(`/v1/buses/${bus}/events`, contentType, body, headers);

async function readAll(): Promise<Array<{ event: Record<string, unknown> }>> {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events?limit=1000`);
  assert.equal(response.status, 200, 'the bus can always be read');
  return ((await response.json()) as { events: Array<{ event: Record<string, unknown> }> }).events;
}

function assertTooDeep(answer: { status: number; body: Record<string, unknown> }, limit: number): void {
  assert.equal(answer.status, 400, JSON.stringify(answer.body).slice(0, 500));
  assert.equal(answer.body.code, 'HERALD_TOO_DEEP');
  assert.match(String(answer.body.message), new RegExp(`more than ${limit} levels deep; the limit is ${limit} levels`));
  assert.equal(typeof answer.body.field, 'string');
}

test('the limit is a setting: --max-json-depth / HERALD_MAX_JSON_DEPTH, default 64', () => {
  assert.equal(loadConfig({}, {}).maxJsonDepth, 64);
  assert.equal(loadConfig({ 'max-json-depth': '10' }, {}).maxJsonDepth, 10);
  assert.equal(loadConfig({}, { HERALD_MAX_JSON_DEPTH: '200' }).maxJsonDepth, 200);
  assert.throws(() => loadConfig({ 'max-json-depth': '0' }, {}), { code: 'HERALD_INVALID_REQUEST', field: 'max-json-depth' });
});

test('structured: the reported 4 109-level event is refused with 400, and the bus reads back fine', async () => {
  const answer = await ingest(STRUCTURED, eventText('deep-4109', objects(4109)));
  assertTooDeep(answer, 64);
  assert.match(String(answer.body.field), /^data\.a\.a/);
  assert.ok(!(await readAll()).some((e) => e.event.id === 'deep-4109'));
});

test('every ingest mode: exactly the limit is stored and read back, one level more is refused', async () => {
  // The event object is level 1, so its data may hold 63 more levels.
  const atLimit = await ingest(STRUCTURED, eventText('limit-structured', objects(63)));
  assert.equal(atLimit.status, 202, JSON.stringify(atLimit.body));
  assertTooDeep(await ingest(STRUCTURED, eventText('over-structured', objects(64))), 64);

  const binaryAtLimit = await ingest('application/json', objects(63), binaryHeaders('limit-binary'));
  assert.equal(binaryAtLimit.status, 202, JSON.stringify(binaryAtLimit.body));
  const binaryOver = await ingest('application/json', objects(64), binaryHeaders('over-binary'));
  assertTooDeep(binaryOver, 64);
  assert.match(String(binaryOver.body.field), /^data(\.a){63}$/);

  const batch = await ingest(BATCH, `[${eventText('limit-batch', objects(63))},${eventText('over-batch', objects(64))}]`);
  assert.equal(batch.status, 200);
  assert.deepEqual([batch.body.accepted, batch.body.failed], [1, 1]);

  const stored = await readAll();
  const ids = stored.map((e) => e.event.id);
  for (const id of ['limit-structured', 'limit-binary', 'limit-batch']) assert.ok(ids.includes(id), id);
  for (const id of ['over-structured', 'over-binary', 'over-batch']) assert.ok(!ids.includes(id), id);
  const limit = stored.find((e) => e.event.id === 'limit-structured');
  assert.equal(JSON.stringify(limit?.event.data), objects(63));
});

test('100 000 levels in every ingest mode answer 4xx HERALD_TOO_DEEP, never a 500', async () => {
  for (const deep of [arrays(100_000), objects(100_000)]) {
    assertTooDeep(await ingest(STRUCTURED, eventText('huge-structured', deep)), 64);
    assertTooDeep(await ingest('application/json', deep, binaryHeaders('huge-binary')), 64);
    // In a batch the deep entry fails alone, beside the good ones.
    const id = `ok-${randomBytes(3).toString('hex')}`;
    const batch = await ingest(BATCH, `[${eventText(id, '1')},${eventText('huge-batch', deep)}]`);
    assert.equal(batch.status, 200, JSON.stringify(batch.body).slice(0, 300));
    const results = batch.body.results as Array<Record<string, unknown>>;
    assert.equal(results[0]?.id, id);
    assert.deepEqual([results[1]?.index, results[1]?.code], [1, 'HERALD_TOO_DEEP']);
    assert.match(String(results[1]?.message), /more than 64 levels deep/);
  }
  // A batch of one entry nested 100 000 deep: that entry fails, the request does not.
  const lone = await ingest(BATCH, arrays(100_000));
  assert.equal(lone.status, 200);
  assert.deepEqual((lone.body.results as Array<Record<string, unknown>>).map((r) => r.code), ['HERALD_TOO_DEEP']);
  assert.ok(!(await readAll()).some((e) => String(e.event.id).startsWith('huge')));
});

test('admin JSON bodies: one parser for every route refuses deep bodies with 400, not 500', async () => {
  for (const [path, body] of [
    ['/v1/buses', `{"name":${arrays(100_000)}}`],
    ['/v1/filters/test', `{"filter":{"pattern":{}},"event":${objects(100_000)}}`],
    [`/v1/buses/${bus}/rules`, `{"name":"r","filter":{"pattern":${objects(5000)}}}`],
  ] as const) {
    const answer = await post(path, 'application/json', body);
    assertTooDeep(answer, 68);
    assert.match(String(answer.body.message), /plus 4 for a request body/);
  }
  // An event at the ingest limit still fits in the request that carries it.
  const fits = await post('/v1/filters/test', 'application/json', `{"filter":{"pattern":{"source":["/depth"]}},"event":${eventText('f', objects(63))}}`);
  assert.equal(fits.status, 200, JSON.stringify(fits.body).slice(0, 300));
  assert.equal(fits.body.matched, true);
  // The rest of fastify's JSON handling is unchanged: bad JSON is 400, __proto__ is refused.
  assert.equal((await post('/v1/buses', 'application/json', '{"name":')).body.code, 'HERALD_MALFORMED_REQUEST');
  assert.equal((await post('/v1/buses', 'application/json', '{"name":"x","__proto__":{"a":1}}')).status, 400);
});

test('EventBridge API: a deep Detail fails its entry with InvalidArgument; a deep body is a ValidationException', async () => {
  const eb = (target: string, body: string) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${target}` }, body });
  const entries = [
    { Source: 'eb.depth', DetailType: 'ok', Detail: objects(63), EventBusName: bus },
    { Source: 'eb.depth', DetailType: 'deep', Detail: objects(64), EventBusName: bus },
    { Source: 'eb.depth', DetailType: 'huge', Detail: arrays(100_000), EventBusName: bus },
  ];
  const response = await eb('PutEvents', JSON.stringify({ Entries: entries }));
  assert.equal(response.status, 200);
  const answer = (await response.json()) as { FailedEntryCount: number; Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> };
  assert.equal(answer.FailedEntryCount, 2);
  assert.ok(answer.Entries[0]?.EventId);
  for (const failed of answer.Entries.slice(1)) {
    assert.equal(failed.ErrorCode, 'InvalidArgument');
    assert.match(failed.ErrorMessage ?? '', /^Parameter Detail is not valid\. Reason: detail.* is nested more than 64 levels deep/);
  }
  const deepBody = await eb('ListEventBuses', `{"NamePrefix":${arrays(100_000)}}`);
  assert.equal(deepBody.status, 400);
  assert.equal(deepBody.headers.get('x-amzn-errortype'), 'ValidationException');
  assert.match(((await deepBody.json()) as { message: string }).message, /nested more than 68 levels deep/);
  assert.ok((await readAll()).some((e) => e.event.type === 'ok'));

  // JSON documents carried in string members get the body's limit too (a deep Input was a 500).
  const rule = await eb('PutRule', JSON.stringify({ Name: 'deep-input', EventBusName: bus, EventPattern: '{"source":["eb.depth"]}' }));
  assert.equal(rule.status, 200);
  for (const [target, body] of [
    ['PutTargets', { Rule: 'deep-input', EventBusName: bus, Targets: [{ Id: 't1', Arn: 'http://127.0.0.1:9/x', Input: objects(100_000) }] }],
    ['TestEventPattern', { EventPattern: '{"source":["s"]}', Event: `{"id":"1","source":"s","detail":${arrays(100_000)}}` }],
  ] as const) {
    const refused = await eb(target, JSON.stringify(body));
    assert.equal(refused.status, 400, target);
    assert.equal(refused.headers.get('x-amzn-errortype'), 'ValidationException', target);
    assert.match(((await refused.json()) as { message: string }).message, /(Input|Event) is nested more than 68 levels deep/);
  }
});

test('after all of it the server still serves', async () => {
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  assert.equal((await ingest(STRUCTURED, eventText('still-ok', '{"a":1}'))).status, 202);
});

test('a webhook source (HTTP, its own parser) cannot store a deep body either: 400 HERALD_TOO_DEEP to the sender', async () => {
  const secret = `whsec_${Buffer.from(randomBytes(24)).toString('base64')}`;
  const source = `hook-${randomBytes(4).toString('hex')}`;
  const created = await fetch(`${server.url}/v1/sources/${source}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'webhook', bus, config: { style: 'standard', secret } }),
  });
  assert.equal(created.status, 201, await created.text());
  const send = (id: string, body: string) => {
    const ts = Math.floor(Date.now() / 1000);
    return fetch(`${server.url}/v1/sources/${source}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signStandard(id, ts, body, secret) },
      body,
    });
  };
  for (const [id, body] of [['hook-4109', objects(4109)], ['hook-100000', arrays(100_000)]] as const) {
    const answer = await send(id, body);
    assert.equal(answer.status, 400);
    assert.equal(((await answer.json()) as { code: string }).code, 'HERALD_TOO_DEEP');
  }
  assert.equal((await send('hook-ok', objects(10))).status, 202);
  const ids = (await readAll()).map((e) => e.event.id);
  assert.ok(ids.includes('hook-ok'));
  assert.ok(!ids.includes('hook-4109') && !ids.includes('hook-100000'));
});
