// validateEvent: every attribute rule of spec.md "Context Attributes" and the JSON format's
// type mapping and null handling (formats-json-format.md §2.2, §3.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeraldError } from '../errors/index.js';
import { validateEvent } from './validate.js';

const base = { specversion: '1.0', id: 'A234-1234-1234', source: '/mycontext', type: 'com.example.someevent' };

function rejects(candidate: unknown, field: string | undefined, message: RegExp): void {
  assert.throws(
    () => validateEvent(candidate),
    (error: unknown) => {
      assert.ok(error instanceof HeraldError, 'a HeraldError');
      assert.equal(error.code, 'HERALD_INVALID_EVENT');
      assert.equal(error.status, 422);
      assert.equal(error.field, field);
      assert.match(error.message, message);
      return true;
    },
  );
}

test('a minimal event is returned unchanged', () => {
  assert.deepEqual(validateEvent({ ...base }), base);
});

test('the spec example event (spec.md "Example") validates with every optional attribute', () => {
  const event = {
    specversion: '1.0',
    type: 'com.github.pull_request.opened',
    source: 'https://github.com/cloudevents/spec/pull',
    subject: '123',
    id: 'A234-1234-1234',
    time: '2018-04-05T17:31:00Z',
    comexampleextension1: 'value',
    comexampleothervalue: 5,
    datacontenttype: 'text/xml',
    data: '<much wow="xml"/>',
  };
  assert.deepEqual(validateEvent(event), event);
});

test('non-objects are not events', () => {
  for (const value of [null, 'x', 42, [base], true]) rejects(value, undefined, /must be a JSON object/);
});

test('required attributes: missing or null', () => {
  for (const name of ['specversion', 'id', 'source', 'type']) {
    const missing: Record<string, unknown> = { ...base };
    delete missing[name];
    rejects(missing, name, new RegExp(`^${name}: is required`));
    rejects({ ...base, [name]: null }, name, new RegExp(`^${name}: is required`));
  }
});

test('specversion must be exactly "1.0", with its own message for other versions', () => {
  rejects({ ...base, specversion: '0.3' }, 'specversion', /"0\.3" is not supported; Herald accepts CloudEvents 1\.0/);
  rejects({ ...base, specversion: '1.0.3' }, 'specversion', /not supported/);
  rejects({ ...base, specversion: '' }, 'specversion', /not supported/);
  rejects({ ...base, specversion: 1.0 }, 'specversion', /must be a string, got number 1/);
});

test('string attributes: non-empty String values', () => {
  for (const name of ['id', 'type', 'subject']) {
    rejects({ ...base, [name]: '' }, name, new RegExp(`^${name}: must be a non-empty string`));
    rejects({ ...base, [name]: 7 }, name, new RegExp(`^${name}: must be a string, got number 7`));
    rejects({ ...base, [name]: { a: 1 } }, name, /got an object/);
    rejects({ ...base, [name]: 'a\nb' }, name, /control character U\+000A/);
    rejects({ ...base, [name]: '\uDEAD' }, name, /unpaired surrogate/);
  }
  assert.equal(validateEvent({ ...base, subject: 'mynewfile.jpg' }).subject, 'mynewfile.jpg');
});

test('source: non-empty URI-reference', () => {
  for (const ok of ['https://github.com/cloudevents', 'mailto:cncf-wg-serverless@lists.cncf.io', '1-555-123-4567', '/sensors/tn-1234567/alerts']) {
    assert.equal(validateEvent({ ...base, source: ok }).source, ok);
  }
  rejects({ ...base, source: '' }, 'source', /non-empty/);
  rejects({ ...base, source: 'has space' }, 'source', /^source: "has space" is not a URI-reference/);
  rejects({ ...base, source: '/bad%zz' }, 'source', /not a URI-reference/);
  rejects({ ...base, source: '1abc:x' }, 'source', /not a URI-reference/);
});

test('time: RFC 3339, with the value quoted in the message', () => {
  assert.equal(validateEvent({ ...base, time: '2018-04-05T17:31:00Z' }).time, '2018-04-05T17:31:00Z');
  assert.throws(() => validateEvent({ ...base, time: '2024-13-01T00:00:00Z' }), {
    code: 'HERALD_INVALID_EVENT',
    field: 'time',
    message: 'time: "2024-13-01T00:00:00Z" is not an RFC 3339 timestamp',
  });
  rejects({ ...base, time: '2023-02-29T00:00:00Z' }, 'time', /not an RFC 3339/);
  rejects({ ...base, time: 1712345678 }, 'time', /must be a string/);
});

test('dataschema: absolute URI', () => {
  assert.equal(validateEvent({ ...base, dataschema: 'https://example.com/s.json' }).dataschema, 'https://example.com/s.json');
  rejects({ ...base, dataschema: '/relative/s.json' }, 'dataschema', /not an absolute URI/);
  rejects({ ...base, dataschema: '' }, 'dataschema', /non-empty/);
});

test('datacontenttype: RFC 2046 media type syntax', () => {
  for (const ok of ['application/json', 'text/plain; charset=utf-8', 'TEXT/Plain; CharSet=utf-8', 'multipart/form-data; boundary="a b"', 'application/vnd.x+json']) {
    assert.equal(validateEvent({ ...base, datacontenttype: ok }).datacontenttype, ok);
  }
  for (const bad of ['json', 'application/', '/json', 'text/plain;', 'text/plain; charset', 'text /plain', 'text/plain; a="unterminated']) {
    rejects({ ...base, datacontenttype: bad }, 'datacontenttype', /not an RFC 2046 media type/);
  }
});

test('null attributes are unset and left out (formats-json-format.md §2.2)', () => {
  const result = validateEvent({ ...base, subject: null, time: null, myext: null, datacontenttype: null });
  assert.deepEqual(result, base);
  assert.equal('subject' in result, false);
});

test('extension names: lower-case a-z0-9; longer than 20 is only a SHOULD', () => {
  const long = 'averyveryverylongextensionname';
  assert.equal(validateEvent({ ...base, [long]: 'x' })[long], 'x');
  assert.throws(() => validateEvent({ ...base, [long]: 'x' }, { maxAttributeNameLength: 20 }), { code: 'HERALD_INVALID_EVENT', field: long });
  for (const bad of ['MyExt', 'my-ext', 'my_ext', 'ext\u00e9', '__proto__']) {
    rejects({ ...base, [bad]: 'x' }, bad, /not a valid attribute name/);
  }
  rejects(JSON.parse('{"specversion":"1.0","id":"1","source":"/s","type":"t","":"x"}'), '', /at least one character/);
});

test('extension values: string, 32-bit integer, boolean', () => {
  const ok = { ...base, s: 'text', i: 42, neg: -2147483648, max: 2147483647, t: true, f: false, zero: 0 };
  assert.deepEqual(validateEvent(ok), ok);
  for (const [value, message] of [
    [1.5, /1\.5 is not an integer/],
    [2147483648, /outside the CloudEvents Integer range/],
    [-2147483649, /outside the CloudEvents Integer range/],
    [{ a: 1 }, /got an object/],
    [['a'], /got an array/],
    ['bad\u0000', /control character/],
  ] as const) {
    rejects({ ...base, ext: value }, 'ext', message);
  }
});

test('data: any JSON value including an explicit null payload (formats-json-format.md §3.1.1)', () => {
  for (const data of [{ a: [1, { b: null }] }, 'text', 0, false, null, [1, 2]]) {
    assert.deepEqual(validateEvent({ ...base, data }), { ...base, data });
  }
  assert.equal('data' in validateEvent({ ...base, data: null }), true);
});

test('data_base64: valid base64, never with data', () => {
  assert.deepEqual(validateEvent({ ...base, data_base64: 'Zm9vYg==' }), { ...base, data_base64: 'Zm9vYg==' });
  rejects({ ...base, data: 'x', data_base64: 'Zm9vYg==' }, 'data_base64', /either data or data_base64, never both/);
  rejects({ ...base, data: null, data_base64: 'Zm9vYg==' }, 'data_base64', /never both/);
  rejects({ ...base, data_base64: 'not base64!' }, 'data_base64', /not valid base64/);
  rejects({ ...base, data_base64: 12 }, 'data_base64', /must be a base64 string/);
  // A null data_base64 is read as absent, so data alone stands.
  assert.deepEqual(validateEvent({ ...base, data: 1, data_base64: null }), { ...base, data: 1 });
});

test('attribute order is kept and nothing is added', () => {
  const input = { data: { x: 1 }, type: 't', myext: 'e', id: '1', source: '/s', specversion: '1.0' };
  assert.deepEqual(Object.keys(validateEvent(input)), Object.keys(input));
});
