/**
 * Every transform Herald refuses when a rule is saved: HERALD_INVALID_REQUEST (400) with `field`
 * naming the offending part, so nothing can fail later at delivery time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeraldError } from '../../src/errors/index.js';
import { compileTransform, validateTransform } from '../../src/transform/index.js';

const hundredAndOne = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, `$.detail.f${i}`]));
const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`v${i}`, `$.detail.f${i}`]));
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;

const CASES: Array<{ name: string; transform: unknown; field: string; message: RegExp }> = [
  { name: 'not an object', transform: 'event', field: 'transform', message: /must be an object/ },
  { name: 'an array', transform: [], field: 'transform', message: /must be an object/ },
  { name: 'no kind', transform: {}, field: 'transform.kind', message: /kind must be one of event, path, constant, template/ },
  { name: 'unknown kind', transform: { kind: 'jq' }, field: 'transform.kind', message: /kind must be one of/ },
  { name: 'unknown field', transform: { kind: 'event', path: '$' }, field: 'transform.path', message: /no field "path"/ },
  { name: 'path missing', transform: { kind: 'path' }, field: 'transform.path', message: /JSONPath string/ },
  { name: 'path not a string', transform: { kind: 'path', path: 3 }, field: 'transform.path', message: /JSONPath string/ },
  { name: 'bad JSONPath (no $)', transform: { kind: 'path', path: 'detail.x' }, field: 'transform.path', message: /invalid JSONPath "detail\.x"/ },
  { name: 'bad JSONPath (recursive descent)', transform: { kind: 'path', path: '$..x' }, field: 'transform.path', message: /recursive descent/ },
  { name: 'bad JSONPath (filter)', transform: { kind: 'path', path: '$.a[?(@.b)]' }, field: 'transform.path', message: /filter/ },
  { name: 'JSONPath too long', transform: { kind: 'path', path: `$.${'a'.repeat(255)}` }, field: 'transform.path', message: /at most 256/ },
  { name: 'constant without value', transform: { kind: 'constant' }, field: 'transform.value', message: /needs a value/ },
  { name: 'constant not JSON (NaN)', transform: { kind: 'constant', value: { n: Number.NaN } }, field: 'transform.value', message: /not a JSON number/ },
  { name: 'constant not JSON (undefined)', transform: { kind: 'constant', value: undefined }, field: 'transform.value', message: /undefined is not JSON/ },
  { name: 'constant not JSON (Date)', transform: { kind: 'constant', value: new Date(0) }, field: 'transform.value', message: /plain objects/ },
  { name: 'constant with a cycle', transform: { kind: 'constant', value: cyclic }, field: 'transform.value', message: /cycle/ },
  { name: 'constant over 8192 characters', transform: { kind: 'constant', value: 'x'.repeat(8191) }, field: 'transform.value', message: /8193 characters.*at most 8192/ },
  { name: 'template without inputTemplate', transform: { kind: 'template', inputPathsMap: {} }, field: 'transform.inputTemplate', message: /must be a string/ },
  { name: 'empty template', transform: { kind: 'template', inputTemplate: '' }, field: 'transform.inputTemplate', message: /1 to 8192/ },
  { name: 'template too long', transform: { kind: 'template', inputTemplate: `"${'x'.repeat(8191)}"` }, field: 'transform.inputTemplate', message: /1 to 8192 characters \(it has 8193\)/ },
  { name: 'placeholder not in map', transform: { kind: 'template', inputPathsMap: { a: '$.a' }, inputTemplate: '"<a> and <b>"' }, field: 'transform.inputTemplate', message: /<b>, which inputPathsMap does not define/ },
  { name: 'unknown aws.* placeholder', transform: { kind: 'template', inputTemplate: '"<aws.events.rule-id>"' }, field: 'transform.inputTemplate', message: /<aws\.events\.rule-id>/ },
  { name: 'placeholder as an object key', transform: { kind: 'template', inputPathsMap: { k: '$.k' }, inputTemplate: '{<k>: 1}' }, field: 'transform.inputTemplate', message: /object key \(<k>\)/ },
  { name: 'placeholder inside an object key', transform: { kind: 'template', inputPathsMap: { k: '$.k' }, inputTemplate: '{"id-<k>" : 1}' }, field: 'transform.inputTemplate', message: /object key/ },
  { name: 'template in {} that is not JSON', transform: { kind: 'template', inputPathsMap: { a: '$.a' }, inputTemplate: '{"a": <a>,}' }, field: 'transform.inputTemplate', message: /surrounded by \{\} but is not valid JSON/ },
  { name: 'placeholder glued to a value in a JSON object', transform: { kind: 'template', inputPathsMap: { a: '$.a' }, inputTemplate: '{"a": <a>1}' }, field: 'transform.inputTemplate', message: /not valid JSON/ },
  { name: 'inputPathsMap not an object', transform: { kind: 'template', inputPathsMap: ['$.a'], inputTemplate: '"x"' }, field: 'transform.inputPathsMap', message: /must be an object/ },
  { name: 'too many paths (101)', transform: { kind: 'template', inputPathsMap: hundredAndOne, inputTemplate: '"x"' }, field: 'transform.inputPathsMap', message: /101 entries; at most 100/ },
  { name: 'reserved name in map', transform: { kind: 'template', inputPathsMap: { 'aws.events.rule-arn': '$.a' }, inputTemplate: '"<aws.events.rule-arn>"' }, field: 'transform.inputPathsMap.aws.events.rule-arn', message: /reserved/ },
  { name: 'reserved ingestion-time in map', transform: { kind: 'template', inputPathsMap: { 'aws.events.event.ingestion-time': '$.time' }, inputTemplate: '"x"' }, field: 'transform.inputPathsMap.aws.events.event.ingestion-time', message: /reserved/ },
  { name: 'aws. prefix in map (any case)', transform: { kind: 'template', inputPathsMap: { 'AWS.mine': '$.a' }, inputTemplate: '"x"' }, field: 'transform.inputPathsMap.AWS.mine', message: /reserved/ },
  { name: 'variable name with a space', transform: { kind: 'template', inputPathsMap: { 'my var': '$.a' }, inputTemplate: '"x"' }, field: 'transform.inputPathsMap.my var', message: /must be 1 to 256 of/ },
  { name: 'variable name with a dot', transform: { kind: 'template', inputPathsMap: { 'a.b': '$.a' }, inputTemplate: '"x"' }, field: 'transform.inputPathsMap.a.b', message: /must be 1 to 256 of/ },
  { name: 'variable name too long', transform: { kind: 'template', inputPathsMap: { ['v'.repeat(257)]: '$.a' }, inputTemplate: '"x"' }, field: `transform.inputPathsMap.${'v'.repeat(257)}`, message: /1 to 256/ },
  { name: 'bad JSONPath in map', transform: { kind: 'template', inputPathsMap: { price: '$.detail..price' }, inputTemplate: '"<price>"' }, field: 'transform.inputPathsMap.price', message: /invalid JSONPath/ },
  { name: 'JSONPath in map not a string', transform: { kind: 'template', inputPathsMap: { price: 5 }, inputTemplate: '"<price>"' }, field: 'transform.inputPathsMap.price', message: /must be a string/ },
  { name: 'unknown template field', transform: { kind: 'template', inputTemplate: '"x"', InputPathsMap: {} }, field: 'transform.InputPathsMap', message: /no field/ },
];

for (const { name, transform, field, message } of CASES) {
  test(`rejected: ${name}`, () => {
    assert.throws(
      () => compileTransform(transform),
      (error: unknown) => {
        assert.ok(error instanceof HeraldError, `expected a HeraldError, got ${String(error)}`);
        assert.equal(error.code, 'HERALD_INVALID_REQUEST');
        assert.equal(error.status, 400);
        assert.equal(error.field, field);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('the field prefix is the caller’s, e.g. a rule’s target', () => {
  assert.throws(
    () => validateTransform({ kind: 'template', inputPathsMap: { price: '$..p' }, inputTemplate: '<price>' }, 'targets[2].transform'),
    (error: unknown) => error instanceof HeraldError && error.field === 'targets[2].transform.inputPathsMap.price',
  );
});

const ACCEPTED: Array<{ name: string; transform: unknown }> = [
  { name: 'exactly 100 paths', transform: { kind: 'template', inputPathsMap: hundred, inputTemplate: '"<v0> <v99>"' } },
  { name: 'a template of exactly 8192 characters', transform: { kind: 'template', inputTemplate: `"${'x'.repeat(8190)}"` } },
  { name: 'a variable defined but unused', transform: { kind: 'template', inputPathsMap: { a: '$.a' }, inputTemplate: '"static"' } },
  { name: 'reserved variables without a map', transform: { kind: 'template', inputTemplate: '<aws.events.rule-name> fired' } },
  { name: 'text that only looks like a tag is literal', transform: { kind: 'template', inputTemplate: 'a < b and c > d, </p> <> < x >' } },
  { name: 'a text template starting with [', transform: { kind: 'template', inputPathsMap: { a: '$.a' }, inputTemplate: '[ALERT] <a> is down' } },
  { name: 'a bare value placeholder followed by a colon in text mode', transform: { kind: 'template', inputPathsMap: { a: '$.a' }, inputTemplate: 'time <a>: ok' } },
  { name: 'inputPathsMap null', transform: { kind: 'template', inputPathsMap: null, inputTemplate: '"x"' } },
];
for (const { name, transform } of ACCEPTED) {
  test(`accepted: ${name}`, () => {
    assert.doesNotThrow(() => compileTransform(transform));
  });
}
