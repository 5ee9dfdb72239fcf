// encodeBinary / encodeStructured, round trips through decodeHttpRequest, and interoperability
// with the CloudEvents JavaScript SDK (the `cloudevents` package) in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudEvent as SdkEvent, HTTP } from 'cloudevents';
import fc from 'fast-check';
import { stringProblem } from '../attribute-syntax.js';
import type { CloudEvent } from '../types.js';
import { encodeBinary } from './binary.js';
import { decodeHttpRequest } from './decode.js';
import { encodeBatch, encodeStructured } from './structured.js';
import type { EncodedMessage } from './types.js';

const limits = { maxEventBytes: 1 << 20, maxBatchEvents: 100 };
const base: CloudEvent = { specversion: '1.0', id: 'A234-1234-1234', source: 'https://example.com/src', type: 'com.example.someevent' };

function decode(message: EncodedMessage): CloudEvent {
  const decoded = decodeHttpRequest({ contentType: message.headers['content-type'], headers: message.headers, body: message.body }, limits);
  if (decoded.mode === 'batch') throw new Error('expected one event');
  return decoded.event;
}

test('encodeBinary: attributes to percent-encoded ce- headers, datacontenttype to Content-Type', () => {
  const { headers, body } = encodeBinary({
    ...base,
    subject: 'Euro \u20AC \u{1F600}',
    time: '2018-04-05T17:31:00Z',
    count: 5,
    flag: false,
    rate: '100%',
    datacontenttype: 'text/plain; charset=utf-8',
    data: 'hello',
  });
  assert.deepEqual(headers, {
    'ce-specversion': '1.0',
    'ce-id': 'A234-1234-1234',
    'ce-source': 'https://example.com/src',
    'ce-type': 'com.example.someevent',
    'ce-subject': 'Euro%20%E2%82%AC%20%F0%9F%98%80',
    'ce-time': '2018-04-05T17:31:00Z',
    'ce-count': '5',
    'ce-flag': 'false',
    'ce-rate': '100%25',
    'content-type': 'text/plain; charset=utf-8',
  });
  assert.equal(body.toString('utf8'), 'hello');
});

test('encodeBinary: the body for each kind of data', () => {
  const cases: Array<[Partial<CloudEvent>, string | undefined, Buffer]> = [
    [{ data: { a: 1 } }, 'application/json', Buffer.from('{"a":1}')], // implied type made explicit
    [{ datacontenttype: 'application/json', data: 'str' }, 'application/json', Buffer.from('"str"')],
    [{ datacontenttype: 'application/json', data: null }, 'application/json', Buffer.from('null')],
    [{ datacontenttype: 'text/xml', data: '<a/>' }, 'text/xml', Buffer.from('<a/>')],
    [{ datacontenttype: 'image/png', data_base64: 'AAEC/w==' }, 'image/png', Buffer.from([0, 1, 2, 255])],
    [{ data_base64: 'AAEC' }, undefined, Buffer.from([0, 1, 2])],
    [{ datacontenttype: 'text/plain' }, 'text/plain', Buffer.alloc(0)],
    [{}, undefined, Buffer.alloc(0)],
  ];
  for (const [extra, contentType, body] of cases) {
    const message = encodeBinary({ ...base, ...extra });
    assert.equal(message.headers['content-type'], contentType, JSON.stringify(extra));
    assert.deepEqual(message.body, body, JSON.stringify(extra));
    assert.equal('ce-data' in message.headers || 'ce-data_base64' in message.headers || 'ce-datacontenttype' in message.headers, false);
  }
});

test('encodeStructured: the JSON form with the JSON format media type', () => {
  const event = { ...base, myext: 7, data: { x: [1] } };
  const { headers, body } = encodeStructured(event);
  assert.equal(headers['content-type'], 'application/cloudevents+json; charset=utf-8');
  assert.deepEqual(JSON.parse(body.toString('utf8')), event);
});

test('round trips: decode(encode(event)) keeps the event in structured mode and in binary mode', () => {
  const events: CloudEvent[] = [
    { ...base, subject: '100% "quoted" caf\u00e9 \u{1F600}', myext: 'a b', datacontenttype: 'application/json', data: { nested: [1, 'two', null] } },
    { ...base, time: '2018-04-05T17:31:00Z', datacontenttype: 'text/plain', data: 'line 1\nline 2 \u20AC' },
    { ...base, datacontenttype: 'application/octet-stream', data_base64: Buffer.from([0, 255, 10, 13]).toString('base64') },
    { ...base, datacontenttype: 'application/json', data: null },
    { ...base, datacontenttype: 'text/plain' },
    base,
  ];
  for (const event of events) {
    assert.deepEqual(decode(encodeStructured(event)), event, 'structured');
    assert.deepEqual(decode(encodeBinary(event)), event, 'binary');
  }
});

test('binary mode: typed extensions come back as their canonical strings; data gets its implied type', () => {
  assert.deepEqual(decode(encodeBinary({ ...base, count: 5, flag: true, data: [1] })), {
    ...base,
    count: '5',
    flag: 'true',
    datacontenttype: 'application/json',
    data: [1],
  });
});

test('encodeBatch round-trips through batched mode', () => {
  const events = [base, { ...base, id: '2', data: 'x' }];
  const message = encodeBatch(events);
  assert.equal(message.headers['content-type'], 'application/cloudevents-batch+json; charset=utf-8');
  const decoded = decodeHttpRequest({ contentType: message.headers['content-type'], headers: {}, body: message.body }, limits);
  assert.deepEqual(decoded, { mode: 'batch', entries: events.map((event) => ({ ok: true, event })) });
});

// The SDK (cloudevents@10) writes and reads header values verbatim: it predates the
// percent-encoding of bindings-http-protocol-binding.md §3.1.3.2. The interop tests therefore use
// values that need no encoding (printable ASCII without space, `"` or `%`), where both agree.
const PLAIN = 'order/42:created!(v1)';

test('property: any valid event with string extensions round-trips in both modes', () => {
  const text = fc.string({ unit: 'grapheme', minLength: 1 }).filter((t) => stringProblem(t) === undefined);
  const arbitraryEvent = fc.record({
    id: text,
    subject: text,
    ext: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,19}$/), text, { maxKeys: 4 }),
    data: fc.jsonValue(),
  });
  fc.assert(
    fc.property(arbitraryEvent, ({ id, subject, ext, data }) => {
      const reserved = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'dataschema', 'datacontenttype', 'data']);
      const extensions = Object.fromEntries(Object.entries(ext).filter(([k]) => !reserved.has(k)));
      // JSON cannot carry -0; the decoder legitimately reads it back as 0.
      const json = JSON.parse(JSON.stringify(data)) as unknown;
      const event: CloudEvent = { ...base, id, subject, ...extensions, datacontenttype: 'application/json', data: json };
      assert.deepEqual(decode(encodeStructured(event)), event);
      assert.deepEqual(decode(encodeBinary(event)), event);
    }),
    { numRuns: 200 },
  );
});

function sdkEvent(): SdkEvent<unknown> {
  return new SdkEvent({
    specversion: '1.0',
    id: 'sdk-1',
    source: '/sdk/source',
    type: 'com.example.sdk',
    subject: PLAIN,
    time: '2018-04-05T17:31:00.000Z',
    myext: 'value-without-spaces',
    datacontenttype: 'application/json',
    data: { hello: 'world' },
  });
}

test('interop: messages made by the cloudevents SDK decode to the same event', () => {
  for (const make of [HTTP.binary, HTTP.structured]) {
    const message = make(sdkEvent());
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
    const body = typeof message.body === 'string' ? Buffer.from(message.body, 'utf8') : Buffer.from(message.body as Uint8Array);
    const event = decode({ headers: { ...headers, 'content-type': headers['content-type'] ?? headers['Content-Type'] }, body });
    assert.equal(event.id, 'sdk-1');
    assert.equal(event.subject, PLAIN);
    assert.equal(event.myext, 'value-without-spaces');
    assert.equal(event.time, '2018-04-05T17:31:00.000Z');
    assert.deepEqual(event.data, { hello: 'world' });
  }
});

test('interop: messages Herald encodes are read by the cloudevents SDK', () => {
  const event: CloudEvent = { ...base, subject: PLAIN, myext: 'x-1', time: '2018-04-05T17:31:00Z', datacontenttype: 'application/json', data: { n: 1 } };
  for (const encode of [encodeBinary, encodeStructured]) {
    const { headers, body } = encode(event);
    const parsed = HTTP.toEvent({ headers, body: body.toString('utf8') }) as SdkEvent<unknown>;
    assert.equal(parsed.id, base.id);
    assert.equal(parsed.subject, event.subject, encode.name);
    assert.equal(parsed.myext, 'x-1', encode.name);
    assert.equal(parsed.time, '2018-04-05T17:31:00.000Z', encode.name);
    assert.deepEqual(parsed.data, { n: 1 });
  }
});
