// decodeHttpRequest: mode selection (bindings-http-protocol-binding.md §3), binary mode (§3.1)
// and structured mode (§3.2). Batches are in batch.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeraldError } from '../../errors/index.js';
import { decodeHttpRequest } from './decode.js';
import type { HttpRequestParts } from './types.js';

const limits = { maxEventBytes: 64 * 1024, maxBatchEvents: 10 };
const ceHeaders = { 'ce-specversion': '1.0', 'ce-id': 'A234-1234-1234', 'ce-source': '/mycontext', 'ce-type': 'com.example.someevent' };
const base = { specversion: '1.0', id: 'A234-1234-1234', source: '/mycontext', type: 'com.example.someevent' };

function req(contentType: string | undefined, headers: HttpRequestParts['headers'], body: string | Buffer = ''): HttpRequestParts {
  return { contentType, headers, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body };
}

function single(parts: HttpRequestParts): { mode: string; event: Record<string, unknown> } {
  const decoded = decodeHttpRequest(parts, limits);
  assert.notEqual(decoded.mode, 'batch');
  if (decoded.mode === 'batch') throw new Error('unreachable');
  return decoded;
}

function fails(parts: HttpRequestParts, code: string, field: string | undefined, message?: RegExp): void {
  assert.throws(
    () => decodeHttpRequest(parts, limits),
    (error: unknown) => {
      assert.ok(error instanceof HeraldError, `a HeraldError, got ${String(error)}`);
      assert.equal(error.code, code, error.message);
      assert.equal(error.field, field);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

// ---- binary mode ----

test('binary: the spec example (§3.1.4), JSON body parsed into data', () => {
  const { mode, event } = single(req('application/json; charset=utf-8', { ...ceHeaders, 'ce-time': '2018-04-05T17:31:00Z' }, '{"a":[1,2]}'));
  assert.equal(mode, 'binary');
  assert.deepEqual(event, { ...base, time: '2018-04-05T17:31:00Z', datacontenttype: 'application/json; charset=utf-8', data: { a: [1, 2] } });
});

test('binary: header names are case-insensitive (§3.1.3.1)', () => {
  const { event } = single(req(undefined, { 'CE-SpecVersion': '1.0', 'Ce-Id': '1', 'cE-SOURCE': '/s', 'CE-TYPE': 't', 'Ce-MyExt': 'v' }));
  assert.deepEqual(event, { specversion: '1.0', id: '1', source: '/s', type: 't', myext: 'v' });
});

test('binary: header values are percent-decoded, non-ASCII and % included (§3.1.3.2)', () => {
  const { event } = single(req(undefined, { ...ceHeaders, 'ce-subject': 'Euro%20%E2%82%AC%20%F0%9F%98%80', 'ce-rate': '100%25', 'ce-quoted': '"a \\"b\\""' }));
  assert.equal(event.subject, 'Euro \u20AC \u{1F600}');
  assert.equal(event.rate, '100%');
  assert.equal(event.quoted, 'a "b"');
});

test('binary: extension values stay strings (binary mode carries canonical strings)', () => {
  const { event } = single(req(undefined, { ...ceHeaders, 'ce-count': '5', 'ce-flag': 'true' }));
  assert.equal(event.count, '5');
  assert.equal(event.flag, 'true');
});

test('binary: bad percent-encoding or invalid UTF-8 is a 400 naming the header', () => {
  fails(req(undefined, { ...ceHeaders, 'ce-subject': 'bad%zz' }), 'HERALD_MALFORMED_REQUEST', 'ce-subject', /percent-encoding/);
  fails(req(undefined, { ...ceHeaders, 'CE-Subject': '%C0%A0' }), 'HERALD_MALFORMED_REQUEST', 'ce-subject', /not valid UTF-8/);
  fails(req(undefined, { ...ceHeaders, 'ce-id': '%' }), 'HERALD_MALFORMED_REQUEST', 'ce-id');
});

test('binary: body by content type — JSON, text, bytes, empty', () => {
  const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
  const cases: Array<[string | undefined, string | Buffer, Record<string, unknown>]> = [
    ['application/json', '"just a string"', { data: 'just a string' }],
    ['application/cloudevents-ext+json'.replace('cloudevents-ext', 'vnd.acme'), '{"x":1}', { data: { x: 1 } }],
    ['APPLICATION/JSON', 'null', { data: null }],
    ['text/plain', 'hello \u00e9', { data: 'hello \u00e9' }],
    ['text/xml', '<much wow="xml"/>', { data: '<much wow="xml"/>' }],
    ['application/xml', '<a/>', { data: '<a/>' }],
    ['application/x-custom; charset=utf-8', 'abc', { data: 'abc' }],
    ['application/octet-stream', bytes, { data_base64: bytes.toString('base64') }],
    ['image/png', bytes, { data_base64: bytes.toString('base64') }],
    [undefined, bytes, { data_base64: bytes.toString('base64') }],
    // text that is not UTF-8 keeps its exact bytes
    ['text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9]), { data_base64: 'Y2Fm6Q==' }],
    ['text/plain', Buffer.from([0xff, 0xfe]), { data_base64: '//4=' }],
    ['application/json', '', {}],
    ['text/plain', '', {}],
  ];
  for (const [contentType, body, expected] of cases) {
    const { event } = single(req(contentType, ceHeaders, body));
    const { specversion: _s, id: _i, source: _o, type: _t, datacontenttype, ...rest } = event;
    assert.equal(datacontenttype, contentType, `datacontenttype from ${contentType}`);
    assert.deepEqual(rest, expected, String(contentType));
  }
});

test('binary: a JSON body that does not parse is a 400', () => {
  fails(req('application/json', ceHeaders, '{"a":'), 'HERALD_MALFORMED_REQUEST', 'body', /does not parse/);
});

test('binary: ce-datacontenttype must not be present (§3.1.1)', () => {
  fails(req('text/plain', { ...ceHeaders, 'ce-datacontenttype': 'text/plain' }, 'x'), 'HERALD_MALFORMED_REQUEST', 'ce-datacontenttype');
});

test('binary: an attribute given twice is a 400', () => {
  fails(req(undefined, { ...ceHeaders, 'ce-subject': ['a', 'b'] }), 'HERALD_MALFORMED_REQUEST', 'ce-subject', /at most once/);
  fails(req(undefined, { ...ceHeaders, 'CE-ID': 'other' }), 'HERALD_MALFORMED_REQUEST', 'ce-id', /at most once/);
});

test('binary: invalid events are 422 with the attribute as field', () => {
  const { 'ce-specversion': _sv, ...noVersion } = ceHeaders;
  fails(req(undefined, noVersion), 'HERALD_INVALID_EVENT', 'specversion', /is required/);
  fails(req(undefined, { ...ceHeaders, 'ce-specversion': '0.3' }), 'HERALD_INVALID_EVENT', 'specversion', /not supported/);
  fails(req(undefined, { ...ceHeaders, 'ce-time': '2024-13-01T00:00:00Z' }), 'HERALD_INVALID_EVENT', 'time');
  fails(req(undefined, { ...ceHeaders, 'ce-my-ext': 'x' }), 'HERALD_INVALID_EVENT', 'my-ext', /not a valid attribute name/);
  fails(req(undefined, { ...ceHeaders, 'ce-data': 'x' }), 'HERALD_INVALID_EVENT', 'data');
  fails(req('not a media type', ceHeaders), 'HERALD_INVALID_EVENT', 'datacontenttype');
  fails(req(undefined, { ...ceHeaders, 'ce-id': '' }), 'HERALD_INVALID_EVENT', 'id', /non-empty/);
});

test('binary: non-ce headers are ignored', () => {
  const { event } = single(req(undefined, { ...ceHeaders, host: 'x', 'content-length': '0', 'x-ce-id': 'no', cesium: 'no' }));
  assert.deepEqual(event, base);
});

// ---- structured mode ----

const structured = JSON.stringify({ ...base, datacontenttype: 'text/xml', data: '<much wow="xml"/>', ext1: 5 });

test('structured: application/cloudevents+json with parameters and any casing', () => {
  for (const contentType of [
    'application/cloudevents+json',
    'application/cloudevents+json; charset=utf-8',
    'Application/CloudEvents+JSON; Charset=UTF-8',
    'application/cloudevents+json;charset="utf-8"',
  ]) {
    const { mode, event } = single(req(contentType, {}, structured));
    assert.equal(mode, 'structured', contentType);
    assert.deepEqual(event, JSON.parse(structured));
  }
});

test('structured: ce- headers beside the body are ignored; the body is the event (§3.2.3)', () => {
  const { event } = single(req('application/cloudevents+json', { 'ce-id': 'other' }, structured));
  assert.equal(event.id, 'A234-1234-1234');
});

test('structured: extension value types survive (unlike binary mode)', () => {
  const { event } = single(req('application/cloudevents+json', {}, structured));
  assert.equal(event.ext1, 5);
});

test('structured: request faults are 400', () => {
  const ct = 'application/cloudevents+json';
  fails(req(ct, {}, '{"id":'), 'HERALD_MALFORMED_REQUEST', 'body', /not valid JSON/);
  fails(req(ct, {}, ''), 'HERALD_MALFORMED_REQUEST', 'body');
  fails(req(ct, {}, '[]'), 'HERALD_MALFORMED_REQUEST', 'body', /cloudevents-batch\+json/);
  fails(req(ct, {}, '"event"'), 'HERALD_MALFORMED_REQUEST', 'body', /JSON object/);
  fails(req(ct, {}, Buffer.from([0x7b, 0xff, 0x7d])), 'HERALD_MALFORMED_REQUEST', 'body', /UTF-8/);
});

test('structured: an invalid event is 422', () => {
  fails(req('application/cloudevents+json', {}, JSON.stringify({ ...base, source: '' })), 'HERALD_INVALID_EVENT', 'source');
  fails(req('application/cloudevents+json', {}, JSON.stringify({ ...base, data: 1, data_base64: 'AA==' })), 'HERALD_INVALID_EVENT', 'data_base64');
});

// ---- content types Herald does not take ----

test('unsupported content types are 415 naming content-type', () => {
  for (const contentType of [
    'application/cloudevents+avro',
    'application/cloudevents+protobuf',
    'application/cloudevents',
    'application/cloudevents-batch+avro',
    'application/cloudevents+json; charset=utf-16',
    'application/cloudevents-batch+json; charset=iso-8859-1',
  ]) {
    fails(req(contentType, {}, structured), 'HERALD_UNSUPPORTED_MEDIA_TYPE', 'content-type');
  }
  for (const contentType of ['text/plain', 'application/octet-stream', undefined, '']) {
    fails(req(contentType, {}, 'x'), 'HERALD_UNSUPPORTED_MEDIA_TYPE', 'content-type', /not a CloudEvent/);
  }
});

test('application/json without ce- headers is a 400 that says how to send an event', () => {
  for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/vnd.acme+json']) {
    fails(req(contentType, {}, structured), 'HERALD_MALFORMED_REQUEST', 'content-type', /application\/cloudevents\+json.*ce-specversion/);
  }
});

// ---- limits ----

test('a single event over maxEventBytes (structured JSON form) is 413', () => {
  const small = { maxEventBytes: 300, maxBatchEvents: 10 };
  const data = 'x'.repeat(300);
  for (const parts of [
    req('application/cloudevents+json', {}, JSON.stringify({ ...base, data })),
    req('text/plain', ceHeaders, data),
  ]) {
    assert.throws(() => decodeHttpRequest(parts, small), { code: 'HERALD_EVENT_TOO_LARGE', status: 413 });
  }
  // The limit is inclusive: an event of exactly maxEventBytes passes.
  const exact = JSON.stringify({ ...base, data: '' });
  const fits = JSON.stringify({ ...base, data: 'y'.repeat(300 - Buffer.byteLength(exact)) });
  assert.equal(Buffer.byteLength(fits), 300);
  assert.equal(decodeHttpRequest(req('application/cloudevents+json', {}, fits), small).mode, 'structured');
  assert.throws(() => decodeHttpRequest(req('application/cloudevents+json', {}, fits), { ...small, maxEventBytes: 299 }), { code: 'HERALD_EVENT_TOO_LARGE' });
});

test('whitespace in a structured body does not count towards maxEventBytes', () => {
  const compact = JSON.stringify(base);
  const padded = JSON.stringify(base, null, 40);
  const lim = { maxEventBytes: Buffer.byteLength(compact), maxBatchEvents: 1 };
  assert.equal(decodeHttpRequest(req('application/cloudevents+json', {}, padded), lim).mode, 'structured');
});

test('maxRequestBytes, when given, bounds the body: 413 HERALD_REQUEST_TOO_LARGE', () => {
  const parts = req('application/cloudevents+json', {}, JSON.stringify(base));
  assert.throws(() => decodeHttpRequest(parts, { ...limits, maxRequestBytes: 10 }), { code: 'HERALD_REQUEST_TOO_LARGE', status: 413 });
  assert.equal(decodeHttpRequest(parts, { ...limits, maxRequestBytes: parts.body.length }).mode, 'structured');
});
