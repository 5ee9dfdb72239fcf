import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonPathError, evaluatePath, parseJsonPath } from '../../src/transform/index.js';

const DOC = {
  version: '0',
  'detail-type': 'Order',
  resources: ['r0', 'r1'],
  detail: {
    order: { id: 7, lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] },
    'instance-id': 'i-1',
    under_score: true,
    'a/b': 'slash',
    'with space': 'spaced',
    'dot.ted': 'dotted',
    nothing: null,
    empty: [],
  },
};

const FOUND: Array<{ path: string; value: unknown }> = [
  { path: '$', value: DOC },
  { path: '$.version', value: '0' },
  { path: '$.detail-type', value: 'Order' },
  { path: '$.detail.instance-id', value: 'i-1' },
  { path: '$.detail.under_score', value: true },
  { path: '$.detail.a/b', value: 'slash' },
  { path: '$.resources[0]', value: 'r0' },
  { path: '$.resources[1]', value: 'r1' },
  { path: '$.detail.order.lines[1].sku', value: 'b' },
  { path: '$.detail.nothing', value: null },
  { path: "$.detail['with space']", value: 'spaced' },
  { path: '$.detail["dot.ted"]', value: 'dotted' },
  { path: "$['detail']['order'].id", value: 7 },
  // Wildcards always yield an array of the matches, in document order.
  { path: '$.resources[*]', value: ['r0', 'r1'] },
  { path: '$.detail.order.lines[*].sku', value: ['a', 'b'] },
  { path: '$.detail.order.lines.*.qty', value: [1, 2] },
  { path: '$.detail.order.*', value: [7, DOC.detail.order.lines] },
  { path: '$.detail.empty[*]', value: [] },
  { path: '$.detail.order.lines[*].missing', value: [] },
];
for (const { path, value } of FOUND) {
  test(`JSONPath ${path} finds its value`, () => {
    assert.deepEqual(evaluatePath(parseJsonPath(path), DOC), { found: true, value });
  });
}

const MISSING = ['$.nope', '$.detail.order.id.deeper', '$.resources[2]', '$.version[0]', '$.resources.length', '$.detail.order.lines[0].sku.x'];
for (const path of MISSING) {
  test(`JSONPath ${path} finds nothing`, () => {
    assert.deepEqual(evaluatePath(parseJsonPath(path), DOC), { found: false });
  });
}

test('JSONPath does not walk the prototype chain', () => {
  assert.deepEqual(evaluatePath(parseJsonPath('$.constructor'), {}), { found: false });
  assert.deepEqual(evaluatePath(parseJsonPath('$.toString'), { a: 1 }), { found: false });
});

const REJECTED: Array<{ path: string; reason: RegExp }> = [
  { path: '', reason: /non-empty/ },
  { path: 'detail.x', reason: /starts with `\$`/ },
  { path: '$.', reason: /member name/ },
  { path: '$..x', reason: /recursive descent/ },
  { path: '$.a b', reason: /unexpected ` `/ },
  { path: '$.a[', reason: /after `\[`/ },
  { path: '$.a[-1]', reason: /negative/ },
  { path: '$.a[0:2]', reason: /slices and unions/ },
  { path: '$.a[0,1]', reason: /slices and unions/ },
  { path: '$.a[01]', reason: /leading zero/ },
  { path: '$.a[?(@.x)]', reason: /filter/ },
  { path: "$.a['x", reason: /unterminated/ },
  { path: "$.a['x'", reason: /expected `]`/ },
  { path: '$.a@', reason: /unexpected `@`/ },
  { path: `$.${'a'.repeat(300)}`, reason: /at most 256 characters/ },
];
for (const { path, reason } of REJECTED) {
  test(`JSONPath ${JSON.stringify(path.length > 40 ? `${path.slice(0, 20)}…` : path)} is rejected`, () => {
    assert.throws(() => parseJsonPath(path), (error: unknown) => error instanceof JsonPathError && reason.test(error.message));
  });
}
