/**
 * The official `cloudevents` SDK's HTTP emitter publishes to a running Herald, in binary and
 * structured mode; what is read back equals what was sent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudEvent, emitterFor, httpTransport, Mode } from 'cloudevents';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

function sample(id: string) {
  return new CloudEvent({
    id,
    source: 'urn:example:shop/orders',
    type: 'com.example.order.created',
    // The SDK sends header values as they are (no percent-encoding), so this stays within what
    // survives that: non-ASCII text, but no '%' (which a receiver must percent-decode).
    subject: 'order/42 ünïcode',
    time: '2026-11-25T10:00:00.123Z',
    dataschema: 'https://example.com/schemas/order.json',
    datacontenttype: 'application/json',
    data: { orderId: 42, items: [{ sku: 'a', qty: 2 }], note: 'ok' },
    tenant: 'acme',
    priority: 7,
    urgent: true,
  });
}

async function readBack(id: string) {
  const stored = await server.store.events.findById('default', 'urn:example:shop/orders', id);
  assert.ok(stored, `event ${id} was stored`);
  return stored.event;
}

test('structured mode: read back equal, typed extensions kept', async () => {
  const emit = emitterFor(httpTransport(`${server.url}/v1/buses/default/events`), { mode: Mode.STRUCTURED });
  const sent = sample('sdk-structured');
  await emit(sent);
  const got = await readBack('sdk-structured');
  assert.deepEqual(got, JSON.parse(JSON.stringify(sent.toJSON())));
  assert.equal(got.priority, 7);
  assert.equal(got.urgent, true);
});

test('binary mode: read back equal after the canonical string encoding of extensions', async () => {
  const emit = emitterFor(httpTransport(`${server.url}/v1/buses/default/events`), { mode: Mode.BINARY });
  const sent = sample('sdk-binary');
  await emit(sent);
  const got = await readBack('sdk-binary');
  const expected = JSON.parse(JSON.stringify(sent.toJSON())) as Record<string, unknown>;
  // Binary mode carries every attribute as a header string (HTTP binding §3.1.3): an Integer 7
  // arrives as "7" and a Boolean true as "true".
  expected.priority = '7';
  expected.urgent = 'true';
  assert.deepEqual(got, expected);
});

test('binary mode with binary data round-trips as data_base64', async () => {
  const emit = emitterFor(httpTransport(`${server.url}/v1/buses/default/events`), { mode: Mode.BINARY });
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  await emit(new CloudEvent({ id: 'sdk-bytes', source: 'urn:example:shop/orders', type: 'bytes', datacontenttype: 'application/octet-stream', data: bytes }));
  const got = await readBack('sdk-bytes');
  assert.equal(got.data_base64, Buffer.from(bytes).toString('base64'));
  assert.equal(got.data, undefined);
});
