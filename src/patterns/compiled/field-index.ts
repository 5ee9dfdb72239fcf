/**
 * Every value test of every rule on one field path, indexed by kind so that one event value is
 * checked in roughly constant time per kind rather than once per rule: exact strings, numbers and
 * literals by Map/lists, prefixes and suffixes by a Map keyed on the affix plus the set of affix
 * lengths in use (one lookup per distinct length), equals-ignore-case by a Map of folded values.
 * Ranges, wildcards, CIDR and anything-but are scanned (they are few per field in practice).
 */
import type { AnythingBut, Leaf, ValueTest } from '../types.js';
import { matchWildcard, type Wildcard } from '../wildcard.js';
import { parseIpv4, parseIpv6 } from '../cidr.js';

/** Receives condition ids whose test passed, with the current array membership held by the caller. */
export interface HitSink {
  hit(cond: number): void;
}

function addTo<K>(map: Map<K, number[]>, key: K, cond: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [cond]);
  else list.push(cond);
}

function removeFrom<K>(map: Map<K, number[]>, key: K, cond: number): void {
  const list = map.get(key);
  if (list === undefined) return;
  const i = list.indexOf(cond);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}

function removeWhere<T extends { cond: number }>(list: T[], cond: number, same: (e: T) => boolean): void {
  const i = list.findIndex((e) => e.cond === cond && same(e));
  if (i >= 0) list.splice(i, 1);
}

/** Prefixes or suffixes: affix -> conditions, and the distinct affix lengths in ascending order. */
class AffixIndex {
  readonly map = new Map<string, number[]>();
  lengths: number[] = [];
  private readonly lengthUses = new Map<number, number>();

  add(affix: string, cond: number): void {
    addTo(this.map, affix, cond);
    const n = this.lengthUses.get(affix.length) ?? 0;
    this.lengthUses.set(affix.length, n + 1);
    if (n === 0) this.lengths = [...this.lengthUses.keys()].sort((a, b) => a - b);
  }

  remove(affix: string, cond: number): void {
    removeFrom(this.map, affix, cond);
    const n = this.lengthUses.get(affix.length) ?? 0;
    if (n <= 1) {
      this.lengthUses.delete(affix.length);
      this.lengths = [...this.lengthUses.keys()].sort((a, b) => a - b);
    } else {
      this.lengthUses.set(affix.length, n - 1);
    }
  }

  matchPrefix(v: string, sink: HitSink): void {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i];
      if (len > v.length) return;
      const list = this.map.get(len === v.length ? v : v.slice(0, len));
      if (list !== undefined) hitAll(list, sink);
    }
  }

  matchSuffix(v: string, sink: HitSink): void {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i];
      if (len > v.length) return;
      const list = this.map.get(len === v.length ? v : v.slice(v.length - len));
      if (list !== undefined) hitAll(list, sink);
    }
  }
}

function hitAll(list: readonly number[], sink: HitSink): void {
  for (let i = 0; i < list.length; i++) sink.hit(list[i]);
}

interface RangeEntry { lo: number; loInc: boolean; hi: number; hiInc: boolean; cond: number }
interface WildcardEntry { w: Wildcard; cond: number }
interface Cidr4Entry { lo: number; hi: number; cond: number }
interface Cidr6Entry { lo: bigint; hi: bigint; cond: number }
interface ButEntry { but: AnythingBut; set: ReadonlySet<string | number> | null; cond: number }

export class FieldIndex {
  private readonly strings = new Map<string, number[]>();
  private readonly numbers = new Map<number, number[]>();
  private readonly literals = new Map<boolean | null, number[]>();
  private readonly prefixes = new AffixIndex();
  private readonly suffixes = new AffixIndex();
  private readonly foldedPrefixes = new AffixIndex();
  private readonly foldedSuffixes = new AffixIndex();
  private readonly foldedEquals = new Map<string, number[]>();
  private readonly ranges: RangeEntry[] = [];
  private readonly wildcards: WildcardEntry[] = [];
  private readonly cidr4: Cidr4Entry[] = [];
  private readonly cidr6: Cidr6Entry[] = [];
  private readonly buts: ButEntry[] = [];
  private readonly exists: number[] = [];
  /** How many tests are registered, so an emptied index can be dropped. */
  size = 0;

  add(test: ValueTest, cond: number): void {
    this.size++;
    switch (test.kind) {
      case 'exact': {
        const v = test.value;
        if (typeof v === 'string') addTo(this.strings, v, cond);
        else if (typeof v === 'number') addTo(this.numbers, v, cond);
        else addTo(this.literals, v, cond);
        return;
      }
      case 'prefix':
        if (test.ignoreCase) this.foldedPrefixes.add(test.value.toLowerCase(), cond);
        else this.prefixes.add(test.value, cond);
        return;
      case 'suffix':
        if (test.ignoreCase) this.foldedSuffixes.add(test.value.toLowerCase(), cond);
        else this.suffixes.add(test.value, cond);
        return;
      case 'equals-ignore-case':
        addTo(this.foldedEquals, test.value.toLowerCase(), cond);
        return;
      case 'numeric': {
        const r = test.range;
        // `=` is indexed with exact numbers: one Map lookup instead of a scan.
        if (r.lower === r.upper) addTo(this.numbers, r.lower, cond);
        else this.ranges.push({ lo: r.lower, loInc: r.lowerInclusive, hi: r.upper, hiInc: r.upperInclusive, cond });
        return;
      }
      case 'wildcard':
        this.wildcards.push({ w: test.wildcard, cond });
        return;
      case 'cidr':
        if (test.range.family === 4) this.cidr4.push({ lo: test.range.lo, hi: test.range.hi, cond });
        else this.cidr6.push({ lo: test.range.lo, hi: test.range.hi, cond });
        return;
      case 'exists':
        this.exists.push(cond);
        return;
      case 'anything-but': {
        const b = test.but;
        const set =
          b.mode === 'strings' || b.mode === 'numbers'
            ? new Set<string | number>(b.values)
            : b.mode === 'equals-ignore-case'
              ? new Set<string | number>(b.values.map((v) => v.toLowerCase()))
              : null;
        this.buts.push({ but: b, set, cond });
        return;
      }
    }
  }

  remove(test: ValueTest, cond: number): void {
    this.size--;
    switch (test.kind) {
      case 'exact': {
        const v = test.value;
        if (typeof v === 'string') removeFrom(this.strings, v, cond);
        else if (typeof v === 'number') removeFrom(this.numbers, v, cond);
        else removeFrom(this.literals, v, cond);
        return;
      }
      case 'prefix':
        if (test.ignoreCase) this.foldedPrefixes.remove(test.value.toLowerCase(), cond);
        else this.prefixes.remove(test.value, cond);
        return;
      case 'suffix':
        if (test.ignoreCase) this.foldedSuffixes.remove(test.value.toLowerCase(), cond);
        else this.suffixes.remove(test.value, cond);
        return;
      case 'equals-ignore-case':
        removeFrom(this.foldedEquals, test.value.toLowerCase(), cond);
        return;
      case 'numeric': {
        const r = test.range;
        if (r.lower === r.upper) removeFrom(this.numbers, r.lower, cond);
        else removeWhere(this.ranges, cond, (e) => e.lo === r.lower && e.hi === r.upper);
        return;
      }
      case 'wildcard':
        removeWhere(this.wildcards, cond, (e) => e.w === test.wildcard);
        return;
      case 'cidr':
        if (test.range.family === 4) removeWhere(this.cidr4, cond, (e) => e.lo === test.range.lo);
        else removeWhere(this.cidr6, cond, (e) => e.lo === test.range.lo);
        return;
      case 'exists': {
        const i = this.exists.indexOf(cond);
        if (i >= 0) this.exists.splice(i, 1);
        return;
      }
      case 'anything-but':
        removeWhere(this.buts, cond, (e) => e.but === test.but);
        return;
    }
  }

  /** Reports every condition with a test that `v` passes. */
  match(v: Leaf, sink: HitSink): void {
    if (typeof v === 'string') this.matchString(v, sink);
    else if (typeof v === 'number') this.matchNumber(v, sink);
    else if (this.literals.size !== 0) {
      const list = this.literals.get(v);
      if (list !== undefined) hitAll(list, sink);
    }
    if (this.buts.length !== 0) this.matchAnythingBut(v, sink);
    if (this.exists.length !== 0) hitAll(this.exists, sink);
  }

  private matchString(v: string, sink: HitSink): void {
    if (this.strings.size !== 0) {
      const list = this.strings.get(v);
      if (list !== undefined) hitAll(list, sink);
    }
    if (this.prefixes.map.size !== 0) this.prefixes.matchPrefix(v, sink);
    if (this.suffixes.map.size !== 0) this.suffixes.matchSuffix(v, sink);
    if (this.foldedEquals.size !== 0 || this.foldedPrefixes.map.size !== 0 || this.foldedSuffixes.map.size !== 0) {
      const folded = v.toLowerCase();
      const list = this.foldedEquals.get(folded);
      if (list !== undefined) hitAll(list, sink);
      if (this.foldedPrefixes.map.size !== 0) this.foldedPrefixes.matchPrefix(folded, sink);
      if (this.foldedSuffixes.map.size !== 0) this.foldedSuffixes.matchSuffix(folded, sink);
    }
    for (let i = 0; i < this.wildcards.length; i++) {
      const e = this.wildcards[i];
      if (matchWildcard(e.w, v)) sink.hit(e.cond);
    }
    if (this.cidr4.length !== 0) {
      const ip = parseIpv4(v);
      if (ip >= 0) {
        for (let i = 0; i < this.cidr4.length; i++) {
          const e = this.cidr4[i];
          if (ip >= e.lo && ip <= e.hi) sink.hit(e.cond);
        }
      }
    }
    if (this.cidr6.length !== 0) {
      const ip = parseIpv6(v);
      if (ip !== null) {
        for (const e of this.cidr6) if (ip >= e.lo && ip <= e.hi) sink.hit(e.cond);
      }
    }
  }

  private matchNumber(v: number, sink: HitSink): void {
    if (this.numbers.size !== 0) {
      const list = this.numbers.get(v);
      if (list !== undefined) hitAll(list, sink);
    }
    const ranges = this.ranges;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i];
      if ((r.loInc ? v >= r.lo : v > r.lo) && (r.hiInc ? v <= r.hi : v < r.hi)) sink.hit(r.cond);
    }
  }

  private matchAnythingBut(v: Leaf, sink: HitSink): void {
    let folded: string | undefined;
    for (let i = 0; i < this.buts.length; i++) {
      const e = this.buts[i];
      const b = e.but;
      let out: boolean;
      if (b.mode === 'numbers') out = typeof v === 'number' && e.set!.has(v);
      else if (typeof v !== 'string') out = false;
      else if (b.mode === 'strings') out = e.set!.has(v);
      else if (b.mode === 'equals-ignore-case') out = e.set!.has((folded ??= v.toLowerCase()));
      else if (b.mode === 'prefix') out = b.values.some((p) => v.startsWith(p));
      else if (b.mode === 'suffix') out = b.values.some((s) => v.endsWith(s));
      else out = b.values.some((w) => matchWildcard(w, v));
      if (!out) sink.hit(e.cond);
    }
  }
}
