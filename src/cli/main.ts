/** `herald`: the command line. Each command lives in commands/ and is listed here. */
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
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n');
  return `herald — a self-hosted event bus\n\nUsage: herald <command> [options]   (herald <command> --help for more)\n\nCommands:\n${rows}\n\nClient commands talk to --server, HERALD_URL, or http://127.0.0.1:8740.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliError(`unknown command "${name}"\n\n${usage()}`, EXIT.usage);
  return runCommand(command, rest);
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

