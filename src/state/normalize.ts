/**
 * Canonical forms, so that a rule read back from the server compares equal to the file that wrote
 * it. The choice (docs/configuration.md, "How changes are detected"):
 *
 * - Rules are compared whole, as the API saves them whole: a field the file leaves out must be at
 *   the server's default (description "", view cloudevent, state enabled, no tags, transform
 *   `event`, concurrency 16, retry at DEFAULT_RETRY). Defaults are removed from both sides, so it
 *   does not matter whether the server stores them filled in or left out. So a rule disabled
 *   through the API is enabled again by the next apply: the file wins.
 * - Targets are matched by id; their order in the file does not matter.
 * - A connector's `config` is compared on the keys the file sets: connectors may fill in defaults
 *   of their own (a method, a timeout) that the file need not repeat.
 * - Buses are compared on the settings the file sets; retention and dedupe window left out keep
 *   whatever the server has (its configured defaults).
 */
import { DEFAULT_RETRY } from '../rules/types.js';
import type { FieldChange } from './types.js';

type Obj = Record<string, unknown>;

const DEFAULT_CONCURRENCY = 16;

export interface CanonicalRule {
  [key: string]: unknown;
  targets: Record<string, Obj>;
}

export function canonicalRule(rule: unknown): CanonicalRule {
  const r = (rule ?? {}) as Obj;
  const out: Obj = { filter: r.filter };
  if (typeof r.description === 'string' && r.description !== '') out.description = r.description;
  if (r.view !== undefined && r.view !== 'cloudevent') out.view = r.view;
  if (r.state !== undefined && r.state !== 'enabled') out.state = r.state;
  if (typeof r.replyBus === 'string' && r.replyBus !== '') out.replyBus = r.replyBus;
  if (isObject(r.tags) && Object.keys(r.tags).length > 0) out.tags = r.tags;
  const targets: Record<string, Obj> = {};
  for (const t of Array.isArray(r.targets) ? r.targets : []) {
    const target = canonicalTarget(t);
    targets[String(target.id)] = target;
  }
  return { ...out, targets };
}

function canonicalTarget(raw: unknown): Obj {
  const t = (raw ?? {}) as Obj;
  const out: Obj = { type: t.type, config: t.config ?? {} };
  if (t.id !== undefined) out.id = t.id;
  const transform = canonicalTransform(t.transform);
  if (transform !== undefined) out.transform = transform;
  if (isObject(t.retry)) {
    const retry: Obj = {};
    for (const [key, value] of Object.entries(t.retry)) {
      if (value !== undefined && value !== (DEFAULT_RETRY as unknown as Obj)[key]) retry[key] = value;
    }
    if (Object.keys(retry).length > 0) out.retry = retry;
  }
  if (t.concurrency !== undefined && t.concurrency !== null && t.concurrency !== DEFAULT_CONCURRENCY) out.concurrency = t.concurrency;
  if (t.ratePerSecond !== undefined && t.ratePerSecond !== null) out.ratePerSecond = t.ratePerSecond;
  if (isObject(t.deadLetterTarget)) out.deadLetterTarget = canonicalTarget(t.deadLetterTarget);
  return out;
}

function canonicalTransform(raw: unknown): unknown {
  if (!isObject(raw) || raw.kind === 'event') return undefined;
  if (raw.kind === 'template' && isObject(raw.inputPathsMap) && Object.keys(raw.inputPathsMap).length === 0) {
    const { inputPathsMap: _drop, ...rest } = raw;
    return rest;
  }
  return raw;
}

/**
 * The server's rule seen through the file: connector configs keep only the keys the file sets
 * (see above). Applied to the current side only, after both are canonical.
 */
export function projectOnto(current: CanonicalRule, desired: CanonicalRule): CanonicalRule {
  const targets: Record<string, Obj> = {};
  for (const [id, target] of Object.entries(current.targets)) {
    const wanted = desired.targets[id];
    targets[id] = wanted ? projectTarget(target, wanted) : target;
  }
  return { ...current, targets };
}

function projectTarget(current: Obj, desired: Obj): Obj {
  const out: Obj = { ...current };
  if (isObject(current.config) && isObject(desired.config)) out.config = pick(current.config, Object.keys(desired.config));
  if (isObject(current.deadLetterTarget) && isObject(desired.deadLetterTarget)) out.deadLetterTarget = projectTarget(current.deadLetterTarget, desired.deadLetterTarget);
  return out;
}

function pick(value: Obj, keys: string[]): Obj {
  return Object.fromEntries(keys.filter((k) => k in value).map((k) => [k, value[k]]));
}

/**
 * Field-level differences, `from` (server) → `to` (file). Maps are compared key by key; lists and
 * scalars as whole values (a pattern's list of values is one value to a reader).
 */
export function diff(from: unknown, to: unknown, path = ''): FieldChange[] {
  if (deepEqual(from, to)) return [];
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key) => diff(from[key], to[key], join(path, key)));
  }
  const change: FieldChange = { path: path || '(all)' };
  if (from !== undefined) change.from = from;
  if (to !== undefined) change.to = to;
  return [change];
}

function join(path: string, key: string): string {
  // Targets are keyed by id in the canonical form: show them as `targets[hook]`.
  if (path === 'targets' || path.endsWith('.targets')) return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
