/**
 * `herald apply` of connections and sources against a real server (issue 6): the secret comes from
 * the environment and reaches the server but never the plan; a second apply changes nothing; a
 * changed source is exactly that change; --prune deletes a source the file dropped — each checked
 * through the admin API (or the server's connection store), not through apply's own report.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyConfigFile, ConfigFileError, formatPlan, type ApplyResult } from '../../src/config-file/index.js';
import { startTestServer, tempDir } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';

const EXAMPLE = new URL('../../examples/sources/herald.yaml', import.meta.url).pathname;
const example = readFileSync(EXAMPLE, 'utf8');
// A Standard Webhooks secret (whsec_ + base64) that must reach the server and never a plan.
const SECRET = `whsec_${Buffer.from('config-file-test-signing-key').toString('base64')}`;
const env = { SHOP_WEBHOOK_SECRET: SECRET };

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function api(path: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, json: await response.json().catch(() => undefined) };
}

type SourceView = { name: string; type: string; bus: string; state: string; config: Record<string, unknown>; updatedAt: string; status: { state: string } };

async function sources(): Promise<SourceView[]> {
  return ((await api('/v1/sources')).json as { sources: SourceView[] }).sources;
}

function writeVariant(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** Everything a user or a script can see of a result: the printed plan and the JSON output. */
function shown(result: ApplyResult): string {
  return `${formatPlan(result)}\n${JSON.stringify(result)}`;
}

test('the sources example applies: connection (secret from the environment), bus, sources; a second apply changes nothing', async () => {
  const progress: string[] = [];
  const first = await applyConfigFile(EXAMPLE, { server: server.url, env, onProgress: (line) => progress.push(line) });
  assert.deepEqual(progress, ['[1/4] + connection shop-hook', '[2/4] + bus shop', '[3/4] + source shop-hook', '[4/4] + source hourly-tick']);
  assert.equal(first.applied, 4);
  assert.ok(!shown(first).includes(SECRET), 'the secret is in the plan output');
  assert.match(formatPlan(first), /\+ connection shop-hook\n {6}secrets: secret \(values hidden\)/);

  assert.deepEqual(await server.sources.connections.resolve('shop-hook'), { secret: SECRET }, 'the secret did not reach the server');
  const saved = await sources();
  assert.deepEqual(saved.map((s) => [s.name, s.type, s.bus, s.state]).sort(), [
    ['hourly-tick', 'schedule', 'shop', 'enabled'],
    ['shop-hook', 'webhook', 'shop', 'enabled'],
  ]);
  assert.deepEqual(saved.find((s) => s.name === 'hourly-tick')?.config, { expression: 'rate(1 hour)', type: 'com.shop.tick.hourly' });

  const second = await applyConfigFile(EXAMPLE, { server: server.url, env });
  assert.equal(second.applied, 0);
  assert.deepEqual(second.plan.summary, { create: 0, update: 0, delete: 0, unchanged: 4, unmanaged: 0 });
  assert.match(formatPlan(second), /No changes: the server matches the file \(4 unchanged\)/);
  assert.deepEqual((await sources()).map((s) => s.updatedAt).sort(), saved.map((s) => s.updatedAt).sort(), 'a no-change apply rewrote a source');
});

test('a changed source shows exactly that change, and applying it makes it', async () => {
  await applyConfigFile(EXAMPLE, { server: server.url, env });
  const changed = writeVariant('changed.yaml', example.replace('rate(1 hour)', 'rate(2 hours)'));
  const dry = await applyConfigFile(changed, { server: server.url, env, dryRun: true });
  assert.deepEqual(
    dry.plan.items.filter((i) => i.action !== 'unchanged').map((i) => ({ action: i.action, kind: i.kind, name: i.name, changes: i.changes })),
    [{ action: 'update', kind: 'source', name: 'hourly-tick', changes: [{ path: 'config.expression', from: 'rate(1 hour)', to: 'rate(2 hours)' }] }],
  );
  assert.match(formatPlan(dry), /~ source hourly-tick\n {6}~ config\.expression: "rate\(1 hour\)" → "rate\(2 hours\)"/);
  assert.equal((await sources()).find((s) => s.name === 'hourly-tick')?.config.expression, 'rate(1 hour)', 'the dry run changed the source');

  assert.equal((await applyConfigFile(changed, { server: server.url, env })).applied, 1);
  assert.equal((await sources()).find((s) => s.name === 'hourly-tick')?.config.expression, 'rate(2 hours)');
  assert.equal((await applyConfigFile(changed, { server: server.url, env })).applied, 0);
});

test('a source dropped from the file is kept without --prune and deleted with it', async () => {
  await applyConfigFile(EXAMPLE, { server: server.url, env });
  const fewer = writeVariant('fewer.yaml', example.slice(0, example.indexOf('  # One event every hour')));
  const kept = await applyConfigFile(fewer, { server: server.url, env });
  assert.equal(kept.applied, 0);
  assert.deepEqual(kept.plan.items.filter((i) => i.action === 'unmanaged').map((i) => `${i.kind} ${i.name}`), ['source hourly-tick']);
  assert.ok((await sources()).some((s) => s.name === 'hourly-tick'));

  const pruned = await applyConfigFile(fewer, { server: server.url, env, prune: true });
  assert.equal(pruned.applied, 1);
  assert.deepEqual((await sources()).map((s) => s.name), ['shop-hook']);
  assert.equal((await api('/v1/connections/shop-hook')).status, 200, 'prune deleted a connection the file names');
  assert.equal((await api('/v1/buses/shop')).status, 200);
});

test('prune deletes a connection the file no longer names, after the sources that used it', async () => {
  await applyConfigFile(EXAMPLE, { server: server.url, env });
  // Keep the bus and the schedule; drop the webhook source and its connection.
  const text = example.replace(/connections:\n(?:.*\n)*?\nbuses:/, 'connections: []\n\nbuses:').replace(/ {2}# The shop POSTs(?:.*\n)*?(?= {2}# One event)/, '');
  const dropped = writeVariant('dropped.yaml', text);
  const result = await applyConfigFile(dropped, { server: server.url, prune: true, env: {} });
  assert.deepEqual(result.plan.items.filter((i) => i.action === 'delete').map((i) => `${i.kind} ${i.name}`), ['source shop-hook', 'connection shop-hook']);
  assert.equal((await api('/v1/connections/shop-hook')).status, 404);
  assert.deepEqual((await sources()).map((s) => s.name), ['hourly-tick']);
});

test('a rotated secret is rewritten only with updateConnections (the server cannot show values to compare)', async () => {
  await applyConfigFile(EXAMPLE, { server: server.url, env });
  const rotated = { SHOP_WEBHOOK_SECRET: `whsec_${Buffer.from('rotated-signing-key').toString('base64')}` };
  const plain = await applyConfigFile(EXAMPLE, { server: server.url, env: rotated });
  assert.equal(plain.plan.items.find((i) => i.kind === 'connection')?.action, 'unchanged');
  assert.deepEqual(await server.sources.connections.resolve('shop-hook'), { secret: SECRET });

  const forced = await applyConfigFile(EXAMPLE, { server: server.url, env: rotated, updateConnections: true });
  assert.deepEqual(forced.plan.items.filter((i) => i.action === 'update').map((i) => `${i.kind} ${i.name}`), ['connection shop-hook']);
  assert.ok(!shown(forced).includes(rotated.SHOP_WEBHOOK_SECRET));
  assert.deepEqual(await server.sources.connections.resolve('shop-hook'), { secret: rotated.SHOP_WEBHOOK_SECRET });
  await applyConfigFile(EXAMPLE, { server: server.url, env, updateConnections: true });
});

test('a source the server refuses is reported at its place in the file', async () => {
  const text = example.replace('rate(1 hour)', 'rate(often)').replace(/name: shop$/m, 'name: refused-bus').replace(/bus: shop$/gm, 'bus: refused-bus');
  const bad = writeVariant('bad.yaml', text);
  const error = await applyConfigFile(bad, { server: server.url, env }).then(
    () => assert.fail('apply succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConfigFileError);
  assert.equal(error.code, 'HERALD_APPLY_REFUSED');
  const [issue] = error.issues;
  assert.equal(issue.path, 'sources[1].config.expression');
  assert.equal(issue.line, text.split('\n').findIndex((l) => l.includes('rate(often)')) + 1);
  assert.ok(!error.message.includes(SECRET));
});
