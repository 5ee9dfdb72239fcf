/**
 * A hostile HTTP target must cost a delivery neither unbounded memory nor unbounded time (issue 11,
 * item 6): only a prefix of the response is read, and timeoutMs bounds the whole exchange.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

let server: RunningServer;
const targets: Server[] = [];
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
  for (const t of targets) {
    t.closeAllConnections();
    await new Promise((resolve) => t.close(resolve));
  }
});

/** A raw target server: `answer` writes the response however hostile it likes. */
async function target(answer: (res: ServerResponse) => void): Promise<string> {
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  targets.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const json = { 'content-type': 'application/json' };

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setup(url: string, config: Record<string, unknown> = {}, rule: Record<string, unknown> = {}): Promise<string> {
  const bus = `hostile-${randomUUID().slice(0, 8)}`;
  await server.store.buses.create(bus);
  const response = await fetch(`${server.url}/v1/buses/${bus}/rules/r`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({
      filter: { pattern: { type: ['t'] } },
      targets: [{ id: 'main', type: 'http', config: { url, ...config }, retry: { maxAttempts: 1 } }],
      ...rule,
    }),
  });
  assert.equal(response.status, 201, await response.text());
  return bus;
}

async function publish(bus: string): Promise<number> {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: randomUUID(), source: '/hostile', type: 't', data: { n: 1 } }),
  });
  assert.equal(response.status, 202);
  return ((await response.json()) as { sequence: number }).sequence;
}

interface Trace {
  deliveries: Array<{ state: string; reason: string | null; attempts: Array<{ outcome: string; status: number | null; error: string | null; at: number }> }>;
}
async function trace(bus: string, sequence: number): Promise<Trace> {
  return (await (await fetch(`${server.url}/v1/buses/${bus}/events/${sequence}/trace`)).json()) as Trace;
}
async function settled(bus: string, sequence: number): Promise<Trace['deliveries'][number]> {
  await waitUntil(async () => ['delivered', 'dead'].includes((await trace(bus, sequence)).deliveries[0]?.state ?? ''), 60_000);
  return (await trace(bus, sequence)).deliveries[0];
}

test('a 1 GB response body is not read: the delivery succeeds and memory stays flat', async () => {
  const GB = 1024 ** 3;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  let finished = false;
  const url = await target((res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(GB) });
    // Generated as it is read (backpressure), so the target itself holds nothing.
    const pump = () => {
      while (written < GB) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      finished = true;
      res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  const bus = await setup(url);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const delivery = await settled(bus, await publish(bus));
    assert.equal(delivery.state, 'delivered', JSON.stringify(delivery));
  } finally {
    clearInterval(sampler);
  }
  const grewMb = (peak - rssBefore) / 1024 ** 2;
  console.log(`# 1 GB response: RSS grew by ${grewMb.toFixed(1)} MB; the target wrote ${(written / 1024 ** 2).toFixed(1)} MB before Herald hung up`);
  assert.ok(!finished, 'Herald stopped reading long before the end of the body');
  assert.ok(written < 256 * 1024 ** 2, `the target could write only what socket buffers hold (${written} bytes)`);
  assert.ok(grewMb < 64, `RSS grew by ${grewMb.toFixed(1)} MB for one delivery`);
});

test('a target that drips its body fails as a timeout within timeoutMs, not when the drip ends', async () => {
  const DRIP_MS = 500;
  const DRIPS = 40; // 20 s of dripping, 10 times the timeout
  const url = await target((res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    let n = 0;
    const timer = setInterval(() => {
      if (res.destroyed || ++n > DRIPS) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write('.');
    }, DRIP_MS);
    res.on('close', () => clearInterval(timer));
  });
  const bus = await setup(url, { timeoutMs: 2000 });
  const published = Date.now();
  const delivery = await settled(bus, await publish(bus));
  const ended = Date.now() - published;
  assert.equal(delivery.state, 'dead', JSON.stringify(delivery));
  assert.equal(delivery.attempts.length, 1);
  assert.match(delivery.attempts[0].error ?? '', /timed out/);
  // 2 s of deadline, with a wide margin for a loaded machine; the drip alone lasts 20 s.
  assert.ok(ended < (DRIP_MS * DRIPS) / 2, `the delivery ended after ${ended} ms`);
});

test('a CloudEvent reply larger than maxResponseBytes fails the delivery clearly; one within it is published', async () => {
  const reply = (size: number) =>
    JSON.stringify({ specversion: '1.0', id: randomUUID(), source: '/replier', type: 'reply', data: { pad: 'p'.repeat(size) } });
  let size = 4096;
  const url = await target((res) => {
    res.writeHead(200, { 'content-type': 'application/cloudevents+json' });
    res.end(reply(size));
  });
  const replies = `replies-${randomUUID().slice(0, 8)}`;
  await server.store.buses.create(replies);
  const bus = await setup(url, { maxResponseBytes: 1024 }, { replyBus: replies });
  const big = await settled(bus, await publish(bus));
  assert.equal(big.state, 'dead');
  assert.match(big.attempts[0].error ?? '', /maxResponseBytes \(1024 bytes\)/);
  assert.equal((await server.store.events.read(replies, 0, 10)).length, 0, 'no truncated reply was published');

  size = 100;
  const small = await settled(bus, await publish(bus));
  assert.equal(small.state, 'delivered');
  await waitUntil(async () => (await server.store.events.read(replies, 0, 10)).length === 1);
});

test('maxResponseBytes is validated when the rule is saved', async () => {
  const bus = `hostile-${randomUUID().slice(0, 8)}`;
  await server.store.buses.create(bus);
  const response = await fetch(`${server.url}/v1/buses/${bus}/rules/r`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({ filter: { pattern: { type: ['t'] } }, targets: [{ id: 'main', type: 'http', config: { url: 'http://127.0.0.1:9/', maxResponseBytes: -1 } }] }),
  });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as { field: string }).field, 'targets[0].config.maxResponseBytes');
});
