/** Bad Subscriptions filters are rejected when saved, with the path of the fault (fail closed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqlFamilyMatcher, validateSubscriptions } from '../../src/patterns/subscriptions/index.js';
import { HeraldError } from '../../src/errors/index.js';

const REJECTED: Array<{ name: string; filters: unknown; field: string; message?: RegExp }> = [
  { name: 'not an array', filters: { exact: { type: 'x' } }, field: 'subscriptions' },
  { name: 'an entry that is not an object', filters: ['type = x'], field: 'subscriptions[0]' },
  { name: 'an unknown dialect', filters: [{ regex: { type: '.*' } }], field: 'subscriptions[0].regex', message: /unknown filter dialect "regex"/ },
  { name: 'an unknown nested dialect', filters: [{ all: [{ exact: { type: 'a' } }, { jsonpath: '$.x' }] }], field: 'subscriptions[0].all[1].jsonpath' },
  { name: 'two dialects in one object', filters: [{ exact: { type: 'a' }, prefix: { source: 'b' } }], field: 'subscriptions[0]' },
  { name: 'an empty object', filters: [{}], field: 'subscriptions[0]' },
  { name: 'an empty exact value (§3.2.4.1.1)', filters: [{ exact: { type: '' } }], field: 'subscriptions[0].exact.type' },
  { name: 'a non-string exact value', filters: [{ exact: { priority: 3 } }], field: 'subscriptions[0].exact.priority' },
  { name: 'an invalid attribute name', filters: [{ prefix: { 'My-Ext': 'a' } }], field: 'subscriptions[0].prefix.My-Ext' },
  { name: 'an empty suffix map', filters: [{ suffix: {} }], field: 'subscriptions[0].suffix' },
  { name: 'an empty all (§3.2.4.1.1)', filters: [{ all: [] }], field: 'subscriptions[0].all' },
  { name: 'any that is not an array', filters: [{ any: { exact: { type: 'a' } } }], field: 'subscriptions[0].any' },
  { name: 'not without an object', filters: [{ not: [] }], field: 'subscriptions[0].not' },
  { name: 'sql that does not parse', filters: [{ all: [{ exact: { type: 'a' } }, { sql: "type = 'a' AND" }] }], field: 'subscriptions[0].all[1].sql', message: /position 15/ },
  { name: 'cesql that does not parse', filters: [{ cesql: 'source LIKE 5' }], field: 'subscriptions[0].cesql', message: /position 13/ },
  { name: 'sql calling an unknown function', filters: [{ sql: 'FOO(type)' }], field: 'subscriptions[0].sql' },
  { name: 'sql that is not a string', filters: [{ sql: true }], field: 'subscriptions[0].sql' },
  { name: 'Knative filters with a bad entry', filters: [{ filters: [{ exact: { type: 'a' } }, { cesql: '(' }] }], field: 'subscriptions[0].filters[1].cesql' },
  { name: 'Knative filter with something besides attributes', filters: [{ filter: { attributes: {}, extra: 1 } }], field: 'subscriptions[0].filter.extra' },
  { name: 'Knative attributes with a non-string value', filters: [{ attributes: { type: null } }], field: 'subscriptions[0].attributes.type' },
  { name: 'a member beside a Knative Trigger form', filters: [{ filters: [], subscriber: {} }], field: 'subscriptions[0].subscriber' },
];

for (const row of REJECTED) {
  test(`rejected: ${row.name}`, () => {
    assert.throws(
      () => validateSubscriptions(row.filters),
      (e: unknown) => {
        assert.ok(e instanceof HeraldError);
        assert.equal(e.code, 'HERALD_INVALID_FILTER');
        assert.equal(e.status, 400);
        assert.equal(e.field, row.field, e.message);
        if (row.message) assert.match(e.message, row.message);
        return true;
      },
    );
  });
}

test('a rejected rule leaves the matcher as it was', () => {
  const m = createSqlFamilyMatcher();
  m.add('r', { subscriptions: [{ exact: { type: 'a' } }] });
  assert.throws(() => m.add('r', { subscriptions: [{ exact: { type: '' } }] }), HeraldError);
  assert.throws(() => m.add('r', { subscriptions: 'x' } as unknown as { subscriptions: unknown[] }), HeraldError);
  assert.deepEqual(m.match({ specversion: '1.0', id: '1', source: 's', type: 'a' }), ['r']);
});
