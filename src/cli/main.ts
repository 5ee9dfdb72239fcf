/** `herald`: the command line. Each command lives in commands/ and is listed here. */
import { readFileSync } from 'node:fs';
import { runCommand, type Command } from './command.js';
import { CliError, EXIT } from './client.js';
import { startCommand } from './commands/start.js';
import { putCommand } from './commands/put.js';
import { tailCommand } from './commands/tail.js';
import { busesCommand } from './commands/buses.js';
import { rulesCommand } from './commands/rules.js';
import { targetsCommand } from './commands/targets.js';
import { dlqCommand } from './commands/dlq.js';
import { traceCommand } from './commands/trace.js';
import { patternCommand } from './commands/pattern.js';
import { transformCommand } from './commands/transform.js';
import { applyCommand } from './commands/apply.js';
import { sourcesCommand } from './commands/sources.js';
import { connectionsCommand } from './commands/connections.js';

const COMMANDS: Command[] = [startCommand, putCommand, tailCommand, busesCommand, rulesCommand, targetsCommand, dlqCommand, traceCommand, patternCommand, transformCommand, applyCommand, sourcesCommand, connectionsCommand];

function usage(): string {
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n');
  return (
    `herald — a self-hosted event bus\n\nUsage: herald [global options] <command> [options]   (herald <command> --help for more)\n\n` +
    `Commands:\n${rows}\n\n` +
    'Global options (also accepted after the command):\n' +
    '  -s, --server <value>  the Herald server of client commands (default: $HERALD_URL, else http://127.0.0.1:8740)\n' +
    '  -o, --output <value>  output format: table, json or yaml (default: table)\n' +
    '  -V, --version         print the version and exit\n' +
    '  -h, --help            show this help\n'
  );
}

/** The version of the package this binary is part of (src/cli and dist/cli are two levels below it). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** Global flags before the command (`herald -o json buses list`), as `--name value` pairs. */
const GLOBAL_FLAGS: Record<string, string> = { '--server': 'server', '-s': 'server', '--output': 'output', '-o': 'output' };

async function main(argv: string[]): Promise<number> {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '-V') {
      process.stdout.write(`herald ${version()}\n`);
      return EXIT.ok;
    }
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(usage());
      return EXIT.ok;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = GLOBAL_FLAGS[flag];
    if (!name) throw new CliError(`unknown global option "${arg}" (before the command: --server, --output, --version, --help)`, EXIT.usage);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new CliError(`${flag} needs a value`, EXIT.usage);
    globals.push(`--${name}`, value);
  }
  const [name, ...rest] = argv.slice(i);
  if (!name || name === 'help') {
    process.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === 'version') {
    process.stdout.write(`herald ${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliError(`unknown command "${name}"\n\n${usage()}`, EXIT.usage);
  for (let g = 0; g < globals.length; g += 2) {
    const flag = globals[g].slice(2);
    if (!(flag in command.options)) throw new CliError(`herald ${command.name} does not take --${flag}`, EXIT.usage);
  }
  // Flags after the command come later, so they win over the same flag given before it.
  return runCommand(command, [...globals, ...rest]);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`herald: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`herald: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);

