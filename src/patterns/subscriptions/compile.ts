/**
 * Compiles a normalised Subscriptions filter into one predicate, once, when the rule is saved.
 *
 * Evaluation errors (only the `sql` dialect has them) fail the whole filter closed: once an error
 * occurs, evaluation stops and the filter is false, even under `not` and `any`. The spec makes a
 * failing `sql` filter false (§3.2.4.1.2); composing that literally would turn
 * `{"not": {"sql": "missing = 1"}}` into a match caused by an error. Herald instead treats an error
 * exactly as CESQL itself does for `NOT (missing = 1)`: no match, and the errors are reported.
 */
import { attributeValue } from '../cesql/attributes.js';
import { toStringValue } from '../cesql/casts.js';
import { intersect } from '../cesql/implied-types.js';
import type { CesqlError, EvalContext } from '../cesql/types.js';
import type { FilterNode } from './types.js';

/** Errors so far; stays null on the error-free path. */
interface Sink {
  errors: CesqlError[] | null;
}

type Predicate = (event: Record<string, unknown>, sink: Sink) => boolean;

/** Context attributes Knative always has in its legacy filter's attribute map, even when unset. */
const KNATIVE_CORE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'specversion', 'type', 'source', 'subject', 'id', 'time', 'dataschema', 'datacontenttype',
]);

/** The attribute as a String, as the string dialects compare it (CESQL §3.7 casts); absent: undefined. */
export function attributeString(event: Record<string, unknown>, name: string): string | undefined {
  const v = attributeValue(event, name);
  return v === undefined ? undefined : toStringValue(v);
}

export function compileFilter(node: FilterNode): Predicate {
  switch (node.kind) {
    case 'exact':
    case 'attributes':
    case 'prefix':
    case 'suffix':
      return compileStringDialect(node);
    case 'all': {
      const parts = node.filters.map(compileFilter);
      if (parts.length === 1) return parts[0];
      return (event, sink) => {
        for (const part of parts) {
          const ok = part(event, sink);
          if (sink.errors !== null || !ok) return false;
        }
        return true;
      };
    }
    case 'any': {
      const parts = node.filters.map(compileFilter);
      return (event, sink) => {
        for (const part of parts) {
          const ok = part(event, sink);
          if (sink.errors !== null) return false;
          if (ok) return true;
        }
        return false;
      };
    }
    case 'not': {
      const inner = compileFilter(node.filter);
      return (event, sink) => {
        const ok = inner(event, sink);
        return sink.errors === null && !ok;
      };
    }
    case 'sql': {
      const run = node.compiled.run;
      const path = node.path;
      return (event, sink) => {
        const ctx: EvalContext = { event, errors: null };
        const value = run(ctx);
        if (ctx.errors !== null) {
          const tagged = ctx.errors.map((e) => ({ ...e, filter: path }));
          sink.errors = sink.errors === null ? tagged : [...sink.errors, ...tagged];
          return false;
        }
        // §3.2.4.1.2: true only when the value is the Boolean TRUE.
        return value === true;
      };
    }
  }
}

function compileStringDialect(node: Extract<FilterNode, { entries: unknown }>): Predicate {
  const checks = node.entries.map(([name, expected]) => stringCheck(node.kind, name, expected));
  if (checks.length === 1) {
    const only = checks[0];
    return (event) => only(event);
  }
  return (event) => {
    for (const check of checks) if (!check(event)) return false;
    return true;
  };
}

function stringCheck(kind: FilterNode['kind'], name: string, expected: string): (event: Record<string, unknown>) => boolean {
  switch (kind) {
    case 'prefix':
      return (event) => attributeString(event, name)?.startsWith(expected) ?? false;
    case 'suffix':
      return (event) => attributeString(event, name)?.endsWith(expected) ?? false;
    case 'attributes':
      if (expected === '') {
        if (KNATIVE_CORE_ATTRIBUTES.has(name)) return () => true;
        return (event) => attributeString(event, name) !== undefined;
      }
      return (event) => attributeString(event, name) === expected;
    default:
      // `data` is the payload, not an attribute: no string dialect ever sees it.
      if (name === 'data') return () => false;
      // `exact` on `type` is the hot shape: read the member directly when it is a string.
      return (event) => {
        const v = event[name];
        return typeof v === 'string' ? v === expected : attributeString(event, name) === expected;
      };
  }
}

/** Event types the filter can be true for (`null`: any) — see cesql/implied-types.ts. */
export function impliedTypesOf(node: FilterNode): Set<string> | null {
  switch (node.kind) {
    case 'exact':
    case 'attributes': {
      const type = node.entries.find(([name, value]) => name === 'type' && value !== '');
      return type === undefined ? null : new Set([type[1]]);
    }
    case 'all':
      return node.filters.reduce<Set<string> | null>((acc, f) => intersect(acc, impliedTypesOf(f)), null);
    case 'any': {
      const union = new Set<string>();
      for (const f of node.filters) {
        const types = impliedTypesOf(f);
        if (types === null) return null;
        for (const t of types) union.add(t);
      }
      return union;
    }
    case 'sql':
      return node.compiled.impliedTypes === null ? null : new Set(node.compiled.impliedTypes);
    default:
      return null;
  }
}

/** The filter decision for one event; errors (which make it false) are appended to `errorsOut`. */
export function runFilter(predicate: Predicate, event: Record<string, unknown>, errorsOut?: CesqlError[]): boolean {
  const sink: Sink = { errors: null };
  const ok = predicate(event, sink);
  if (sink.errors !== null) {
    if (errorsOut !== undefined) errorsOut.push(...sink.errors);
    return false;
  }
  return ok;
}

export type { Predicate };
