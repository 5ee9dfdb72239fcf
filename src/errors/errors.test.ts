import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERRORS, HeraldError } from './index.js';

test('every error code is documented in docs/errors.md with its status', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  for (const [code, { status }] of Object.entries(ERRORS)) {
    const row = doc.split('\n').find((line) => line.includes(`\`${code}\``));
    assert.ok(row, `${code} is missing from docs/errors.md`);
    assert.match(row, new RegExp(`\\|\\s*${status}\\s*\\|`), `${code} row does not state status ${status}`);
  }
});

test('a HeraldError serialises to the shared error shape', () => {
  const error = new HeraldError('HERALD_INVALID_EVENT', 'source is required', 'source');
  assert.deepEqual(JSON.parse(JSON.stringify(error)), {
    code: 'HERALD_INVALID_EVENT',
    message: 'source is required',
    field: 'source',
  });
  assert.equal(error.status, 422);
});
