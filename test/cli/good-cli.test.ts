/**
 * The CLI behaves like a good CLI (issue 10, item 7), through the real binary: --version, every
 * option described in --help, global flags before the command, `-o xml` a usage error without a
 * stack, `herald tail` errors in the form of every other command's, `put --data` refusing invalid
 * JSON unless a non-JSON type is named, and durations in units in table output (numbers in JSON).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { commandHelp, type Command } from '../../src/cli/command.js';
import { humanBytes, humanDuration } from '../../src/cli/human.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { putCommand } from '../../src/cli/commands/put.js';
import { tailCommand } from '../../src/cli/commands/tail.js';
import { busesCommand } from '../../src/cli/commands/buses.js';
import { rulesCommand } from '../../src/cli/commands/rules.js';
import { targetsCommand } from '../../src/cli/commands/targets.js';
import { dlqCommand } from '../../src/cli/commands/dlq.js';
import { traceCommand } from '../../src/cli/commands/trace.js';
import { patternCommand } from '../../src/cli/commands/pattern.js';
import { transformCommand } from '../../src/cli/commands/transform.js';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { sourcesCommand } from '../../src/cli/commands/sources.js';
import { connectionsCommand } from '../../src/cli/commands/connections.js';
import { startTestServer } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';
import { herald } from './run.js';

const COMMANDS: Command[] = [startCommand, putCommand, tailCommand, busesCommand, rulesCommand, targetsCommand, dlqCommand, traceCommand, patternCommand, transformCommand, applyCommand, sourcesCommand, connectionsCommand];
const sfx = randomBytes(3).toString('hex');

let server: RunningServer;
before(async () => {
  server = await startTestServer();
  const response = await fetch(`${server.url}/v1/buses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `cli-${sfx}`, retentionMs: 604_800_000, dedupeWindowMs: 5_400_000 }),
  });
  assert.equal(response.status, 201);
});
after(async () => {
  await server.stop();
});

/** One line on stderr, `herald: …`, no stack trace. */
function oneLine(stderr: string): void {
  assert.match(stderr, /^herald: [^\n]+\n$/, stderr);
}

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const run = await herald([flag]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `herald ${version}\n`);
  }
});

test('every option of every command has a description in --help, and defaults are shown', () => {
  for (const command of COMMANDS) {
    const help = commandHelp(command);
    const options = help.slice(help.indexOf('Options:\n') + 9).split('\n\n')[0].split('\n').filter((line) => line !== '');
    assert.equal(options.length, Object.keys(command.options).length + 1, `${command.name}: ${help}`);
    for (const line of options) assert.match(line, /^ {2}(-\w, | {4})--[\w-]+( <value>)? {2,}\S/, `${command.name}: an option without a description: "${line}"`);
  }
  assert.match(commandHelp(busesCommand), /--output <value> +output format: table, json or yaml .*\(default: table\)/);
  assert.match(commandHelp(startCommand), /--port <value> +TCP port .*\(default: 8740\)/);
  assert.match(commandHelp(applyCommand), /--prune +delete what the file does not name .*\(default: false\)/);
});

test('global flags may stand before the command', async () => {
  const run = await herald(['-o', 'json', '--server', server.url, 'buses', 'list']);
  assert.equal(run.code, 0, run.stderr);
  const names = (JSON.parse(run.stdout) as { buses: Array<{ name: string }> }).buses.map((b) => b.name);
  assert.ok(names.includes(`cli-${sfx}`));
  const equals = await herald([`--server=${server.url}`, '--output=yaml', 'buses', 'get', `cli-${sfx}`]);
  assert.equal(equals.code, 0, equals.stderr);
  assert.match(equals.stdout, /^retentionMs: 604800000$/m);
});

test('-o xml is a usage error: exit 2, one line, no stack — before or after the command', async () => {
  for (const args of [['-o', 'xml', 'buses', 'list'], ['buses', 'list', '-o', 'xml'], ['rules', 'list', 'x', '--output', 'xml']]) {
    const run = await herald(args, { server: server.url });
    assert.equal(run.code, 2, args.join(' '));
    oneLine(run.stderr);
    assert.match(run.stderr, /--output must be table, json or yaml, not "xml"/);
  }
});

test('herald tail errors look like the other commands\' errors', async () => {
  const missing = `missing-${sfx}`;
  const tail = await herald(['tail', missing], { server: server.url });
  const get = await herald(['buses', 'get', missing], { server: server.url });
  assert.equal(tail.code, 1);
  assert.equal(get.code, 1);
  oneLine(tail.stderr);
  assert.match(tail.stderr, /^herald: 404 HERALD_BUS_NOT_FOUND: bus "missing-\w+" does not exist/);
  assert.equal(tail.stderr.replace(/ \(field \w+\)/, ''), get.stderr.replace(/ \(field \w+\)/, ''));
  const bad = await herald(['tail', missing, '--count', 'many'], { server: server.url });
  assert.equal(bad.code, 2);
  oneLine(bad.stderr);
});

test('put --data must be JSON unless a non-JSON content type is given', async () => {
  const bus = `cli-${sfx}`;
  const invalid = await herald(['put', bus, '--source', '/t', '--type', 't', '--data', '{total: 5}'], { server: server.url });
  assert.equal(invalid.code, 2);
  oneLine(invalid.stderr);
  assert.match(invalid.stderr, /--data is not JSON/);
  const read = async () => ((await (await fetch(`${server.url}/v1/buses/${bus}/events?after=0&limit=100`)).json()) as { events: Array<{ event: Record<string, unknown> }> }).events;
  assert.equal((await read()).length, 0, 'an invalid --data was sent');

  const text = await herald(['put', bus, '--source', '/t', '--type', 't', '--content-type', 'text/plain', '--data', '{total: 5}'], { server: server.url });
  assert.equal(text.code, 0, text.stderr);
  const json = await herald(['put', bus, '--source', '/t', '--type', 't', '--data', '{"total": 5}'], { server: server.url });
  assert.equal(json.code, 0, json.stderr);
  const events = await read();
  assert.deepEqual(
    events.map((e) => [e.event.datacontenttype, e.event.data]),
    [
      ['text/plain', '{total: 5}'],
      ['application/json', { total: 5 }],
    ],
  );
});

test('table output shows durations in units; JSON output keeps the numbers', async () => {
  const table = await herald(['buses', 'list'], { server: server.url });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^NAME +DESCRIPTION +RETENTION +DEDUPEWINDOW +CREATEDAT$/m);
  assert.match(table.stdout, new RegExp(`^cli-${sfx} +7d +1h 30m +\\S+$`, 'm'));
  assert.doesNotMatch(table.stdout, /604800000/);
  const one = await herald(['buses', 'get', `cli-${sfx}`], { server: server.url });
  assert.match(one.stdout, /^retentionMs: 7d$/m);
  const json = await herald(['buses', 'list', '-o', 'json'], { server: server.url });
  const bus = (JSON.parse(json.stdout) as { buses: Array<{ name: string; retentionMs: number }> }).buses.find((b) => b.name === `cli-${sfx}`);
  assert.equal(bus?.retentionMs, 604_800_000);
});

test('units: durations and sizes', () => {
  assert.equal(humanDuration(604_800_000), '7d');
  assert.equal(humanDuration(5_400_000), '1h 30m');
  assert.equal(humanDuration(1500), '1s 500ms');
  assert.equal(humanDuration(0), '0ms');
  assert.equal(humanBytes(262_144), '256 KiB');
  assert.equal(humanBytes(1_048_576), '1 MiB');
  assert.equal(humanBytes(1536), '1.5 KiB');
  assert.equal(humanBytes(100), '100 B');
});
