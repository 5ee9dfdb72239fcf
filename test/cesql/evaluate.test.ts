/** CESQL evaluation beyond the TCK: overflow, attribute types, the data member, LIKE and Unicode. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCesql, evaluate, matchesCesql } from '../../src/patterns/cesql/index.js';

const EVENT = { specversion: '1.0', id: '1', source: 'src', type: 't' };

function run(text: string, event: Record<string, unknown> = EVENT): { value: unknown; kinds: string[] } {
  const { value, errors } = evaluate(compileCesql(text), event);
  return { value, kinds: errors.map((e) => e.kind) };
}

test('integer overflow of + - * / and unary minus is 0 with a MathError (Herald decision)', () => {
  for (const text of ['2147483647 + 1', '-2147483648 - 1', '65536 * 65536', '-2147483648 / -1', '-(-2147483648)']) {
    assert.deepEqual(run(text), { value: 0, kinds: ['math'] }, text);
  }
  assert.deepEqual(run('2147483646 + 1'), { value: 2147483647, kinds: [] });
  // A filter comparing an overflowed sum fails closed: false with the error.
  assert.deepEqual(run('big + 1 > 0', { ...EVENT, big: 2147483647 }), { value: false, kinds: ['math'] });
});

test('context attributes carry their CESQL types (CESQL §3.2)', () => {
  const event = { ...EVENT, count: 7, flag: true, ratio: 1.5, huge: 2 ** 40, obj: { a: 1 }, nothing: null };
  assert.deepEqual(run('count + 1', event), { value: 8, kinds: [] });
  assert.deepEqual(run('flag AND TRUE', event), { value: true, kinds: [] });
  // Values that are not String, Integer or Boolean are represented as String.
  assert.deepEqual(run("ratio = '1.5'", event), { value: true, kinds: [] });
  assert.deepEqual(run("huge = '1099511627776'", event), { value: true, kinds: [] });
  assert.deepEqual(run(`obj = '{"a":1}'`, event), { value: true, kinds: [] });
  // JSON null is an absent attribute.
  assert.deepEqual(run('EXISTS nothing', event), { value: false, kinds: [] });
  assert.deepEqual(run("nothing = 'x'", event), { value: false, kinds: ['missingAttribute'] });
  // An integer extension compares with a string literal through its decimal form.
  assert.deepEqual(run("count = '7'", event), { value: true, kinds: [] });
});

test('the data member is not an attribute (CESQL §1)', () => {
  const event = { ...EVENT, data: 'payload' };
  assert.deepEqual(run('EXISTS data', event), { value: false, kinds: [] });
  assert.deepEqual(run("data = 'payload'", event), { value: false, kinds: ['missingAttribute'] });
  // Inherited members of a JS object are not attributes either.
  assert.deepEqual(run('EXISTS constructor', event), { value: false, kinds: [] });
});

test('LIKE: wildcards, escapes, special characters and Unicode', () => {
  const like = (value: string, pattern: string): unknown => run(`x LIKE '${pattern}'`, { ...EVENT, x: value }).value;
  assert.equal(like('a.b', 'a.b'), true);
  assert.equal(like('axb', 'a.b'), false, 'a dot is a literal dot');
  assert.equal(like('a(b)*', 'a(b)*'), true);
  assert.equal(like('line1\nline2', 'line1%'), true);
  assert.equal(like('😀', '_'), true, '_ is one code point');
  assert.equal(like('x😀y', 'x_y'), true);
  assert.equal(like('50%', '50\\%'), true);
  assert.equal(like('500', '50\\%'), false);
  assert.equal(like('abc', '%%c'), true);
  assert.equal(like('', '%'), true);
  assert.equal(like('com.example.created', 'com.%.created'), true);
});

test('string functions count code points and trim Unicode white space only', () => {
  assert.equal(run("LENGTH('😀a')").value, 2);
  assert.equal(run("LEFT('😀ab', 2)").value, '😀a');
  assert.equal(run("RIGHT('a😀', 1)").value, '😀');
  assert.equal(run("SUBSTRING('a😀bc', 2, 2)").value, '😀b');
  assert.equal(run("TRIM('\u00a0 x \u2003')").value, 'x');
  assert.equal(run("LENGTH(TRIM('\ufeffx'))").value, 2, 'U+FEFF is not Unicode white space');
});

test('fail fast: an operand error returns the operator zero value; the operator own errors keep its result', () => {
  assert.deepEqual(run('missing + 1 = 1'), { value: false, kinds: ['missingAttribute'] });
  assert.deepEqual(run("LENGTH(missing)"), { value: 0, kinds: ['missingAttribute'] });
  assert.deepEqual(run("UPPER(missing)"), { value: '', kinds: ['missingAttribute'] });
  assert.deepEqual(run("'abc' + 1"), { value: 1, kinds: ['cast'] });
  assert.deepEqual(run("10 OR TRUE"), { value: false, kinds: ['cast'] });
  assert.deepEqual(run("1 IN ('x', 1)"), { value: false, kinds: ['cast'] });
  assert.deepEqual(run("BOOL(2) AND NOT BOOL(0)"), { value: true, kinds: [] });
  // The cast result 0 is compared (like the TCK's `NOT 10`); as a filter it fails on the error.
  assert.deepEqual(run("x < 3", { ...EVENT, x: 'abc' }), { value: true, kinds: ['cast'] });
  assert.equal(matchesCesql(compileCesql('x < 3'), { ...EVENT, x: 'abc' }), false);
});
