/**
 * The one glob matcher behind EventBridge `wildcard` values (wildcard.ts) and CloudEvents SQL `LIKE`
 * (cesql/like.ts), linear in the input (issue 11, item 1: `LIKE` compiled to a backtracking RegExp,
 * and `'%a%a%a%a%a%a%a%a%a%a%a%a%_b'` on 40 × `a` froze the event loop for 40 s).
 *
 * A glob is a list of segments separated by "any run" (`*`, `%`). A segment is a fixed-length run of
 * literal characters and "exactly one character" (`_`). Because every segment has a fixed length, the
 * greedy strategy is exact: the first segment must sit at the start, the last at the end, and each
 * middle segment is taken at its leftmost occurrence after the previous one (taking it later never
 * leaves more room for the rest). The classic "one backtrack point" loop is O(value × pattern) on
 * `*aaaab` against `aaaa…`; here each middle segment is found with KMP (literal segments) or a
 * bit-parallel Shift-And (segments with `_`), and the text is scanned once, left to right:
 *   cost = O(n) for literal segments (also with `_` at their edges), O(n · ⌈L/32⌉) for a segment with
 *   a `_` between literals (L: its length).
 * `steps` (optional) counts that work so tests can assert the bound without measuring time.
 */

/**
 * Counts the matcher's work: one step per character compared or state update. With `limit`, a match
 * whose worst-case cost would take `steps` past it is not attempted: it answers false and sets
 * `exceeded` (the caller fails closed and reports it).
 */
export interface StepCounter {
  steps: number;
  limit?: number;
  exceeded?: boolean;
}

/** A segment item: a literal string, or `ONE` for "exactly one character". */
export const ONE = null;
export type SegmentItem = string | typeof ONE;

interface Segment {
  /** Code units (no `_` anywhere in the glob) or code points; -1 is "any one". */
  readonly codes: Int32Array;
  /**
   * `_` at the segment's edges only need room, not a search: `__ab_` is `ab` found at least 2
   * characters in and ending at least 1 before the limit. `core` is what is searched for.
   */
  readonly lead: number;
  readonly trail: number;
  readonly core: Int32Array;
  /** KMP failure table of `core` when it has no `_`; else Shift-And masks over the whole segment. */
  readonly failure: Int32Array | null;
  readonly masks: Map<number, Uint32Array> | null;
  readonly anyMask: Uint32Array | null;
  readonly words: number;
}

export interface Glob {
  /** `segments.length - 1` is the number of any-run wildcards. */
  readonly segments: readonly Segment[];
  /** Whether characters are counted as code points (the glob has a `_`); else as UTF-16 code units. */
  readonly codePoints: boolean;
  /** The least number of characters a matching value has. */
  readonly minLength: number;
  /** Steps per character of the costliest search: 2 for KMP, the word count for Shift-And. */
  readonly perChar: number;
}

const ANY = -1;

function encode(items: readonly SegmentItem[], codePoints: boolean): number[] {
  const out: number[] = [];
  for (const item of items) {
    if (item === ONE) out.push(ANY);
    else if (codePoints) for (const ch of item) out.push(ch.codePointAt(0) as number);
    else for (let i = 0; i < item.length; i++) out.push(item.charCodeAt(i));
  }
  return out;
}

function kmpFailure(p: Int32Array): Int32Array {
  const f = new Int32Array(p.length);
  let k = 0;
  for (let i = 1; i < p.length; i++) {
    while (k > 0 && p[i] !== p[k]) k = f[k - 1];
    if (p[i] === p[k]) k++;
    f[i] = k;
  }
  return f;
}

function compileSegment(items: readonly SegmentItem[], codePoints: boolean): Segment {
  const codes = Int32Array.from(encode(items, codePoints));
  let lead = 0;
  while (lead < codes.length && codes[lead] === ANY) lead++;
  let trail = 0;
  while (trail < codes.length - lead && codes[codes.length - 1 - trail] === ANY) trail++;
  const core = codes.subarray(lead, codes.length - trail);
  if (!core.includes(ANY)) return { codes, lead, trail, core, failure: kmpFailure(core), masks: null, anyMask: null, words: 1 };
  // Shift-And: bit i of a character's mask is set when position i of the segment accepts it.
  const words = Math.max(1, Math.ceil(codes.length / 32));
  const anyMask = new Uint32Array(words);
  codes.forEach((c, i) => {
    if (c === ANY) anyMask[i >>> 5] |= 1 << (i & 31);
  });
  const masks = new Map<number, Uint32Array>();
  codes.forEach((c, i) => {
    if (c === ANY) return;
    let m = masks.get(c);
    if (m === undefined) masks.set(c, (m = Uint32Array.from(anyMask)));
    m[i >>> 5] |= 1 << (i & 31);
  });
  return { codes, lead: 0, trail: 0, core: codes, failure: null, masks, anyMask, words };
}

/** Compiles segments (split at every any-run); `[[…]]` is a glob without any-run: an exact match. */
export function compileGlob(segments: readonly (readonly SegmentItem[])[]): Glob {
  const codePoints = segments.some((s) => s.includes(ONE));
  const compiled = segments.map((s) => compileSegment(s, codePoints));
  const perChar = Math.max(2, ...compiled.map((s) => (s.failure === null ? s.words : 2)));
  return { segments: compiled, codePoints, minLength: compiled.reduce((n, s) => n + s.codes.length, 0), perChar };
}

function toCodes(value: string, codePoints: boolean, counter: StepCounter | undefined): Int32Array {
  if (counter !== undefined) counter.steps += value.length;
  if (!codePoints) {
    const out = new Int32Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = value.charCodeAt(i);
    return out;
  }
  const points: number[] = [];
  for (const ch of value) points.push(ch.codePointAt(0) as number);
  return Int32Array.from(points);
}

/** Whether `seg` sits at `at` in `text` (fixed position: the first and last segments). */
function matchesAt(seg: Segment, text: Int32Array, at: number, counter: StepCounter | undefined): boolean {
  const p = seg.codes;
  if (counter !== undefined) counter.steps += p.length;
  for (let i = 0; i < p.length; i++) if (p[i] !== ANY && p[i] !== text[at + i]) return false;
  return true;
}

/** The leftmost start >= from of `seg` ending at or before `end`, or -1. Scans text[from, end) once. */
function find(seg: Segment, text: Int32Array, from: number, end: number, counter: StepCounter | undefined): number {
  if (seg.failure !== null) {
    // KMP for `core`, kept `lead` characters after `from` and `trail` before `end`.
    const p = seg.core;
    const m = p.length;
    const start = from + seg.lead;
    const stop = end - seg.trail;
    if (m === 0) return start <= stop ? from : -1;
    const f = seg.failure;
    let k = 0;
    let work = 0;
    for (let i = start; i < stop; i++) {
      // Amortised: k rises at most once per character, so the inner loop runs at most n times in all.
      while (k > 0 && text[i] !== p[k]) {
        k = f[k - 1];
        work++;
      }
      work++;
      if (text[i] === p[k]) k++;
      if (k === m) {
        if (counter !== undefined) counter.steps += work;
        return i - m + 1 - seg.lead;
      }
    }
    if (counter !== undefined) counter.steps += work;
    return -1;
  }
  const m = seg.codes.length;
  const masks = seg.masks as Map<number, Uint32Array>;
  const anyMask = seg.anyMask as Uint32Array;
  const words = seg.words;
  const state = new Uint32Array(words);
  const lastWord = (m - 1) >>> 5;
  const lastBit = 1 << ((m - 1) & 31);
  for (let i = from; i < end; i++) {
    const mask = masks.get(text[i]) ?? anyMask;
    // state = ((state << 1) | 1) & mask, across words (carry the top bit of each word up).
    let carry = 1;
    for (let w = 0; w < words; w++) {
      const s = state[w];
      state[w] = ((s << 1) | carry) & mask[w];
      carry = s >>> 31;
    }
    if (counter !== undefined) counter.steps += words;
    if ((state[lastWord] & lastBit) !== 0) return i - m + 1;
  }
  return -1;
}

/** Whether `value` matches the glob as a whole. */
export function matchGlob(glob: Glob, value: string, counter?: StepCounter): boolean {
  const segs = glob.segments;
  if (counter?.limit !== undefined) {
    // The worst case, known before any work: conversion, both anchors, one scan per character.
    const worst = value.length * (2 + glob.perChar);
    if (counter.steps + worst > counter.limit) {
      counter.exceeded = true;
      return false;
    }
  }
  // A quick refusal before any work: a value shorter (in code units, never fewer than code points)
  // than the fixed characters cannot match.
  if (!glob.codePoints && value.length < glob.minLength) return false;
  const text = toCodes(value, glob.codePoints, counter);
  const n = text.length;
  const first = segs[0];
  if (segs.length === 1) return n === first.codes.length && matchesAt(first, text, 0, counter);
  if (n < glob.minLength) return false;
  const last = segs[segs.length - 1];
  if (!matchesAt(first, text, 0, counter) || !matchesAt(last, text, n - last.codes.length, counter)) return false;
  let from = first.codes.length;
  const end = n - last.codes.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const at = find(segs[i], text, from, end, counter);
    if (at < 0) return false;
    from = at + segs[i].codes.length;
  }
  return true;
}
