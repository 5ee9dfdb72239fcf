/**
 * LIKE patterns (CESQL §3.4.3): `%` is any run of characters, `_` exactly one character, `\%` and
 * `\_` the literal characters. A backslash before anything else is itself a literal backslash
 * (TCK like_expression "Exact match (2)": `'ab\c' LIKE 'ab\c'` is true).
 *
 * Matching is the linear glob matcher shared with EventBridge wildcards (../glob.ts), never a
 * RegExp: a backtracking RegExp made `'%a%a%a%a%a%a%a%a%a%a%a%a%_b'` take 40 s on 40 × `a`
 * (issue 11, item 1). Characters are code points, as CESQL counts them.
 */
import { compileGlob, matchGlob, ONE, type SegmentItem, type StepCounter } from '../glob.js';

/** The pattern split at every (run of) `%`: each segment a list of literal texts and `_`. */
function segments(pattern: string): SegmentItem[][] {
  const out: SegmentItem[][] = [[]];
  let text = '';
  const flush = (): void => {
    if (text !== '') out[out.length - 1].push(text);
    text = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      text += pattern[++i];
    } else if (c === '%') {
      flush();
      // Consecutive % are one %: an empty segment between them would change nothing but the count.
      if (!(out.length > 1 && out[out.length - 1].length === 0)) out.push([]);
    } else if (c === '_') {
      flush();
      out[out.length - 1].push(ONE);
    } else {
      text += c;
    }
  }
  flush();
  return out;
}

/** Compiles a LIKE pattern once; the test costs O(value + pattern) (see glob.ts). */
export function compileLike(pattern: string): (s: string, counter?: StepCounter) => boolean {
  const glob = compileGlob(segments(pattern));
  return (s, counter) => matchGlob(glob, s, counter);
}
