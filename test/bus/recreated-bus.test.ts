/**
 * A deleted bus leaves nothing behind (issue 11, item 2): a bus deleted and made again under the
 * same name, with the same rule, delivers its own events — new bodies, new webhook-ids — never the
 * deleted bus's (which the event cache, keyed by name and sequence, used to serve).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer, tempDir } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

let server: RunningServer;
let receiver: Receiver;
before(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
});
after(async () => {
  await server.stop();
  await receiver.close();
});

const json = { 'content-type': 'application/json' };

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method, ...(body !== undefined ? { headers: json, body: JSON.stringify(body) } : {}) });
}

async function makeBus(bus: string, path: string): Promise<void> {
  assert.equal((await call('POST', '/v1/buses', { name: bus })).status, 201);
  const rule = { filter: { pattern: { type: ['order.created'] } }, targets: [{ id: 'hook', type: 'http', config: { url: `${receiver.url}${path}`, mode: 'structured' } }] };
  const put = await call('PUT', `/v1/buses/${bus}/rules/orders`, rule);
  assert.equal(put.status, 201, await put.text());
}

async function publish(bus: string, id: string, data: unknown): Promise<number> {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id, source: '/shop', type: 'order.created', data }),
  });
  assert.equal(response.status, 202);
  return ((await response.json()) as { sequence: number }).sequence;
}

test('a bus deleted with force and made again delivers the new events, with new webhook-ids', async () => {
  const bus = `x-${randomUUID().slice(0, 8)}`;
  const path = `/${bus}`;
  const mine = () => receiver.received.filter((r) => r.path === path);
  await makeBus(bus, path);
  const oldSeqs = [await publish(bus, 'order-1', { generation: 'old', n: 1 }), await publish(bus, 'order-2', { generation: 'old', n: 2 })];
  await waitUntil(() => mine().length === 2);
  const oldIds = new Set(mine().map((r) => r.headers['webhook-id']));

  assert.equal((await call('DELETE', `/v1/buses/${bus}?force=true`)).status, 204);
  await makeBus(bus, path);
  // The same sequences and even the same event ids as the deleted bus's events.
  const newSeqs = [await publish(bus, 'order-1', { generation: 'new', n: 1 }), await publish(bus, 'order-2', { generation: 'new', n: 2 })];
  assert.deepEqual(newSeqs, oldSeqs, 'a new bus starts its sequences at 1 again');
  await waitUntil(() => mine().length === 4);
  const fresh = mine().slice(2);
  assert.deepEqual(
    fresh.map((r) => (JSON.parse(r.body) as { data: unknown }).data).sort((a, b) => (a as { n: number }).n - (b as { n: number }).n),
    [{ generation: 'new', n: 1 }, { generation: 'new', n: 2 }],
  );
  for (const r of fresh) {
    const id = r.headers['webhook-id'];
    assert.ok(typeof id === 'string' && !oldIds.has(id), `webhook-id ${String(id)} was already used by the deleted bus (${[...oldIds].join(', ')})`);
  }
});

test('an SSE tail of a deleted bus ends, and never streams the bus made again under its name', async () => {
  const bus = `tail-${randomUUID().slice(0, 8)}`;
  assert.equal((await call('POST', '/v1/buses', { name: bus })).status, 201);
  await publish(bus, 'e-1', { generation: 'old' });
  const controller = new AbortController();
  const response = await fetch(`${server.url}/v1/buses/${bus}/events/stream?after=0`, { signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  const readAll = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += Buffer.from(value).toString('utf8');
    }
  })();
  await waitUntil(() => text.includes('"old"'));
  assert.equal((await call('DELETE', `/v1/buses/${bus}`)).status, 204);
  await Promise.race([readAll, new Promise((_, reject) => setTimeout(() => reject(new Error('the stream did not end')), 10_000))]);
  assert.equal((await call('POST', '/v1/buses', { name: bus })).status, 201);
  await publish(bus, 'e-1', { generation: 'new' });
  assert.ok(!text.includes('"new"'));
  controller.abort();
});

test('bus and delivery ids are never reused, even after deleting the newest ones and reopening', async () => {
  const dataDir = tempDir();
  let store = openSqliteStore({ dataDir, retentionMs: 3_600_000, dedupeWindowMs: 60_000 });
  await store.buses.create('a');
  const first = store.buses.identity('a')!;
  await store.events.append('a', [{ specversion: '1.0', id: '1', source: '/s', type: 't' }]);
  await store.deliveries.enqueue('a', 1, [{ sequence: 1, eventAt: Date.now(), rule: 'r', target: 't' }]);
  const [firstDelivery] = await store.deliveries.forEvent('a', 1);
  await store.buses.delete('a');
  await store.close();

  store = openSqliteStore({ dataDir, retentionMs: 3_600_000, dedupeWindowMs: 60_000 });
  try {
    await store.buses.create('a');
    assert.ok(store.buses.identity('a')! > first, 'the bus made again has a new identity');
    await store.events.append('a', [{ specversion: '1.0', id: '1', source: '/s', type: 't' }]);
    await store.deliveries.enqueue('a', 1, [{ sequence: 1, eventAt: Date.now(), rule: 'r', target: 't' }]);
    const [again] = await store.deliveries.forEvent('a', 1);
    assert.ok(again.id > firstDelivery.id, `delivery id ${again.id} repeats ${firstDelivery.id}`);
  } finally {
    await store.close();
  }
});

async function waitUntil(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
