import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt, { type IPublishPacket } from 'mqtt';
import { requireService } from '../support/services.js';
import { RetryableError } from '../../src/delivery/errors.js';
import { mqttTarget } from '../../src/connectors/targets/mqtt/index.js';
import { mqttSource } from '../../src/connectors/sources/mqtt/index.js';
import { deferrals, eventually, MemorySink, message, sourceContext, suffix, targetContext } from './support.js';
import { TcpProxy } from './tcp-proxy.js';

const URL = 'mqtt://127.0.0.1:1883';

test('mqtt target: QoS 1 publish with topic template, user properties and retain', async (t) => {
  if (!(await requireService(t, 'mqtt'))) return;
  const defer = deferrals(t);
  const base = `herald/test/${suffix()}`;
  const target = await mqttTarget.create(mqttTarget.validate({ url: URL, topic: `${base}/{subject}`, retain: true }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'e1', subject: 'dev-1', type: 'reading', data: { t: 21.5 } })]);
  // Retained: a subscriber that arrives afterwards still gets it.
  const sub = await mqtt.connectAsync(URL, { protocolVersion: 5 });
  defer(async () => {
    await sub.publishAsync(`${base}/dev-1`, '', { retain: true, qos: 1 }); // clear the retained message
    await sub.endAsync();
  });
  const got = new Promise<IPublishPacket>((resolve) => sub.on('message', (_t, _p, packet) => resolve(packet)));
  await sub.subscribeAsync(`${base}/#`, { qos: 1 });
  const packet = await got;
  assert.equal(packet.topic, `${base}/dev-1`);
  assert.equal(packet.retain, true);
  assert.deepEqual(JSON.parse(packet.payload.toString()), { t: 21.5 });
  assert.equal(packet.properties?.userProperties?.id, 'e1');
  assert.equal(packet.properties?.userProperties?.type, 'reading');
  assert.equal(packet.properties?.contentType, 'application/json');
});

test('mqtt target: retryable while the proxy drops traffic, then succeeds', async (t) => {
  if (!(await requireService(t, 'mqtt'))) return;
  const defer = deferrals(t);
  const proxy = await new TcpProxy(1883).start();
  defer(() => proxy.close());
  const topic = `herald/outage/${suffix()}`;
  const sub = await mqtt.connectAsync(URL);
  defer(() => sub.endAsync());
  const received: string[] = [];
  sub.on('message', (_t, p) => received.push(p.toString()));
  await sub.subscribeAsync(topic, { qos: 1 });
  const target = await mqttTarget.create(mqttTarget.validate({ url: `mqtt://127.0.0.1:${proxy.port}`, topic, timeoutMs: 1000 }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'a' }, 'a')]);
  proxy.drop();
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(target.send([message({ id: 'b' }, 'b')]), RetryableError);
  proxy.allow();
  let ok = false;
  for (let i = 0; i < 40 && !ok; i++) {
    try {
      await target.send([message({ id: 'b' }, 'b')]);
      ok = true;
    } catch (error) {
      assert.ok(error instanceof RetryableError, String(error));
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.ok(ok);
  await eventually(() => received.includes('b'), 3000, 'b received');
  assert.ok(received.includes('a'));
});

test('mqtt source: QoS 1 persistent session keeps messages while down; stop mid-stream and a failing sink lose nothing', async (t) => {
  if (!(await requireService(t, 'mqtt'))) return;
  const defer = deferrals(t);
  const topic = `herald/src/${suffix()}`;
  const clientId = `herald-test-${suffix()}`;
  const sink = new MemorySink();
  const config = mqttSource.validate({ url: URL, topic: `${topic}/#`, clientId, sessionExpirySeconds: 60 });
  let src = await mqttSource.start('m1', config, sourceContext(sink));
  await eventually(() => src.status().state === 'running', 5000, 'subscribed');
  // The session (and its subscription) outlives the connection: messages published while the
  // source is down are queued by the broker.
  await src.stop();
  const pub = await mqtt.connectAsync(URL, { protocolVersion: 5 });
  defer(() => pub.endAsync());
  const N = 200;
  await pub.publishAsync(`${topic}/a`, '{"n":0}', { qos: 1, properties: { userProperties: { 'ce-id': 'id-0', type: 'from.property' } } });
  for (let n = 1; n < N; n++) await pub.publishAsync(`${topic}/a`, JSON.stringify({ n }), { qos: 1 });
  assert.equal(sink.events.length, 0);
  src = await mqttSource.start('m1', config, sourceContext(sink));
  await sink.waitFor(10);
  await src.stop();
  assert.ok(sink.events.length < N, `stopped mid-stream (${sink.events.length} of ${N})`);
  sink.failNext(2);
  src = await mqttSource.start('m1', config, sourceContext(sink));
  defer(async () => {
    await src.stop();
    // End the persistent session at the broker: reconnect clean with the same id.
    const cleaner = await mqtt.connectAsync(URL, { clientId, clean: true, protocolVersion: 5 });
    await cleaner.endAsync();
  });
  // Every message arrives. Messages without an id get a fresh UUID each, so one stored but not yet
  // acknowledged when the source stopped comes again as a second event: at-least-once, never a loss.
  await eventually(() => new Set(sink.events.map((e) => (e.data as { n: number }).n)).size === N, 15_000, 'every message stored');
  const data = [...new Set(sink.events.map((e) => (e.data as { n: number }).n))].sort((a, b) => a - b);
  assert.deepEqual(data, Array.from({ length: N }, (_, n) => n));
  const e0 = sink.events.find((e) => e.id === 'id-0');
  assert.equal(e0?.type, 'from.property');
  assert.equal(e0?.source, `mqtt://127.0.0.1:1883/${topic}/a`);
  assert.match(sink.events.find((e) => (e.data as { n: number }).n === 5)?.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(sink.events.filter((e) => e.id === 'id-0').length, 1, 'a message with its own id is stored once');
});

/** Publishes `payload` three times (QoS 1, no id) to a fresh topic and returns what the source stored. */
async function threeIdentical(t: Parameters<typeof deferrals>[0], extra: Record<string, unknown>): Promise<MemorySink> {
  const defer = deferrals(t);
  const topic = `herald/same/${suffix()}`;
  const sink = new MemorySink();
  const src = await mqttSource.start('same', mqttSource.validate({ url: URL, topic, qos: 1, clientId: `herald-test-${suffix()}`, sessionExpirySeconds: 0, ...extra }), sourceContext(sink));
  defer(() => src.stop());
  await eventually(() => src.status().state === 'running', 5000, 'subscribed');
  const pub = await mqtt.connectAsync(URL, { protocolVersion: 5 });
  defer(() => pub.endAsync());
  for (let i = 0; i < 3; i++) await pub.publishAsync(topic, '{"celsius":21.5}', { qos: 1 });
  // The fourth, different message arrives after the three: once it is stored, the three were handled.
  await pub.publishAsync(topic, '{"celsius":22}', { qos: 1 });
  await eventually(() => sink.events.some((e) => (e.data as { celsius: number }).celsius === 22), 10_000, 'the last reading stored');
  return sink;
}

test('mqtt source: three identical readings without an id are three events', async (t) => {
  if (!(await requireService(t, 'mqtt'))) return;
  const sink = await threeIdentical(t, {});
  const same = sink.events.filter((e) => (e.data as { celsius: number }).celsius === 21.5);
  assert.equal(same.length, 3);
  assert.equal(new Set(same.map((e) => e.id)).size, 3, 'three distinct ids');
  assert.equal(sink.duplicates, 0);
});

test('mqtt source: idFrom "hash" collapses identical messages into one event', async (t) => {
  if (!(await requireService(t, 'mqtt'))) return;
  const sink = await threeIdentical(t, { idFrom: 'hash' });
  const same = sink.events.filter((e) => (e.data as { celsius: number }).celsius === 21.5);
  assert.equal(same.length, 1);
  assert.match(same[0].id, /^sha256:/);
  assert.equal(sink.duplicates, 2);
  assert.throws(() => mqttSource.validate({ url: URL, topic: 'x', idFrom: 'content' }), { field: 'config.idFrom' });
});
