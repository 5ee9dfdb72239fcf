/**
 * Validates and normalises a Subscriptions filter list (subscriptions-spec.md §3.2.4) when a rule
 * is saved. Anything Herald cannot evaluate is rejected here with HERALD_INVALID_FILTER and `field`
 * naming the exact place (§3.2.4: an unsupported dialect MUST reject the subscription; §3.2.4.1.2:
 * invalid SQL SHOULD be rejected) — never dropped at run time (STYLE.md "fail closed").
 *
 * Accepted entries of the list, each one filter that must be true:
 * - a dialect object with exactly one member: `exact`, `prefix`, `suffix`, `all`, `any`, `not`, `sql`,
 *   or `cesql` (Knative Trigger's name for `sql`);
 * - Knative Trigger forms as written in a Trigger spec: `{"filters": [...]}` (new filters), and
 *   `{"filter": {"attributes": {...}}}` or just `{"attributes": {...}}` (legacy exact map). When a
 *   Trigger spec has both a non-empty `filters` and `filter`, Knative uses `filters` only; so does Herald.
 */
import { HeraldError } from '../../errors/index.js';
import { validateCesql } from '../cesql/expression.js';
import { SUBSCRIPTION_DIALECTS, type FilterNode } from './types.js';

/** CloudEvents attribute names (spec.md "Naming conventions"): lower-case letters and digits. */
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;

function invalid(message: string, field: string): HeraldError {
  return new HeraldError('HERALD_INVALID_FILTER', message, field);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseSubscriptionFilters(filters: unknown, path = 'subscriptions'): FilterNode {
  if (!Array.isArray(filters)) throw invalid('Subscriptions filters must be an array of filter objects', path);
  // §3.2.1 filters: "Absence of a filter or empty array implies a value of true" — an empty `all`.
  return { kind: 'all', filters: filters.map((entry, i) => parseEntry(entry, `${path}[${i}]`)), path };
}

function parseEntry(entry: unknown, path: string): FilterNode {
  if (!isObject(entry)) throw invalid('a filter must be an object such as {"exact": {"type": "…"}}', path);
  const keys = Object.keys(entry);
  // Knative Trigger spec forms.
  if (keys.includes('filters') || keys.includes('filter')) {
    const extra = keys.find((k) => k !== 'filters' && k !== 'filter');
    if (extra !== undefined) throw invalid(`unexpected member "${extra}" beside a Knative Trigger filter`, `${path}.${extra}`);
    const nested = entry.filters;
    if (nested !== undefined && (!Array.isArray(nested) || nested.length > 0)) {
      return parseSubscriptionFilters(nested, `${path}.filters`);
    }
    const legacy = entry.filter;
    if (legacy === undefined) return { kind: 'all', filters: [], path: `${path}.filters` };
    if (!isObject(legacy)) throw invalid('a Knative filter must be {"attributes": {…}}', `${path}.filter`);
    const legacyKeys = Object.keys(legacy);
    if (legacyKeys.some((k) => k !== 'attributes')) {
      const bad = legacyKeys.find((k) => k !== 'attributes') as string;
      throw invalid(`unexpected member "${bad}" in a Knative filter (only "attributes")`, `${path}.filter.${bad}`);
    }
    return parseAttributes(legacy.attributes ?? {}, `${path}.filter.attributes`);
  }
  if (keys.length !== 1) {
    throw invalid(
      keys.length === 0 ? 'a filter needs one dialect, e.g. {"exact": {…}}' : `a filter has exactly one dialect, found ${keys.join(', ')}`,
      path,
    );
  }
  const dialect = keys[0];
  const value = entry[dialect];
  const at = `${path}.${dialect}`;
  switch (dialect as (typeof SUBSCRIPTION_DIALECTS)[number] | 'attributes') {
    case 'exact':
    case 'prefix':
    case 'suffix':
      return { kind: dialect as 'exact' | 'prefix' | 'suffix', entries: parseStringMap(value, at, false), path: at };
    case 'all':
    case 'any': {
      // §3.2.4.1.1: "there MUST be at least one filter expression in the array".
      if (!Array.isArray(value) || value.length === 0) throw invalid(`"${dialect}" needs a non-empty array of filters`, at);
      return { kind: dialect as 'all' | 'any', filters: value.map((f, i) => parseEntry(f, `${at}[${i}]`)), path: at };
    }
    case 'not':
      return { kind: 'not', filter: parseEntry(value, at), path: at };
    case 'sql':
    case 'cesql':
      if (typeof value !== 'string') throw invalid(`"${dialect}" needs a CloudEvents SQL expression as a string`, at);
      return { kind: 'sql', compiled: validateCesql(value, at), path: at };
    case 'attributes':
      return parseAttributes(value, at);
    default:
      throw invalid(`unknown filter dialect "${dialect}" (supported: ${SUBSCRIPTION_DIALECTS.join(', ')})`, at);
  }
}

/** `exact` / `prefix` / `suffix`: names and values MUST NOT be empty (§3.2.4.1.1). */
function parseStringMap(value: unknown, path: string, allowEmptyValue: boolean): Array<[string, string]> {
  if (!isObject(value)) throw invalid('expected an object of attribute names to string values', path);
  const entries = Object.entries(value);
  // An empty map would match every event: more likely a mistake than an intent, so refuse it.
  if (entries.length === 0) throw invalid('expected at least one attribute', path);
  return entries.map(([name, v]) => {
    if (!ATTRIBUTE_NAME.test(name)) {
      throw invalid(`"${name}" is not a CloudEvents attribute name (lower-case letters and digits)`, `${path}.${name}`);
    }
    if (typeof v !== 'string') throw invalid(`the value for "${name}" must be a string`, `${path}.${name}`);
    if (v === '' && !allowEmptyValue) throw invalid(`the value for "${name}" must not be empty`, `${path}.${name}`);
    return [name, v];
  });
}

/** Knative's legacy exact map; "" is Knative's "any value" (eventing TriggerAnyFilter). */
function parseAttributes(value: unknown, path: string): FilterNode {
  if (isObject(value) && Object.keys(value).length === 0) return { kind: 'all', filters: [], path };
  return { kind: 'attributes', entries: parseStringMap(value, path, true), path };
}
