import { test } from 'node:test';
import assert from 'node:assert/strict';
import { herald } from '../cli/run.js';
import { startHarness } from './harness.js';

test('herald connections and sources: put -f -, list, get (no secret values), disable, delete, exit codes', async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const opts = { server: h.url };

  let run = await herald(['connections', 'put', 'hook', '-f', '-'], { ...opts, stdin: 'secrets:\n  secret: whsec_c2VjcmV0LXZhbHVlLTQyNDI=\n' });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /created connection hook/);
  run = await herald(['connections', 'list', '--output', 'json'], opts);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(!run.stdout.includes('c2VjcmV0LXZhbHVlLTQyNDI='), 'a secret value was printed');
  assert.deepEqual(JSON.parse(run.stdout).connections[0].keys, ['secret']);

  run = await herald(['sources', 'put', 'in', '-f', '-'], { ...opts, stdin: 'type: webhook\nbus: default\nconfig: { style: standard, connection: hook }\n' });
  assert.equal(run.code, 0, run.stderr);
  run = await herald(['sources', 'list'], opts);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /in\s+webhook\s+default\s+enabled\s+running/);
  run = await herald(['sources', 'disable', 'in', '-o', 'json'], opts);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).status.state, 'stopped');

  run = await herald(['sources', 'put', 'bad', '-f', '-'], { ...opts, stdin: '{"type": "nope", "bus": "default", "config": {}}' });
  assert.equal(run.code, 1, 'a refused request exits 1');
  assert.match(run.stderr, /type/);
  run = await herald(['sources', 'get'], opts);
  assert.equal(run.code, 2, 'a missing argument is a usage error');

  assert.equal((await herald(['sources', 'delete', 'in'], opts)).code, 0);
  assert.equal((await herald(['sources', 'get', 'in'], opts)).code, 1);
  assert.equal((await herald(['connections', 'delete', 'hook'], opts)).code, 0);
});
