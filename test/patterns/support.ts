/** Helpers for the pattern tests: fixtures from test/fixtures/matching and a two-engine check. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPatternMatcher, parsePattern, referenceMatches } from '../../src/patterns/index.js';
import { HeraldError } from '../../src/errors/index.js';

const matchingDir = new URL('../fixtures/matching/', import.meta.url);

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, matchingDir), 'utf8')) as T;
}

export function fixturePath(name: string): URL {
  return new URL(name, matchingDir);
}

/** Matches with the compiled matcher and the reference interpreter, asserts they agree, returns the verdict. */
export function matchBoth(pattern: unknown, event: unknown): boolean {
  const m = createPatternMatcher();
  m.add('r', { pattern });
  const compiled = m.match(event).includes('r');
  const reference = referenceMatches(parsePattern(pattern), event);
  assert.equal(compiled, reference, `compiled ${compiled} vs reference ${reference} for ${JSON.stringify(pattern)} on ${JSON.stringify(event)}`);
  return compiled;
}

/** Asserts the pattern is rejected with HERALD_INVALID_PATTERN at `field`; returns the message. */
export function rejects(pattern: unknown, field?: string): string {
  try {
    parsePattern(pattern);
  } catch (error) {
    assert.ok(error instanceof HeraldError, `expected a HeraldError, got ${String(error)}`);
    assert.equal(error.code, 'HERALD_INVALID_PATTERN');
    if (field !== undefined) assert.equal(error.field, field, error.message);
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(pattern)} to be rejected`);
}
