/**
 * `explainPattern`: whether one pattern matches one event and, when not, which field failed and why,
 * for `POST /v1/filters/test` and `herald pattern test`. It uses the reference interpreter, so the
 * explanation and the verdict always agree with the definition of matching.
 */
import type { Explanation } from './matcher.js';
import type { Condition, SubRule } from './types.js';
import { flatten, newBudget, passingLeaves, subRuleMatches, type FlatLeaf } from './reference.js';
import { MAX_MATCH_STEPS } from './compiled/compiled-matcher.js';
import { describeTest } from './value-tests.js';
import { parsePattern } from './parse-pattern.js';

const MAX_SHOWN_VALUES = 5;

function shown(leaves: readonly FlatLeaf[]): string {
  const values = leaves.slice(0, MAX_SHOWN_VALUES).map((l) => JSON.stringify(l.value));
  return values.join(', ') + (leaves.length > MAX_SHOWN_VALUES ? `, … (${leaves.length} values)` : '');
}

function whyNot(condition: Condition, leaves: Map<string, FlatLeaf[]>): string | null {
  const present = leaves.get(condition.path) ?? [];
  if (condition.absent) {
    return present.length === 0 ? null : `expected the field to be absent (exists: false), found ${shown(present)}`;
  }
  const expected = condition.tests.map(describeTest).join(' or ');
  if (present.length === 0) return `the field is missing (or holds no value), expected ${expected}`;
  if (passingLeaves(condition, leaves).length === 0) return `got ${shown(present)}, expected ${expected}`;
  return null;
}

function explainSubRule(sub: SubRule, leaves: Map<string, FlatLeaf[]>): Array<{ field: string; reason: string }> {
  const reasons: Array<{ field: string; reason: string }> = [];
  for (const condition of sub.conditions) {
    const reason = whyNot(condition, leaves);
    if (reason !== null) reasons.push({ field: condition.path, reason });
  }
  if (reasons.length === 0) {
    // Every condition holds on its own, so only the combination fails.
    const fields = sub.conditions.map((c) => c.path).join(', ');
    reasons.push({
      field: fields,
      reason:
        'each field has a matching value, but not within the same element of an array of objects ' +
        '(array-consistent matching), or an exists:false field is present in that element',
    });
  }
  return reasons;
}

/** Throws HERALD_INVALID_PATTERN for an invalid pattern, as `validatePattern` does. */
export function explainPattern(pattern: unknown, event: unknown): Explanation {
  const parsed = parsePattern(pattern);
  const leaves = flatten(event);
  const budget = newBudget(MAX_MATCH_STEPS);
  if (parsed.subRules.some((sub) => subRuleMatches(sub, leaves, budget))) return { matched: true, reasons: [] };
  if (budget.exhausted) {
    // Fail closed, as the router does (docs/patterns.md, "Limits").
    return {
      matched: false,
      reasons: [{ field: '', reason: `matching this event took more than ${MAX_MATCH_STEPS} array-consistency steps; the pattern does not match (fail closed)` }],
    };
  }
  const many = parsed.subRules.length > 1;
  const reasons = parsed.subRules.flatMap((sub, i) =>
    explainSubRule(sub, leaves).map((r) => (many ? { field: r.field, reason: `alternative ${i + 1} (of the $or and exists:false combinations): ${r.reason}` } : r)),
  );
  return { matched: false, reasons };
}
