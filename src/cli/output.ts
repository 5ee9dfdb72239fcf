import { stringify } from 'yaml';
import { CliError, EXIT } from './client.js';
import { humanize, humanValue, unitOf } from './human.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `--output`: a usage error (exit 2, one line) when it is not table, json or yaml. */
export function parseFormat(raw: string | undefined): OutputFormat {
  if (raw === undefined) return 'table';
  if ((OUTPUT_FORMATS as readonly string[]).includes(raw)) return raw as OutputFormat;
  throw new CliError(`--output must be table, json or yaml, not "${raw}"`, EXIT.usage);
}

/**
 * Prints rows as an aligned table, or the value as JSON / YAML. `table` without rows prints one
 * object as YAML. Table output shows `…Ms` durations and `…Bytes` sizes in their units (`7d`,
 * `256 KiB`); JSON and YAML output keep the numbers, for scripts.
 */
export function print(format: OutputFormat, value: unknown, rows?: Array<Record<string, unknown>>, columns?: string[]): void {
  if (format === 'json') return void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  if (format === 'yaml') return void process.stdout.write(stringify(value));
  if (!rows || !columns) return void process.stdout.write(stringify(humanize(value)));
  const cells = rows.map((row) => columns.map((c) => formatCell(humanValue(c, row[c]))));
  const headers = columns.map((c) => (unitOf(c) ? c.replace(/(Ms|Bytes)$/, '') : c).toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`${line(headers)}\n${cells.map(line).join('\n')}${cells.length ? '\n' : ''}`);
}

function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
