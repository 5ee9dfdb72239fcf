/** CESQL parsing and compile-time checks beyond the TCK: positions, precedence, rejection on save. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCesql, evaluate, validateCesql } from '../../src/patterns/cesql/index.js';
import { HeraldError } from '../../src/errors/index.js';

const EVENT = { specversion: '1.0', id: '1', source: 'src', type: 't' };

function parseError(text: string): HeraldError {
  try {
    compileCesql(text);
  } catch (error) {
    assert.ok(error instanceof HeraldError);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(text)} not to parse`);
}

test('parse errors are HERALD_INVALID_FILTER with the 1-based position of the fault', () => {
  const cases: Array<[string, number]> = [
    ['', 1],
    ['type = ', 8],
    ["type = 'unterminated", 8],
    ['type == 1', 7],
    ['ABC(', 5],
    ["x LIKE 123", 8],
    ['a IN ()', 7],
    ['2147483648', 1],
    ['-2147483649', 1],
    ['my_ext = 1', 1],
    ['EXISTS 1 + 1', 8],
    ['(type = 1', 10],
    ['type = 1)', 9],
    ['type ? 1', 6],
  ];
  for (const [text, position] of cases) {
    const error = parseError(text);
    assert.equal(error.code, 'HERALD_INVALID_FILTER', text);
    assert.equal(error.field, 'cesql');
    assert.equal(error.details?.kind, 'parse', text);
    assert.equal(error.details?.position, position, `${text}: ${error.message}`);
    assert.match(error.message, new RegExp(`position ${position}`));
  }
});

test('keywords and function names are case-insensitive, attribute names read lower-case', () => {
  const value = (text: string, event: Record<string, unknown> = EVENT): unknown => evaluate(compileCesql(text), event).value;
  assert.equal(value("TYPE = 't' and Source = 'src'"), true);
  assert.equal(value("lower('ABC') = 'abc'"), true);
  assert.equal(value('ExIsTs subject', { ...EVENT, subject: 's' }), true);
});

test('AND, OR and XOR share one precedence level and group left to right (CESQL §3.6)', () => {
  const value = (text: string): unknown => evaluate(compileCesql(text), EVENT).value;
  // (TRUE OR TRUE) AND FALSE = FALSE; SQL's AND-binds-tighter would give TRUE.
  assert.equal(value('TRUE OR TRUE AND FALSE'), false);
  assert.equal(value('TRUE OR (TRUE AND FALSE)'), true);
  // (FALSE AND FALSE) OR TRUE = TRUE.
  assert.equal(value('FALSE AND FALSE OR TRUE'), true);
  assert.equal(value('TRUE XOR TRUE OR TRUE'), true);
});

test('arithmetic precedence and signs', () => {
  const value = (text: string): unknown => evaluate(compileCesql(text), EVENT).value;
  assert.equal(value('1 + 2 * 3 - 4 / 2'), 5);
  assert.equal(value('10 - 2 - 3'), 5);
  assert.equal(value('-2147483648'), -2147483648);
  assert.equal(value('+5 + -5'), 0);
  assert.equal(value('-7 % 3'), -1);
  assert.equal(value('7 / -2'), -3);
  assert.equal(value('1 + 2 = 3'), true);
});

test('validateCesql rejects unknown functions and expressions that cannot be Boolean', () => {
  for (const [text, kind] of [
    ['NOPE(type)', 'missingFunction'],
    ["SUBSTRING('a')", 'missingFunction'],
    ['1 + 1', 'generic'],
    ["CONCAT(type, 'x')", 'generic'],
  ] as const) {
    assert.throws(
      () => validateCesql(text),
      (e: unknown) => e instanceof HeraldError && e.code === 'HERALD_INVALID_FILTER' && e.details?.kind === kind,
      text,
    );
  }
  // An attribute alone may hold a Boolean extension, so it is a valid filter.
  assert.doesNotThrow(() => validateCesql('mybool'));
});

test('a compiled expression is reused without re-parsing and is frozen', () => {
  const compiled = compileCesql("type = 't'");
  assert.ok(Object.isFrozen(compiled));
  assert.equal(typeof compiled.run, 'function');
  for (let i = 0; i < 3; i++) assert.equal(evaluate(compiled, { ...EVENT, type: i === 1 ? 't' : 'u' }).value, i === 1);
});
