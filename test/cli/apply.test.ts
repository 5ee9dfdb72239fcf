/**
 * `herald apply` as a user runs it: the real binary, the orders example, a running server. The
 * plan it prints (before it applies), idempotence, --dry-run, --prune (only with --yes or a
 * confirmation), and its exit codes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, tempDir } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';
import { closedPort, herald } from './run.js';

const EXAMPLE = 'examples/orders/herald.yaml';
const example = readFileSync(new URL(`../../${EXAMPLE}`, import.meta.url), 'utf8');
const dir = tempDir();

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function ruleNames(): Promise<string[]> {
  const response = await fetch(`${server.url}/v1/buses/orders/rules`);
  if (response.status === 404) return [];
  return ((await response.json()) as { rules: Array<{ name: string }> }).rules.map((r) => r.name).sort();
}

test('apply twice: the first creates the bus and both rules, the second reports no changes', async () => {
  const dry = await herald(['apply', '-f', EXAMPLE, '--dry-run'], { server: server.url });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /\+ bus orders\n {6}\+ description: "Order lifecycle events from the shop backend"\n {6}\+ retentionMs: 604800000 \(7d\)/);
  assert.match(dry.stdout, /Dry run: nothing was changed\./);
  assert.deepEqual(await ruleNames(), []);

  const first = await herald(['apply', '-f', EXAMPLE], { server: server.url });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^ {2}\+ rule orders\/large-orders-to-fraud-review\n {6}filter: pattern; targets: fraud-review \(http\)$/m);
  // The plan is printed first, then the one transaction that applies it.
  assert.match(first.stdout, /3 to create, 0 to update, 0 to delete, 0 unchanged\.\nApplied 3 changes in one transaction\.\n$/);
  assert.equal(first.stderr, '');
  assert.deepEqual(await ruleNames(), ['cancellations-to-warehouse', 'large-orders-to-fraud-review']);

  const second = await herald(['apply', '-f', EXAMPLE], { server: server.url });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /No changes: the server matches the file \(3 unchanged\)\.\n$/);
  assert.doesNotMatch(second.stdout, /Dry run/, 'an apply with nothing to do is not a dry run');
  assert.equal(second.stderr, '');
  const asJson = await herald(['apply', '-f', EXAMPLE, '-o', 'json'], { server: server.url });
  assert.equal(JSON.parse(asJson.stdout).dryRun, false);
});

test('a changed file: the plan shows exactly that change; --prune removes a rule the file dropped', async () => {
  await herald(['apply', '-f', EXAMPLE], { server: server.url });
  const changed = join(dir, 'changed.yaml');
  writeFileSync(changed, example.replace('x-team: risk', 'x-team: fraud').slice(0, example.indexOf('      # Every cancellation')));
  const plan = await herald(['apply', '-f', changed, '--dry-run', '-o', 'json'], { server: server.url });
  assert.equal(plan.code, 0, plan.stderr);
  const result = JSON.parse(plan.stdout) as { plan: { items: Array<{ action: string; rule?: string; changes: unknown[] }> } };
  const changes = result.plan.items.filter((i) => i.action !== 'unchanged').map(({ action, rule, changes: fields }) => ({ action, rule, changes: fields }));
  assert.deepEqual(changes, [
    { action: 'update', rule: 'large-orders-to-fraud-review', changes: [{ path: 'targets[fraud-review].config.headers.x-team', from: 'risk', to: 'fraud' }] },
    { action: 'unmanaged', rule: 'cancellations-to-warehouse', changes: [] },
  ]);

  const pruned = await herald(['apply', '-f', changed, '--prune', '--yes'], { server: server.url });
  assert.equal(pruned.code, 0, pruned.stderr);
  assert.match(pruned.stdout, /^ {2}- rule orders\/cancellations-to-warehouse$/m);
  assert.deepEqual(await ruleNames(), ['large-orders-to-fraud-review']);
  const rule = (await (await fetch(`${server.url}/v1/buses/orders/rules/large-orders-to-fraud-review`)).json()) as { targets: Array<{ config: { headers: Record<string, string> } }> };
  assert.equal(rule.targets[0].config.headers['x-team'], 'fraud');
});

test('exit codes: 2 for an invalid file (with its position), 1 when the server refuses, 3 with no server', async () => {
  const invalid = join(dir, 'invalid.yaml');
  writeFileSync(invalid, 'buses:\n  - name: orders\n    retention: soon\n');
  const bad = await herald(['apply', '-f', invalid], { server: server.url });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid\.yaml:3:5 buses\[0\]\.retention: "soon" is not a duration/);

  const refused = join(dir, 'refused.yaml');
  writeFileSync(refused, 'buses:\n  - name: orders\n    rules:\n      - name: r\n        filter: {cesql: "true"}\n        targets:\n          - id: t\n            type: http\n            config: {method: POST}\n');
  const run = await herald(['apply', '-f', refused], { server: server.url });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /refused\.yaml:9:13 buses\[0\]\.rules\[0\]\.targets\[0\]\.config\.url: /);

  assert.equal((await herald(['apply'], { server: server.url })).code, 2);
  const port = await closedPort();
  assert.equal((await herald(['apply', '-f', EXAMPLE, '--server', `http://127.0.0.1:${port}`])).code, 3);
});

async function snapshot(): Promise<unknown> {
  const buses = (await (await fetch(`${server.url}/v1/buses`)).json()) as { buses: Array<{ name: string }> };
  const rules: Record<string, unknown> = {};
  for (const { name } of buses.buses) {
    rules[name] = await (await fetch(`${server.url}/v1/buses/${name}/rules`)).json();
    rules[`${name} events`] = await (await fetch(`${server.url}/v1/buses/${name}/events?after=0&limit=100`)).json();
  }
  return { buses, rules };
}

test('--prune without --yes and without a terminal changes nothing and exits 2; with --yes it deletes the bus and its events', async () => {
  const scratch = `scratch-${Date.now().toString(36)}`;
  const withScratch = join(dir, 'with-scratch.yaml');
  writeFileSync(withScratch, `${example}\n  - name: ${scratch}\n`);
  assert.equal((await herald(['apply', '-f', withScratch], { server: server.url })).code, 0);
  const ingest = await fetch(`${server.url}/v1/buses/${scratch}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: 'e1', source: 'test', type: 't' }),
  });
  assert.equal(ingest.status, 202);
  const before = await snapshot();

  const refused = await herald(['apply', '-f', EXAMPLE, '--prune'], { server: server.url });
  assert.equal(refused.code, 2);
  // The plan was shown, then one clear line: no stack.
  assert.match(refused.stdout, new RegExp(`^ {2}- bus ${scratch}$`, 'm'));
  assert.match(refused.stderr, new RegExp(`^herald: the plan deletes 1 item \\(- bus ${scratch}\\); nothing was changed: pass --yes to apply it without a terminal\n$`));
  assert.deepEqual(await snapshot(), before);

  const dry = await herald(['apply', '-f', EXAMPLE, '--prune', '--dry-run'], { server: server.url });
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(await snapshot(), before);

  const applied = await herald(['apply', '-f', EXAMPLE, '--prune', '--yes'], { server: server.url });
  assert.equal(applied.code, 0, applied.stderr);
  const planAt = applied.stdout.indexOf(`- bus ${scratch}`);
  const appliedAt = applied.stdout.indexOf('Applied 1 change in one transaction.');
  assert.ok(planAt >= 0 && appliedAt > planAt, applied.stdout);
  assert.equal((await fetch(`${server.url}/v1/buses/${scratch}`)).status, 404);
});

test('a refused file: exit 1, every fault at file:line:col, and a dry run refuses it the same way', async () => {
  const file = join(dir, 'typo.yaml');
  const text = `${example}\n  - name: typo-bus\n    rules:\n      - name: r\n        filter: {cesql: "true"}\n        targets:\n          - id: t\n            type: htttp\n            config: {}\n`;
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('type: htttp')) + 1;
  const before = await snapshot();
  const runs = [await herald(['apply', '-f', file], { server: server.url }), await herald(['apply', '-f', file, '--dry-run'], { server: server.url })];
  for (const run of runs) {
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '', 'a plan was printed for a refused file');
    assert.match(run.stderr, new RegExp(`typo\\.yaml:${line}:13 buses\\[1\\]\\.rules\\[0\\]\\.targets\\[0\\]\\.type: unknown target type "htttp"`));
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'a stack trace was printed');
  }
  assert.equal(runs[0].stderr, runs[1].stderr);
  assert.deepEqual(await snapshot(), before);
});
