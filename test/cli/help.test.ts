/** Every admin command documents itself: usage, the client options, and examples (issue 5). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandHelp } from '../../src/cli/command.js';
import { rulesCommand } from '../../src/cli/commands/rules.js';
import { targetsCommand } from '../../src/cli/commands/targets.js';
import { dlqCommand } from '../../src/cli/commands/dlq.js';
import { traceCommand } from '../../src/cli/commands/trace.js';
import { patternCommand } from '../../src/cli/commands/pattern.js';
import { transformCommand } from '../../src/cli/commands/transform.js';
import { applyCommand } from '../../src/cli/commands/apply.js';

const COMMANDS = [rulesCommand, targetsCommand, dlqCommand, traceCommand, patternCommand, transformCommand, applyCommand];

test('each command has usage, --server, --output, --help and examples in its help', () => {
  for (const command of COMMANDS) {
    const help = commandHelp(command);
    assert.match(help, new RegExp(`Usage: herald ${command.name} `), command.name);
    for (const option of ['-s, --server <value>', '-o, --output <value>', '-h, --help']) assert.ok(help.includes(option), `${command.name} lacks ${option}`);
    assert.match(help, /Examples?:\n {2}herald /, `${command.name} has no example`);
  }
});

test('docs/cli.md documents every command', async () => {
  const { readFile } = await import('node:fs/promises');
  const doc = await readFile(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  for (const command of COMMANDS) assert.match(doc, new RegExp(`^## \`herald ${command.name}[\` ]`, 'm'), `docs/cli.md has no section for ${command.name}`);
});
