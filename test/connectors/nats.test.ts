import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, headers as natsHeaders, StringCodec, type NatsConnection } from 'nats';
import { requireService } from '../support/services.js';
import { RetryableError, PermanentError } from '../../src/delivery/errors.js';
import { natsTarget } from '../../src/connectors/targets/nats/index.js';
import { natsSource } from '../../src/connectors/sources/nats/index.js';
import { deferrals, MemorySink, message, sourceContext, suffix, targetContext } from './support.js';
import { TcpProxy } from './tcp-proxy.js';

const URL = 'nats://127.0.0.1:4222';
const sc = StringCodec();

async function withStream(defer: (fn: () => unknown) => void, nc: NatsConnection, subjects: string[]): Promise<string> {
  const name = `herald_test_${suffix()}`;
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name, subjects, duplicate_window: 120_000_000_000 });
  defer(async () => {
    await jsm.streams.delete(name).catch(() => undefined);
  });
  return name;
}

test('nats target: core publish reaches a subscriber with ce-* headers and the JSON body', async (t) => {
  if (!(await requireService(t, 'nats'))) return;
  const defer = deferrals(t);
  const nc = await connect({ servers: URL });
  defer(() => nc.close());
  const prefix = `herald.test.${suffix()}`;
  const sub = nc.subscribe(`${prefix}.>`, { max: 1 });
  await nc.flush();
  const target = await natsTarget.create(natsTarget.validate({ url: URL, subject: `${prefix}.{type}` }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'e1', type: 'order.created', data: { total: 3 } })]);
  for await (const m of sub) {
    assert.equal(m.subject, `${prefix}.order.created`);
    assert.deepEqual(JSON.parse(sc.decode(m.data)), { total: 3 });
    assert.equal(m.headers?.get('ce-id'), 'e1');
    assert.equal(m.headers?.get('ce-type'), 'order.created');
    assert.equal(m.headers?.get('content-type'), 'application/json');
  }
});

test('nats target: JetStream publish twice with one idempotency key stores one message', async (t) => {
  if (!(await requireService(t, 'nats'))) return;
  const defer = deferrals(t);
  const nc = await connect({ servers: URL });
  defer(() => nc.close());
  const subject = `herald.js.${suffix()}`;
  const stream = await withStream(defer, nc, [subject]);
  const target = await natsTarget.create(natsTarget.validate({ url: URL, subject, jetstream: true }), targetContext());
  defer(() => target.close());
  const m = message({ id: 'dup-1', data: { n: 1 } });
  await target.send([m]);
  await target.send([{ ...m, deliveryId: 'd-again', attempt: 2 }]);
  await target.send([message({ id: 'other', data: { n: 2 } })]);
  const info = await (await nc.jetstreamManager()).streams.info(stream);
  assert.equal(info.state.messages, 2);
  const stored = await (await nc.jetstreamManager()).streams.getMessage(stream, { seq: 1 });
  assert.equal(stored.header.get('Nats-Msg-Id'), 'dup-1:t1');
  assert.deepEqual(JSON.parse(sc.decode(stored.data)), { n: 1 });
});

test('nats target: a JetStream subject no stream captures is a permanent error; a missing template path too', async (t) => {
  if (!(await requireService(t, 'nats'))) return;
  const defer = deferrals(t);
  const target = await natsTarget.create(natsTarget.validate({ url: URL, subject: `herald.nostream.${suffix()}.{data.kind}`, jetstream: true, timeoutMs: 2000 }), targetContext());
  defer(() => target.close());
  await assert.rejects(target.send([message({ id: 'x', data: { kind: 'a' } })]), PermanentError);
  await assert.rejects(target.send([message({ id: 'y', data: {} })]), PermanentError);
});

test('nats target: through a dropped proxy the send is retryable, and succeeds once traffic flows', async (t) => {
  if (!(await requireService(t, 'nats'))) return;
  const defer = deferrals(t);
  const proxy = await new TcpProxy(4222).start();
  defer(() => proxy.close());
  const nc = await connect({ servers: URL });
  defer(() => nc.close());
  const subject = `herald.outage.${suffix()}`;
  const stream = await withStream(defer, nc, [subject]);
  const target = await natsTarget.create(natsTarget.validate({ url: `nats://127.0.0.1:${proxy.port}`, subject, jetstream: true, timeoutMs: 1000 }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'before' })]);
  proxy.drop();
  await assert.rejects(target.send([message({ id: 'during' })]), RetryableError);
  proxy.allow();
  let sent = false;
  for (let i = 0; i < 40 && !sent; i++) {
    try {
      await target.send([message({ id: 'during' })]);
      sent = true;
    } catch (error) {
      assert.ok(error instanceof RetryableError, `expected retryable, got ${String(error)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  assert.ok(sent, 'send succeeded after the proxy allowed traffic');
  const info = await (await nc.jetstreamManager()).streams.info(stream);
  assert.equal(info.state.messages, 2);
});

test('nats source: JetStream messages become CloudEvents; a restart mid-stream loses nothing and duplicates nothing', async (t) => {
  if (!(await requireService(t, 'nats'))) return;
  const defer = deferrals(t);
  const nc = await connect({ servers: URL });
  defer(() => nc.close());
  const subject = `herald.src.${suffix()}`;
  const stream = await withStream(defer, nc, [`${subject}.>`]);
  const js = nc.jetstream();
  const sink = new MemorySink();
  const config = natsSource.validate({ url: URL, stream, consumer: 'herald', type: 'test.default' });
  const N = 200;
  const h = natsHeaders();
  h.set('ce-type', 'from.header');
  await js.publish(`${subject}.a`, sc.encode(JSON.stringify({ n: 0 })), { headers: h });
  for (let n = 1; n < N; n++) await js.publish(`${subject}.a`, sc.encode(n % 2 ? JSON.stringify({ n }) : `plain ${n}`));
  let first = await natsSource.start('s1', config, sourceContext(sink));
  // Stop while messages are flowing, and make the sink fail part-way for the next instance.
  await sink.waitFor(5);
  await first.stop();
  assert.equal(first.status().state, 'stopped');
  assert.ok(sink.events.length < N, `stopped mid-stream (${sink.events.length} of ${N})`);
  sink.failNext(2);
  first = await natsSource.start('s1', config, sourceContext(sink));
  defer(() => first.stop());
  await sink.waitFor(N);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sink.events.length, N);
  const ids = new Set(sink.events.map((e) => e.id));
  for (let seq = 1; seq <= N; seq++) assert.ok(ids.has(`${stream}:${seq}`), `seq ${seq} arrived`);
  const e0 = sink.events.find((e) => e.id === `${stream}:1`);
  assert.equal(e0?.type, 'from.header');
  assert.equal(e0?.source, `nats://127.0.0.1:4222/${subject}.a`);
  assert.deepEqual(e0?.data, { n: 0 });
  const e2 = sink.events.find((e) => e.id === `${stream}:3`);
  assert.equal(e2?.type, 'test.default');
  assert.equal(e2?.data, 'plain 2');
  assert.equal(e2?.datacontenttype, 'text/plain');
  assert.equal(first.status().state, 'running');
  assert.equal(first.status().lag, 0);
});

test('nats source: core subject, best effort', async (t) => {
  if (!(await requireService(t, 'nats'))) return;
  const defer = deferrals(t);
  const nc = await connect({ servers: URL });
  defer(() => nc.close());
  const subject = `herald.core.${suffix()}`;
  const sink = new MemorySink();
  const src = await natsSource.start('core', natsSource.validate({ url: URL, mode: 'core', subject }), sourceContext(sink));
  defer(() => src.stop());
  const h = natsHeaders();
  h.set('Nats-Msg-Id', 'm-1');
  // Core NATS drops what is published before the subscription reaches the server, and when it does
  // is not observable from here: publish until one arrives instead of guessing a sleep.
  while (sink.events.length === 0) {
    nc.publish(subject, sc.encode('{"ok":true}'), { headers: h });
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(sink.events[0].id, 'm-1');
  assert.deepEqual(sink.events[0].data, { ok: true });
});
