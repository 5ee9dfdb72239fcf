/**
 * Every runnable shell example of README.md and docs/*.md (marked ```sh test, see markdown.ts and
 * docs/architecture.md) runs against a real Herald server, and its output is checked wherever the
 * document shows one (issue 10, item 8): an example a user copies must work as written.
 *
 * Per document: a fresh server on a temporary data dir and a free port, a fresh working directory
 * (examples may write files there), `herald` on PATH (this checkout's bin/herald.js), HERALD_URL
 * set, a copy of `examples/` in the working directory, and `localhost:8740` / `127.0.0.1:8740` in
 * the text replaced by the server's address. The examples of a document run in order, each in its
 * own `bash` with `set -eo pipefail`.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireService } from '../support/services.js';
import { ROOT, startTestServer, tempDir } from '../support/server.js';
import { endsWithOutput, extractExamples, INLINE_CHECK, matchesOutput, type Example } from './markdown.js';

const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const problems: string[] = [];
const byDocument = DOCUMENTS.map((file) => {
  try {
    return { file, examples: extractExamples(readFileSync(join(ROOT, file), 'utf8'), file) };
  } catch (error) {
    // An unmarked shell block (or a malformed one) fails the test below, naming file and line.
    problems.push((error as Error).message);
    return { file, examples: [] };
  }
});

/** A directory with a `herald` command that runs this checkout's CLI from source. */
function heraldShim(): string {
  const dir = tempDir('herald-docs-bin-');
  const shim = join(dir, 'herald');
  writeFileSync(shim, `#!/bin/sh\nHERALD_FROM_SOURCE=1 exec "${process.execPath}" "${join(ROOT, 'bin/herald.js')}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}
const SHIM_DIR = heraldShim();

// `npx herald …` as the README writes it: the same command, without asking npm.
const PRELUDE = 'set -eo pipefail\nnpx() { if [ "$1" = herald ]; then shift; herald "$@"; else command npx "$@"; fi; }\n';
const MARK = '\u001eHERALD-DOC-CHECK\u001e';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one script with bash; background jobs it leaves (`herald tail … &`) are ended with it. */
function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const child = spawn('bash', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // the group is gone already
      }
      // 'close' comes once every holder of the pipes (background jobs too) has ended.
      child.once('close', () => resolve({ code, stdout, stderr }));
    });
  });
}

/**
 * For a third-party program an example runs (`sh test command:aws`): skipped with a printed reason
 * when absent, also in CI — such clients are not among the services CI provides, so their absence
 * is not a failure (unlike requireService).
 */
async function requireCommand(t: TestContext, command: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const found = await runBash(`command -v ${command}`, ROOT, env);
  if (found.code === 0) return true;
  const reason = `the program "${command}" is not installed`;
  console.log(`# skipped: ${reason}`);
  t.skip(reason);
  return false;
}

/** The script to run: the inline `# → …` checks become markers in the output. */
function instrument(code: string): { script: string; checks: string[] } {
  const checks: string[] = [];
  const lines = code.split('\n').map((line) => {
    const check = INLINE_CHECK.exec(line);
    if (!check) return line;
    checks.push(check[1]);
    return `printf '\\n%s\\n' '${MARK}'`;
  });
  return { script: PRELUDE + lines.join('\n') + '\n', checks };
}

async function runExample(t: TestContext, example: Example, context: { cwd: string; env: NodeJS.ProcessEnv; address: string }): Promise<void> {
  for (const service of example.services) if (!(await requireService(t, service))) return;
  for (const command of example.commands) if (!(await requireCommand(t, command, context.env))) return;
  const local = (text: string) => text.replace(/\b(?:localhost|127\.0\.0\.1):8740\b/g, context.address);
  const { script, checks } = instrument(local(example.code));
  const ran = await runBash(script, context.cwd, context.env);
  const where = `${example.file}:${example.line}`;
  assert.equal(ran.code, 0, `${where} exited ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`);
  const segments = ran.stdout.split(`\n${MARK}\n`);
  checks.forEach((expected, i) => {
    assert.ok(endsWithOutput(segments[i], local(expected)), `${where}: check ${i + 1} expected the output to end with\n  ${expected}\ngot\n  ${segments[i].trim()}`);
  });
  if (example.output !== undefined) {
    const whole = segments.join('\n');
    assert.ok(matchesOutput(whole, local(example.output)), `${where}: expected output\n${example.output}\n--- got\n${whole}`);
  }
}

test('every shell block of the documentation is marked `sh test` or `sh no-test REASON`', () => {
  assert.deepEqual(problems, []);
});

test('the documentation has runnable examples', () => {
  const count = (file: string) => byDocument.find((d) => d.file === file)?.examples.length ?? 0;
  assert.ok(count('README.md') >= 1, 'README.md: the tour is marked runnable');
  assert.ok(byDocument.filter((d) => d.examples.length > 0).length >= 6, 'most documents show a tested example');
  // Every client command the CLI page documents is shown by an example that runs.
  const tested = byDocument.flatMap((d) => d.examples.map((e) => e.code)).join('\n');
  for (const command of ['put', 'tail', 'buses', 'rules', 'targets', 'dlq', 'trace', 'apply', 'sources', 'connections', 'pattern test', 'transform test']) {
    assert.match(tested, new RegExp(`^herald ${command} `, 'm'), `no runnable example runs "herald ${command}"`);
  }
});

for (const { file, examples } of byDocument) {
  if (examples.length === 0) continue;
  test(`${file}: ${examples.length} example(s) run as documented`, { timeout: 600_000 }, async (t) => {
    const server = await startTestServer();
    try {
      const address = new URL(server.url).host;
      const env = { ...process.env, HERALD_URL: server.url, PATH: `${SHIM_DIR}:${process.env.PATH ?? ''}` };
      const cwd = tempDir('herald-docs-');
      // As in a checkout: examples name `examples/orders/herald.yaml` and the like.
      cpSync(join(ROOT, 'examples'), join(cwd, 'examples'), { recursive: true });
      for (const example of examples) {
        await t.test(`line ${example.line}`, (sub) => runExample(sub, example, { cwd, env, address }));
      }
    } finally {
      await server.stop();
    }
  });
}
