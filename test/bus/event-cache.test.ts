/**
 * The event cache is bounded by bytes, not entries (issue 11, item 3), and keyed by a bus's
 * identity, not its name (item 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventCache } from '../../src/bus/event-cache.js';
import { EventSizes, splitMemoryBudget } from '../../src/bus/memory-budget.js';
import type { StoredEvent } from '../../src/events/types.js';

const event = (sequence: number, bytes: number): StoredEvent => ({
  sequence,
  receivedAt: '2026-12-01T00:00:00.000Z',
  event: { specversion: '1.0', id: `e-${sequence}`, source: '/s', type: 't', data: 'x'.repeat(bytes) },
});

test('large events: the cache holds what fits in its bytes, oldest out first', () => {
  const ids = new Map([['x', 1]]);
  const cache = new EventCache({ identity: (bus) => ids.get(bus), sizes: new EventSizes(), maxBytes: 5 * 1024 * 1024 });
  for (let sequence = 1; sequence <= 100; sequence++) cache.put('x', event(sequence, 900 * 1024));
  assert.ok(cache.size.bytes <= 5 * 1024 * 1024, `${cache.size.bytes} bytes cached`);
  assert.equal(cache.size.entries, 5);
  assert.equal(cache.get('x', 95), undefined);
  assert.equal(cache.get('x', 100)?.event.id, 'e-100');
});

test('an event larger than the whole cache is not kept (the store serves it)', () => {
  const cache = new EventCache({ identity: () => 1, sizes: new EventSizes(), maxBytes: 1024 });
  cache.put('x', event(1, 4096));
  assert.deepEqual(cache.size, { entries: 0, bytes: 0 });
});

test('a bus made again under the same name is another bus: the old events are never served', () => {
  const ids = new Map([['x', 1]]);
  const cache = new EventCache({ identity: (bus) => ids.get(bus), sizes: new EventSizes(), maxBytes: 1024 * 1024 });
  cache.put('x', event(1, 10));
  ids.set('x', 2); // deleted and made again
  assert.equal(cache.get('x', 1), undefined);
  cache.forget(1);
  assert.deepEqual(cache.size, { entries: 0, bytes: 0 });
});

test('the budget is split so that its buffers add up to less than the whole', () => {
  for (const total of [16 * 1024 * 1024, 128 * 1024 * 1024, 256 * 1024 * 1024, 4 * 1024 ** 3]) {
    const shares = splitMemoryBudget(total);
    const sum = shares.eventCache + shares.routerRecent + shares.routerPage + shares.storeCache + shares.streamPage;
    assert.ok(sum < total * 0.7, `${sum} of ${total}`);
  }
});
