/** The rate-limited log (issue 11, item 4): a few lines per key and window, then one count. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LimitedLog } from './limited-log.js';

function sink() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const record = (level: string) => (fields: object, message: string) => lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, log: { warn: record('warn'), error: record('error') } };
}

test('each key logs at most perWindow lines, then one line with how many it left out', async () => {
  const { lines, log } = sink();
  const limited = new LimitedLog(log, { perWindow: 3, windowMs: 200 });
  for (let i = 0; i < 10; i++) limited.warn('a', { i }, 'dead letter');
  limited.error('b', { i: 0 }, 'write failed');
  assert.deepEqual(lines.map((l) => [l.level, l.fields.i]), [['warn', 0], ['warn', 1], ['warn', 2], ['error', 0]], 'key b is not held back by key a');
  assert.equal(limited.admits('a'), false);
  assert.equal(limited.admits('b'), true);
  const deadline = Date.now() + 5000;
  while (!lines.some((l) => l.fields.suppressed !== undefined) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const notice = lines.find((l) => l.fields.suppressed !== undefined);
  assert.ok(notice, 'the notice came when the window ended');
  assert.deepEqual([notice.level, notice.fields.suppressed, notice.fields.i], ['warn', 7, 3]);
  assert.match(notice.message, /^dead letter \(7 more like this not logged/);
  // A new window logs again.
  assert.equal(limited.admits('a'), true);
  limited.warn('a', { i: 10 }, 'dead letter');
  assert.equal(lines.at(-1)?.fields.i, 10);
});
