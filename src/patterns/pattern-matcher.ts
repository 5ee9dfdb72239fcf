/**
 * The `Matcher` (src/patterns/matcher.ts) for `{pattern}` filters: validates each pattern when a rule
 * is added (fail closed) and keeps every rule in one CompiledMatcher.
 */
import { HeraldError } from '../errors/index.js';
import type { Filter, Matcher } from './matcher.js';
import { CompiledMatcher, MAX_MATCH_STEPS } from './compiled/compiled-matcher.js';
import { parsePattern } from './parse-pattern.js';

export interface PatternMatcher extends Matcher {
  /** Like match, and the rules that failed closed because the event cost too much to match (MAX_MATCH_STEPS). */
  matchDetailed(event: unknown): { matched: string[]; errors: Array<{ ruleId: string; message: string }> };
}

export function createPatternMatcher(): PatternMatcher {
  const compiled = new CompiledMatcher();
  return {
    add(ruleId: string, filter: Filter): void {
      if (typeof filter !== 'object' || filter === null || !('pattern' in filter)) {
        throw new HeraldError(
          'HERALD_INVALID_FILTER',
          'this matcher takes {"pattern": …} filters only (CloudEvents SQL and Subscriptions filters have their own)',
          'filter',
        );
      }
      // Parse before touching the compiled structure: an invalid pattern leaves the old rule in place.
      const parsed = parsePattern(filter.pattern);
      compiled.add(ruleId, parsed);
    },
    remove(ruleId: string): void {
      compiled.remove(ruleId);
    },
    match(event: unknown): string[] {
      return compiled.match(event);
    },
    matchDetailed(event: unknown) {
      const matched = compiled.match(event);
      const errors = compiled.exhausted().map((ruleId) => ({
        ruleId,
        message: `limit: matching this event against the pattern took more than ${MAX_MATCH_STEPS} array-consistency steps; the rule did not match (fail closed)`,
      }));
      return { matched, errors };
    },
  };
}
