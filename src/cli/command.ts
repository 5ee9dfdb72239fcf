import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './client.js';

type ParseOption = NonNullable<ParseArgsConfig['options']>[string];

/** A flag: what parseArgs takes, plus what `--help` shows (issue 10, item 7). */
export type OptionSpec = Omit<ParseOption, 'default'> & {
  /** One line for `--help`. */
  description?: string;
  /** The value used when the flag is left out, as `--help` shows it (not passed to parseArgs). */
  default?: string | boolean;
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

/** Options every client command takes. */
export const CLIENT_OPTIONS: Options = {
  server: { type: 'string', short: 's' },
  output: { type: 'string', short: 'o' },
};

export function commandHelp(command: Command): string {
  const lines = Object.entries(command.options).map(([name, o]) => `  ${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' <value>' : ''}`);
  return `${command.summary}\n\nUsage: herald ${command.usage}\n\nOptions:\n${lines.join('\n')}\n  -h, --help${command.details ? `\n\n${command.details}` : ''}\n`;
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
  return (await command.run(parsed.positionals, parsed.values as Record<string, string | boolean | undefined>)) ?? EXIT.ok;
}

/** The options as parseArgs takes them: without the help text and display defaults. */
export function parseOptions(options: Options): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(options).map(([name, { description: _d, default: _v, ...option }]) => [name, option]));
}
