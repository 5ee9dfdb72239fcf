// Header value encoding (bindings-http-protocol-binding.md §3.1.3.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeHeaderValue, encodeHeaderValue, HeaderValueError } from './header-value.js';

test('the spec example: "Euro € 😀"', () => {
  assert.equal(encodeHeaderValue('Euro \u20AC \u{1F600}'), 'Euro%20%E2%82%AC%20%F0%9F%98%80');
  assert.equal(decodeHeaderValue('Euro%20%E2%82%AC%20%F0%9F%98%80'), 'Euro \u20AC \u{1F600}');
});

test('encoding: space, double quote, percent and non-printable ASCII are escaped, upper-case hex', () => {
  for (const [input, expected] of [
    ['a b', 'a%20b'],
    ['say "hi"', 'say%20%22hi%22'],
    ['100%', '100%25'],
    ['%20', '%2520'],
    ['tab\there', 'tab%09here'],
    ['del\u007f', 'del%7F'],
    ['caf\u00e9', 'caf%C3%A9'],
    ['plain-ASCII_~!#$&\'()*+,/:;<=>?@[\\]^`{|}', 'plain-ASCII_~!#$&\'()*+,/:;<=>?@[\\]^`{|}'],
    ['', ''],
  ] as const) {
    assert.equal(encodeHeaderValue(input), expected, input);
  }
});

test('decoding: lower-case hex and unnecessary escapes are accepted', () => {
  assert.equal(decodeHeaderValue('caf%c3%a9'), 'caf\u00e9');
  assert.equal(decodeHeaderValue('%41%42C'), 'ABC');
  assert.equal(decodeHeaderValue('100%25'), '100%');
  assert.equal(decodeHeaderValue('%2520'), '%20'); // one round only
});

test('decoding: double-quoted strings are unescaped first (RFC 7230 §3.2.6)', () => {
  assert.equal(decodeHeaderValue('"hello world"'), 'hello world');
  assert.equal(decodeHeaderValue('"say \\"hi\\""'), 'say "hi"');
  assert.equal(decodeHeaderValue('"a\\\\b"'), 'a\\b');
  assert.equal(decodeHeaderValue('"%20"'), ' '); // then percent-decoded
  assert.equal(decodeHeaderValue('pre "mid dle" post'), 'pre mid dle post');
});

test('decoding: raw UTF-8 bytes from a lenient client (latin1 characters from Node) decode as UTF-8', () => {
  const asNodeSeesIt = Buffer.from('caf\u00e9', 'utf8').toString('latin1');
  assert.equal(decodeHeaderValue(asNodeSeesIt), 'caf\u00e9');
});

test('decoding rejects bad escapes, invalid UTF-8 and unterminated quotes', () => {
  for (const bad of [
    '%',
    '%2',
    '%zz',
    'abc%g1',
    '%C0%A0', // the spec's overlong encoding of U+0020
    '%FF',
    '%E2%82', // truncated sequence
    '%ED%A0%80', // an encoded surrogate
    '"unterminated',
    '"ends with backslash\\',
  ]) {
    assert.throws(() => decodeHeaderValue(bad), HeaderValueError, bad);
  }
});

test('round trip: decode(encode(s)) === s for any well-formed string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => decodeHeaderValue(encodeHeaderValue(s)) === s),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => /^[\x21-\x7e]*$/.test(encodeHeaderValue(s).replace(/%[0-9A-F]{2}/g, ''))),
    { numRuns: 300 },
  );
});
