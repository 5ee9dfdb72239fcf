/**
 * The compiled matcher: all rules of a bus in one path trie (path-trie.ts) whose nodes hold indexed
 * value tests (field-index.ts). One match is one walk over the event along the trie; each passing test
 * reports its condition id; a sub-rule whose positive conditions have all been reported becomes a
 * candidate, and candidates are confirmed at the end. The cost is about the number of pattern-used
 * fields in the event plus the number of conditions that pass, not the number of rules.
 *
 * Array consistency (event-ruler ACFinder / ArrayMembership): every array met in the walk gets a fresh
 * id, and a value inside arrays carries its membership, the (array id, element index) pairs on its
 * way down. A sub-rule matches only if one passing value per condition can be chosen with no array
 * taken at two different indexes, and, for `exists: false`, no value at that path is consistent with
 * the choice. Values outside arrays, and sub-rules with a single condition, skip this bookkeeping.
 *
 * That choice is a search, exponential in the worst case: four arrays of 300 objects and an
 * `exists: false` field that is present took 10 minutes (issue 11, item 1 audit). So one match spends
 * at most MAX_MATCH_STEPS search steps; a sub-rule whose search runs out fails closed (no match) and
 * is reported by `exhausted()` so the router records it as an evaluation error.
 */
import { MAX_ARRAY_NESTING, type Leaf } from '../types.js';
import type { HitSink } from './field-index.js';
import { PathTrie, type PathNode } from './path-trie.js';
import { RuleTable, type SubRuleRecord } from './rule-table.js';
import type { ParsedPattern } from '../types.js';

const GEN_LIMIT = 0x3fffffff;

/** The array-consistency search steps one event may cost (docs/patterns.md, "Limits"). */
export const MAX_MATCH_STEPS = 100_000;
const NO_MEMBERSHIPS: number[][] = [];

export class CompiledMatcher implements HitSink {
  private readonly trie = new PathTrie();
  private readonly table = new RuleTable(this.trie);

  // Per-match state, reset lazily by the generation counter.
  private gen = 0;
  private condGen = new Int32Array(64);
  private condAnywhere = new Uint8Array(64);
  /** For sub-rules with `exists: false`: the condition had a hit outside any array (an option that assigns nothing). */
  private condRoot = new Uint8Array(64);
  private condMemberships: number[][][] = [];
  private subGen = new Int32Array(64);
  private subCount = new Int32Array(64);
  // Growable stacks with explicit lengths: shrinking a JS array through `.length =` is a slow runtime call.
  private readonly candidates: SubRuleRecord[] = [];
  private candidateCount = 0;
  /** The membership of the value being visited: pairs (array id, element index), `depth` entries used. */
  private readonly membership: number[] = [];
  private depth = 0;
  private arrayIds = 0;
  // Scratch for verify().
  private readonly pending: number[] = [];
  private pendingCount = 0;
  private readonly assigned: number[] = [];
  private assignedCount = 0;
  /** Search steps left for this match, and the rules whose search ran out of them. */
  private budget = MAX_MATCH_STEPS;
  private exhaustedRules: string[] = [];

  add(id: string, parsed: ParsedPattern): void {
    this.table.remove(id);
    this.table.add(id, parsed);
    this.ensureCapacity();
  }

  remove(id: string): void {
    this.table.remove(id);
  }

  get ruleCount(): number {
    return this.table.rules.size;
  }

  match(event: unknown): string[] {
    if (++this.gen >= GEN_LIMIT) this.resetGenerations();
    const gen = this.gen;
    this.candidateCount = 0;
    this.depth = 0;
    this.arrayIds = 0;
    this.budget = MAX_MATCH_STEPS;
    if (this.exhaustedRules.length !== 0) this.exhaustedRules = [];
    if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
      this.walkObject(this.trie.root, event as Record<string, unknown>);
    }
    const out: string[] = [];
    const candidates = this.candidates;
    for (let i = 0; i < this.candidateCount; i++) {
      const sub = candidates[i];
      if (sub.rule.reportedGen !== gen && this.verify(sub)) {
        sub.rule.reportedGen = gen;
        out.push(sub.rule.id);
      }
    }
    const absenceOnly = this.table.absenceOnly;
    for (let i = 0; i < absenceOnly.length; i++) {
      const sub = absenceOnly[i];
      if (sub.rule.reportedGen !== gen && this.verify(sub)) {
        sub.rule.reportedGen = gen;
        out.push(sub.rule.id);
      }
    }
    return out;
  }

  /** The rules of the last `match` whose array-consistency search ran out of steps (they did not match). */
  exhausted(): readonly string[] {
    return this.exhaustedRules;
  }

  private walkObject(node: PathNode, obj: Record<string, unknown>): void {
    const edges = node.edges;
    for (let i = 0; i < edges.length; i++) {
      const edge = edges[i];
      const value = obj[edge.key];
      if (value === undefined) continue;
      if (edge.guarded && !Object.hasOwn(obj, edge.key)) continue;
      this.walkValue(edge.node, value);
    }
  }

  private walkValue(node: PathNode, value: unknown): void {
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
        this.visitLeaf(node, value);
        return;
      case 'object':
        if (value === null) {
          this.visitLeaf(node, null);
        } else if (Array.isArray(value)) {
          const m = this.membership;
          const at = this.depth;
          if (at >= 2 * MAX_ARRAY_NESTING) return;
          m[at] = ++this.arrayIds;
          this.depth = at + 2;
          for (let i = 0; i < value.length; i++) {
            m[at + 1] = i;
            this.walkValue(node, value[i]);
          }
          this.depth = at;
        } else if (node.edges.length !== 0) {
          this.walkObject(node, value as Record<string, unknown>);
        }
        return;
      default:
        return; // undefined, functions, bigint, symbols: not JSON values, never leaves
    }
  }

  private visitLeaf(node: PathNode, value: Leaf): void {
    if (node.absentUses !== 0) this.recordPresence(node);
    if (node.index !== null) node.index.match(value, this);
  }

  private recordPresence(node: PathNode): void {
    if (node.presenceGen !== this.gen) {
      node.presenceGen = this.gen;
      node.presenceAnywhere = false;
      if (node.presenceMemberships.length !== 0) node.presenceMemberships = [];
    }
    if (node.presenceAnywhere) return;
    if (this.depth === 0) node.presenceAnywhere = true;
    else node.presenceMemberships.push(this.membership.slice(0, this.depth));
  }

  /** HitSink: condition `cond` has a passing value at the current membership. */
  hit(cond: number): void {
    const gen = this.gen;
    const depth = this.depth;
    if (this.condGen[cond] !== gen) {
      this.condGen[cond] = gen;
      const needs = this.table.condNeedsMembership[cond];
      if (needs === 0 || (depth === 0 && needs === 1)) {
        this.condAnywhere[cond] = 1;
      } else {
        this.condAnywhere[cond] = 0;
        this.condRoot[cond] = depth === 0 ? 1 : 0;
        this.condMemberships[cond] = depth === 0 ? NO_MEMBERSHIPS : [this.membership.slice(0, depth)];
      }
      const sub = this.table.condSub[cond];
      const s = sub.id;
      if (this.subGen[s] !== gen) {
        this.subGen[s] = gen;
        this.subCount[s] = 0;
      }
      if (++this.subCount[s] === sub.need) this.candidates[this.candidateCount++] = sub;
    } else if (this.condAnywhere[cond] === 0) {
      if (depth === 0) {
        if (this.table.condNeedsMembership[cond] === 1) this.condAnywhere[cond] = 1;
        else this.condRoot[cond] = 1;
      } else {
        const list = this.condMemberships[cond];
        if (list === NO_MEMBERSHIPS) this.condMemberships[cond] = [this.membership.slice(0, depth)];
        else list.push(this.membership.slice(0, depth));
      }
    }
  }

  /** Confirms a candidate: an array-consistent choice of one value per condition exists. */
  private verify(sub: SubRuleRecord): boolean {
    const pending = this.pending;
    let count = 0;
    const conds = sub.conds;
    for (let i = 0; i < conds.length; i++) if (this.condAnywhere[conds[i]] === 0) pending[count++] = conds[i];
    if (count === 0 && sub.absents.length === 0) return true;
    // An `exists: false` field present outside every array fails every choice: no search needed.
    for (const node of sub.absents) if (node.presenceGen === this.gen && node.presenceAnywhere) return false;
    this.pendingCount = count;
    this.assignedCount = 0;
    if (this.choose(sub, 0)) return true;
    if (this.budget < 0 && !this.exhaustedRules.includes(sub.rule.id)) this.exhaustedRules.push(sub.rule.id);
    return false;
  }

  private choose(sub: SubRuleRecord, i: number): boolean {
    if (--this.budget < 0) return false;
    if (i === this.pendingCount) return this.absentsHold(sub);
    const cond = this.pending[i];
    if (this.condRoot[cond] === 1 && this.choose(sub, i + 1)) return true;
    const options = this.condMemberships[cond];
    const mark = this.assignedCount;
    for (const m of options) {
      if (--this.budget < 0) return false;
      if (!this.consistent(m)) continue;
      this.assign(m);
      if (this.choose(sub, i + 1)) return true;
      this.assignedCount = mark;
    }
    return false;
  }

  private absentsHold(sub: SubRuleRecord): boolean {
    for (const node of sub.absents) {
      if (node.presenceGen !== this.gen) continue;
      if (node.presenceAnywhere) return false;
      for (const m of node.presenceMemberships) {
        if (--this.budget < 0 || this.consistent(m)) return false;
      }
    }
    return true;
  }

  /** Whether membership `m` agrees with the arrays assigned so far (pairs: array id, index). */
  private consistent(m: readonly number[]): boolean {
    const a = this.assigned;
    const n = this.assignedCount;
    for (let i = 0; i < m.length; i += 2) {
      for (let j = 0; j < n; j += 2) {
        if (a[j] === m[i]) {
          if (a[j + 1] !== m[i + 1]) return false;
          break;
        }
      }
    }
    return true;
  }

  private assign(m: readonly number[]): void {
    const a = this.assigned;
    const known = this.assignedCount;
    outer: for (let i = 0; i < m.length; i += 2) {
      for (let j = 0; j < known; j += 2) if (a[j] === m[i]) continue outer;
      a[this.assignedCount++] = m[i];
      a[this.assignedCount++] = m[i + 1];
    }
  }

  private ensureCapacity(): void {
    const conds = this.table.condCapacity;
    if (this.condGen.length < conds) {
      this.condGen = grow(this.condGen, conds);
      const anywhere = new Uint8Array(conds);
      anywhere.set(this.condAnywhere);
      this.condAnywhere = anywhere;
      const root = new Uint8Array(conds);
      root.set(this.condRoot);
      this.condRoot = root;
    }
    const subs = this.table.nextSub;
    if (this.subGen.length < subs) {
      const size = Math.max(subs, this.subGen.length * 2);
      this.subGen = grow(this.subGen, size);
      this.subCount = grow(this.subCount, size);
    }
  }

  private resetGenerations(): void {
    this.gen = 1;
    this.condGen.fill(0);
    this.subGen.fill(0);
    for (const rule of this.table.rules.values()) rule.reportedGen = 0;
    this.trie.forEachNode((node) => {
      node.presenceGen = 0;
    });
  }
}

function grow(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(size);
  grown.set(array);
  return grown;
}
