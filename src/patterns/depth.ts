/**
 * Nesting limits for filters (issue 11, item 5): 100 000-level input gave a stack overflow and a 500.
 * Deep input is measured here without recursion, before any recursive code sees it, and refused with
 * HERALD_TOO_DEEP (400) naming the limit. 64 levels is far more than real events or patterns use
 * (an AWS API call event nests about 5 levels in `detail`).
 */
import { HeraldError } from '../errors/index.js';

/** The most levels of JSON objects and arrays a pattern, a filter or a previewed event may nest. */
export const MAX_NESTING_DEPTH = 64;

/**
 * The nesting depth of a JSON value, counting each object or array as one level (`1` and `"x"` are 0,
 * `{}` and `[]` are 1, `{"a":[1]}` is 2); stops counting once `limit` is passed.
 */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 1;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** Throws HERALD_TOO_DEEP when `value` nests deeper than the limit; `what` names it in the message. */
export function assertNotTooDeep(value: unknown, field: string, what: string, limit = MAX_NESTING_DEPTH): void {
  if (nestingDepth(value, limit) > limit) {
    throw new HeraldError('HERALD_TOO_DEEP', `${what} nests more than ${limit} levels deep (the limit is ${limit})`, field, { limit });
  }
}
