/**
 * `herald rules` and `herald targets`, the real binary against a running server: what it prints,
 * what it changes (checked through the API), and its exit codes — 0 ok, 1 refused, 2 usage, 3 no server.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startTestServer, tempDir } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';
import { closedPort, herald } from './run.js';

let server: RunningServer;
const dir = tempDir();
before(async () => {
  server = await startTestServer();
  const created = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'shop' }) });
  assert.equal(created.status, 201);
});
after(async () => {
  await server.stop();
});

async function getRule(name: string): Promise<{ status: number; rule: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/v1/buses/shop/rules/${name}`);
  return { status: response.status, rule: (await response.json()) as Record<string, unknown> };
}

const RULE_YAML = `
name: big-orders
description: orders over 100
filter:
  pattern:
    type: [order.placed]
    data: {total: [{numeric: [">", 100]}]}
targets:
  - id: hook
    type: http
    config: {url: "http://127.0.0.1:9/hook"}
`;

test('rules put creates a rule from YAML, then list, get, disable, enable and delete it', async () => {
  const file = join(dir, 'rule.yaml');
  writeFileSync(file, RULE_YAML);
  const put = await herald(['rules', 'put', 'shop', '-f', file, '--output', 'json'], { server: server.url });
  assert.equal(put.code, 0, put.stderr);
  assert.match(put.stderr, /created rule shop\/big-orders/);
  assert.equal((JSON.parse(put.stdout) as { name: string }).name, 'big-orders');
  assert.equal((await getRule('big-orders')).status, 200);

  const list = await herald(['rules', 'list', 'shop', '--server', server.url]);
  assert.equal(list.code, 0, list.stderr);
  const [header, row] = list.stdout.trim().split('\n');
  assert.match(header, /^NAME\s+STATE\s+VIEW\s+FILTER\s+TARGETS\s+DESCRIPTION$/);
  assert.match(row, /^big-orders\s+enabled\s+cloudevent\s+pattern: .*\s+hook\s+orders over 100$/);

  const get = await herald(['rules', 'get', 'shop', 'big-orders', '-o', 'yaml'], { server: server.url });
  assert.equal(get.code, 0, get.stderr);
  assert.deepEqual((parseYaml(get.stdout) as { filter: unknown }).filter, { pattern: { type: ['order.placed'], data: { total: [{ numeric: ['>', 100] }] } } });

  const disable = await herald(['rules', 'disable', 'shop', 'big-orders'], { server: server.url });
  assert.equal(disable.code, 0, disable.stderr);
  assert.equal((await getRule('big-orders')).rule.state, 'disabled');
  const enable = await herald(['rules', 'enable', 'shop', 'big-orders'], { server: server.url });
  assert.equal(enable.code, 0, enable.stderr);
  assert.equal((await getRule('big-orders')).rule.state, 'enabled');

  const remove = await herald(['rules', 'delete', 'shop', 'big-orders'], { server: server.url });
  assert.equal(remove.code, 0, remove.stderr);
  assert.equal((await getRule('big-orders')).status, 404);
});

test('targets put adds a target from JSON, targets delete removes it', async () => {
  const rule = join(dir, 'two.json');
  writeFileSync(rule, JSON.stringify({ filter: { cesql: "type = 'x'" }, targets: [{ id: 'a', type: 'http', config: { url: 'http://127.0.0.1:9/a' } }] }));
  assert.equal((await herald(['rules', 'put', 'shop', 'two', '-f', rule], { server: server.url })).code, 0);
  const target = join(dir, 'target.json');
  writeFileSync(target, JSON.stringify({ type: 'http', config: { url: 'http://127.0.0.1:9/b' }, retry: { maxAttempts: 3 } }));
  const put = await herald(['targets', 'put', 'shop', 'two', 'b', '-f', target], { server: server.url });
  assert.equal(put.code, 0, put.stderr);
  assert.deepEqual(((await getRule('two')).rule.targets as Array<{ id: string }>).map((t) => t.id), ['a', 'b']);
  const list = await herald(['targets', 'list', 'shop', 'two', '-o', 'json'], { server: server.url });
  assert.deepEqual((JSON.parse(list.stdout) as { targets: Array<{ id: string }> }).targets.map((t) => t.id), ['a', 'b']);
  const remove = await herald(['targets', 'delete', 'shop', 'two', 'a'], { server: server.url });
  assert.equal(remove.code, 0, remove.stderr);
  assert.deepEqual(((await getRule('two')).rule.targets as Array<{ id: string }>).map((t) => t.id), ['b']);
});

test('exit code 1 when the server refuses: an unknown rule (404), an invalid rule (400)', async () => {
  const missing = await herald(['rules', 'get', 'shop', 'no-such-rule'], { server: server.url });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /404 HERALD_RULE_NOT_FOUND/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'name: bad\nfilter: {cesql: "true"}\ntargets: [{id: t, type: http, config: {}}]\n');
  const invalid = await herald(['rules', 'put', 'shop', '-f', bad], { server: server.url });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /400 HERALD_INVALID_REQUEST: .*config\.url/);
  assert.equal((await getRule('bad')).status, 404);
});

test('exit code 2 on bad usage, before anything is sent', async () => {
  for (const args of [
    ['rules', 'frobnicate', 'shop'],
    ['rules', 'get'],
    ['rules', 'list', 'shop', '--output', 'xml'],
    ['rules', 'list', 'shop', '--no-such-flag'],
    ['rules', 'put', 'shop'],
    ['nonsense'],
  ]) {
    const run = await herald(args, { server: server.url });
    assert.equal(run.code, 2, `herald ${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /^herald: /);
  }
});

test('exit code 3 when nothing listens at the server URL', async () => {
  const port = await closedPort();
  const run = await herald(['rules', 'list', 'shop', '--server', `http://127.0.0.1:${port}`]);
  assert.equal(run.code, 3);
  assert.match(run.stderr, /cannot connect to http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
});

test('--help works for every command and lists them all', async () => {
  const top = await herald(['--help']);
  assert.equal(top.code, 0);
  for (const name of ['rules', 'targets', 'dlq', 'trace', 'pattern', 'transform', 'apply']) assert.match(top.stdout, new RegExp(`^  ${name} `, 'm'));
  const help = await herald(['rules', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: herald rules list <bus>/);
  assert.match(help.stdout, /--server <value>/);
  assert.match(help.stdout, /--output <value>/);
});
