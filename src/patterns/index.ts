/**
 * EventBridge-style event patterns: validation, the compiled matcher and explanations.
 * docs/patterns.md is the user's reference for the language.
 */
import { parsePattern } from './parse-pattern.js';

export type { Filter, Matcher, Explanation } from './matcher.js';
export type { ParsedPattern, SubRule, Condition, ValueTest } from './types.js';
export { createPatternMatcher, type PatternMatcher } from './pattern-matcher.js';
export { MAX_MATCH_STEPS } from './compiled/compiled-matcher.js';
export { explainPattern } from './explain.js';
export { parsePattern, MAX_PATTERN_CHARS, MAX_OR_COMBINATIONS } from './parse-pattern.js';
export { MAX_WILDCARD_STARS } from './wildcard.js';
export { referenceMatches } from './reference.js';

/** Throws HERALD_INVALID_PATTERN (with `field` = the path in the pattern) when the pattern is invalid. */
export function validatePattern(pattern: unknown): void {
  parsePattern(pattern);
}
