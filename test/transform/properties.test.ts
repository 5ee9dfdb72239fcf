/**
 * Properties over arbitrary JSON values: whatever an event holds, a JSON template yields valid JSON
 * with the value in place, and a placeholder inside a string yields exactly the value's text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileTransform, type TransformContext } from '../../src/transform/index.js';

const CTX: TransformContext = { ruleArn: 'arn', ruleName: 'r', ingestionTime: '2024-01-01T00:00:00Z' };
const template = compileTransform({
  kind: 'template',
  inputPathsMap: { v: '$.detail.v' },
  inputTemplate: '{"asValue": <v>, "inText": "[<v>]", "list": [<v>, "<v>"]}',
});
const text = compileTransform({ kind: 'template', inputPathsMap: { v: '$.detail.v' }, inputTemplate: 'v=<v>;' });

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

test('JSON templates stay valid JSON and carry any value exactly', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const value = JSON.parse(JSON.stringify(v)) as unknown; // normalise -0 and the like as JSON does
      const out = template.apply({ detail: { v: value } }, CTX);
      assert.equal(out.contentType, 'application/json');
      assert.deepEqual(out.body, { asValue: value, inText: `[${asText(value)}]`, list: [value, asText(value)] });
    }),
    { numRuns: 300 },
  );
});

test('text templates insert strings raw and other values as JSON text', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const value = JSON.parse(JSON.stringify(v)) as unknown;
      assert.deepEqual(text.apply({ detail: { v: value } }, CTX), { body: `v=${asText(value)};`, contentType: 'text/plain' });
    }),
    { numRuns: 300 },
  );
});

test('a path to any member name spelled with brackets finds it', () => {
  fc.assert(
    fc.property(fc.string(), fc.jsonValue(), (name, v) => {
      const quoted = `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      const t = compileTransform({ kind: 'path', path: `$[${quoted}]` });
      const doc = { [name]: v };
      assert.deepEqual(t.apply(doc, CTX).body, v);
    }),
    { numRuns: 300 },
  );
});
