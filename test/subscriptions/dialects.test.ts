/** Subscriptions API filter dialects and Knative Trigger forms, table-driven (subscriptions-spec.md §3.2.4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqlFamilyMatcher, createSubscriptionsMatcher, explainSubscriptions } from '../../src/patterns/subscriptions/index.js';

const EVENT = {
  specversion: '1.0',
  id: 'e1',
  source: 'https://github.com/cloudevents/spec',
  type: 'com.github.push',
  subject: 'refs/heads/main',
  priority: 3,
  urgent: true,
  data: { ignored: true },
};

interface Row {
  name: string;
  filters: unknown[];
  matches: boolean;
}

const ROWS: Row[] = [
  { name: 'no filters match everything (§3.2.1)', filters: [], matches: true },
  { name: 'exact, one attribute', filters: [{ exact: { type: 'com.github.push' } }], matches: true },
  { name: 'exact is case sensitive', filters: [{ exact: { type: 'com.github.PUSH' } }], matches: false },
  { name: 'exact, all attributes must match', filters: [{ exact: { type: 'com.github.push', subject: 'refs/heads/dev' } }], matches: false },
  { name: 'exact on a missing extension', filters: [{ exact: { myext: 'x' } }], matches: false },
  { name: 'exact on an integer extension compares its decimal form', filters: [{ exact: { priority: '3' } }], matches: true },
  { name: 'exact on a boolean extension', filters: [{ exact: { urgent: 'true' } }], matches: true },
  { name: 'exact never sees data', filters: [{ exact: { data: '{"ignored":true}' } }], matches: false },
  { name: 'prefix', filters: [{ prefix: { type: 'com.github.', source: 'https://github.com/' } }], matches: true },
  { name: 'prefix mismatch', filters: [{ prefix: { source: 'http://' } }], matches: false },
  { name: 'suffix', filters: [{ suffix: { subject: '/main' } }], matches: true },
  { name: 'suffix mismatch', filters: [{ suffix: { type: '.pull' } }], matches: false },
  { name: 'the list is a conjunction', filters: [{ prefix: { type: 'com.' } }, { suffix: { type: '.pull' } }], matches: false },
  { name: 'all', filters: [{ all: [{ exact: { type: 'com.github.push' } }, { prefix: { subject: 'refs/' } }] }], matches: true },
  { name: 'all with one false', filters: [{ all: [{ exact: { type: 'com.github.push' } }, { prefix: { subject: 'tags/' } }] }], matches: false },
  { name: 'any', filters: [{ any: [{ exact: { type: 'x' } }, { suffix: { type: '.push' } }] }], matches: true },
  { name: 'any, none true', filters: [{ any: [{ exact: { type: 'x' } }, { exact: { type: 'y' } }] }], matches: false },
  { name: 'not', filters: [{ not: { exact: { type: 'com.github.push' } } }], matches: false },
  { name: 'not of a missing attribute is true', filters: [{ not: { exact: { myext: 'x' } } }], matches: true },
  {
    name: 'deep nesting',
    filters: [{ all: [{ any: [{ exact: { type: 'x' } }, { not: { prefix: { source: 'http://' } } }] }, { not: { not: { suffix: { subject: 'main' } } } }] }],
    matches: true,
  },
  { name: 'sql', filters: [{ sql: "source LIKE '%cloudevents%' AND priority > 2" }], matches: true },
  { name: 'sql false', filters: [{ sql: 'priority > 5' }], matches: false },
  { name: 'cesql is Knative’s name for sql', filters: [{ cesql: "subject = 'refs/heads/main'" }], matches: true },
  { name: 'sql evaluation error means no match', filters: [{ sql: "myext = 'x'" }], matches: false },
  { name: 'an sql error under not still means no match (fail closed)', filters: [{ not: { sql: "myext = 'x'" } }], matches: false },
  { name: 'an sql error in any means no match', filters: [{ any: [{ sql: "myext = 'x'" }, { exact: { type: 'com.github.push' } }] }], matches: false },
  { name: 'any stops at the first true branch', filters: [{ any: [{ exact: { type: 'com.github.push' } }, { sql: "myext = 'x'" }] }], matches: true },
  { name: 'sql with a non-Boolean attribute value is false', filters: [{ sql: 'priority' }], matches: false },
  // Knative Trigger forms, as written in a Trigger spec.
  { name: 'Knative legacy attributes map', filters: [{ attributes: { type: 'com.github.push', source: 'https://github.com/cloudevents/spec' } }], matches: true },
  { name: 'Knative legacy attributes mismatch', filters: [{ attributes: { type: 'dev.knative.foo' } }], matches: false },
  { name: 'Knative legacy "" matches any value of a present extension', filters: [{ attributes: { priority: '' } }], matches: true },
  { name: 'Knative legacy "" needs the extension to exist', filters: [{ attributes: { myext: '' } }], matches: false },
  { name: 'Knative legacy "" on a core attribute matches even when unset', filters: [{ attributes: { time: '' } }], matches: true },
  { name: 'Knative filter.attributes', filters: [{ filter: { attributes: { type: 'com.github.push' } } }], matches: true },
  { name: 'Knative empty filter matches everything', filters: [{ filter: { attributes: {} } }], matches: true },
  { name: 'Knative filters', filters: [{ filters: [{ exact: { type: 'com.github.push' } }, { cesql: 'urgent' }] }], matches: true },
  {
    name: 'Knative filters win over filter',
    filters: [{ filters: [{ prefix: { type: 'com.github.' } }], filter: { attributes: { type: 'something.else' } } }],
    matches: true,
  },
  {
    name: 'Knative empty filters fall back to filter',
    filters: [{ filters: [], filter: { attributes: { type: 'something.else' } } }],
    matches: false,
  },
];

for (const row of ROWS) {
  test(`subscriptions: ${row.name}`, () => {
    const m = createSubscriptionsMatcher();
    m.add('rule', { subscriptions: row.filters });
    assert.deepEqual(m.match(EVENT), row.matches ? ['rule'] : []);
    const explanation = explainSubscriptions(row.filters, EVENT);
    assert.equal(explanation.matched, row.matches, 'explanation agrees with the matcher');
    if (row.matches) assert.deepEqual(explanation.reasons, []);
    else assert.ok(explanation.reasons.length > 0, 'a non-match always says why');
  });
}

test('explanations name the attribute and the filter path', () => {
  const exact = explainSubscriptions([{ all: [{ exact: { type: 'x' } }] }], EVENT);
  assert.deepEqual(exact.reasons, [
    { field: 'type', reason: 'subscriptions[0].all[0].exact: "com.github.push" is not exactly "x"' },
  ]);
  const absent = explainSubscriptions([{ prefix: { myext: 'a' } }], EVENT);
  assert.deepEqual(absent.reasons, [{ field: 'myext', reason: 'subscriptions[0].prefix: the event has no attribute "myext"' }]);
  const sqlError = explainSubscriptions([{ not: { sql: "myext = 'x'" } }], EVENT);
  assert.equal(sqlError.reasons[0].field, 'myext');
  assert.match(sqlError.reasons[0].reason, /^subscriptions\[0\]\.not\.sql: missingAttribute error/);
});

test('evaluation errors are reported with the filter path for the trace', () => {
  const m = createSqlFamilyMatcher();
  m.add('subs', { subscriptions: [{ all: [{ exact: { type: 'com.github.push' } }, { sql: "myext = 'x'" }] }] });
  m.add('sql', { cesql: "type = 'com.github.push'" });
  const detailed = m.matchDetailed(EVENT);
  assert.deepEqual(detailed.matched, ['sql']);
  assert.equal(detailed.errors.length, 1);
  assert.equal(detailed.errors[0].ruleId, 'subs');
  assert.equal(detailed.errors[0].errors[0].filter, 'subscriptions[0].all[1].sql');
  assert.equal(detailed.errors[0].errors[0].kind, 'missingAttribute');
});

test('the SQL-family matcher indexes exact type equality of Subscriptions rules too', () => {
  const m = createSqlFamilyMatcher();
  m.add('typed', { subscriptions: [{ exact: { type: 'a' } }, { sql: 'missing = 1' }] });
  m.add('any-typed', { subscriptions: [{ any: [{ exact: { type: 'b' } }, { attributes: { type: 'c' } }] }, { sql: 'missing = 1' }] });
  m.add('untyped', { subscriptions: [{ prefix: { type: 'a' } }, { sql: 'missing = 1' }] });
  const evaluated = (type: string): string[] =>
    m.matchDetailed({ specversion: '1.0', id: '1', source: 's', type }).errors.map((e) => e.ruleId).sort();
  // Evaluating any of these rules raises an error, so the error list shows which ones were evaluated.
  assert.deepEqual(evaluated('a'), ['typed', 'untyped']);
  assert.deepEqual(evaluated('b'), ['any-typed']);
  assert.deepEqual(evaluated('c'), ['any-typed']);
  assert.deepEqual(evaluated('ab'), ['untyped']);
});
