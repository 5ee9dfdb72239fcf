import { test } from 'node:test';
import assert from 'node:assert/strict';
import amqp from 'amqplib';
import { requireService } from '../support/services.js';
import { PermanentError, RetryableError } from '../../src/delivery/errors.js';
import { amqpTarget } from '../../src/connectors/targets/amqp/index.js';
import { amqpSource } from '../../src/connectors/sources/amqp/index.js';
import { deferrals, eventually, MemorySink, message, sourceContext, suffix, targetContext } from './support.js';
import { TcpProxy } from './tcp-proxy.js';

const URL = 'amqp://guest:guest@127.0.0.1:5672';

test('amqp target: confirmed, persistent publish with routing-key template, messageId and cloudEvents headers', async (t) => {
  if (!(await requireService(t, 'rabbitmq'))) return;
  const defer = deferrals(t);
  const conn = await amqp.connect(URL);
  defer(() => conn.close());
  const ch = await conn.createChannel();
  const exchange = `herald.x.${suffix()}`;
  const queue = `herald.q.${suffix()}`;
  await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
  await ch.assertQueue(queue, { durable: true });
  await ch.bindQueue(queue, exchange, 'orders.#');
  defer(async () => {
    await ch.deleteQueue(queue);
    await ch.deleteExchange(exchange);
  });
  const target = await amqpTarget.create(amqpTarget.validate({ url: URL, exchange, routingKey: 'orders.{type}' }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'e1', type: 'created', data: { n: 1 } }), message({ id: 'e2', type: 'paid', data: { n: 2 } })]);
  const got = await ch.get(queue, { noAck: true });
  assert.ok(got);
  assert.equal(got.fields.routingKey, 'orders.created');
  assert.equal(got.properties.messageId, 'e1:t1');
  assert.equal(got.properties.deliveryMode, 2);
  assert.equal(got.properties.headers?.['cloudEvents:id'], 'e1');
  assert.deepEqual(JSON.parse(got.content.toString()), { n: 1 });
  assert.equal((await ch.checkQueue(queue)).messageCount, 1);

  // Nothing bound for this key: the broker returns it and the send fails instead of dropping it.
  const unrouted = await amqpTarget.create(amqpTarget.validate({ url: URL, exchange, routingKey: 'refunds.{type}' }), targetContext());
  defer(() => unrouted.close());
  await assert.rejects(unrouted.send([message({ id: 'e3', type: 'x' })]), PermanentError);
});

test('amqp target: an unknown exchange is permanent; a dropped proxy is retryable, then recovers', async (t) => {
  if (!(await requireService(t, 'rabbitmq'))) return;
  const defer = deferrals(t);
  const missing = await amqpTarget.create(amqpTarget.validate({ url: URL, exchange: `nope.${suffix()}`, routingKey: 'k' }), targetContext());
  defer(() => missing.close());
  await assert.rejects(missing.send([message({ id: 'x' })]), PermanentError);

  const conn = await amqp.connect(URL);
  defer(() => conn.close());
  const ch = await conn.createChannel();
  const queue = `herald.q.${suffix()}`;
  await ch.assertQueue(queue, { durable: true });
  defer(() => ch.deleteQueue(queue));
  const proxy = await new TcpProxy(5672).start();
  defer(() => proxy.close());
  const target = await amqpTarget.create(amqpTarget.validate({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, exchange: '', routingKey: queue, timeoutMs: 1000 }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'a' })]);
  proxy.drop();
  await assert.rejects(target.send([message({ id: 'b' })]), RetryableError);
  proxy.allow();
  let ok = false;
  for (let i = 0; i < 30 && !ok; i++) {
    try {
      await target.send([message({ id: 'b' })]);
      ok = true;
    } catch (error) {
      assert.ok(error instanceof RetryableError, String(error));
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.ok(ok);
  await eventually(async () => (await ch.checkQueue(queue)).messageCount === 2, 3000, 'two messages queued');
});

test('amqp source: queue messages become events; stop mid-stream and a failing sink lose and duplicate nothing', async (t) => {
  if (!(await requireService(t, 'rabbitmq'))) return;
  const defer = deferrals(t);
  const conn = await amqp.connect(URL);
  defer(() => conn.close());
  const ch = await conn.createConfirmChannel();
  const queue = `herald.src.${suffix()}`;
  await ch.assertQueue(queue, { durable: true });
  defer(() => ch.deleteQueue(queue));
  const N = 300;
  ch.sendToQueue(queue, Buffer.from('{"n":0}'), { messageId: 'm-0', type: 'from.property', headers: { 'cloudEvents:subject': 's-0' } });
  for (let n = 1; n < N; n++) ch.sendToQueue(queue, Buffer.from(n % 2 ? `{"n":${n}}` : `text ${n}`), { messageId: `m-${n}`, contentType: n % 2 ? 'application/json' : 'text/plain' });
  await ch.waitForConfirms();
  const sink = new MemorySink();
  const config = amqpSource.validate({ url: URL, queue, prefetch: 10 });
  let src = await amqpSource.start('a1', config, sourceContext(sink));
  await sink.waitFor(20);
  await src.stop();
  assert.ok(sink.events.length < N, `stopped mid-stream (${sink.events.length} of ${N})`);
  sink.failNext(2);
  src = await amqpSource.start('a1', config, sourceContext(sink));
  defer(() => src.stop());
  await sink.waitFor(N);
  await eventually(async () => (await ch.checkQueue(queue)).messageCount === 0, 5000, 'queue drained');
  assert.equal(sink.events.length, N);
  assert.deepEqual(new Set(sink.events.map((e) => e.id)), new Set(Array.from({ length: N }, (_, n) => `m-${n}`)));
  const e0 = sink.events.find((e) => e.id === 'm-0');
  assert.equal(e0?.type, 'from.property');
  assert.equal(e0?.subject, 's-0');
  assert.equal(e0?.source, `amqp://127.0.0.1:5672/${queue}`);
  assert.deepEqual(e0?.data, { n: 0 });
  assert.equal(sink.events.find((e) => e.id === 'm-2')?.data, 'text 2');
  assert.equal(src.status().state, 'running');
});

/** Sends three identical messages without an id, then a different one, and returns what the source stored. */
async function threeIdentical(t: Parameters<typeof deferrals>[0], extra: Record<string, unknown>): Promise<MemorySink> {
  const defer = deferrals(t);
  const conn = await amqp.connect(URL);
  defer(() => conn.close());
  const ch = await conn.createConfirmChannel();
  const queue = `herald.same.${suffix()}`;
  await ch.assertQueue(queue, { durable: true });
  defer(() => ch.deleteQueue(queue));
  for (let i = 0; i < 3; i++) ch.sendToQueue(queue, Buffer.from('{"celsius":21.5}'), { contentType: 'application/json', headers: { unit: 'C' } });
  ch.sendToQueue(queue, Buffer.from('{"celsius":22}'), { contentType: 'application/json' });
  await ch.waitForConfirms();
  const sink = new MemorySink();
  const src = await amqpSource.start('same', amqpSource.validate({ url: URL, queue, ...extra }), sourceContext(sink));
  defer(() => src.stop());
  // Each of the four is either a stored event or a duplicate the bus absorbed.
  await eventually(() => sink.events.length + sink.duplicates >= 4, 10_000, 'all four handled');
  return sink;
}

test('amqp source: three identical messages without a messageId are three events', async (t) => {
  if (!(await requireService(t, 'rabbitmq'))) return;
  const sink = await threeIdentical(t, {});
  const same = sink.events.filter((e) => (e.data as { celsius: number }).celsius === 21.5);
  assert.equal(same.length, 3);
  assert.equal(new Set(same.map((e) => e.id)).size, 3, 'three distinct ids');
  assert.equal(sink.duplicates, 0);
});

test('amqp source: idFrom "hash" collapses identical messages; a cloudEvents:id header is the id when there is no messageId', async (t) => {
  if (!(await requireService(t, 'rabbitmq'))) return;
  const sink = await threeIdentical(t, { idFrom: 'hash' });
  const same = sink.events.filter((e) => (e.data as { celsius: number }).celsius === 21.5);
  assert.equal(same.length, 1);
  assert.match(same[0].id, /^sha256:/);
  assert.equal(sink.duplicates, 2);

  const defer = deferrals(t);
  const conn = await amqp.connect(URL);
  defer(() => conn.close());
  const ch = await conn.createConfirmChannel();
  const queue = `herald.ceid.${suffix()}`;
  await ch.assertQueue(queue, { durable: true });
  defer(() => ch.deleteQueue(queue));
  ch.sendToQueue(queue, Buffer.from('{}'), { contentType: 'application/json', headers: { 'cloudEvents:id': 'ce-1' } });
  await ch.waitForConfirms();
  const sink2 = new MemorySink();
  const src = await amqpSource.start('ceid', amqpSource.validate({ url: URL, queue }), sourceContext(sink2));
  defer(() => src.stop());
  await sink2.waitFor(1);
  assert.equal(sink2.events[0].id, 'ce-1');
});
