/**
 * The reference interpreter: the definition of matching, written for obviousness rather than speed.
 * It flattens the whole event into (path, value, array membership) leaves, then for one pattern tries
 * every choice of one passing leaf per condition. The compiled matcher must agree with it on every
 * (pattern, event) pair; the differential and property tests in test/patterns/ check that.
 *
 * Definition: a sub-rule matches an event when there is a choice of one leaf per positive condition,
 * each at the condition's path and passing one of its tests, such that no array of the event is taken
 * at two different element indexes (array consistency), and, for every `exists: false` condition, no
 * leaf at its path is consistent with that choice. A pattern matches when one of its sub-rules does.
 */
import { MAX_ARRAY_NESTING, type Condition, type Leaf, type ParsedPattern, type SubRule } from './types.js';
import { passes } from './value-tests.js';

export interface FlatLeaf {
  readonly path: string;
  readonly value: Leaf;
  /** (array id, element index) for every array on the way down to this leaf. */
  readonly membership: ReadonlyMap<number, number>;
}

/** All leaves of an event, grouped by flattened path (segments joined with `.`). */
export function flatten(event: unknown): Map<string, FlatLeaf[]> {
  const out = new Map<string, FlatLeaf[]>();
  // The root must be an object. An explicit stack (depth-first, in document order) instead of
  // recursion, so that a deeply nested event cannot exhaust the call stack; `null` path = the root.
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return out;
  let arrays = 0;
  const stack: Array<{ value: unknown; path: string | null; membership: ReadonlyMap<number, number> }> = [
    { value: event, path: null, membership: new Map() },
  ];
  while (stack.length > 0) {
    const { value, path, membership } = stack.pop()!;
    if (Array.isArray(value)) {
      if (membership.size >= MAX_ARRAY_NESTING) continue;
      const id = ++arrays;
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path, membership: new Map([...membership, [id, i]]) });
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        stack.push({ value: (value as Record<string, unknown>)[key], path: path === null ? key : `${path}.${key}`, membership });
      }
    } else if (path !== null && (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      const leaves = out.get(path) ?? [];
      leaves.push({ path, value, membership });
      out.set(path, leaves);
    }
  }
  return out;
}

export function consistent(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  for (const [id, index] of a) {
    const other = b.get(id);
    if (other !== undefined && other !== index) return false;
  }
  return true;
}

/** The leaves at a condition's path that pass one of its tests. */
export function passingLeaves(condition: Condition, leaves: Map<string, FlatLeaf[]>): FlatLeaf[] {
  return (leaves.get(condition.path) ?? []).filter((leaf) => condition.tests.some((t) => passes(t, leaf.value)));
}

/**
 * The search budget of one evaluation (shared by the sub-rules of one pattern): the same bound as the
 * compiled matcher's MAX_MATCH_STEPS, so that previews (`explainPattern`) cannot hang either. When it
 * runs out the answer is "no match" (fail closed) and `exhausted` is set.
 */
export interface SearchBudget {
  steps: number;
  exhausted: boolean;
}

export function newBudget(steps = 100_000): SearchBudget {
  return { steps, exhausted: false };
}

export function subRuleMatches(sub: SubRule, leaves: Map<string, FlatLeaf[]>, budget: SearchBudget = newBudget()): boolean {
  const positives = sub.conditions.filter((c) => !c.absent);
  const absents = sub.conditions.filter((c) => c.absent);
  // An `exists: false` field present outside every array fails every choice (as in the compiled matcher).
  if (absents.some((c) => (leaves.get(c.path) ?? []).some((leaf) => leaf.membership.size === 0))) return false;
  const options = positives.map((c) => passingLeaves(c, leaves));
  const spend = (): boolean => {
    if (--budget.steps >= 0) return true;
    budget.exhausted = true;
    return false;
  };
  const search = (i: number, chosen: ReadonlyMap<number, number>): boolean => {
    if (!spend()) return false;
    if (i === positives.length) {
      return absents.every((c) => !(leaves.get(c.path) ?? []).some((leaf) => !spend() || consistent(leaf.membership, chosen)));
    }
    return options[i].some(
      (leaf) => spend() && consistent(leaf.membership, chosen) && search(i + 1, new Map([...chosen, ...leaf.membership])),
    );
  };
  return search(0, new Map());
}

/** Whether the (already parsed) pattern matches the event. */
export function referenceMatches(pattern: ParsedPattern, event: unknown, budget: SearchBudget = newBudget()): boolean {
  const leaves = flatten(event);
  return pattern.subRules.some((sub) => subRuleMatches(sub, leaves, budget));
}
