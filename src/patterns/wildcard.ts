/**
 * `wildcard` values (EventBridge "Wildcard matching"; event-ruler WildcardParser): `*` matches any run of
 * characters, `\*` is a literal star and `\\` a literal backslash; any other escape, and `**`, are
 * rejected. Matching splits the value on unescaped stars into literals and finds them leftmost-first,
 * which is exact for star-only globs and costs O(value length x literals) without backtracking.
 */

/** Complexity bound (docs/patterns.md, "Limits"): at most this many unescaped `*` in one wildcard value. */
export const MAX_WILDCARD_STARS = 10;

export interface Wildcard {
  /** The value as written in the pattern. */
  readonly source: string;
  /** The literal runs between stars; `parts.length === stars + 1`, the first and last may be empty. */
  readonly parts: readonly string[];
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
    return `too complex: ${parts.length - 1} wildcard characters, at most ${MAX_WILDCARD_STARS} are allowed`;
  }
  return { source, parts };
}

export function matchWildcard(w: Wildcard, value: string): boolean {
  const parts = w.parts;
  const last = parts.length - 1;
  if (last === 0) return value === parts[0];
  const head = parts[0];
  const tail = parts[last];
  if (value.length < head.length + tail.length) return false;
  if (!value.startsWith(head) || !value.endsWith(tail)) return false;
  let from = head.length;
  const end = value.length - tail.length;
  for (let i = 1; i < last; i++) {
    const part = parts[i];
    const at = value.indexOf(part, from);
    if (at < 0 || at + part.length > end) return false;
    from = at + part.length;
  }
  return true;
}
