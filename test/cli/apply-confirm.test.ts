/**
 * `herald apply --prune` in a terminal asks before it deletes (issue 10, item 6): "no" changes
 * nothing (exit 1), "yes" applies. The terminal is a real pseudo-terminal from util-linux `script`
 * (skipped where that is missing), so the binary sees a TTY on stdin as a user's shell gives it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, startTestServer, tempDir } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';
import { herald } from './run.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
const EXAMPLE = 'examples/orders/herald.yaml';
const example = readFileSync(new URL(`../../${EXAMPLE}`, import.meta.url), 'utf8');
const scratch = `confirm-${randomBytes(3).toString('hex')}`;

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

/** Runs `herald <args>` on a pseudo-terminal, typing `answer` once asked. */
function inTerminal(args: string[], answer: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, join(ROOT, 'bin/herald.js'), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, HERALD_FROM_SOURCE: '1', HERALD_URL: server.url } });
  let output = '';
  let answered = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    // Answer only once the question is shown, as a person would.
    if (!answered && output.includes('Type "yes" to apply')) {
      answered = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer in 30 s:\n${output}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('in a terminal, --prune asks: "no" changes nothing, "yes" deletes', { skip: !hasScript && 'util-linux script is not installed' }, async () => {
  const file = join(tempDir(), 'with-scratch.yaml');
  writeFileSync(file, `${example}\n  - name: ${scratch}\n`);
  assert.equal((await herald(['apply', '-f', file], { server: server.url })).code, 0);

  const declined = await inTerminal(['apply', '-f', EXAMPLE, '--prune'], 'no');
  assert.equal(declined.code, 1, declined.output);
  assert.match(declined.output, new RegExp(`the plan deletes 1 item \\(- bus ${scratch}\\)`));
  assert.match(declined.output, /apply cancelled; nothing was changed/);
  assert.equal((await fetch(`${server.url}/v1/buses/${scratch}`)).status, 200);

  const confirmed = await inTerminal(['apply', '-f', EXAMPLE, '--prune'], 'yes');
  assert.equal(confirmed.code, 0, confirmed.output);
  assert.match(confirmed.output, /Applied 1 change in one transaction\./);
  assert.equal((await fetch(`${server.url}/v1/buses/${scratch}`)).status, 404);
});
