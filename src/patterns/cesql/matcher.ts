/**
 * A Matcher (patterns/matcher.ts) for `{cesql: "…"}` filters. Expressions are compiled when the rule
 * is added; an invalid one is rejected there (fail closed). At run time an evaluation error means
 * no match; `matchDetailed` returns those errors so the router can record them in the trace.
 */
import { HeraldError } from '../../errors/index.js';
import type { Filter, Matcher } from '../matcher.js';
import { matchesCesql, validateCesql } from './expression.js';
import { RuleIndex, type DetailedMatch, type IndexedRule } from './rule-index.js';

export interface CesqlMatcher extends Matcher {
  matchDetailed(event: unknown): DetailedMatch;
  readonly size: number;
}

/** The compiled form of a `{cesql}` filter as an indexed rule; throws HERALD_INVALID_FILTER. */
export function cesqlRule(ruleId: string, text: unknown, field = 'cesql'): IndexedRule {
  if (typeof text !== 'string') {
    throw new HeraldError('HERALD_INVALID_FILTER', 'a CloudEvents SQL filter must be a string', field);
  }
  const compiled = validateCesql(text, field);
  return {
    id: ruleId,
    impliedTypes: compiled.impliedTypes,
    test: (event, errorsOut) => matchesCesql(compiled, event, errorsOut),
  };
}

export function createCesqlMatcher(): CesqlMatcher {
  const index = new RuleIndex();
  return {
    add(ruleId: string, filter: Filter): void {
      if (!('cesql' in filter)) {
        throw new HeraldError('HERALD_INVALID_FILTER', 'this matcher takes {"cesql": "…"} filters only', 'filter');
      }
      index.set(cesqlRule(ruleId, filter.cesql));
    },
    remove: (ruleId) => index.remove(ruleId),
    match: (event) => index.match(event),
    matchDetailed: (event) => index.matchDetailed(event),
    get size() {
      return index.size;
    },
  };
}
