/**
 * The plan of connections and sources against a fake server (issue 6): sources compare whole
 * (server fields and defaults aside), connections by what the server shows (type, description, keys),
 * everything in dependency order, and no secret value in any plan item or printed line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePlan, formatPlan, parseConfigText, type CurrentState, type Plan } from '../../src/config-file/index.js';

const SECRET = 'hunter2-do-not-print';
const ENV = { DB_PASSWORD: SECRET, HOOK_SECRET: `whsec_${SECRET}` };

const FILE = `
connections:
  - name: hook
    secrets: {secret: "\${HOOK_SECRET}"}
buses:
  - name: orders
    rules:
      - name: all
        filter: {cesql: "true"}
        targets: [{id: t, type: http, config: {url: "http://127.0.0.1:9/"}}]
sources:
  - name: tick
    type: schedule
    bus: orders
    config: {expression: "rate(1 hour)"}
  - name: outbox
    type: postgres-outbox
    bus: orders
    config: {url: "postgres://app:\${DB_PASSWORD}@db/app", table: outbox}
`;

const file = (text = FILE) => parseConfigText(text, 'herald.yaml', ENV);

/** The server as it answers after applying FILE: defaults and its own fields filled in. */
function asServerHasThem(): CurrentState {
  const sources = (file().sources ?? []).map((s) => ({
    name: s.name,
    description: '',
    state: 'enabled',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    status: { state: 'running', lag: 0 },
    ...structuredClone(s.spec),
  }));
  return {
    buses: [{ name: 'default' }, { name: 'orders', description: '' }],
    rules: { default: [], orders: [{ name: 'all', filter: { cesql: 'true' }, targets: [{ id: 't', type: 'http', config: { url: 'http://127.0.0.1:9/' } }] }] },
    sources,
    connections: [{ name: 'hook', description: '', keys: ['secret'], updatedAt: '2026-01-01T00:00:00Z' } as NonNullable<CurrentState['connections']>[number]],
  };
}

const actions = (plan: Plan) => plan.items.map((i) => `${i.action} ${i.kind} ${i.name ?? (i.rule ? `${i.bus}/${i.rule}` : i.bus)}`);
const print = (plan: Plan, prune = false) => formatPlan({ file: 'herald.yaml', server: 'http://h', dryRun: true, prune, plan, applied: 0 });

test('on an empty server: connections, then buses, then sources, then rules', () => {
  const plan = computePlan(file(), { buses: [{ name: 'default' }], rules: { default: [] }, sources: [], connections: [] });
  assert.deepEqual(actions(plan), ['create connection hook', 'create bus orders', 'create source tick', 'create source outbox', 'create rule orders/all']);
});

test('a server that matches the file (defaults, status, timestamps added) means no changes', () => {
  const plan = computePlan(file(), asServerHasThem());
  assert.deepEqual(plan.summary, { create: 0, update: 0, delete: 0, unchanged: 5, unmanaged: 0 });
});

test('a changed source config is exactly that change', () => {
  const plan = computePlan(file(FILE.replace('rate(1 hour)', 'rate(5 minutes)')), asServerHasThem());
  const changed = plan.items.filter((i) => i.action !== 'unchanged');
  assert.deepEqual(changed.map((i) => [i.action, i.kind, i.name, i.changes]), [
    ['update', 'source', 'tick', [{ path: 'config.expression', from: 'rate(1 hour)', to: 'rate(5 minutes)' }]],
  ]);
});

test('a source disabled through the API is enabled again by the file', () => {
  const current = asServerHasThem();
  (current.sources![0] as { state: string }).state = 'disabled';
  const [item] = computePlan(file(), current).items.filter((i) => i.action === 'update');
  assert.deepEqual(item.changes, [{ path: 'state', from: 'disabled' }]);
  assert.match(print(computePlan(file(), current)), /~ state: "disabled" → "enabled" \(default\)/);
});

test('a value from the environment is masked in changes, bodies and the printed plan', () => {
  const current = asServerHasThem();
  const outbox = current.sources![1] as { config: { url: string } };
  outbox.config.url = 'postgres://app:old-password@db/app';
  const plan = computePlan(file(), current);
  const [item] = plan.items.filter((i) => i.action === 'update');
  assert.equal(item.name, 'outbox');
  assert.deepEqual(item.changes, [{ path: 'config.url', from: '(secret)', to: 'postgres://app:${DB_PASSWORD}@db/app' }]);
  const created = computePlan(file(), { buses: [], rules: {}, sources: [], connections: [] });
  const everything = JSON.stringify([plan, created]) + print(plan) + print(created);
  assert.ok(!everything.includes(SECRET), 'a secret value is in the plan');
  assert.ok(!everything.includes('old-password'), "the server's old value is in the plan");
  assert.match(print(created), /\+ connection hook\n {6}secrets: secret \(values hidden\)/);
});

test('connections compare on what the server shows: keys, type, description', () => {
  const current = asServerHasThem();
  assert.equal(computePlan(file(), current).items[0].action, 'unchanged');
  // A changed secret value cannot be seen: unchanged, unless updateConnections asks for a rewrite.
  const rotated = parseConfigText(FILE, 'herald.yaml', { ...ENV, HOOK_SECRET: 'whsec_new' });
  assert.equal(computePlan(rotated, current).items[0].action, 'unchanged');
  const forced = computePlan(rotated, current, { updateConnections: true }).items[0];
  assert.equal(forced.action, 'update');
  assert.match(print(computePlan(rotated, current, { updateConnections: true })), /~ connection hook\n {6}~ secrets: \(values not compared: rewritten\)/);
  // A key added is seen.
  const more = file(FILE.replace('secrets: {secret: "${HOOK_SECRET}"}', 'secrets: {secret: "${HOOK_SECRET}", previous: "${HOOK_SECRET}"}'));
  const update = computePlan(more, current).items[0];
  assert.equal(update.action, 'update');
  assert.deepEqual(update.changes, [{ path: 'keys', from: ['secret'], to: ['previous', 'secret'] }]);
  assert.deepEqual(update.body, { secrets: { previous: '(secret)', secret: '(secret)' } });
});

test('prune deletes what the file does not name, in reverse order; a section left out is not managed', () => {
  const current = asServerHasThem();
  current.sources!.push({ name: 'legacy', type: 'schedule', bus: 'old', config: { expression: 'rate(1 day)' } });
  current.connections!.push({ name: 'unused', keys: ['url'] });
  current.buses.push({ name: 'old' });
  current.rules.old = [{ name: 'r', filter: { cesql: 'true' }, targets: [] }];
  assert.deepEqual(actions(computePlan(file(), current)).filter((a) => !a.startsWith('unchanged')), ['unmanaged source legacy', 'unmanaged connection unused']);
  assert.deepEqual(actions(computePlan(file(), current, { prune: true })).filter((a) => !a.startsWith('unchanged')), [
    'delete rule old/r',
    'delete source legacy',
    'delete bus old',
    'delete connection unused',
  ]);
  // Without `sources:` and `connections:` sections, prune leaves the server's sources and connections alone.
  const busesOnly = file(FILE.slice(0, FILE.indexOf('sources:')).replace(/connections:\n.*\n.*\n/, ''));
  assert.deepEqual(actions(computePlan(busesOnly, current, { prune: true })).filter((a) => !a.startsWith('unchanged')), ['delete rule old/r', 'delete bus old']);
});
