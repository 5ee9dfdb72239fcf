/**
 * `/healthz` and `/readyz` (issue 15, item 4): ready when the roles run and the store can commit;
 * 503 with a reason while the store is full (its size cap, as test/api/store-full.test.ts fills it)
 * and while shutting down; alive all along.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { startTestServer } from '../support/server.js';

const HOUR = 3_600_000;

async function probe(url: string, path: '/readyz' | '/healthz'): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

test('/readyz fails with a reason while the store cannot commit, and recovers when it can', { timeout: 120_000 }, async () => {
  const server = await startTestServer({ 'max-store-size': '400KiB' });
  try {
    assert.deepEqual(await probe(server.url, '/readyz'), { status: 200, body: { status: 'ready' } });
    await server.store.buses.create('full', { retentionMs: HOUR });
    let status = 202;
    for (let i = 0; i < 500 && status === 202; i++) {
      const response = await fetch(`${server.url}/v1/buses/full/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: `f${i}`, source: '/full', type: 't', data: 'x'.repeat(8000) }),
      });
      status = response.status;
    }
    assert.equal(status, 507, 'the store filled up');
    const full = await probe(server.url, '/readyz');
    assert.equal(full.status, 503);
    assert.equal(full.body.status, 'store-full');
    assert.equal(full.body.code, 'HERALD_STORE_FULL');
    assert.match(full.body.reason, /full/);
    // Alive all the same: restarting the process would not free the disk.
    assert.deepEqual(await probe(server.url, '/healthz'), { status: 200, body: { status: 'ok' } });
    // The probe left nothing behind: still full, still not ready.
    assert.equal((await probe(server.url, '/readyz')).status, 503);

    // Room again (the cap raised, as an operator would after freeing space): ready again.
    server.store.setMaxBytes(undefined);
    assert.deepEqual(await probe(server.url, '/readyz'), { status: 200, body: { status: 'ready' } });
  } finally {
    await server.stop();
  }
});

test('/readyz answers 503 with a reason while the server shuts down', { timeout: 60_000 }, async () => {
  const server = await startTestServer();
  // A request in flight (its body not finished) holds the shutdown open: fastify waits for it.
  const body = '{"specversion":"1.0","id":"s","source":"/s","type":"t"}';
  const { port } = new URL(server.url);
  // Node emits 'request' once the headers are parsed: from then on the request is in flight.
  const arrived = once(server.app.server, 'request');
  const slow = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/buses/default/events', headers: { 'content-type': 'application/cloudevents+json', 'content-length': String(body.length) } });
  const answered = new Promise<number>((resolve, reject) => {
    slow.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    slow.on('error', reject);
  });
  slow.write(body.slice(0, 10));
  await arrived;
  const stopping = server.stop();
  const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.deepEqual(ready.json(), { status: 'shutting-down', reason: 'the server is shutting down' });
  slow.end(body.slice(10));
  assert.equal(await answered, 503, 'the draining server takes no new event either');
  await stopping;
});

