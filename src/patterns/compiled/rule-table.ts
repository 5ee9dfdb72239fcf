/**
 * The rules of one matcher as small integer-keyed records: every condition of every sub-rule gets a
 * condition id, every sub-rule an id, and the per-match state (match-state.ts) lives in typed arrays
 * indexed by those ids. Ids are recycled on remove, so adding or removing a rule touches only that
 * rule's conditions: there is no rebuild.
 */
import type { ParsedPattern, ValueTest } from '../types.js';
import { FieldIndex } from './field-index.js';
import type { PathNode, PathTrie } from './path-trie.js';

export interface RuleRecord {
  readonly id: string;
  readonly subRules: SubRuleRecord[];
  /** Every (node, test, condition) registered, to undo on remove. */
  readonly registrations: Array<{ node: PathNode; test: ValueTest; cond: number }>;
  readonly paths: string[];
  /** The generation of the last match that reported this rule (dedupes `$or` branches). */
  reportedGen: number;
}

export interface SubRuleRecord {
  readonly id: number;
  readonly rule: RuleRecord;
  /** Positive condition ids (some leaf must pass); `need` is their count. */
  readonly conds: number[];
  readonly need: number;
  /** Paths with `exists: false`. */
  readonly absents: PathNode[];
}

export class RuleTable {
  readonly rules = new Map<string, RuleRecord>();
  /** Sub-rules with only `exists: false` conditions: no value hit can nominate them, so every match checks them. */
  absenceOnly: SubRuleRecord[] = [];
  condSub: SubRuleRecord[] = [];
  /**
   * What array membership a condition's hits must keep: 0 none (its sub-rule has one condition), 1 the
   * memberships until a hit outside any array makes the condition hold everywhere (several positive
   * conditions), 2 every hit (the sub-rule has `exists: false`: a hit deeper in an array can leave an
   * absent field absent where a hit outside arrays cannot).
   */
  condNeedsMembership = new Uint8Array(64);
  private nextCond = 0;
  private readonly freeConds: number[] = [];
  nextSub = 0;
  private readonly freeSubs: number[] = [];

  constructor(private readonly trie: PathTrie) {}

  get condCapacity(): number {
    return this.condNeedsMembership.length;
  }

  add(id: string, parsed: ParsedPattern): void {
    const rule: RuleRecord = { id, subRules: [], registrations: [], paths: [], reportedGen: 0 };
    for (const sub of parsed.subRules) {
      const subId = this.freeSubs.pop() ?? this.nextSub++;
      const conds: number[] = [];
      const absents: PathNode[] = [];
      const positives = sub.conditions.filter((c) => !c.absent);
      const needsMembership = positives.length < sub.conditions.length ? 2 : positives.length > 1 ? 1 : 0;
      const record: SubRuleRecord = { id: subId, rule, conds, need: positives.length, absents };
      for (const condition of sub.conditions) {
        const node = this.trie.acquire(condition.path);
        rule.paths.push(condition.path);
        if (condition.absent) {
          node.absentUses++;
          absents.push(node);
          continue;
        }
        const cond = this.allocCond();
        this.condSub[cond] = record;
        this.condNeedsMembership[cond] = needsMembership;
        conds.push(cond);
        node.index ??= new FieldIndex();
        for (const test of condition.tests) {
          node.index.add(test, cond);
          rule.registrations.push({ node, test, cond });
        }
      }
      if (positives.length === 0) this.absenceOnly.push(record);
      rule.subRules.push(record);
    }
    this.rules.set(id, rule);
  }

  remove(id: string): void {
    const rule = this.rules.get(id);
    if (rule === undefined) return;
    this.rules.delete(id);
    for (const { node, test, cond } of rule.registrations) {
      node.index?.remove(test, cond);
      if (node.index !== null && node.index.size === 0) node.index = null;
    }
    for (const sub of rule.subRules) {
      for (const node of sub.absents) node.absentUses--;
      for (const cond of sub.conds) this.freeConds.push(cond);
      if (sub.need === 0) this.absenceOnly = this.absenceOnly.filter((s) => s !== sub);
      this.freeSubs.push(sub.id);
    }
    for (const path of rule.paths) this.trie.release(path);
  }

  private allocCond(): number {
    const cond = this.freeConds.pop() ?? this.nextCond++;
    if (cond >= this.condNeedsMembership.length) {
      const grown = new Uint8Array(this.condNeedsMembership.length * 2);
      grown.set(this.condNeedsMembership);
      this.condNeedsMembership = grown;
    }
    return cond;
  }
}
