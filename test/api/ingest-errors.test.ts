/**
 * Bad requests to the ingest route, each with its documented status, code and field
 * (docs/errors.md, docs/cloudevents.md) — and the server still serving afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const ok = { specversion: '1.0', id: 'e1', source: '/test', type: 'test.t' };
const structured = (event: Record<string, unknown>) => ({ headers: { 'content-type': STRUCTURED }, body: JSON.stringify(event) });
const without = (key: string) => structured(Object.fromEntries(Object.entries(ok).filter(([k]) => k !== key)));
const binaryHeaders = { 'ce-specversion': '1.0', 'ce-id': 'b1', 'ce-source': '/bin', 'ce-type': 'bin.t', 'content-type': 'application/json' };

interface Case {
  name: string;
  bus?: string;
  headers: Record<string, string>;
  body: string | Buffer;
  status: number;
  code: string;
  field?: string;
}

const cases: Case[] = [
  { name: 'structured: malformed JSON', headers: { 'content-type': STRUCTURED }, body: '{"id":', status: 400, code: 'HERALD_MALFORMED_REQUEST' },
  { name: 'structured: a JSON array is not an event', headers: { 'content-type': STRUCTURED }, body: '[]', status: 400, code: 'HERALD_MALFORMED_REQUEST' },
  { name: 'structured: empty body', headers: { 'content-type': STRUCTURED }, body: '', status: 400, code: 'HERALD_MALFORMED_REQUEST' },
  { name: 'missing id', ...without('id'), status: 422, code: 'HERALD_INVALID_EVENT', field: 'id' },
  { name: 'missing source', ...without('source'), status: 422, code: 'HERALD_INVALID_EVENT', field: 'source' },
  { name: 'missing type', ...without('type'), status: 422, code: 'HERALD_INVALID_EVENT', field: 'type' },
  { name: 'missing specversion', ...without('specversion'), status: 422, code: 'HERALD_INVALID_EVENT', field: 'specversion' },
  { name: 'specversion 0.3', ...structured({ ...ok, specversion: '0.3' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'specversion' },
  { name: 'empty id', ...structured({ ...ok, id: '' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'id' },
  { name: 'numeric id', ...structured({ ...ok, id: 5 }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'id' },
  { name: 'source with spaces is no URI-reference', ...structured({ ...ok, source: 'not a uri' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'source' },
  { name: 'empty type', ...structured({ ...ok, type: '' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'type' },
  { name: 'time not RFC 3339', ...structured({ ...ok, time: 'yesterday' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'time' },
  { name: 'time with month 13', ...structured({ ...ok, time: '2024-13-01T00:00:00Z' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'time' },
  { name: 'time without offset', ...structured({ ...ok, time: '2024-01-01T00:00:00' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'time' },
  { name: 'relative dataschema', ...structured({ ...ok, dataschema: 'schemas/order' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'dataschema' },
  { name: 'datacontenttype not a media type', ...structured({ ...ok, datacontenttype: 'json' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'datacontenttype' },
  { name: 'empty subject', ...structured({ ...ok, subject: '' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'subject' },
  { name: 'data with data_base64', ...structured({ ...ok, data: { a: 1 }, data_base64: 'AAE=' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'data_base64' },
  { name: 'data_base64 not base64', ...structured({ ...ok, data_base64: '!!not base64!!' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'data_base64' },
  { name: 'extension name with upper case', ...structured({ ...ok, MyExt: 'x' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'MyExt' },
  { name: 'extension name with underscore', ...structured({ ...ok, my_ext: 'x' }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'my_ext' },
  { name: 'extension value an object', ...structured({ ...ok, myext: { a: 1 } }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'myext' },
  { name: 'extension value a fraction', ...structured({ ...ok, myext: 1.5 }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'myext' },
  { name: 'extension integer out of range', ...structured({ ...ok, myext: 2 ** 31 }), status: 422, code: 'HERALD_INVALID_EVENT', field: 'myext' },
  { name: 'event over the event limit', ...structured({ ...ok, data: 'x'.repeat(11 * 1024) }), status: 413, code: 'HERALD_EVENT_TOO_LARGE' },
  { name: 'binary: missing ce-id', headers: { ...binaryHeaders, 'ce-id': '' }, body: '{}', status: 422, code: 'HERALD_INVALID_EVENT', field: 'id' },
  { name: 'binary: bad percent-encoding', headers: { ...binaryHeaders, 'ce-source': '/a%ZZb' }, body: '{}', status: 400, code: 'HERALD_MALFORMED_REQUEST', field: 'ce-source' },
  { name: 'binary: specversion 2.0', headers: { ...binaryHeaders, 'ce-specversion': '2.0' }, body: '{}', status: 422, code: 'HERALD_INVALID_EVENT', field: 'specversion' },
  { name: 'binary: JSON content type with malformed body', headers: binaryHeaders, body: '{"a":', status: 400, code: 'HERALD_MALFORMED_REQUEST' },
  { name: 'binary: bad ce-time', headers: { ...binaryHeaders, 'ce-time': '2024-02-30T00:00:00Z' }, body: '{}', status: 422, code: 'HERALD_INVALID_EVENT', field: 'time' },
  { name: 'binary: bad extension header name', headers: { ...binaryHeaders, 'ce-bad_name': 'x' }, body: '{}', status: 422, code: 'HERALD_INVALID_EVENT' },
  { name: 'batch: an object, not an array', headers: { 'content-type': BATCH }, body: JSON.stringify(ok), status: 400, code: 'HERALD_MALFORMED_REQUEST' },
  { name: 'batch: malformed JSON', headers: { 'content-type': BATCH }, body: '[{', status: 400, code: 'HERALD_MALFORMED_REQUEST' },
  { name: 'batch: more entries than the batch limit', headers: { 'content-type': BATCH }, body: JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ ...ok, id: `b${i}` }))), status: 413, code: 'HERALD_BATCH_TOO_LARGE' },
  { name: 'unknown bus', bus: 'no-such-bus', ...structured(ok), status: 404, code: 'HERALD_BUS_NOT_FOUND', field: 'bus' },
  { name: 'plain text without ce- headers', headers: { 'content-type': 'text/plain' }, body: 'hello', status: 415, code: 'HERALD_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'no content type and no ce- headers', headers: {}, body: 'hello', status: 415, code: 'HERALD_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a CloudEvents format Herald does not read', headers: { 'content-type': 'application/cloudevents+xml' }, body: '<e/>', status: 415, code: 'HERALD_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'request body over the request limit', headers: { 'content-type': BATCH }, body: JSON.stringify([{ ...ok, data: 'y'.repeat(70 * 1024) }]), status: 413, code: 'HERALD_REQUEST_TOO_LARGE' },
];

let server: RunningServer;
before(async () => {
  server = await startTestServer({ 'max-event-size': '10KiB', 'max-request-size': '64KiB', 'max-batch-events': '5' });
});
after(() => server.stop());

test(`at least 30 bad requests are tabled (${cases.length})`, () => assert.ok(cases.length >= 30));

for (const c of cases) {
  test(`bad request: ${c.name} → ${c.status} ${c.code}`, async () => {
    const response = await server.app.inject({ method: 'POST', url: `/v1/buses/${c.bus ?? 'default'}/events`, headers: c.headers, payload: c.body });
    const body = response.json<{ code: string; message: string; field?: string }>();
    assert.equal(response.statusCode, c.status, JSON.stringify(body));
    assert.equal(body.code, c.code);
    assert.ok(body.message.length > 10, 'the message says why');
    if (c.field !== undefined) assert.equal(body.field, c.field);
  });
}

test('a batch with bad entries stores the good ones and reports the bad ones in order', async () => {
  const entries = [{ ...ok, id: 'g1' }, { ...ok, id: '' }, { ...ok, id: 'g2', data: 'z'.repeat(11 * 1024) }, { ...ok, id: 'g3' }];
  const response = await server.app.inject({ method: 'POST', url: '/v1/buses/default/events', headers: { 'content-type': BATCH }, payload: JSON.stringify(entries) });
  assert.equal(response.statusCode, 200);
  const body = response.json<{ accepted: number; failed: number; results: Array<Record<string, unknown>> }>();
  assert.equal(body.accepted, 2);
  assert.equal(body.failed, 2);
  assert.equal(body.results[0].id, 'g1');
  assert.deepEqual([body.results[1].index, body.results[1].code, body.results[1].field], [1, 'HERALD_INVALID_EVENT', 'id']);
  assert.deepEqual([body.results[2].index, body.results[2].code], [2, 'HERALD_EVENT_TOO_LARGE']);
  assert.equal(body.results[3].id, 'g3');
  assert.equal((body.results[3].sequence as number) - (body.results[0].sequence as number), 1);
});

test('after every bad request the server still serves', async () => {
  const response = await server.app.inject({ method: 'POST', url: '/v1/buses/default/events', ...structured({ ...ok, id: 'still-ok' }) });
  assert.equal(response.statusCode, 202);
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200);
});
