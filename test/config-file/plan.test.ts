/**
 * The plan against a fake current state: what apply would do, computed without a server. The
 * server may return rules with its defaults filled in; that must not read as a change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePlan, formatPlan, parseConfigText, type CurrentState, type Plan } from '../../src/config-file/index.js';
import { DEFAULT_RETRY } from '../../src/rules/types.js';

const FILE = `
buses:
  - name: orders
    retention: 7d
    rules:
      - name: big
        filter: {pattern: {type: [order.placed], data: {total: [{numeric: [">", 500]}]}}}
        targets:
          - id: hook
            type: http
            config: {url: "http://127.0.0.1:9101/"}
            retry: {maxAttempts: 10}
          - id: audit
            type: http
            config: {url: "http://127.0.0.1:9102/"}
      - name: cancelled
        filter: {cesql: "type = 'order.cancelled'"}
        targets: [{id: wh, type: http, config: {url: "http://127.0.0.1:9103/"}}]
`;

const buses = () => parseConfigText(FILE, 'herald.yaml').buses;

/** The rules as a server would return them: every default filled in, targets reordered, extra fields. */
function asServerHasThem(): CurrentState {
  const rules = buses()[0].rules.map((rule) => ({
    bus: 'orders',
    description: '',
    view: 'cloudevent',
    state: 'enabled',
    tags: {},
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    ...structuredClone(rule),
    targets: rule.targets
      .map((t) => ({ transform: { kind: 'event' }, concurrency: 16, ...structuredClone(t), retry: { ...DEFAULT_RETRY, ...t.retry }, config: { method: 'POST', ...t.config } }))
      .reverse(),
  }));
  return {
    buses: [
      { name: 'default', description: '', retentionMs: 86_400_000, dedupeWindowMs: 3_600_000 },
      { name: 'orders', description: '', retentionMs: 7 * 86_400_000, dedupeWindowMs: 3_600_000 },
    ],
    rules: { default: [], orders: rules },
  };
}

const actions = (plan: Plan) => plan.items.map((i) => `${i.action} ${i.kind} ${i.rule ? `${i.bus}/${i.rule}` : i.bus}`);

test('against an empty server everything is created, buses before rules', () => {
  const plan = computePlan(buses(), { buses: [{ name: 'default' }], rules: { default: [] } });
  assert.deepEqual(actions(plan), ['create bus orders', 'create rule orders/big', 'create rule orders/cancelled']);
  assert.deepEqual(plan.items[0].body, { name: 'orders', retentionMs: 7 * 86_400_000 });
  assert.deepEqual(plan.summary, { create: 3, update: 0, delete: 0, unchanged: 0, unmanaged: 0 });
});

test('a server that matches the file (defaults filled in, targets in another order) means no changes', () => {
  const plan = computePlan(buses(), asServerHasThem());
  assert.deepEqual(actions(plan), ['unchanged bus orders', 'unchanged rule orders/big', 'unchanged rule orders/cancelled']);
});

test('a changed field in the file is exactly the change in the plan', () => {
  const changed = parseConfigText(FILE.replace('maxAttempts: 10', 'maxAttempts: 3').replace('retention: 7d', 'retention: 14d'), 'herald.yaml').buses;
  const plan = computePlan(changed, asServerHasThem());
  assert.deepEqual(actions(plan), ['update bus orders', 'update rule orders/big', 'unchanged rule orders/cancelled']);
  assert.deepEqual(plan.items[0].changes, [{ path: 'retentionMs', from: 7 * 86_400_000, to: 14 * 86_400_000 }]);
  assert.deepEqual(plan.items[0].body, { retentionMs: 14 * 86_400_000 });
  assert.deepEqual(plan.items[1].changes, [{ path: 'targets[hook].retry.maxAttempts', from: 10, to: 3 }]);
});

test('state changed through the API is put back by the file (the file wins)', () => {
  const current = asServerHasThem();
  (current.rules.orders[0] as { state: string }).state = 'disabled';
  const plan = computePlan(buses(), current);
  const big = plan.items.find((i) => i.rule === 'big')!;
  assert.equal(big.action, 'update');
  assert.deepEqual(big.changes, [{ path: 'state', from: 'disabled' }]);
  const text = formatPlan({ file: 'herald.yaml', server: 'http://h', dryRun: true, prune: false, plan, applied: 0 });
  assert.match(text, /^ {6}~ state: "disabled" → "enabled" \(default\)$/m);
});

test('a removed target, a new target and a pattern change are each listed', () => {
  const text = FILE.replace(/ {10}- id: audit\n.*\n.*\n/, '          - id: crm\n            type: http\n            config: {url: "http://127.0.0.1:9104/"}\n').replace('">", 500', '">", 1000');
  const plan = computePlan(parseConfigText(text, 'herald.yaml').buses, asServerHasThem());
  const big = plan.items.find((i) => i.rule === 'big')!;
  assert.deepEqual(
    big.changes.map((c) => c.path),
    ['filter.pattern.data.total', 'targets[audit]', 'targets[crm]'],
  );
  assert.deepEqual(big.changes[0], { path: 'filter.pattern.data.total', from: [{ numeric: ['>', 500] }], to: [{ numeric: ['>', 1000] }] });
  assert.equal('to' in big.changes[1], false);
  assert.equal('from' in big.changes[2], false);
});

test('rules the file does not name are kept without prune and deleted with it; default is never deleted', () => {
  const current = asServerHasThem();
  current.rules.orders.push({ name: 'old', filter: { cesql: 'true' }, targets: [] });
  current.buses.push({ name: 'legacy' });
  current.rules.legacy = [{ name: 'l1', filter: { cesql: 'true' }, targets: [] }];
  current.rules.default = [{ name: 'd1', filter: { cesql: 'true' }, targets: [] }];

  const kept = computePlan(buses(), current);
  assert.deepEqual(actions(kept).filter((a) => !a.startsWith('unchanged')), ['unmanaged rule orders/old']);
  assert.equal(kept.summary.delete, 0);

  const pruned = computePlan(buses(), current, { prune: true });
  assert.deepEqual(actions(pruned).filter((a) => !a.startsWith('unchanged')), [
    'delete rule orders/old',
    'delete rule default/d1',
    'delete rule legacy/l1',
    'delete bus legacy',
  ]);
});

test('the printed plan shows each change as a diff line', () => {
  const changed = parseConfigText(FILE.replace('maxAttempts: 10', 'maxAttempts: 3'), 'herald.yaml').buses;
  const plan = computePlan(changed, asServerHasThem());
  const text = formatPlan({ file: 'herald.yaml', server: 'http://h', dryRun: true, prune: false, plan, applied: 0 });
  assert.match(text, /^ {2}~ rule orders\/big\n {6}~ targets\[hook\]\.retry\.maxAttempts: 10 → 3$/m);
  assert.match(text, /0 to create, 1 to update, 0 to delete, 2 unchanged\./);
  assert.match(text, /Dry run: nothing was changed\./);
  const same = formatPlan({ file: 'herald.yaml', server: 'http://h', dryRun: false, prune: false, plan: computePlan(buses(), asServerHasThem()), applied: 0 });
  assert.match(same, /No changes: the server matches the file \(3 unchanged\)\./);
});
