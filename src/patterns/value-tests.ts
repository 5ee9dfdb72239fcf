/**
 * The meaning of each value test on one leaf value, written as plainly as possible. The reference
 * interpreter and `explainPattern` use these; the compiled matcher indexes the same tests differently
 * and is checked against these by the differential and property tests.
 */
import type { AnythingBut, Leaf, ValueTest } from './types.js';
import { matchWildcard } from './wildcard.js';
import { inCidr } from './cidr.js';

// One case-folding for every ignore-case operator, both sides: String.prototype.toLowerCase.
const fold = (s: string): string => s.toLowerCase();

export function passes(test: ValueTest, value: Leaf): boolean {
  switch (test.kind) {
    case 'exact':
      // Numbers compare as doubles (300 = 3.0e2); strings, booleans and null by identity; types never mix.
      return value === test.value;
    case 'exists':
      return true;
    case 'prefix':
      if (typeof value !== 'string') return false;
      return test.ignoreCase ? fold(value).startsWith(fold(test.value)) : value.startsWith(test.value);
    case 'suffix':
      if (typeof value !== 'string') return false;
      return test.ignoreCase ? fold(value).endsWith(fold(test.value)) : value.endsWith(test.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && fold(value) === fold(test.value);
    case 'wildcard':
      return typeof value === 'string' && matchWildcard(test.wildcard, value);
    case 'numeric': {
      if (typeof value !== 'number') return false;
      const r = test.range;
      const aboveLower = r.lowerInclusive ? value >= r.lower : value > r.lower;
      const belowUpper = r.upperInclusive ? value <= r.upper : value < r.upper;
      return aboveLower && belowUpper;
    }
    case 'cidr':
      return typeof value === 'string' && inCidr(test.range, value);
    case 'anything-but':
      return !excluded(test.but, value);
  }
}

/** Whether anything-but excludes this value. */
export function excluded(but: AnythingBut, value: Leaf): boolean {
  if (but.mode === 'numbers') return typeof value === 'number' && but.values.includes(value);
  if (typeof value !== 'string') return false;
  switch (but.mode) {
    case 'strings':
      return but.values.includes(value);
    case 'equals-ignore-case':
      return but.values.some((v) => fold(v) === fold(value));
    case 'prefix':
      return but.values.some((v) => value.startsWith(v));
    case 'suffix':
      return but.values.some((v) => value.endsWith(v));
    case 'wildcard':
      return but.values.some((w) => matchWildcard(w, value));
  }
}

/** A short human description of a test, for explanations. */
export function describeTest(test: ValueTest): string {
  switch (test.kind) {
    case 'exact':
      return JSON.stringify(test.value);
    case 'exists':
      return 'exists';
    case 'prefix':
    case 'suffix':
      return `${test.kind}${test.ignoreCase ? ' (ignoring case)' : ''} ${JSON.stringify(test.value)}`;
    case 'equals-ignore-case':
      return `equals-ignore-case ${JSON.stringify(test.value)}`;
    case 'wildcard':
      return `wildcard ${JSON.stringify(test.wildcard.source)}`;
    case 'numeric': {
      const r = test.range;
      const lo = r.lower === -Infinity ? '' : `${r.lowerInclusive ? '>=' : '>'} ${r.lower}`;
      const hi = r.upper === Infinity ? '' : `${r.upperInclusive ? '<=' : '<'} ${r.upper}`;
      return `numeric ${[lo, hi].filter(Boolean).join(' and ')}`;
    }
    case 'cidr':
      return `cidr ${test.text}`;
    case 'anything-but': {
      const b = test.but;
      const values = b.mode === 'wildcard' ? b.values.map((w) => w.source) : b.values;
      return `anything-but${b.mode === 'strings' || b.mode === 'numbers' ? '' : ` ${b.mode}`} ${JSON.stringify(values)}`;
    }
  }
}
