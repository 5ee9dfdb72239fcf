/**
 * Hostile herald.yaml (issue 11, item 10): a YAML alias bomb ("billion laughs") and absurd nesting
 * are refused as invalid files — a clean HERALD_CONFIG_FILE_INVALID naming the limit, and through
 * the real binary exit 2 with one line of reason, never a stack — while a file within the limits
 * (a few aliases, 64 levels) is read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigFileError, MAX_ALIAS_COUNT, MAX_DEPTH, parseConfigText } from '../../src/config-file/index.js';
import { tempDir } from '../support/server.js';
import { herald } from '../cli/run.js';

const BOMB = [
  'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  'g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
  'h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]',
  'buses: [{name: x, description: *h}]',
  '',
].join('\n');

function refusal(text: string): ConfigFileError {
  try {
    parseConfigText(text, 'herald.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, String(error));
    assert.equal(error.code, 'HERALD_CONFIG_FILE_INVALID');
    return error;
  }
  assert.fail('the file was accepted');
}

/** `buses: [{name: x, description: [[[…]]]}]` with the description nested `levels` lists deep. */
function nested(levels: number, flow = true): string {
  if (flow) return `buses:\n  - name: x\n    description: ${'['.repeat(levels)}1${']'.repeat(levels)}\n`;
  return `buses:\n  - name: x\n    description:\n${Array.from({ length: levels }, (_, i) => `${' '.repeat(6 + i)}-`).join('\n')} 1\n`;
}

test('an alias bomb is refused, naming the alias limit', () => {
  const error = refusal(BOMB);
  assert.match(error.message, new RegExp(`more than ${MAX_ALIAS_COUNT} times`));
  assert.equal(error.issues.length, 1);
});

test('a few aliases (well under the limit) are read', () => {
  const text = [
    'buses:',
    '  - name: a',
    '    rules:',
    '      - name: r',
    '        filter: {cesql: "true"}',
    '        targets: &t',
    '          - {id: t, type: http, config: {url: "http://127.0.0.1:9/"}}',
    '  - name: b',
    '    rules:',
    '      - name: r',
    '        filter: {cesql: "true"}',
    '        targets: *t',
    '',
  ].join('\n');
  const file = parseConfigText(text, 'herald.yaml');
  assert.deepEqual(file.buses.map((b) => b.rules[0].targets[0].id), ['t', 't']);
});

test(`nesting deeper than ${MAX_DEPTH} levels is refused with the limit named; flow, block and 100 000 levels alike`, () => {
  // buses (1) → item (2) → bus map (3) → description: the lists start at level 4.
  const within = MAX_DEPTH - 3;
  assert.throws(() => parseConfigText(nested(within), 'herald.yaml'), (error: unknown) => {
    // Within the depth limit, the file is refused for what it is (a description must be a string).
    assert.ok(error instanceof ConfigFileError);
    assert.doesNotMatch(error.message, /nest deeper/);
    return true;
  });
  for (const text of [nested(within + 1), nested(within + 1, false), nested(100_000)]) {
    const error = refusal(text);
    assert.match(error.message, new RegExp(`nest deeper than ${MAX_DEPTH} levels`));
  }
});

test('through the binary: exit 2 with the reason on one line, no stack', async () => {
  const dir = tempDir();
  for (const [name, text] of [['bomb.yaml', BOMB], ['deep.yaml', nested(100_000)]] as const) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const run = await herald(['apply', '-f', file, '--dry-run'], { server: 'http://127.0.0.1:9' });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`^herald: ${file.replaceAll('.', '\\.')} is invalid:\\n  ${file.replaceAll('.', '\\.')}:\\d+:\\d+ \\S+: `));
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  }
});
