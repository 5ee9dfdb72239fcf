/**
 * `herald apply` against a real server (issue 5): idempotent, a changed file changes exactly that,
 * --dry-run changes nothing, --prune deletes what the file no longer names — each checked through
 * the admin API, not through apply's own report.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyConfigFile, ConfigFileError, formatPlan } from '../../src/config-file/index.js';
import { startTestServer, tempDir } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';

const EXAMPLE = new URL('../../examples/orders/herald.yaml', import.meta.url).pathname;
const example = readFileSync(EXAMPLE, 'utf8');

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function api(path: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, json: await response.json() };
}

async function rules(bus: string): Promise<Array<Record<string, unknown> & { name: string }>> {
  const { json } = await api(`/v1/buses/${bus}/rules`);
  return (json as { rules: Array<Record<string, unknown> & { name: string }> }).rules;
}

function writeVariant(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

test('the orders example: a dry run changes nothing, apply creates it, a second apply finds no changes', async () => {
  const dry = await applyConfigFile(EXAMPLE, { server: server.url, dryRun: true });
  assert.deepEqual(dry.plan.summary, { create: 3, update: 0, delete: 0, unchanged: 0, unmanaged: 0 });
  assert.equal(dry.applied, 0);
  assert.equal((await api('/v1/buses/orders')).status, 404, 'a dry run created the bus');

  const progress: string[] = [];
  const first = await applyConfigFile(EXAMPLE, { server: server.url, onProgress: (line) => progress.push(line) });
  // Told after the one transaction committed, in the plan's order.
  assert.equal(first.applied, 3);
  assert.deepEqual(progress, ['[1/3] + bus orders', '[2/3] + rule orders/large-orders-to-fraud-review', '[3/3] + rule orders/cancellations-to-warehouse']);
  const bus = (await api('/v1/buses/orders')).json as { retentionMs: number; dedupeWindowMs: number; description: string };
  assert.equal(bus.retentionMs, 7 * 86_400_000);
  assert.equal(bus.dedupeWindowMs, 86_400_000);
  const saved = await rules('orders');
  assert.deepEqual(saved.map((r) => r.name).sort(), ['cancellations-to-warehouse', 'large-orders-to-fraud-review']);
  const fraud = saved.find((r) => r.name === 'large-orders-to-fraud-review')!;
  const [target] = fraud.targets as Array<{ transform: { kind: string }; retry: { maxAttempts: number; maxAgeMs: number }; config: { url: string } }>;
  assert.equal(target.transform.kind, 'template');
  assert.equal(target.retry.maxAttempts, 10);
  assert.equal(target.retry.maxAgeMs, 3_600_000);

  const second = await applyConfigFile(EXAMPLE, { server: server.url });
  assert.equal(second.applied, 0);
  assert.deepEqual(second.plan.summary, { create: 0, update: 0, delete: 0, unchanged: 3, unmanaged: 0 });
  assert.match(formatPlan(second), /No changes: the server matches the file \(3 unchanged\)/);
  const again = await rules('orders');
  assert.deepEqual(again.map((r) => r.updatedAt).sort(), saved.map((r) => r.updatedAt).sort(), 'a no-change apply rewrote rules');
});

test('a changed file shows exactly that change, and applying it makes it', async () => {
  await applyConfigFile(EXAMPLE, { server: server.url });
  const changed = writeVariant('changed.yaml', example.replace('maxAttempts: 5', 'maxAttempts: 8'));
  const dry = await applyConfigFile(changed, { server: server.url, dryRun: true });
  const updates = dry.plan.items.filter((i) => i.action !== 'unchanged');
  assert.deepEqual(
    updates.map((i) => ({ action: i.action, rule: i.rule, changes: i.changes })),
    [{ action: 'update', rule: 'cancellations-to-warehouse', changes: [{ path: 'targets[warehouse].retry.maxAttempts', from: 5, to: 8 }] }],
  );
  const before = (await rules('orders')).find((r) => r.name === 'cancellations-to-warehouse')!;
  assert.equal((before.targets as Array<{ retry: { maxAttempts: number } }>)[0].retry.maxAttempts, 5, 'the dry run changed the rule');

  const applied = await applyConfigFile(changed, { server: server.url });
  assert.equal(applied.applied, 1);
  const after = (await rules('orders')).find((r) => r.name === 'cancellations-to-warehouse')!;
  assert.equal((after.targets as Array<{ retry: { maxAttempts: number } }>)[0].retry.maxAttempts, 8);
  assert.equal((await applyConfigFile(changed, { server: server.url })).applied, 0);
});

test('an API edit stands until the next apply, which puts the file back', async () => {
  await applyConfigFile(EXAMPLE, { server: server.url });
  const disable = await fetch(`${server.url}/v1/buses/orders/rules/large-orders-to-fraud-review`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'disabled' }),
  });
  assert.equal(disable.status, 200);
  const result = await applyConfigFile(EXAMPLE, { server: server.url });
  const update = result.plan.items.find((i) => i.action === 'update');
  assert.deepEqual(update?.changes, [{ path: 'state', from: 'disabled' }]);
  const rule = (await api('/v1/buses/orders/rules/large-orders-to-fraud-review')).json as { state: string };
  assert.equal(rule.state, 'enabled');
});

test('a rule removed from the file is kept without --prune and deleted with it', async () => {
  await applyConfigFile(EXAMPLE, { server: server.url });
  const fewer = writeVariant('fewer.yaml', example.slice(0, example.indexOf('      # Every cancellation')));
  const kept = await applyConfigFile(fewer, { server: server.url });
  assert.equal(kept.applied, 0);
  assert.deepEqual(kept.plan.items.filter((i) => i.action === 'unmanaged').map((i) => i.rule), ['cancellations-to-warehouse']);
  assert.ok((await rules('orders')).some((r) => r.name === 'cancellations-to-warehouse'));

  const dry = await applyConfigFile(fewer, { server: server.url, prune: true, dryRun: true });
  assert.equal(dry.plan.summary.delete, 1);
  assert.ok((await rules('orders')).some((r) => r.name === 'cancellations-to-warehouse'), 'a dry run pruned');

  const pruned = await applyConfigFile(fewer, { server: server.url, prune: true });
  assert.equal(pruned.applied, 1);
  assert.deepEqual((await rules('orders')).map((r) => r.name), ['large-orders-to-fraud-review']);
  assert.equal((await api('/v1/buses/default')).status, 200, 'prune deleted the default bus');
});

test('prune deletes a bus the file no longer names, with its rules, but never default', async () => {
  const extra = writeVariant('extra.yaml', `${example}\n  - name: scratch\n    rules:\n      - name: all\n        filter: {cesql: "true"}\n        targets: [{id: t, type: http, config: {url: "http://127.0.0.1:9/"}}]\n`);
  await applyConfigFile(extra, { server: server.url });
  assert.equal((await rules('scratch')).length, 1);
  const result = await applyConfigFile(EXAMPLE, { server: server.url, prune: true });
  assert.ok(result.plan.items.some((i) => i.action === 'delete' && i.kind === 'bus' && i.bus === 'scratch'));
  assert.equal((await api('/v1/buses/scratch')).status, 404);
  assert.equal((await api('/v1/buses/default')).status, 200);
});

test('a rule the server refuses is reported at its place in the file, and nothing is applied', async () => {
  const text = example.replace('url: http://127.0.0.1:9102/cancellations', 'method: POST').replace('name: orders', 'name: refused');
  const bad = writeVariant('bad.yaml', text);
  const error = await applyConfigFile(bad, { server: server.url }).then(
    () => assert.fail('apply succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConfigFileError);
  assert.equal(error.code, 'HERALD_APPLY_REFUSED');
  const line = text.split('\n').findIndex((l) => l.includes('method: POST')) + 1;
  const [issue] = error.issues;
  assert.equal(issue.path, 'buses[0].rules[1].targets[0].config.url');
  // `url` is missing: the position is that of `config:`, the line above `method: POST`.
  assert.equal(issue.line, line - 1);
  assert.match(error.message, /nothing was changed/);
  // The bus and the valid rule before the refused one were not created either (one transaction).
  assert.equal((await api('/v1/buses/refused')).status, 404);
});

test('a bad filter fails the whole apply before anything changes, at the field in the pattern', async () => {
  const text = example.replace('name: orders', 'name: badfilter').replace('numeric: [">", 500]', 'numeric: [">", "lots"]');
  const bad = writeVariant('badfilter.yaml', text);
  for (const dryRun of [true, false]) {
    await assert.rejects(applyConfigFile(bad, { server: server.url, dryRun }), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError);
      assert.equal(error.code, 'HERALD_APPLY_REFUSED');
      const [issue] = error.issues;
      assert.match(issue.path, /^buses\[0\]\.rules\[0\]\.filter\.pattern\.data\.total/);
      assert.equal(issue.line, text.split('\n').findIndex((l) => l.includes('"lots"')) + 1);
      return true;
    });
  }
  assert.equal((await api('/v1/buses/badfilter')).status, 404);
});
