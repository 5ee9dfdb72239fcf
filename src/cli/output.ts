import { stringify } from 'yaml';

export type OutputFormat = 'table' | 'json' | 'yaml';

export function parseFormat(raw: string | undefined): OutputFormat {
  if (raw === undefined) return 'table';
  if (raw === 'table' || raw === 'json' || raw === 'yaml') return raw;
  throw new Error(`--output must be table, json or yaml, not "${raw}"`);
}

/** Prints rows as an aligned table, or the value as JSON / YAML. */
export function print(format: OutputFormat, value: unknown, rows?: Array<Record<string, unknown>>, columns?: string[]): void {
  if (format === 'json') return void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  if (format === 'yaml' || !rows || !columns) return void process.stdout.write(stringify(value));
  const cells = rows.map((row) => columns.map((c) => formatCell(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n${cells.map(line).join('\n')}${cells.length ? '\n' : ''}`);
}

function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
