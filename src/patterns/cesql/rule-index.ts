/**
 * The rule set behind the CESQL and Subscriptions matchers: rules indexed by the event types their
 * filter implies (issue 7 part 4), so that an event evaluates only the rules whose implied type is
 * its own, plus the rules that imply none. One pass per event; no I/O.
 */
import type { CesqlError } from './types.js';

export interface IndexedRule {
  readonly id: string;
  /** Event types the filter can be true for; `null` when the filter implies none. */
  readonly impliedTypes: ReadonlySet<string> | null;
  /** The filter decision; evaluation errors (which make it false) go to `errorsOut` when given. */
  test(event: Record<string, unknown>, errorsOut?: CesqlError[]): boolean;
}

/** What `matchDetailed` reports: the matching rules and, per rule, the errors that made it not match. */
export interface DetailedMatch {
  matched: string[];
  errors: Array<{ ruleId: string; errors: CesqlError[] }>;
}

const NO_RULES: readonly IndexedRule[] = [];

/** The key an event is looked up by: its `type` as CESQL sees it as a String (CESQL §3.7). */
function typeKey(event: Record<string, unknown>): string | undefined {
  const t = event.type;
  return typeof t === 'string' ? t : typeof t === 'number' || typeof t === 'boolean' ? String(t) : undefined;
}

function asRecord(event: unknown): Record<string, unknown> | undefined {
  return typeof event === 'object' && event !== null && !Array.isArray(event) ? (event as Record<string, unknown>) : undefined;
}

export class RuleIndex {
  private readonly rules = new Map<string, IndexedRule>();
  private byType = new Map<string, IndexedRule[]>();
  private untyped: IndexedRule[] = [];

  get size(): number {
    return this.rules.size;
  }

  /** Adds or replaces a rule. Arrays are rebuilt so that `match` iterates plain arrays. */
  set(rule: IndexedRule): void {
    if (this.rules.has(rule.id)) this.remove(rule.id);
    this.rules.set(rule.id, rule);
    if (rule.impliedTypes === null) {
      this.untyped = [...this.untyped, rule];
      return;
    }
    for (const type of rule.impliedTypes) this.byType.set(type, [...(this.byType.get(type) ?? NO_RULES), rule]);
  }

  remove(ruleId: string): void {
    const rule = this.rules.get(ruleId);
    if (rule === undefined) return;
    this.rules.delete(ruleId);
    if (rule.impliedTypes === null) {
      this.untyped = this.untyped.filter((r) => r.id !== ruleId);
      return;
    }
    for (const type of rule.impliedTypes) {
      const rest = (this.byType.get(type) ?? NO_RULES).filter((r) => r.id !== ruleId);
      if (rest.length === 0) this.byType.delete(type);
      else this.byType.set(type, rest);
    }
  }

  match(event: unknown): string[] {
    const record = asRecord(event);
    if (record === undefined) return [];
    const out: string[] = [];
    const key = typeKey(record);
    const typed = key === undefined ? undefined : this.byType.get(key);
    if (typed !== undefined) for (const rule of typed) if (rule.test(record)) out.push(rule.id);
    for (const rule of this.untyped) if (rule.test(record)) out.push(rule.id);
    return out;
  }

  /** As `match`, and the evaluation errors of the rules that did not match because of them. */
  matchDetailed(event: unknown): DetailedMatch {
    const result: DetailedMatch = { matched: [], errors: [] };
    const record = asRecord(event);
    if (record === undefined) return result;
    const key = typeKey(record);
    const candidates = [...((key === undefined ? undefined : this.byType.get(key)) ?? NO_RULES), ...this.untyped];
    for (const rule of candidates) {
      const errors: CesqlError[] = [];
      if (rule.test(record, errors)) result.matched.push(rule.id);
      else if (errors.length > 0) result.errors.push({ ruleId: rule.id, errors });
    }
    return result;
  }
}
