// The linear JSON scan behind the depth limit and the number check (issue 11, items 5 and 7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatJsonPath, numberProblem, parseLimitedJson, scanJson, valueProblem } from './json-limits.js';
import { validateEvent } from './validate.js';

const nested = (levels: number, leaf = '1'): string => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
const arrays = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

test('depth: the limit counts containers from the root; exactly the limit passes, one more fails', () => {
  assert.deepEqual(scanJson(nested(64), { maxDepth: 64 }), []);
  assert.deepEqual(scanJson(nested(65), { maxDepth: 64 }), [{ kind: 'depth', path: Array(64).fill('a'), limit: 64 }]);
  assert.deepEqual(scanJson(arrays(3), { maxDepth: 2 }), [{ kind: 'depth', path: [0, 0], limit: 2 }]);
  // Scalars and flat containers have no depth to speak of.
  assert.deepEqual(scanJson('"x"', { maxDepth: 1 }), []);
  assert.deepEqual(scanJson('[1,2,3,{"b":[]}]', { maxDepth: 3 }), []);
});

test('depth: brackets inside strings, escaped quotes and keys do not count', () => {
  const text = JSON.stringify({ s: '[[[[{{{{', t: 'a\\"[[[', '[[[': { '"{': ['}}}]]]'] } });
  assert.deepEqual(scanJson(text, { maxDepth: 3 }), []);
  assert.deepEqual(scanJson(text, { maxDepth: 2 }), [{ kind: 'depth', path: ['[[[', '"{'], limit: 2 }]);
});

test('depth: baseDepth places the root below an envelope (binary data) or above entries (a batch)', () => {
  assert.deepEqual(scanJson(nested(63), { maxDepth: 64, baseDepth: 1 }), []);
  assert.equal(scanJson(nested(64), { maxDepth: 64, baseDepth: 1 }).length, 1);
  assert.deepEqual(scanJson(`[${nested(64)}]`, { maxDepth: 64, baseDepth: -1 }), []);
});

test('depth: 100 000 and 1 000 000 levels are refused by a linear scan, without recursion', () => {
  for (const levels of [100_000, 1_000_000]) {
    const [problem] = scanJson(arrays(levels), { maxDepth: 64 });
    assert.equal(problem?.kind, 'depth');
    assert.equal(problem?.path.length, 64);
    assert.equal(scanJson(nested(levels), { maxDepth: 64 })[0]?.kind, 'depth');
  }
});

test('per entry: one problem per element of a root array, the others untouched', () => {
  const text = `[{"id":"ok"},${nested(70)},{"data":{"big":1e400,"tiny":1e-400}},${arrays(100_000)}]`;
  const problems = scanJson(text, { maxDepth: 64, baseDepth: -1, checkNumbers: true, perEntry: true });
  assert.deepEqual(
    problems.map((p) => [p.kind, p.path[0], p.path.slice(1, 3)]),
    [
      ['depth', 1, ['a', 'a']],
      ['number', 2, ['data', 'big']],
      ['depth', 3, [0, 0]],
    ],
  );
});

test('numbers: overflow, underflow and inexact big integers are named with their path', () => {
  const text = '{"data":{"big":1e400,"tiny":1e-400,"u64":18446744073709551617,"list":[1,-1E+999]}}';
  const problems = scanJson(text, { maxDepth: 64, checkNumbers: true, perEntry: true });
  assert.deepEqual(problems.map((p) => formatJsonPath(p.path)), ['data.big']);
  assert.equal(numberProblem('1e400'), '1e400 is outside the range of a 64-bit float (about ±1.8e308)');
  assert.match(numberProblem('-1E+999') ?? '', /outside the range/);
  assert.match(numberProblem('1e-400') ?? '', /too small for a 64-bit float: it would be stored as 0/);
  assert.match(numberProblem('-0.0000e-400') ?? 'passes', /passes/);
  assert.match(numberProblem('18446744073709551617') ?? '', /would be stored as 18446744073709552000/);
  // 2^64 is a float, but its JSON text (18446744073709552000) is another integer: refused too.
  assert.match(numberProblem('18446744073709551616') ?? '', /beyond ±2\^53/);
  assert.match(numberProblem('-9007199254740993') ?? '', /would be stored as -9007199254740992/);
});

test('numbers: ordinary numbers pass, including -0, 1e300, 2^53 - 1 and integers a float holds exactly', () => {
  for (const literal of ['0', '-0', '0.1', '1e300', '-1.7976931348623157e308', '5e-324', '9007199254740991', '-9007199254740991', '9007199254740992', '1000000000000000000000', '123.456e-7', '0e-999']) {
    assert.equal(numberProblem(literal), undefined, literal);
  }
});

test('numbers: any float JavaScript prints passes, and its text reads back as the same number', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => numberProblem(JSON.stringify(value)) === undefined),
    { numRuns: 1000 },
  );
});

test('the scan ends on any input, JSON or not, and never throws', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', '1', 'e', '-', 'a', ' ') }), (text) => {
      scanJson(text, { maxDepth: 3, checkNumbers: true, perEntry: true });
      return true;
    }),
    { numRuns: 500 },
  );
});

test('parseLimitedJson: depth before syntax, syntax before numbers', () => {
  const syntax = (error: Error): Error => new Error(`syntax: ${error.message}`);
  assert.throws(() => parseLimitedJson(`${arrays(100)}x`, { maxDepth: 64, what: 'the event', onSyntaxError: syntax }), { code: 'HERALD_TOO_DEEP', status: 400 });
  assert.throws(() => parseLimitedJson('{"a":1e400', { maxDepth: 64, checkNumbers: true, what: 'the event', onSyntaxError: syntax }), /^Error: syntax/);
  assert.throws(() => parseLimitedJson('{"a":1e400}', { maxDepth: 64, checkNumbers: true, prefix: 'data', what: 'the data', onSyntaxError: syntax }), {
    code: 'HERALD_INVALID_EVENT',
    status: 422,
    field: 'data.a',
    message: 'data.a: 1e400 is outside the range of a 64-bit float (about ±1.8e308)',
  });
  assert.deepEqual(parseLimitedJson('{"a":[1,{"b":2}]}', { maxDepth: 3, checkNumbers: true, what: 'the event', onSyntaxError: syntax }), { a: [1, { b: 2 }] });
});

test('paths: indexes in brackets, odd member names quoted', () => {
  assert.equal(formatJsonPath(['items', 3, 'a.b', 'ok-name', ''], 'data'), 'data.items[3]["a.b"].ok-name[""]');
  assert.equal(formatJsonPath([0]), '[0]');
});

test('parsed values: valueProblem walks iteratively, so 100 000 levels are refused without recursion', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i += 1) deep = { a: deep };
  const problem = valueProblem({ data: deep }, 64);
  assert.equal(problem?.kind, 'depth');
  assert.equal(problem?.path.length, 64);
  assert.deepEqual(valueProblem({ data: JSON.parse(nested(63)) as unknown }, 64), undefined);
  assert.deepEqual(valueProblem({ data: { list: [1, Infinity] } }, 64)?.path, ['data', 'list', 1]);
});

test('validateEvent refuses what no ingest path may store: too deep (HERALD_TOO_DEEP) or not finite', () => {
  const base = { specversion: '1.0', id: '1', source: '/s', type: 't' };
  // A source builds events from messages it parsed itself; validateEvent is its check too.
  assert.throws(() => validateEvent({ ...base, data: JSON.parse(nested(100_000)) as unknown }), { code: 'HERALD_TOO_DEEP', status: 400 });
  assert.throws(() => validateEvent({ ...base, data: JSON.parse(nested(8)) as unknown }, { maxJsonDepth: 8 }), { code: 'HERALD_TOO_DEEP', field: `data${'.a'.repeat(7)}` });
  assert.throws(() => validateEvent({ ...base, data: { big: JSON.parse('1e400') as number } }), { code: 'HERALD_INVALID_EVENT', field: 'data.big' });
  assert.equal(validateEvent({ ...base, data: JSON.parse(nested(63)) as unknown }).id, '1');
});
