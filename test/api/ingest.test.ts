import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

const post = (bus: string, headers: Record<string, string>, body: string) =>
  fetch(`${server.url}/v1/buses/${bus}/events`, { method: 'POST', headers, body });

test('binary mode: attributes from ce- headers (percent-decoded), data from the body', async () => {
  const response = await post(
    'default',
    {
      'ce-specversion': '1.0',
      'ce-id': 'bin-1',
      'ce-source': '/orders',
      'ce-type': 'order.created',
      'ce-subject': 'caf%C3%A9 %25 50',
      'ce-tenant': 'acme',
      'content-type': 'application/json',
    },
    '{"total":12.5}',
  );
  assert.equal(response.status, 202);
  const ack = (await response.json()) as { sequence: number; id: string; source: string; duplicate: boolean };
  assert.deepEqual({ ...ack, sequence: typeof ack.sequence }, { id: 'bin-1', source: '/orders', sequence: 'number', duplicate: false });
  const stored = await server.store.events.get('default', ack.sequence);
  assert.deepEqual(stored?.event, {
    specversion: '1.0',
    id: 'bin-1',
    source: '/orders',
    type: 'order.created',
    subject: 'café % 50',
    tenant: 'acme',
    datacontenttype: 'application/json',
    data: { total: 12.5 },
  });
});

test('structured mode, a duplicate, and reading back by page', async () => {
  await server.store.buses.create('reads');
  const event = { specversion: '1.0', id: 's-1', source: '/s', type: 't', data: [1, 2] };
  const first = await post('reads', { 'content-type': 'application/cloudevents+json; charset=utf-8' }, JSON.stringify(event));
  assert.deepEqual(await first.json(), { id: 's-1', source: '/s', sequence: 1, duplicate: false });
  const again = await post('reads', { 'content-type': 'application/cloudevents+json' }, JSON.stringify(event));
  assert.equal(again.status, 202);
  assert.deepEqual(await again.json(), { id: 's-1', source: '/s', sequence: 1, duplicate: true });
  const batch = Array.from({ length: 5 }, (_, i) => ({ ...event, id: `b-${i}` }));
  const batched = await post('reads', { 'content-type': 'application/cloudevents-batch+json' }, JSON.stringify(batch));
  assert.equal(batched.status, 200);
  const body = (await batched.json()) as { accepted: number; failed: number; results: Array<{ sequence: number }> };
  assert.deepEqual(body.results.map((r) => r.sequence), [2, 3, 4, 5, 6]);
  const page = (await (await fetch(`${server.url}/v1/buses/reads/events?after=2&limit=3`)).json()) as {
    events: Array<{ sequence: number; event: { id: string } }>;
    next: number;
  };
  assert.deepEqual(page.events.map((e) => [e.sequence, e.event.id]), [[3, 'b-1'], [4, 'b-2'], [5, 'b-3']]);
  assert.equal(page.next, 5);
  const empty = await post('reads', { 'content-type': 'application/cloudevents-batch+json' }, '[]');
  assert.deepEqual(await empty.json(), { accepted: 0, failed: 0, results: [] });
  const badLimit = await fetch(`${server.url}/v1/buses/reads/events?limit=5000`);
  assert.equal(badLimit.status, 400);
  assert.equal(((await badLimit.json()) as { field: string }).field, 'limit');
});

test('the live tail streams new events and resumes after Last-Event-ID', async () => {
  await server.store.buses.create('tail');
  const append = (id: string) => server.store.events.append('tail', [{ specversion: '1.0', id, source: '/t', type: 't' }]);
  await append('before');
  const read = async (headers: Record<string, string>, query: string, count: number, opened = () => {}) => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/buses/tail/events/stream${query}`, { headers, signal: controller.signal });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    // The server fixed the tail's start (the head) before it sent these headers.
    opened();
    const frames: Array<{ id: string; data: { sequence: number; event: { id: string } } }> = [];
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (id && data) frames.push({ id, data: JSON.parse(data) });
          if (frames.length === count) controller.abort();
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
    return frames;
  };
  // From the head: only what comes after the connection.
  // Append only once the tail is open (not after a guessed sleep, which a loaded machine outlasts).
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const live = read({}, '', 2, opened);
  await open;
  await append('n1');
  await append('n2');
  const frames = await live;
  assert.deepEqual(frames.map((f) => [f.id, f.data.event.id]), [['2', 'n1'], ['3', 'n2']]);
  // Resuming after sequence 1 replays 2 and 3 from the store.
  const resumed = await read({ 'last-event-id': '1' }, '', 2);
  assert.deepEqual(resumed.map((f) => f.data.event.id), ['n1', 'n2']);
});

test('buses: create, describe, list, update, delete; default cannot be deleted', async () => {
  const json = { 'content-type': 'application/json' };
  const created = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'orders', description: 'all orders', retentionMs: 3600_000 }) });
  assert.equal(created.status, 201);
  assert.equal(((await created.json()) as { retentionMs: number }).retentionMs, 3600_000);
  const conflict = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'orders' }) });
  assert.equal(conflict.status, 409);
  const badName = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'a/b' }) });
  assert.deepEqual([badName.status, ((await badName.json()) as { code: string }).code], [400, 'HERALD_INVALID_NAME']);
  const unknownField = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'x', colour: 'red' }) });
  assert.equal(unknownField.status, 400);
  const described = (await (await fetch(`${server.url}/v1/buses/orders`)).json()) as { headSequence: number; description: string };
  assert.deepEqual([described.headSequence, described.description], [0, 'all orders']);
  const patched = await fetch(`${server.url}/v1/buses/orders`, { method: 'PATCH', headers: json, body: JSON.stringify({ description: 'changed' }) });
  assert.equal(((await patched.json()) as { description: string }).description, 'changed');
  const list = (await (await fetch(`${server.url}/v1/buses`)).json()) as { buses: Array<{ name: string }> };
  assert.ok(list.buses.some((b) => b.name === 'orders') && list.buses.some((b) => b.name === 'default'));
  assert.equal((await fetch(`${server.url}/v1/buses/orders`, { method: 'DELETE' })).status, 204);
  assert.equal((await fetch(`${server.url}/v1/buses/orders`)).status, 404);
  const protectedBus = await fetch(`${server.url}/v1/buses/default`, { method: 'DELETE' });
  assert.deepEqual([protectedBus.status, ((await protectedBus.json()) as { code: string }).code], [409, 'HERALD_BUS_PROTECTED']);
});

test('admin lists page by name with limit and after', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) await server.store.buses.create(name);
  const first = (await (await fetch(`${server.url}/v1/buses?limit=2&after=page-`)).json()) as { buses: Array<{ name: string }>; next?: string };
  assert.deepEqual(first.buses.map((b) => b.name), ['page-a', 'page-b']);
  assert.equal(first.next, 'page-b');
  const second = (await (await fetch(`${server.url}/v1/buses?limit=2&after=${first.next}`)).json()) as { buses: Array<{ name: string }>; next?: string };
  assert.equal(second.buses[0].name, 'page-c');
  const bad = await fetch(`${server.url}/v1/buses?limit=5000`);
  assert.deepEqual([bad.status, ((await bad.json()) as { field: string }).field], [400, 'limit']);
});
