/** The documented-examples convention itself (markdown.ts): what is found, and what output passes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endsWithOutput, extractExamples, matchesOutput } from './markdown.js';

const DOC = [
  '# Title',
  '',
  '```sh no-test runs until stopped',
  'herald start',
  '```',
  '',
  '```sh test',
  'echo one',
  '# → one',
  '```',
  '',
  '```text output',
  'one',
  '```',
  '',
  '````sh test nats',
  'echo "```"',
  '````',
  '```json',
  '{}',
  '```',
].join('\n');

test('only `sh test` blocks are examples, with their services and their `text output` block', () => {
  const examples = extractExamples(DOC, 'doc.md');
  assert.deepEqual(examples, [
    { file: 'doc.md', line: 7, code: 'echo one\n# → one', services: [], commands: [], output: 'one' },
    { file: 'doc.md', line: 16, code: 'echo "```"', services: ['nats'], commands: [] },
  ]);
});

test('a shell block marked neither `sh test` nor `sh no-test REASON` is an error', () => {
  for (const info of ['sh', 'bash', 'shell', 'console', 'sh tset', 'bash test']) {
    assert.throws(() => extractExamples(`text\n\n\`\`\`${info}\nherald buses list\n\`\`\`\n`, 'd.md'), /d\.md:3: the shell block .* is not marked/, info);
  }
  assert.throws(() => extractExamples('```sh no-test\nnpm start\n```\n', 'd.md'), /d\.md:1: "sh no-test" needs a reason/);
  assert.deepEqual(extractExamples('```sh no-test needs a cloud account\naws s3 ls\n```\n```json\n{}\n```\n```text\nx\n```\n', 'd.md'), []);
});

test('`command:NAME` after `test` names a program the example needs', () => {
  assert.deepEqual(extractExamples('```sh test command:aws redis\naws --version\n```\n', 'd.md')[0], {
    file: 'd.md',
    line: 1,
    code: 'aws --version',
    services: ['redis'],
    commands: ['aws'],
  });
  assert.throws(() => extractExamples('```sh test command:\nx\n```\n', 'd.md'), /needs a program name/);
});

test('an unknown service name or an unclosed block is an error, not a silently skipped example', () => {
  assert.throws(() => extractExamples('```sh test kafka\nx\n```\n', 'd.md'), /d\.md:1: unknown service "kafka"/);
  assert.throws(() => extractExamples('```sh test\nx\n', 'd.md'), /not closed/);
});

test('a `text output` block must match the whole output; … stands for varying text', () => {
  assert.ok(matchesOutput('a\nb\n', 'a\nb'));
  assert.ok(matchesOutput('{"sequence":7,"time":"2026-01-01T00:00:00Z"}', '{"sequence":…,"time":"…"}'));
  assert.ok(matchesOutput('head\nx\ny\ntail', 'head\n…\ntail'));
  assert.ok(matchesOutput('head\ntail', 'head\n…\ntail'));
  assert.ok(!matchesOutput('a\nb\nc', 'a\nb'), 'extra output fails');
  assert.ok(!matchesOutput('a', 'a\nb'), 'missing output fails');
  assert.ok(!matchesOutput('{"sequence":7}', '{"sequence":8}'));
  assert.ok(!matchesOutput('a.c', 'abc'), 'regular-expression characters are literal');
  assert.ok(!matchesOutput('x\ny', 'x…'), '… inside a line does not cross lines');
});

test('a `# →` check passes when the output so far ends with its text', () => {
  assert.ok(endsWithOutput('{"name":"orders"}{"id":"o-1","duplicate":false}\n', '{"id":"o-1","duplicate":false}'));
  assert.ok(endsWithOutput('HTTP/1.1 202 Accepted\r\ndate: x\r\n\r\n{"sequence":3}', '{"sequence":…}'));
  assert.ok(!endsWithOutput('{"id":"o-1","duplicate":true}', '{"id":"o-1","duplicate":false}'));
  assert.ok(!endsWithOutput('{"id":"o-1"} and more', '{"id":"o-1"}'));
});
