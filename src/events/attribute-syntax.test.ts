// Tables built from the spec text: spec.md "Type System" / "source" examples, RFC 3986, RFC 3339.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isAbsoluteUri,
  isAttributeName,
  isBase64,
  isCloudEventsInteger,
  isRfc3339Timestamp,
  isUriReference,
  stringProblem,
} from './attribute-syntax.js';

test('URI-reference accepts the spec examples for source and common relative forms', () => {
  for (const ok of [
    'https://github.com/cloudevents',
    'mailto:cncf-wg-serverless@lists.cncf.io',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    '/cloudevents/spec/pull/123',
    '/sensors/tn-1234567/alerts',
    '1-555-123-4567',
    'cloudevents/spec/pull/123',
    'https://[2001:db8::1]:8080/a?b=c#d',
    'https://user:pw@example.com:443/p%20q',
    '//example.com/path',
    '?query-only',
    '#fragment-only',
    'a/b:c',
    'x-app+v1.2:thing',
  ]) {
    assert.equal(isUriReference(ok), true, ok);
  }
});

test('URI-reference rejects what RFC 3986 does not allow', () => {
  for (const [bad, why] of [
    ['', 'empty'],
    ['has space', 'space'],
    ['/tab\there', 'control character'],
    ['/new\nline', 'newline'],
    ['/bad%zz', 'bad percent escape'],
    ['/bad%2', 'truncated percent escape'],
    ['/trailing%', 'lone percent'],
    ['1abc:foo', 'scheme must start with a letter, and a first segment with ":" is no relative-ref'],
    ['ht_tp://x', "scheme has '_'"],
    ['/a#b#c', 'two fragments'],
    ['/caf\u00e9', 'non-ASCII must be percent-encoded'],
    ['/a"b', 'double quote'],
    ['/a<b>', 'angle brackets'],
    ['/a[1]', 'brackets outside an IP-literal'],
    ['https://exa mple.com', 'space in host'],
    ['https://example.com:80x/', 'non-digit port'],
    ['https://[::1/', 'unclosed IP-literal'],
    ['https://a@b@example.com/', 'two @ in the authority'],
  ] as const) {
    assert.equal(isUriReference(bad), false, `${JSON.stringify(bad)}: ${why}`);
  }
});

test('absolute URI needs a scheme (dataschema)', () => {
  assert.equal(isAbsoluteUri('https://example.com/schema.json'), true);
  assert.equal(isAbsoluteUri('urn:example:schema'), true);
  assert.equal(isAbsoluteUri('https://example.com/schema.json#/definitions/order'), true);
  assert.equal(isAbsoluteUri('/schemas/order.json'), false);
  assert.equal(isAbsoluteUri('schema.json'), false);
  assert.equal(isAbsoluteUri(''), false);
});

test('RFC 3339 timestamps: valid forms', () => {
  for (const ok of [
    '2018-04-05T17:31:00Z',
    '1985-04-12T23:20:50.52Z',
    '1996-12-19T16:39:57-08:00',
    '1990-12-31T23:59:60Z', // RFC 3339 §5.8 leap second example
    '1990-12-31T15:59:60-08:00', // the same leap second in Pacific time (§5.8)
    '1937-01-01T12:00:27.87+00:20', // §5.8
    '2024-02-29T00:00:00Z', // leap year
    '2000-02-29T00:00:00Z', // divisible by 400
    '2024-01-31t10:00:00z', // lower-case T and Z allowed (§5.6 NOTE)
    '2024-04-30T23:59:59.123456789+23:59',
  ]) {
    assert.equal(isRfc3339Timestamp(ok), true, ok);
  }
});

test('RFC 3339 timestamps: strictly rejected forms', () => {
  for (const bad of [
    '2024-13-01T00:00:00Z', // month 13
    '2024-00-10T00:00:00Z', // month 0
    '2024-04-31T00:00:00Z', // April has 30 days
    '2023-02-29T00:00:00Z', // not a leap year
    '1900-02-29T00:00:00Z', // century, not divisible by 400
    '2024-01-00T00:00:00Z', // day 0
    '2024-01-01T24:00:00Z', // hour 24
    '2024-01-01T10:60:00Z', // minute 60
    '2024-01-01T10:00:61Z', // second 61
    '2024-01-01T10:00:60Z', // leap second not at 23:59 UTC
    '2024-01-01T10:00:00+24:00', // offset hour 24
    '2024-01-01T10:00:00+01:60', // offset minute 60
    '2024-01-01T10:00:00', // no offset
    '2024-01-01 10:00:00Z', // space instead of T
    '2024-01-01T10:00Z', // no seconds
    '2024-01-01T10:00:00.Z', // empty fraction
    '2024-1-01T10:00:00Z', // one-digit month
    '2024-01-01T10:00:00+0100', // offset without colon
    '+2024-01-01T10:00:00Z',
    '',
  ]) {
    assert.equal(isRfc3339Timestamp(bad), false, bad);
  }
});

test('attribute names: lower-case a-z and 0-9, at least one character', () => {
  for (const ok of ['id', 'traceparent', 'x1', '1abc', 'averyveryverylongextensionname']) assert.equal(isAttributeName(ok), true, ok);
  for (const bad of ['', 'Id', 'my-ext', 'my_ext', 'data_base64', 'caf\u00e9', 'a b']) assert.equal(isAttributeName(bad), false, bad);
});

test('Integer range is signed 32-bit', () => {
  for (const ok of [0, -1, 2147483647, -2147483648]) assert.equal(isCloudEventsInteger(ok), true, String(ok));
  for (const bad of [2147483648, -2147483649, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(isCloudEventsInteger(bad), false, String(bad));
  }
});

test('String: control characters, noncharacters and unpaired surrogates are disallowed', () => {
  assert.equal(stringProblem('plain text, emoji \u{1F600}, \u20AC'), undefined);
  assert.equal(stringProblem('\uD800\uDEAD'), undefined); // a proper pair is legal (spec example)
  for (const [bad, expected] of [
    ['a\u0000b', /control character U\+0000/],
    ['line\nbreak', /control character U\+000A/],
    ['del\u007f', /control character U\+007F/],
    ['c1\u0085', /control character U\+0085/],
    ['\uDEAD', /unpaired surrogate/], // the spec's example
    ['x\uD800', /unpaired surrogate/],
    ['\uFDD0', /noncharacter U\+FDD0/],
    ['\uFFFE', /noncharacter U\+FFFE/],
    ['\u{1FFFF}', /noncharacter U\+1FFFF/],
  ] as const) {
    assert.match(stringProblem(bad) ?? 'accepted', expected, JSON.stringify(bad));
  }
});

test('base64 per RFC 4648 §4', () => {
  for (const ok of ['', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy', 'Zm9vYg', '+/+/']) assert.equal(isBase64(ok), true, ok);
  for (const bad of ['Zm9vY', 'Zm9vYg=', 'Zm9v YmFy', 'Zm9v\nYmFy', '-_-_', 'Zm9vYg===', '=Zm9v', 'Zm=9vYg==']) {
    assert.equal(isBase64(bad), false, bad);
  }
});
