/**
 * Matchers for `{subscriptions: [...]}` filters and, sharing one rule index, for both SQL-family
 * filters (`{cesql}` and `{subscriptions}`) on one bus. Filters compile when a rule is added and
 * invalid ones are rejected there; at run time an evaluation error means no match, reported by
 * `matchDetailed` for the event's trace.
 */
import { HeraldError } from '../../errors/index.js';
import { errorReason } from '../cesql/explain.js';
import { cesqlRule } from '../cesql/matcher.js';
import { RuleIndex, type DetailedMatch, type IndexedRule } from '../cesql/rule-index.js';
import type { CesqlError } from '../cesql/types.js';
import type { Explanation, Filter, Matcher } from '../matcher.js';
import { compileFilter, impliedTypesOf, runFilter, type Predicate } from './compile.js';
import { reasonsAgainst } from './explain.js';
import { parseSubscriptionFilters } from './parse.js';
import { assertNotTooDeep } from '../depth.js';
import type { FilterNode } from './types.js';

export interface CompiledSubscriptions {
  readonly root: FilterNode;
  readonly predicate: Predicate;
  readonly impliedTypes: ReadonlySet<string> | null;
}

/** Validates and compiles a Subscriptions filter list; throws HERALD_INVALID_FILTER with `field` the path. */
export function validateSubscriptions(filters: unknown, field = 'subscriptions'): CompiledSubscriptions {
  // The parser and compiler recurse through all/any/not: deep input is refused first (issue 11, item 5).
  assertNotTooDeep(filters, field, 'the Subscriptions filter');
  const root = parseSubscriptionFilters(filters, field);
  return { root, predicate: compileFilter(root), impliedTypes: impliedTypesOf(root) };
}

function asRecord(event: unknown): Record<string, unknown> {
  return typeof event === 'object' && event !== null && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
}

/** Whether the filter list matches the event, with the reasons (attribute and why, or the errors). */
export function explainSubscriptions(filters: unknown, event: unknown, field = 'subscriptions'): Explanation {
  const compiled = validateSubscriptions(filters, field);
  const record = asRecord(event);
  const errors: CesqlError[] = [];
  if (runFilter(compiled.predicate, record, errors)) return { matched: true, reasons: [] };
  if (errors.length > 0) {
    return {
      matched: false,
      reasons: errors.map((e) => {
        const reason = errorReason(e, e.filter ?? field);
        return { field: reason.field, reason: `${e.filter ?? field}: ${reason.reason} (an evaluation error fails the whole filter)` };
      }),
    };
  }
  const reasons = reasonsAgainst(compiled.root, record);
  return { matched: false, reasons: reasons.length > 0 ? reasons : [{ field, reason: 'the filter is false' }] };
}

export function subscriptionsRule(ruleId: string, filters: unknown, field = 'subscriptions'): IndexedRule {
  const { predicate, impliedTypes } = validateSubscriptions(filters, field);
  return { id: ruleId, impliedTypes, test: (event, errorsOut) => runFilter(predicate, event, errorsOut) };
}

export interface SqlFamilyMatcher extends Matcher {
  /** As `match`, plus the evaluation errors of the rules that did not match because of them. */
  matchDetailed(event: unknown): DetailedMatch;
  readonly size: number;
}

function createIndexedMatcher(accept: { cesql: boolean; subscriptions: boolean }): SqlFamilyMatcher {
  const index = new RuleIndex();
  return {
    add(ruleId: string, filter: Filter): void {
      if (accept.cesql && typeof filter === 'object' && filter !== null && 'cesql' in filter) {
        index.set(cesqlRule(ruleId, filter.cesql));
      } else if (accept.subscriptions && typeof filter === 'object' && filter !== null && 'subscriptions' in filter) {
        index.set(subscriptionsRule(ruleId, filter.subscriptions));
      } else {
        const wanted = [accept.cesql ? '{"cesql": "…"}' : '', accept.subscriptions ? '{"subscriptions": […]}' : ''].filter(Boolean);
        throw new HeraldError('HERALD_INVALID_FILTER', `this matcher takes ${wanted.join(' or ')} filters`, 'filter');
      }
    },
    remove: (ruleId) => index.remove(ruleId),
    match: (event) => index.match(event),
    matchDetailed: (event) => index.matchDetailed(event),
    get size() {
      return index.size;
    },
  };
}

export function createSubscriptionsMatcher(): SqlFamilyMatcher {
  return createIndexedMatcher({ cesql: false, subscriptions: true });
}

/** One matcher for every `{cesql}` and `{subscriptions}` rule of a bus: one pass, one type index. */
export function createSqlFamilyMatcher(): SqlFamilyMatcher {
  return createIndexedMatcher({ cesql: true, subscriptions: true });
}
