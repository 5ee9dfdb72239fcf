// Media types (RFC 2045 §5.1 / RFC 9110 §8.3.1) and the JSON-format test of
// formats-json-format.md §3.1.1 ("*/json or */*+json").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isJsonMediaType, isTextMediaType, isUtf8Charset, parseMediaType } from './media-type.js';

test('parses type, subtype and parameters, case-insensitively except for values', () => {
  assert.deepEqual(parseMediaType('TEXT/Plain; CharSet=UTF-8'), {
    essence: 'text/plain',
    type: 'text',
    subtype: 'plain',
    parameters: { charset: 'UTF-8' },
  });
  assert.deepEqual(parseMediaType('multipart/form-data; boundary="a \\"b\\" c";x=1')?.parameters, { boundary: 'a "b" c', x: '1' });
  assert.deepEqual(parseMediaType('  application/json  ')?.essence, 'application/json');
  assert.deepEqual(parseMediaType('application/json;charset=utf-8')?.parameters, { charset: 'utf-8' });
});

test('rejects what is not a media type', () => {
  for (const bad of ['', 'json', 'application', 'application/', '/json', 'a/b/c', 'text/plain;', 'text/plain; =x', 'text/plain; a=', 'text/plain; a="x', 'text/pl ain', 'tëxt/plain']) {
    assert.equal(parseMediaType(bad), undefined, JSON.stringify(bad));
  }
});

test('JSON content: subtype json or +json', () => {
  for (const ok of ['application/json', 'text/json', 'application/cloudevents+json', 'application/vnd.api+JSON; charset=utf-8']) {
    assert.equal(isJsonMediaType(parseMediaType(ok)!), true, ok);
  }
  for (const no of ['application/jsonx', 'application/json-seq', 'text/plain', 'application/x-ndjson']) {
    assert.equal(isJsonMediaType(parseMediaType(no)!), false, no);
  }
});

test('text content kept as a string in binary mode', () => {
  for (const ok of ['text/plain', 'text/csv', 'application/xml', 'image/svg+xml', 'application/x-thing; charset=utf-8']) {
    assert.equal(isTextMediaType(parseMediaType(ok)!), true, ok);
  }
  for (const no of ['application/octet-stream', 'image/png', 'application/pdf']) assert.equal(isTextMediaType(parseMediaType(no)!), false, no);
  assert.equal(isUtf8Charset(undefined), true);
  assert.equal(isUtf8Charset('UTF-8'), true);
  assert.equal(isUtf8Charset('us-ascii'), true);
  assert.equal(isUtf8Charset('iso-8859-1'), false);
  assert.equal(isUtf8Charset('utf-16'), false);
});
