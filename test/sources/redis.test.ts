import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { requireService } from '../support/services.js';
import { busEvents, createBus, eventually, startHarness } from './harness.js';

const REDIS = 'redis://127.0.0.1:6379';

test('a Redis stream source made through PUT /v1/sources delivers onto the bus; disable, restart and delete', async (t) => {
  if (!(await requireService(t, 'redis'))) return;
  const redis = new Redis(REDIS);
  const stream = `herald:test:sources:${randomUUID()}`;
  t.after(async () => {
    await redis.del(stream);
    await redis.quit();
  });
  const first = await startHarness();
  t.after(() => first.stop());
  await createBus(first.app, 'orders');
  // The URL lives in a connection, so the source's config carries no credentials.
  await first.app.inject({ method: 'PUT', url: '/v1/connections/cache', payload: { secrets: { url: REDIS } } });
  const spec = { type: 'redis', bus: 'orders', config: { connection: 'cache', stream, group: 'herald', blockMs: 100 } };
  const created = await first.app.inject({ method: 'PUT', url: '/v1/sources/orders-in', payload: spec });
  assert.equal(created.statusCode, 201, created.body);

  const added: string[] = [];
  const add = async (n: number) => {
    for (let i = 0; i < n; i++) added.push((await redis.xadd(stream, '*', 'order', String(added.length))) as string);
  };
  const idsOnBus = async (app = first.app) => (await busEvents(app, 'orders')).map((e) => e.event.id as string);

  await add(3);
  await eventually('3 entries on the bus', async () => (await idsOnBus()).length === 3);
  const status = (await first.app.inject({ method: 'GET', url: '/v1/sources/orders-in' })).json().status;
  assert.equal(status.state, 'running');
  assert.ok(status.lastEventAt, 'lastEventAt is set');
  const [one] = await busEvents(first.app, 'orders');
  assert.equal(one.event.source, `redis://127.0.0.1:6379/${stream}`);
  assert.deepEqual(one.event.data, { order: '0' });

  // Disabled: entries wait in the stream.
  await first.app.inject({ method: 'PATCH', url: '/v1/sources/orders-in', payload: { state: 'disabled' } });
  assert.equal((await first.app.inject({ method: 'GET', url: '/v1/sources/orders-in' })).json().status.state, 'stopped');
  await add(2);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await idsOnBus()).length, 3);
  await first.app.inject({ method: 'PATCH', url: '/v1/sources/orders-in', payload: { state: 'enabled' } });
  await eventually('the 2 waiting entries', async () => (await idsOnBus()).length === 5);

  // Restart: entries added while Herald is down are read when it is back, each once.
  await first.stop();
  await add(4);
  const second = await startHarness({ dataDir: first.dataDir });
  t.after(() => second.stop());
  await eventually('every entry after the restart', async () => (await idsOnBus(second.app)).length >= added.length);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const ids = await idsOnBus(second.app);
  assert.deepEqual([...ids].sort(), [...added].sort(), 'every upstream entry is on the bus exactly once');

  // Deleted: stopped, later entries stay upstream.
  assert.equal((await second.app.inject({ method: 'DELETE', url: '/v1/sources/orders-in' })).statusCode, 204);
  await add(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await idsOnBus(second.app)).length, added.length - 1);
});
