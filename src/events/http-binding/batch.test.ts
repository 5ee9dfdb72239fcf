// Batched content mode (bindings-http-protocol-binding.md §3.3, formats-json-format.md §4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHttpRequest } from './decode.js';
import type { BatchEntry, DecodeLimits } from './types.js';

const base = { specversion: '1.0', id: '1', source: '/s', type: 't' };
const limits: DecodeLimits = { maxEventBytes: 1024, maxBatchEvents: 5 };

function batch(body: string, contentType = 'application/cloudevents-batch+json', lim = limits): BatchEntry[] {
  const decoded = decodeHttpRequest({ contentType, headers: {}, body: Buffer.from(body, 'utf8') }, lim);
  assert.equal(decoded.mode, 'batch');
  if (decoded.mode !== 'batch') throw new Error('unreachable');
  return decoded.entries;
}

test('the spec example batch of two events (formats-json-format.md §4.3)', () => {
  const events = [
    { ...base, id: '1', data: { a: 1 } },
    { ...base, id: '2', datacontenttype: 'application/octet-stream', data_base64: 'AAEC' },
  ];
  assert.deepEqual(batch(JSON.stringify(events)), events.map((event) => ({ ok: true, event })));
});

test('[] is a valid empty batch', () => {
  assert.deepEqual(batch('[]'), []);
});

test('content type parameters and casing', () => {
  for (const ct of ['application/cloudevents-batch+json; charset=utf-8', 'APPLICATION/CLOUDEVENTS-BATCH+JSON', 'application/cloudevents-batch+json ; charset="UTF-8"']) {
    assert.equal(batch(JSON.stringify([base]), ct).length, 1, ct);
  }
});

test('per-entry failures are reported at their index, in order, beside the good entries', () => {
  const entries = batch(
    JSON.stringify([
      { ...base, id: 'ok-0' },
      { ...base, time: '2024-13-01T00:00:00Z' },
      'not an object',
      { ...base, id: 'ok-3' },
      { ...base, data: 'x'.repeat(2000) },
    ]),
  );
  assert.deepEqual(
    entries.map((e) => (e.ok ? `ok:${e.event.id}` : `${e.index}:${e.code}:${e.field ?? '-'}`)),
    ['ok:ok-0', '1:HERALD_INVALID_EVENT:time', '2:HERALD_INVALID_EVENT:-', 'ok:ok-3', '4:HERALD_EVENT_TOO_LARGE:-'],
  );
  const failure = entries[1];
  assert.ok(!failure.ok);
  assert.equal(failure.message, 'time: "2024-13-01T00:00:00Z" is not an RFC 3339 timestamp');
});

test('more than maxBatchEvents entries fails the request with 413 HERALD_BATCH_TOO_LARGE', () => {
  const five = JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ ...base, id: String(i) })));
  assert.equal(batch(five).length, 5);
  const six = JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ ...base, id: String(i) })));
  assert.throws(() => batch(six), { code: 'HERALD_BATCH_TOO_LARGE', status: 413 });
  // Counted before validation: six broken entries are still too many.
  assert.throws(() => batch('[1,2,3,4,5,6]'), { code: 'HERALD_BATCH_TOO_LARGE' });
});

test('request-level faults: not JSON, not an array', () => {
  for (const body of ['[{"id":', '', JSON.stringify(base), '"x"', 'null']) {
    assert.throws(() => batch(body), { code: 'HERALD_MALFORMED_REQUEST', status: 400, field: 'body' }, body);
  }
});

test('a batch entry with nulls is normalised like a single event', () => {
  const [entry] = batch(JSON.stringify([{ ...base, subject: null, data: null }]));
  assert.deepEqual(entry, { ok: true, event: { ...base, data: null } });
});
