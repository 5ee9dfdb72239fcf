/**
 * One matcher for every filter language of a bus (issue 7, item 4): EventBridge patterns go through
 * the compiled pattern matcher, CloudEvents SQL and Subscriptions filters through their own indexed
 * matcher (with its pre-filter on an implied `type`). One call per event, whatever the mix.
 */
import { HeraldError } from '../errors/index.js';
import { createPatternMatcher, explainPattern, validatePattern } from './index.js';
import { explainCesql, validateCesql } from './cesql/index.js';
import { createSqlFamilyMatcher, explainSubscriptions, validateSubscriptions } from './subscriptions/index.js';
import type { Explanation, Filter, Matcher } from './matcher.js';

type Language = 'pattern' | 'cesql' | 'subscriptions';

/** Checks a filter's form and compiles it; throws a coded error naming the field. */
export function validateFilter(filter: unknown, field = 'filter'): Filter {
  const language = languageOf(filter, field);
  const value = (filter as Record<string, unknown>)[language];
  try {
    if (language === 'pattern') validatePattern(value);
    else if (language === 'cesql') validateCesql(value as string, `${field}.cesql`);
    else validateSubscriptions(value, `${field}.subscriptions`);
  } catch (error) {
    if (error instanceof HeraldError && language === 'pattern') {
      // The pattern engine names paths inside the pattern; prefix where the pattern sits.
      throw new HeraldError(error.code, `${field}.pattern${error.field ? `.${error.field}` : ''}: ${stripField(error)}`, `${field}.pattern${error.field ? `.${error.field}` : ''}`);
    }
    throw error;
  }
  return filter as Filter;
}

export function explainFilter(filter: Filter, event: unknown): Explanation {
  const language = languageOf(filter, 'filter');
  if (language === 'pattern') return explainPattern((filter as { pattern: unknown }).pattern, event);
  if (language === 'cesql') return explainCesql((filter as { cesql: string }).cesql, event);
  return explainSubscriptions((filter as { subscriptions: unknown[] }).subscriptions, event);
}

export interface FilterMatcher extends Matcher {
  /** Like match, and also the rules whose CloudEvents SQL failed to evaluate on the event (no match). */
  matchDetailed(event: unknown): { matched: string[]; errors: Array<{ ruleId: string; message: string }> };
}

export function createFilterMatcher(): FilterMatcher {
  const patterns = createPatternMatcher();
  const sql = createSqlFamilyMatcher();
  const languages = new Map<string, Language>();
  return {
    add(ruleId, filter) {
      const language = languageOf(filter, 'filter');
      if (language === 'pattern') patterns.add(ruleId, filter);
      else sql.add(ruleId, filter);
      const before = languages.get(ruleId);
      if (before && (before === 'pattern') !== (language === 'pattern')) {
        if (before === 'pattern') patterns.remove(ruleId);
        else sql.remove(ruleId);
      }
      languages.set(ruleId, language);
    },
    remove(ruleId) {
      const language = languages.get(ruleId);
      if (!language) return;
      if (language === 'pattern') patterns.remove(ruleId);
      else sql.remove(ruleId);
      languages.delete(ruleId);
    },
    match(event) {
      const matched = sql.size === 0 ? patterns.match(event) : patterns.match(event).concat(sql.match(event));
      // A rule is one match however many of its alternatives matched.
      return matched.length > 1 ? [...new Set(matched)] : matched;
    },
    matchDetailed(event) {
      const { matched, errors: patternErrors } = patterns.matchDetailed(event);
      if (sql.size === 0) return { matched: matched.length > 1 ? [...new Set(matched)] : matched, errors: patternErrors };
      const detailed = sql.matchDetailed(event);
      return {
        matched: [...new Set(matched.concat(detailed.matched))],
        errors: patternErrors.concat(
          detailed.errors.map(({ ruleId, errors }) => ({ ruleId, message: errors.map((e) => `${e.kind}: ${e.message}`).join('; ') })),
        ),
      };
    },
  };
}

function languageOf(filter: unknown, field: string): Language {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new HeraldError('HERALD_INVALID_FILTER', `${field}: expected an object with one of "pattern", "cesql" or "subscriptions"`, field);
  }
  const keys = Object.keys(filter);
  const known = keys.filter((k): k is Language => k === 'pattern' || k === 'cesql' || k === 'subscriptions');
  const unknown = keys.filter((k) => !known.includes(k as Language));
  if (unknown.length > 0) {
    throw new HeraldError('HERALD_INVALID_FILTER', `${field}.${unknown[0]}: unknown filter language; use "pattern", "cesql" or "subscriptions"`, `${field}.${unknown[0]}`);
  }
  if (known.length !== 1) {
    throw new HeraldError('HERALD_INVALID_FILTER', `${field}: give exactly one of "pattern", "cesql" or "subscriptions"`, field);
  }
  return known[0];
}

/** The pattern engine's message without its own location prefix (`path: ` or `(pattern): `). */
function stripField(error: HeraldError): string {
  for (const prefix of [`${error.field}: `, '(pattern): ']) {
    if (error.message.startsWith(prefix)) return error.message.slice(prefix.length);
  }
  return error.message;
}
