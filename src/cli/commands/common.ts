/** Helpers the admin commands share: the client, the output format, and reading JSON/YAML input. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CliError, EXIT, serverUrl, type ClientOptions } from '../client.js';
import { parseFormat, type OutputFormat } from '../output.js';

export type Values = Record<string, string | boolean | string[] | undefined>;

export function clientOf(values: Values): ClientOptions {
  return { server: serverUrl(values.server as string | undefined) };
}

/** `--output`, refused with the usage exit code when it is not table, json or yaml. */
export function formatOf(values: Values): OutputFormat {
  return parseFormat(values.output as string | undefined);
}

/**
 * The format to print one object with: a table of one object is shown as YAML, with durations and
 * sizes in their units (`print` does that for `table` without rows).
 */
export function single(format: OutputFormat): OutputFormat {
  return format;
}

export function required(value: string | undefined, what: string, usage: string): string {
  if (value === undefined || value === '') throw new CliError(`missing ${what}\n\nUsage: herald ${usage}`, EXIT.usage);
  return value;
}

export function path(...segments: string[]): string {
  return `/v1/${segments.map((s, i) => (i % 2 === 0 ? s : encodeURIComponent(s))).join('/')}`;
}

/** A JSON or YAML document from a file (`-` for stdin). */
export function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, EXIT.usage);
  }
  try {
    // YAML is a superset of JSON, so one parser reads both.
    return parseYaml(text) as unknown;
  } catch (error) {
    throw new CliError(`${file} is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`, EXIT.usage);
  }
}

/** A JSON value given inline, or `@file` to read it (JSON or YAML) from a file. */
export function jsonArg(text: string | undefined, flag: string): unknown {
  if (text === undefined) throw new CliError(`${flag} is required`, EXIT.usage);
  if (text.startsWith('@')) return readDocument(text.slice(1));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${flag} is not JSON: ${(error as Error).message}`, EXIT.usage);
  }
}

/** A whole number from a flag or argument. */
export function count(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${what} must be a whole number, not "${text}"`, EXIT.usage);
  return n;
}

export function unknownAction(command: string, action: string, actions: string[]): never {
  throw new CliError(`unknown action "herald ${command} ${action}": use ${actions.join(', ')}`, EXIT.usage);
}
