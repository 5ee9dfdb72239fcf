/**
 * The checks the herald.yaml schema is made of: each records an issue at a field path and goes on,
 * so that one read of the file reports every issue at once.
 */
import { parseDuration } from '../server/units.js';
import type { Segment } from './types.js';

export interface RawIssue {
  path: Segment[];
  message: string;
}

export const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;

export type Obj = Record<string, unknown>;

export class Checker {
  readonly issues: RawIssue[] = [];

  fail(path: Segment[], message: string): void {
    this.issues.push({ path, message });
  }

  /** A map with only the allowed keys; returns it (or undefined after recording an issue). */
  object(value: unknown, path: Segment[], allowed?: string[]): Obj | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, value === null || value === undefined ? 'required' : `must be a map, got ${kindOf(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (allowed && !allowed.includes(key)) this.fail([...path, key], `unknown field (expected one of: ${allowed.join(', ')})`);
    }
    return value as Obj;
  }

  string(value: unknown, path: Segment[], options: { required?: boolean; pattern?: RegExp; oneOf?: readonly string[]; max?: number } = {}): string | undefined {
    if (value === undefined || value === null) {
      if (options.required) this.fail(path, 'required');
      return undefined;
    }
    if (typeof value !== 'string') return void this.fail(path, `must be a string, got ${kindOf(value)}`);
    if (options.pattern && !options.pattern.test(value)) return void this.fail(path, `"${value}" must match ${options.pattern.source}`);
    if (options.oneOf && !options.oneOf.includes(value)) return void this.fail(path, `"${value}" must be one of ${options.oneOf.join(', ')}`);
    if (options.max !== undefined && value.length > options.max) return void this.fail(path, `must be at most ${options.max} characters`);
    return value;
  }

  /** Milliseconds from a duration (`7d`, `30s`) or a number. */
  duration(value: unknown, path: Segment[], min: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined || !Number.isFinite(ms)) return void this.fail(path, `"${String(value)}" is not a duration (e.g. 500ms, 30s, 5m, 24h, 7d, or milliseconds)`);
    if (ms < min) return void this.fail(path, `must be at least ${min} ms`);
    return Math.round(ms);
  }

  integer(value: unknown, path: Segment[], min: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) return void this.fail(path, `must be a whole number of at least ${min}`);
    return value;
  }

  unique(names: Array<string | undefined>, path: (i: number) => Segment[], what: string): void {
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (name === undefined) return;
      if (seen.has(name)) this.fail(path(i), `${what} "${name}" is declared twice`);
      seen.add(name);
    });
  }
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}
