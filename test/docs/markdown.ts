/**
 * The documented-examples convention (docs/architecture.md, "Documented examples are tested"):
 * which blocks of a Markdown file are runnable, what output they promise, and how an actual output
 * is compared with a documented one.
 *
 * - A fenced block whose info string is `sh test` is run with bash; `sh test nats` (any service names
 *   of test/support/services.ts after `test`) runs only when those servers are reachable, and
 *   `sh test command:aws` only when the program `aws` is installed (a client the example uses).
 * - A shell block that cannot run in a test (it installs, runs until stopped, needs a cloud) is
 *   marked `sh no-test REASON`; the reason is required. Any other shell block (plain `sh`, `bash`,
 *   `shell`, …) is an error, so that a new example cannot stay untested by accident.
 * - A line `# → TEXT` inside it checks that what the commands since the previous check printed ends
 *   with TEXT.
 * - A fenced block with the info string `text output` right after it (blank lines between are
 *   allowed) is the block's whole expected output.
 * - In expected text, `…` stands for any characters within a line, and a line holding only `…`
 *   for any number of lines (ids, times, sequences that vary).
 */
import { SERVICES, type ServiceName } from '../support/services.js';

export interface Example {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  services: ServiceName[];
  /** Programs the example runs besides herald, curl and the shell (`command:NAME`). */
  commands: string[];
  /** The `text output` block that follows, if any. */
  output?: string;
}

const FENCE = /^(`{3,}|~{3,})\s*(.*)$/;
/** Info-string languages that are shell: each such block must say `test` or `no-test REASON`. */
const SHELL = new Set(['sh', 'bash', 'shell', 'zsh', 'console', 'shell-session', 'shellsession']);
export const INLINE_CHECK = /^\s*# → (.*)$/;

interface Fenced {
  line: number;
  info: string;
  body: string;
  /** Index of the line after the closing fence. */
  end: number;
}

function fencedBlock(lines: string[], start: number): Fenced | undefined {
  const open = FENCE.exec(lines[start]);
  if (!open) return undefined;
  const marker = open[1];
  const body: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].trimEnd() === marker) return { line: start + 1, info: open[2].trim(), body: body.join('\n'), end: i + 1 };
    body.push(lines[i]);
  }
  throw new Error(`line ${start + 1}: the fenced block is not closed`);
}

/** Every runnable example of one Markdown document, in document order. */
export function extractExamples(markdown: string, file: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; ) {
    const block = fencedBlock(lines, i);
    if (!block) {
      i++;
      continue;
    }
    i = block.end;
    const words = block.info.split(/\s+/);
    if (!SHELL.has(words[0].toLowerCase())) continue;
    if (words[1] === 'no-test') {
      if (words.length < 3) throw new Error(`${file}:${block.line}: "${words[0]} no-test" needs a reason after it (why the block cannot run in a test)`);
      continue;
    }
    if (words[0] !== 'sh' || words[1] !== 'test') {
      throw new Error(
        `${file}:${block.line}: the shell block "${block.info}" is not marked: write \`sh test\` to run it in test/docs/examples.test.ts, or \`sh no-test REASON\` when it cannot run in a test (docs/architecture.md)`,
      );
    }
    const requirements = words.slice(2);
    const commands = requirements.filter((w) => w.startsWith('command:')).map((w) => w.slice('command:'.length));
    const services = requirements.filter((w) => !w.startsWith('command:'));
    if (commands.some((c) => !/^[\w.-]+$/.test(c))) throw new Error(`${file}:${block.line}: "command:" needs a program name`);
    for (const name of services) {
      if (!(name in SERVICES)) throw new Error(`${file}:${block.line}: unknown service "${name}" (known: ${Object.keys(SERVICES).join(', ')})`);
    }
    const example: Example = { file, line: block.line, code: block.body, services: services as ServiceName[], commands };
    let next = i;
    while (next < lines.length && lines[next].trim() === '') next++;
    const following = next < lines.length ? fencedBlock(lines, next) : undefined;
    if (following && following.info === 'text output') {
      example.output = following.body;
      i = following.end;
    }
    examples.push(example);
  }
  return examples;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const linePattern = (line: string): string => line.split('…').map(escape).join('.*?');
const normalize = (text: string): string => text.split('\n').map((l) => l.trimEnd()).join('\n').replace(/^\n+|\n+$/g, '');

/** Whether `actual` is exactly the documented `expected` output (placeholders allowed). */
export function matchesOutput(actual: string, expected: string): boolean {
  const pattern = normalize(expected)
    .split('\n')
    .map((line) => (line.trim() === '…' ? '(?:.*\\n)*?' : `${linePattern(line)}\\n`))
    .join('');
  return new RegExp(`^${pattern}$`).test(`${normalize(actual)}\n`);
}

/** Whether `actual` ends with the documented `expected` text of a `# →` line (placeholders allowed). */
export function endsWithOutput(actual: string, expected: string): boolean {
  return new RegExp(`${linePattern(expected.trim())}$`).test(actual.trimEnd());
}
