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
 * `{}` and `[]` are 1, `{"a":[1]}` is 2); stops counting once `limit` is passed. A cycle (possible only
 * for values built in code, never parsed JSON) is not followed: the validation that comes next names it.
 */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  const onPath = new Set<object>();
  // Depth-first with an explicit stack; `null` entries mark leaving the node below them.
  const stack: Array<[object, number] | [null, object]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [object | null, number | object];
    if (node === null) {
      onPath.delete(depth as object);
      continue;
    }
    if (onPath.has(node)) continue;
    if ((depth as number) > deepest) deepest = depth as number;
    if (deepest > limit) return deepest;
    onPath.add(node);
    stack.push([null, node]);
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, (depth as number) + 1]);
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
