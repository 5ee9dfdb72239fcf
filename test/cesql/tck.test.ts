/**
 * The official CloudEvents SQL TCK (test/fixtures/cesql/*.yaml, format in its README, origin in SOURCES.md), run case by
 * case: the expected value and the expected error kind. Parse errors surface as
 * HERALD_INVALID_FILTER with details.kind 'parse' when the expression is compiled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { compileCesql, evaluate } from '../../src/patterns/cesql/expression.js';
import { isHeraldError } from '../../src/errors/index.js';

interface TckCase {
  name: string;
  expression: string;
  result?: unknown;
  error?: string;
  event?: Record<string, unknown>;
  eventOverrides?: Record<string, unknown>;
}

const dir = new URL('../fixtures/cesql/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

// README: "If absent, when testing the expression, any valid event can be passed."
const BASE_EVENT = { specversion: '1.0', id: 'tck-id', source: 'tck-source', type: 'tck.type' };

/** YAML reads unquoted `2018-04-26T14:48:09+02:00` as a string already; keep scalars as they are. */
function eventFor(c: TckCase): Record<string, unknown> {
  return c.event ?? { ...BASE_EVENT, ...(c.eventOverrides ?? {}) };
}

let ran = 0;
test('the CESQL TCK files are present', () => {
  assert.ok(files.length >= 18, `expected the 18 TCK files, found ${files.length}`);
});

for (const file of files) {
  const source = readFileSync(new URL(file, dir), 'utf8');
  const suite = parse(source) as { name: string; tests: TckCase[] };
  // The core schema reads `TRUE`, `1` or `-10` as YAML booleans and numbers; the failsafe schema
  // gives every expression back as the text written in the file.
  const texts = (parse(source, { schema: 'failsafe' }) as { tests: Array<{ expression: string }> }).tests;
  test(`TCK ${file}: ${suite.name}`, async (t) => {
    for (const [i, parsed] of suite.tests.entries()) {
      const c = { ...parsed, expression: texts[i].expression };
      await t.test(c.name, () => {
        ran++;
        if (c.error === 'parse') {
          assert.throws(
            () => compileCesql(c.expression),
            (e: unknown) => isHeraldError(e) && e.code === 'HERALD_INVALID_FILTER' && e.details?.kind === 'parse',
          );
          return;
        }
        const compiled = compileCesql(c.expression);
        const { value, errors } = evaluate(compiled, eventFor(c));
        if (c.result !== undefined) assert.deepEqual(value, c.result, `value of ${c.expression}`);
        if (c.error === undefined) {
          assert.deepEqual(errors, [], `no error expected for ${c.expression}`);
        } else {
          assert.ok(errors.length > 0, `expected a ${c.error} error for ${c.expression}`);
          assert.equal(errors[0].kind, c.error, `first error of ${c.expression}: ${errors[0].message}`);
        }
      });
    }
  });
}

test('the TCK ran every case', () => {
  const expected = files
    .map((f) => (parse(readFileSync(new URL(f, dir), 'utf8')) as { tests: unknown[] }).tests.length)
    .reduce((a, b) => a + b, 0);
  console.log(`CESQL TCK: ${ran} cases run of ${expected} in ${files.length} files`);
  assert.equal(ran, expected);
});
