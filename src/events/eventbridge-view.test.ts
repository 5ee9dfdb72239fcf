import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from './types.js';
import {
  PUT_EVENTS_ENTRY_MAX_BYTES,
  fromPutEventsEntry,
  putEventsEntrySize,
  toEventBridgeView,
  traceExtension,
} from './eventbridge-view.js';

const CTX = { account: '000000000000', region: 'local', receivedAt: '2024-03-01T10:00:05.123Z' };
const FIXED = { now: () => new Date('2024-03-01T10:00:00.750Z'), newId: () => 'fixed-id' };

test('CloudEvent → EventBridge envelope follows the mapping table', () => {
  const event: CloudEvent = {
    specversion: '1.0',
    id: 'e-1',
    source: 'com.example.orders',
    type: 'OrderPlaced',
    subject: 'order/42',
    time: '2024-03-01T10:00:00Z',
    datacontenttype: 'application/json',
    data: { orderId: 42, total: 9.5 },
    resources: '["arn:aws:s3:::bucket","urn:order:42"]',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    partitionkey: 'p',
  };
  assert.deepEqual(toEventBridgeView(event, CTX), {
    version: '0',
    id: 'e-1',
    'detail-type': 'OrderPlaced',
    source: 'com.example.orders',
    account: '000000000000',
    time: '2024-03-01T10:00:00Z',
    region: 'local',
    resources: ['arn:aws:s3:::bucket', 'urn:order:42'],
    detail: { orderId: 42, total: 9.5 },
  });
});

const DETAIL_CASES: Array<{ name: string; data: Partial<CloudEvent>; detail: unknown }> = [
  { name: 'object data without datacontenttype (JSON by default)', data: { data: { a: 1 } }, detail: { a: 1 } },
  { name: 'object data, application/json; charset', data: { data: { a: 1 }, datacontenttype: 'application/json; charset=utf-8' }, detail: { a: 1 } },
  { name: 'object data, a +json media type', data: { data: { a: 1 }, datacontenttype: 'application/cloudevents+json' }, detail: { a: 1 } },
  { name: 'no data', data: {}, detail: {} },
  { name: 'array data', data: { data: [1, 2] }, detail: {} },
  { name: 'a JSON string is a string, not re-parsed', data: { data: '{"a":1}', datacontenttype: 'application/json' }, detail: {} },
  { name: 'text data', data: { data: 'hello', datacontenttype: 'text/plain' }, detail: {} },
  { name: 'binary data', data: { data_base64: 'AAEC', datacontenttype: 'application/octet-stream' }, detail: {} },
  { name: 'null data', data: { data: null }, detail: {} },
];
for (const { name, data, detail } of DETAIL_CASES) {
  test(`envelope detail: ${name}`, () => {
    const view = toEventBridgeView({ specversion: '1.0', id: 'x', source: 's', type: 't', ...data }, CTX);
    assert.deepEqual(view.detail, detail);
  });
}

const RESOURCE_CASES: Array<{ name: string; value: unknown; resources: string[] }> = [
  { name: 'absent', value: undefined, resources: [] },
  { name: 'an encoded empty array', value: '[]', resources: [] },
  { name: 'an encoded array', value: '["a","b"]', resources: ['a', 'b'] },
  { name: 'a bare ARN is one resource', value: 'arn:aws:ec2:us-east-1:1:instance/i-1', resources: ['arn:aws:ec2:us-east-1:1:instance/i-1'] },
  { name: 'an array of non-strings is one resource', value: '[1,2]', resources: ['[1,2]'] },
];
for (const { name, value, resources } of RESOURCE_CASES) {
  test(`envelope resources: ${name}`, () => {
    const event: CloudEvent = { specversion: '1.0', id: 'x', source: 's', type: 't' };
    if (value !== undefined) event.resources = value;
    assert.deepEqual(toEventBridgeView(event, CTX).resources, resources);
  });
}

test('envelope time: the received time when the event has none (EventBridge always has time)', () => {
  const view = toEventBridgeView({ specversion: '1.0', id: 'x', source: 's', type: 't' }, CTX);
  assert.equal(view.time, CTX.receivedAt);
});

test('PutEvents entry → CloudEvent follows the mapping table', () => {
  const result = fromPutEventsEntry(
    {
      Source: 'com.example.orders',
      DetailType: 'OrderPlaced',
      Detail: '{"orderId":42,"items":[{"sku":"a"}]}',
      Resources: ['arn:aws:s3:::bucket'],
      Time: new Date('2024-03-01T09:59:58.900Z'),
      EventBusName: 'orders',
      TraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    },
    FIXED,
  );
  assert.deepEqual(result, {
    ok: true,
    eventBusName: 'orders',
    event: {
      specversion: '1.0',
      id: 'fixed-id',
      source: 'com.example.orders',
      type: 'OrderPlaced',
      time: '2024-03-01T09:59:58Z',
      datacontenttype: 'application/json',
      data: { orderId: 42, items: [{ sku: 'a' }] },
      resources: '["arn:aws:s3:::bucket"]',
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    },
  });
});

test('PutEvents → CloudEvent → envelope round-trips every envelope field', () => {
  const entry = { Source: 'app', DetailType: 'Thing', Detail: '{"k":"v"}', Resources: ['r1', 'r2'], Time: 1709287200 };
  const result = fromPutEventsEntry(entry);
  assert.ok(result.ok);
  const view = toEventBridgeView(result.event, CTX);
  assert.deepEqual(
    { source: view.source, detailType: view['detail-type'], detail: view.detail, resources: view.resources, time: view.time },
    { source: 'app', detailType: 'Thing', detail: { k: 'v' }, resources: ['r1', 'r2'], time: '2024-03-01T10:00:00Z' },
  );
  assert.equal(view.id, result.event.id);
  assert.match(result.event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

const TIME_CASES: Array<{ name: string; time: unknown; expected: string }> = [
  { name: 'absent → now', time: undefined, expected: '2024-03-01T10:00:00Z' },
  { name: 'a Date (SDK in process)', time: new Date('2020-01-02T03:04:05.678Z'), expected: '2020-01-02T03:04:05Z' },
  { name: 'epoch seconds (AWS JSON 1.1 wire form)', time: 1577934245, expected: '2020-01-02T03:04:05Z' },
  { name: 'fractional epoch seconds', time: 1577934245.678, expected: '2020-01-02T03:04:05Z' },
  { name: 'epoch seconds as a string', time: '1577934245', expected: '2020-01-02T03:04:05Z' },
  { name: 'ISO 8601 with an offset', time: '2020-01-02T05:04:05+02:00', expected: '2020-01-02T03:04:05Z' },
];
for (const { name, time, expected } of TIME_CASES) {
  test(`PutEvents Time: ${name}`, () => {
    const result = fromPutEventsEntry({ Source: 's', DetailType: 't', Detail: '{}', Time: time }, FIXED);
    assert.ok(result.ok);
    assert.equal(result.event.time, expected);
  });
}

test('PutEvents without Resources or TraceHeader adds no extension', () => {
  const result = fromPutEventsEntry({ Source: 's', DetailType: 't', Detail: '{}', Resources: [] }, FIXED);
  assert.ok(result.ok);
  assert.equal('resources' in result.event, false);
  assert.equal('traceparent' in result.event, false);
  assert.equal(result.eventBusName, undefined);
});

const big = 'x'.repeat(PUT_EVENTS_ENTRY_MAX_BYTES);
const REJECTIONS: Array<{ name: string; entry: unknown; code: string; message: RegExp }> = [
  { name: 'not an object', entry: 'nope', code: 'InvalidArgument', message: /Entry/ },
  { name: 'missing Source', entry: { DetailType: 't', Detail: '{}' }, code: 'InvalidArgument', message: /^Parameter Source is not valid\. Reason: Source is a required argument\.$/ },
  { name: 'empty Source', entry: { Source: '', DetailType: 't', Detail: '{}' }, code: 'InvalidArgument', message: /Source is a required argument/ },
  { name: 'missing DetailType', entry: { Source: 's', Detail: '{}' }, code: 'InvalidArgument', message: /^Parameter DetailType is not valid\. Reason: DetailType is a required argument\.$/ },
  { name: 'missing Detail', entry: { Source: 's', DetailType: 't' }, code: 'InvalidArgument', message: /^Parameter Detail is not valid\. Reason: Detail is a required argument\.$/ },
  { name: 'Detail not a string', entry: { Source: 's', DetailType: 't', Detail: { a: 1 } }, code: 'InvalidArgument', message: /Detail must be a string/ },
  { name: 'Detail not JSON', entry: { Source: 's', DetailType: 't', Detail: 'detail' }, code: 'MalformedDetail', message: /^Detail is malformed\.$/ },
  { name: 'Detail a JSON array', entry: { Source: 's', DetailType: 't', Detail: '[1]' }, code: 'MalformedDetail', message: /malformed/ },
  { name: 'Detail a JSON string', entry: { Source: 's', DetailType: 't', Detail: '"a"' }, code: 'MalformedDetail', message: /malformed/ },
  { name: 'Resources not strings', entry: { Source: 's', DetailType: 't', Detail: '{}', Resources: [1] }, code: 'InvalidArgument', message: /Resources/ },
  { name: 'Time unparseable', entry: { Source: 's', DetailType: 't', Detail: '{}', Time: 'yesterday' }, code: 'InvalidArgument', message: /Time/ },
  { name: 'TraceHeader too long', entry: { Source: 's', DetailType: 't', Detail: '{}', TraceHeader: 'x'.repeat(501) }, code: 'InvalidArgument', message: /TraceHeader/ },
  { name: 'EventBusName empty', entry: { Source: 's', DetailType: 't', Detail: '{}', EventBusName: '' }, code: 'InvalidArgument', message: /EventBusName/ },
  { name: 'entry of 256 KB or more', entry: { Source: 's', DetailType: 't', Detail: `{"a":"${big}"}` }, code: 'InvalidArgument', message: /must be less than 262144 bytes/ },
];
for (const { name, entry, code, message } of REJECTIONS) {
  test(`PutEvents entry rejected: ${name}`, () => {
    const result = fromPutEventsEntry(entry, FIXED);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, code);
    assert.match(result.message, message);
  });
}

test('entry size follows EventBridge: Time 14 bytes, UTF-8 bytes of Source, DetailType, Detail, Resources', () => {
  assert.equal(putEventsEntrySize({ Source: 'ab', DetailType: 'é', Detail: '{}', Resources: ['r', '€'] }), 2 + 2 + 2 + 1 + 3);
  assert.equal(putEventsEntrySize({ Source: 'ab', DetailType: 'c', Detail: '{}', Time: 0 }), 14 + 2 + 1 + 2);
  const justUnder = 'y'.repeat(PUT_EVENTS_ENTRY_MAX_BYTES - 1 - 1 - 1 - 8);
  assert.ok(fromPutEventsEntry({ Source: 's', DetailType: 't', Detail: `{"a":"${justUnder}"}` }).ok);
});

const TRACE_CASES: Array<{ name: string; header: string; ext: Record<string, string> }> = [
  {
    name: 'X-Ray, sampled',
    header: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    ext: { traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01' },
  },
  {
    name: 'X-Ray, not sampled, other field order',
    header: 'Sampled=0;Parent=53995C3F42CD8AD8;Root=1-5759E988-BD862E3FE1BE46A994272793',
    ext: { traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00' },
  },
  {
    name: 'W3C passes through',
    header: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    ext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  },
  { name: 'X-Ray without Parent is kept verbatim', header: 'Root=1-5759e988-bd862e3fe1be46a994272793', ext: { awstraceheader: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
  { name: 'anything else is kept verbatim', header: 'my-trace', ext: { awstraceheader: 'my-trace' } },
];
for (const { name, header, ext } of TRACE_CASES) {
  test(`TraceHeader → extension: ${name}`, () => {
    assert.deepEqual(traceExtension(header), ext);
  });
}

test('entries as the AWS SDK serialises them (AWS JSON 1.1 wire form) map like in-process entries', async () => {
  const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
  let wire: unknown;
  const captured = new Error('captured by the test');
  const requestHandler = {
    handle: (request: { body?: unknown }) => {
      wire = request.body;
      return Promise.reject(captured);
    },
  };
  const client = new EventBridgeClient({
    region: 'local',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: requestHandler as unknown as NonNullable<ConstructorParameters<typeof EventBridgeClient>[0]>['requestHandler'],
    maxAttempts: 1,
  });
  const entry = {
    Source: 'com.example',
    DetailType: 'Ping',
    Detail: '{"n":1}',
    Resources: ['r1'],
    Time: new Date('2020-01-02T03:04:05.678Z'),
    TraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  };
  await assert.rejects(client.send(new PutEventsCommand({ Entries: [entry] })), (error: unknown) => error === captured);
  const text = typeof wire === 'string' ? wire : Buffer.from(wire as Uint8Array).toString('utf8');
  const body = JSON.parse(text) as { Entries: unknown[] };
  assert.equal(typeof (body.Entries[0] as { Time: unknown }).Time, 'number', 'the SDK sends Time as epoch seconds');
  assert.deepEqual(fromPutEventsEntry(body.Entries[0], FIXED), fromPutEventsEntry(entry, FIXED));
  client.destroy();
});
