import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { requireService } from '../support/services.js';
import { RetryableError } from '../../src/delivery/errors.js';
import { redisTarget } from '../../src/connectors/targets/redis/index.js';
import { redisSource } from '../../src/connectors/sources/redis/index.js';
import { deferrals, eventually, MemorySink, message, sourceContext, suffix, targetContext } from './support.js';
import { TcpProxy } from './tcp-proxy.js';

const URL = 'redis://127.0.0.1:6379';

test('redis target: XADD with ce-* fields, a redelivery adds nothing', async (t) => {
  if (!(await requireService(t, 'redis'))) return;
  const defer = deferrals(t);
  const redis = new Redis(URL);
  defer(() => redis.quit());
  const stream = `herald:test:${suffix()}`;
  defer(async () => {
    await redis.del(stream, `${stream}:herald-dedupe:e1:t1`, `${stream}:herald-dedupe:e2:t1`);
  });
  const target = await redisTarget.create(redisTarget.validate({ url: URL, mode: 'stream', key: stream }), targetContext());
  defer(() => target.close());
  const m = message({ id: 'e1', type: 'a.b', data: { x: 1 } });
  await target.send([m, message({ id: 'e2', data: 'hi' })]);
  await target.send([{ ...m, attempt: 2 }]);
  const entries = await redis.xrange(stream, '-', '+');
  assert.equal(entries.length, 2);
  const fields = Object.fromEntries(entries[0][1].reduce<string[][]>((acc, v, i, all) => (i % 2 ? acc : [...acc, [v, all[i + 1]]]), []));
  assert.equal(fields['ce-id'], 'e1');
  assert.equal(fields['ce-type'], 'a.b');
  assert.deepEqual(JSON.parse(fields.body), { x: 1 });
});

test('redis target: SET NX keyed by the idempotency key keeps the first value; PUBLISH reaches a subscriber', async (t) => {
  if (!(await requireService(t, 'redis'))) return;
  const defer = deferrals(t);
  const redis = new Redis(URL);
  defer(() => redis.quit());
  const prefix = `herald:test:${suffix()}`;
  const setTarget = await redisTarget.create(redisTarget.validate({ url: URL, mode: 'set', key: `${prefix}:{idempotencyKey}`, ttlSeconds: 60 }), targetContext());
  defer(() => setTarget.close());
  await setTarget.send([message({ id: 's1' }, { v: 1 })]);
  await setTarget.send([message({ id: 's1' }, { v: 2 })]);
  defer(async () => {
    await redis.del(`${prefix}:s1:t1`);
  });
  assert.deepEqual(JSON.parse((await redis.get(`${prefix}:s1:t1`)) ?? 'null'), { v: 1 });
  assert.ok((await redis.ttl(`${prefix}:s1:t1`)) > 0);

  const sub = new Redis(URL);
  defer(() => sub.quit());
  const got = new Promise<string>((resolve) => sub.on('message', (_c, msg: string) => resolve(msg)));
  await sub.subscribe(`${prefix}:chan.x`);
  const pub = await redisTarget.create(redisTarget.validate({ url: URL, mode: 'publish', key: `${prefix}:chan.{data.k}` }), targetContext());
  defer(() => pub.close());
  await pub.send([message({ id: 'p1', data: { k: 'x' } })]);
  assert.deepEqual(JSON.parse(await got), { k: 'x' });
});

test('redis target: retryable while the proxy drops traffic, then succeeds', async (t) => {
  if (!(await requireService(t, 'redis'))) return;
  const defer = deferrals(t);
  const proxy = await new TcpProxy(6379).start();
  defer(() => proxy.close());
  const key = `herald:test:${suffix()}`;
  const redis = new Redis(URL);
  defer(() => redis.quit());
  defer(() => redis.del(`${key}:a:t1`, `${key}:b:t1`));
  const target = await redisTarget.create(redisTarget.validate({ url: `redis://127.0.0.1:${proxy.port}`, mode: 'set', key: `${key}:{idempotencyKey}`, timeoutMs: 500 }), targetContext());
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
  assert.equal(await redis.exists(`${key}:b:t1`), 1);
});

test('redis source: stream entries become events; stop mid-stream and a failing sink lose and duplicate nothing', async (t) => {
  if (!(await requireService(t, 'redis'))) return;
  const defer = deferrals(t);
  const redis = new Redis(URL);
  defer(() => redis.quit());
  const stream = `herald:src:${suffix()}`;
  defer(() => redis.del(stream));
  const N = 300;
  const ids: string[] = [];
  ids.push((await redis.xadd(stream, '*', 'body', '{"n":0}', 'ce-type', 'from.field', 'ce-subject', 'sub-0')) as string);
  for (let n = 1; n < N; n++) ids.push((await redis.xadd(stream, '*', 'n', String(n), 'kind', 'plain')) as string);
  const sink = new MemorySink();
  const config = redisSource.validate({ url: URL, stream, group: 'herald', batch: 20, blockMs: 100 });
  let src = await redisSource.start('r1', config, sourceContext(sink));
  await sink.waitFor(20);
  await src.stop();
  assert.ok(sink.events.length < N, `stopped mid-stream (${sink.events.length} of ${N})`);
  sink.failNext(2);
  src = await redisSource.start('r1', config, sourceContext(sink));
  defer(() => src.stop());
  await sink.waitFor(N);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sink.events.length, N);
  assert.deepEqual(new Set(sink.events.map((e) => e.id)), new Set(ids));
  const first = sink.events.find((e) => e.id === ids[0]);
  assert.equal(first?.type, 'from.field');
  assert.equal(first?.subject, 'sub-0');
  assert.deepEqual(first?.data, { n: 0 });
  assert.equal(first?.source, `redis://127.0.0.1:6379/${stream}`);
  assert.deepEqual(sink.events.find((e) => e.id === ids[5])?.data, { n: '5', kind: 'plain' });
  // Everything acknowledged: nothing left pending in the group.
  const pending = (await redis.xpending(stream, 'herald')) as [number, ...unknown[]];
  assert.equal(pending[0], 0);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(src.status().lag, 0);
});

test('redis source: an entry the bus refuses for good is acked and dropped; one refused for now is retried', async (t) => {
  if (!(await requireService(t, 'redis'))) return;
  const defer = deferrals(t);
  const redis = new Redis(URL);
  defer(() => redis.quit());
  const stream = `herald:src:${suffix()}`;
  defer(() => redis.del(stream));
  const bad = (await redis.xadd(stream, '*', 'body', '"bad"')) as string;
  const later = (await redis.xadd(stream, '*', 'body', '"later"')) as string;
  const good = (await redis.xadd(stream, '*', 'body', '"good"')) as string;
  const sink = new MemorySink();
  sink.refuse.set(bad, 'HERALD_INVALID_EVENT');
  sink.refuse.set(later, 'HERALD_STORE_UNAVAILABLE');
  const src = await redisSource.start('r2', redisSource.validate({ url: URL, stream, group: 'herald', batch: 1, blockMs: 50 }), sourceContext(sink));
  defer(() => src.stop());
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(sink.events.map((e) => e.id), [], '"later" blocks the group in order; nothing after it is skipped');
  sink.refuse.delete(later);
  await sink.waitFor(2, 10_000);
  assert.deepEqual(sink.events.map((e) => e.id), [later, good]);
  await eventually(async () => ((await redis.xpending(stream, 'herald')) as [number])[0] === 0, 5000, 'all acked');
});
