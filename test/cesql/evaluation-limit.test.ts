/**
 * Issue 11, item 1: one event costs a CloudEvents SQL filter a bounded amount of work. LIKE is linear
 * (test/patterns/linear-glob.test.ts), and the LIKE work of one evaluation is capped at
 * MAX_CESQL_STEPS glob steps; past it the filter fails closed with an evaluation error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCesql, evaluate, matchesCesql } from '../../src/patterns/cesql/index.js';
import { MAX_CESQL_STEPS } from '../../src/patterns/cesql/compile.js';

const event = (subject: string): Record<string, unknown> => ({ specversion: '1.0', id: '1', source: '/s', type: 't', subject });

test('many LIKEs over a long attribute stop at the step limit: no match, a generic error', () => {
  const long = 'a'.repeat(1_000_000);
  // 20 LIKEs × ~4 steps per character of 1 000 000 characters is far past 10 000 000.
  const text = Array.from({ length: 20 }, (_, i) => `subject LIKE '%a${i}%'`).join(' OR ');
  const compiled = compileCesql(text);
  const { value, errors } = evaluate(compiled, event(long));
  assert.equal(value, false);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].kind, 'generic');
  assert.match(errors[0].message, new RegExp(`${MAX_CESQL_STEPS}`));
  assert.equal(matchesCesql(compiled, event(long)), false);
});

test('a LIKE whose _ segment would cost too much per character is not attempted on a long value', () => {
  const pattern = `%a${'_'.repeat(2000)}b%`; // 63 words of Shift-And per character
  const compiled = compileCesql(`subject LIKE '${pattern}'`);
  const { errors } = evaluate(compiled, event('a'.repeat(200_000)));
  assert.equal(errors[0]?.kind, 'generic');
  // On a short value the same pattern is evaluated normally.
  assert.deepEqual(evaluate(compiled, event(`xa${'y'.repeat(2000)}bz`)), { value: true, errors: [] });
});

test('ordinary filters on ordinary events never meet the limit', () => {
  const compiled = compileCesql("subject LIKE 'orders/%/created' AND type LIKE 't%' AND source LIKE '/%'");
  assert.deepEqual(evaluate(compiled, event('orders/42/created')), { value: true, errors: [] });
  const many = compileCesql(Array.from({ length: 50 }, (_, i) => `subject LIKE '%x${i}%'`).join(' OR '));
  assert.deepEqual(evaluate(many, event('y'.repeat(10_000))), { value: false, errors: [] });
});
