/**
 * The bench corpus generator must stay byte-identical (issue 10, item 1): the published pattern
 * figures (docs/patterns.md, BENCHMARKS.md) were measured on its output, so a change to it would make
 * new figures incomparable with old ones. The hashes are recorded in bench/tools/SOURCES.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const generator = fileURLToPath(new URL('../../bench/tools/gen-citylots.mjs', import.meta.url));

async function sha256Of(args: string[]): Promise<{ hash: string; lines: number }> {
  const child = spawn(process.execPath, [generator, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const hash = createHash('sha256');
  let lines = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (const byte of chunk) if (byte === 10) lines++;
  }
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
  assert.equal(code, 0);
  return { hash: hash.digest('hex'), lines };
}

const RECORDED: Array<[string[], string]> = [
  [['1000', '1'], '4b5ba60422ae0bc73632d8a7854cfc6740e344b658ea5d6d34b9bd17e8056e2b'],
  [['5000', '7', '--cl2'], '310a13e58e56a3a67c936f5f8d694a23f30dfc0e777b00c7a21696277532a931'],
  [['20000', '1', '--cl2'], '243b23dbb159de5b91dbb4aec57a815cc15c6a6dcf9bfd2939410dcaea982895'],
];

for (const [args, expected] of RECORDED) {
  test(`gen-citylots ${args.join(' ')} writes the recorded corpus`, async () => {
    const { hash, lines } = await sha256Of(args);
    assert.equal(lines, Number(args[0]));
    assert.equal(hash, expected);
  });
}
