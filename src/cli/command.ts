import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './client.js';
import { flagHelp } from './flags.js';
import { parseFormat } from './output.js';

type ParseOption = NonNullable<ParseArgsConfig['options']>[string];

/**
 * A flag: what parseArgs takes (its `default` too, which `--help` shows), plus a line for `--help`
 * (issue 10, item 7).
 */
export type OptionSpec = ParseOption & {
  /** One line for `--help` (else the shared text of flags.ts). */
  description?: string;
};

type Options = Record<string, OptionSpec>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra help text after the options. */
  details?: string;
  options: Options;
  run(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<number | void>;
}

/** Options every client command takes; they may also stand before the command (`herald -o json buses list`). */
export const CLIENT_OPTIONS: Options = {
  server: { type: 'string', short: 's' },
  output: { type: 'string', short: 'o' },
};

export function commandHelp(command: Command): string {
  const rows = [...Object.entries(command.options), ['help', { type: 'boolean', short: 'h', description: 'show this help' } as OptionSpec] as const].map(([name, o]) => {
    const flag = `  ${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    const shared = flagHelp(command.name, name);
    const description = o.description ?? shared?.description ?? '';
    const fallback = o.default ?? shared?.default;
    return { flag, text: `${description}${fallback !== undefined && fallback !== '' ? ` (default: ${String(fallback)})` : ''}` };
  });
  const width = Math.max(...rows.map((r) => r.flag.length)) + 2;
  const lines = rows.map((r) => `${r.flag.padEnd(width)}${r.text}`.trimEnd());
  return `${command.summary}\n\nUsage: herald ${command.usage}\n\nOptions:\n${lines.join('\n')}${command.details ? `\n\n${command.details}` : ''}\n`;
}

export async function runCommand(command: Command, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...parseOptions(command.options), help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${commandHelp(command)}`, EXIT.usage);
  }
  if (parsed.values.help) {
    process.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  // Checked before anything runs, so that `-o xml` is a usage error whatever the command.
  if ('output' in command.options) parseFormat((parsed.values as Record<string, unknown>).output as string | undefined);
  return (await command.run(parsed.positionals, parsed.values as Record<string, string | boolean | undefined>)) ?? EXIT.ok;
}

/** The options as parseArgs takes them: without the help text. */
export function parseOptions(options: Options): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(options).map(([name, { description: _d, ...option }]) => [name, option]));
}
