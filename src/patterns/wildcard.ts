/**
 * `wildcard` values (EventBridge "Wildcard matching"; event-ruler WildcardParser): `*` matches any run of
 * characters, `\*` is a literal star and `\\` a literal backslash; any other escape, and `**`, are
 * rejected. Matching is the linear glob matcher shared with CloudEvents SQL `LIKE` (glob.ts): the
 * literals between stars are found leftmost-first with KMP, so a value costs O(its length), whatever
 * the pattern, with no backtracking.
 */
import { compileGlob, matchGlob, type Glob, type StepCounter } from './glob.js';

/** Complexity bound (docs/patterns.md, "Limits"): at most this many unescaped `*` in one wildcard value. */
export const MAX_WILDCARD_STARS = 10;

export interface Wildcard {
  /** The value as written in the pattern. */
  readonly source: string;
  /** The literal runs between stars; `parts.length === stars + 1`, the first and last may be empty. */
  readonly parts: readonly string[];
  readonly glob: Glob;
}

/** Parses a wildcard value; returns an error text (for a HeraldError) or the compiled form. */
export function parseWildcard(source: string): Wildcard | string {
  const parts: string[] = [];
  let current = '';
  let previousStar = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1];
      if (next !== '*' && next !== '\\') return `invalid escape at offset ${i}: only \\* and \\\\ are allowed`;
      current += next;
      i++;
      previousStar = false;
    } else if (ch === '*') {
      if (previousStar) return `consecutive wildcard characters at offset ${i} are not allowed`;
      parts.push(current);
      current = '';
      previousStar = true;
    } else {
      current += ch;
      previousStar = false;
    }
  }
  parts.push(current);
  if (parts.length - 1 > MAX_WILDCARD_STARS) {
    // AWS answers InvalidEventPatternException "Rule is too complex" with this advice (User Guide,
    // "Wildcards and event pattern complexity"); Herald's measure is the count of stars.
    return `too complex: ${parts.length - 1} wildcard characters, at most ${MAX_WILDCARD_STARS} are allowed; try using fewer wildcard characters`;
  }
  return { source, parts, glob: compileGlob(parts.map((p) => [p])) };
}

export function matchWildcard(w: Wildcard, value: string, counter?: StepCounter): boolean {
  return matchGlob(w.glob, value, counter);
}
