/**
 * The normalised form of an EventBridge event pattern, shared by the compiled matcher, the reference
 * interpreter and `explainPattern`. A pattern is parsed once (parse-pattern.ts) into one or more
 * sub-rules (more than one only when `$or` is used); a sub-rule is a conjunction of conditions, one
 * per flattened field path; a condition is satisfied by one leaf value at its path passing any of its
 * value tests (the "array of values is OR" rule), or, for `exists: false`, by no leaf value at all.
 */
import type { Wildcard } from './wildcard.js';
import type { IpRange } from './cidr.js';

/**
 * Values inside more than this many nested arrays are not looked at (by both engines), so a hostile
 * event like `[[[[…]]]]` cannot exhaust the stack. Real events nest arrays a few levels deep.
 */
export const MAX_ARRAY_NESTING = 64;

/** A JSON leaf value: what a pattern's value tests look at. */
export type Leaf = string | number | boolean | null;

/** One value test: an exact value or one operator object from a pattern's value list. */
export type ValueTest =
  | { readonly kind: 'exact'; readonly value: Leaf }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly wildcard: Wildcard }
  | { readonly kind: 'numeric'; readonly range: NumericRange }
  | { readonly kind: 'cidr'; readonly range: IpRange; readonly text: string }
  | { readonly kind: 'exists' }
  | { readonly kind: 'anything-but'; readonly but: AnythingBut };

/** `numeric`: `=` is the range [v, v]; a missing bound is infinite. */
export interface NumericRange {
  readonly lower: number;
  readonly lowerInclusive: boolean;
  readonly upper: number;
  readonly upperInclusive: boolean;
}

/**
 * `anything-but`: matches every present leaf value that is not excluded. Non-strings are never
 * excluded by the string forms, and strings are never excluded by a number list (event-ruler compares
 * typed values: `"5"` and `5` differ).
 */
export type AnythingBut =
  | { readonly mode: 'strings'; readonly values: readonly string[] }
  | { readonly mode: 'numbers'; readonly values: readonly number[] }
  | { readonly mode: 'equals-ignore-case'; readonly values: readonly string[] }
  | { readonly mode: 'prefix'; readonly values: readonly string[] }
  | { readonly mode: 'suffix'; readonly values: readonly string[] }
  | { readonly mode: 'wildcard'; readonly values: readonly Wildcard[] };

export interface Condition {
  /** The flattened field path, segments joined by `.` (so `{"a":{"b":…}}` and `{"a.b":…}` are one path). */
  readonly path: string;
  /** `exists: false`: satisfied when the path holds no leaf value (checked array-consistently). */
  readonly absent: boolean;
  /** Otherwise: one leaf value at the path must pass one of these. */
  readonly tests: readonly ValueTest[];
  /** Where this condition sits in the pattern, for explanations (e.g. `detail.price`). */
  readonly patternPath: string;
}

export interface SubRule {
  readonly conditions: readonly Condition[];
}

export interface ParsedPattern {
  readonly subRules: readonly SubRule[];
}
