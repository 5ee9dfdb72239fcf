/**
 * Durations and sizes as a person reads them (issue 10, item 7: `7d`, `1h 30m`, `256 KiB`, not
 * `604800000`). Table output uses these; JSON and YAML output keep the numbers.
 */

const DURATION_UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** `604800000` → `7d`, `5400000` → `1h 30m`, `1500` → `1s 500ms`, `0` → `0ms`. */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of DURATION_UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length > 0 ? parts.join(' ') : '0ms';
}

const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `262144` → `256 KiB`, `1048576` → `1 MiB`, `1536` → `1.5 KiB`, `100` → `100 B`. */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return String(bytes);
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(2))} ${SIZE_UNITS[unit]}`;
}

/** Fields whose names say they hold milliseconds (`retentionMs`) or bytes (`maxEventBytes`). */
export function unitOf(field: string): 'duration' | 'size' | undefined {
  if (/Ms$/.test(field)) return 'duration';
  if (/Bytes$/.test(field)) return 'size';
  return undefined;
}

/** A number shown in its unit, when the field name gives one. */
export function humanValue(field: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  const unit = unitOf(field);
  if (unit === 'duration') return humanDuration(value);
  if (unit === 'size') return humanBytes(value);
  return value;
}

/** A copy of plain data with every `…Ms` / `…Bytes` number shown in its unit (for table output of one object). */
export function humanize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(humanize);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, typeof item === 'number' ? humanValue(key, item) : humanize(item)]));
}
