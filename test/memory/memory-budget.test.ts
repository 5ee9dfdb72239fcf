/**
 * Memory is bounded by bytes, not by counts (issue 11, item 3): a real `herald start` with
 * `--memory-budget 128MiB` takes 5 000 events of 900 KB, delivers them to a healthy target while a
 * second target of the same rule is down (its backlog stays in the store) and an SSE client reads
 * nothing; the child's RSS, sampled from /proc throughout, stays under the budget plus a fixed
 * overhead. (Before the fix, 20 000 cached events of this size exhausted the heap.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { spawnHerald, tempDir, type HeraldProcess } from '../support/server.js';

const MiB = 1024 * 1024;
const BUDGET = 128 * MiB;
/**
 * What the process costs besides its event buffers, measured on this test: the idle process — Node.js,
 * the TypeScript loader (tsx) and every module — ~160 MiB; events in flight (two 4-event requests
 * being parsed and stored, 16 deliveries per target being sent); and garbage V8 has not collected
 * yet (it lets the heap grow ~100 MiB past the live set before a major collection of large strings).
 * None of it grows with the number of events: 400 and 5 000 events peaked alike (409 and 448 MiB).
 */
const FIXED_OVERHEAD = 384 * MiB;
const EVENTS = 5000;
const EVENT_DATA_BYTES = 900 * 1024;
const PER_REQUEST = 4;
const PARALLEL = 2;

let herald: HeraldProcess;
let target: Server;
let delivered = 0;
let peakRss = 0;
let sampler: NodeJS.Timeout;
const idleSocket: Socket[] = [];

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

before(async () => {
  // A healthy target that counts deliveries and keeps nothing.
  target = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delivered++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  herald = await spawnHerald(tempDir(), ['--memory-budget', '128MiB', '--max-event-size', '1MiB']);
  sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, rssOf(herald.child.pid!));
    } catch {
      // the process is gone; the test's own assertions say why
    }
  }, 50);
});

after(async () => {
  clearInterval(sampler);
  for (const s of idleSocket) s.destroy();
  herald.child.kill('SIGTERM');
  await herald.exited;
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${herald.url}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
}

test(`RSS stays under a ${BUDGET / MiB} MiB budget + ${FIXED_OVERHEAD / MiB} MiB with ${EVENTS} events of 900 KB`, { timeout: 600_000 }, async () => {
  assert.equal((await api('POST', '/v1/buses', { name: 'big' })).status, 201);
  const healthy = { id: 'healthy', type: 'http', config: { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`, mode: 'binary' } };
  // Nothing listens on port 9 (discard): every attempt fails fast and is retried later.
  const down = { id: 'down', type: 'http', config: { url: 'http://127.0.0.1:9/' }, retry: { maxAttempts: 185, maxAgeMs: 3_600_000, backoffBaseMs: 1000, backoffCapMs: 5000 } };
  const put = await api('PUT', '/v1/buses/big/rules/all', { filter: { pattern: { type: ['big'] } }, targets: [healthy, down] });
  assert.equal(put.status, 201, await put.text());
  const idle = rssOf(herald.child.pid!);

  // An SSE client that reads nothing: Herald must not queue the bus for it.
  const { hostname, port } = new URL(herald.url);
  const sse = connect(Number(port), hostname);
  idleSocket.push(sse);
  sse.write(`GET /v1/buses/big/events/stream?after=0 HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
  sse.pause();

  const pad = 'x'.repeat(EVENT_DATA_BYTES);
  let next = 0;
  const started = Date.now();
  const publisher = async () => {
    while (next < EVENTS) {
      const first = next;
      const end = (next = Math.min(EVENTS, next + PER_REQUEST));
      const batch = [];
      for (let i = first; i < end; i++) batch.push({ specversion: '1.0', id: `e-${i}`, source: '/memory', type: 'big', data: { i, pad } });
      const response = await fetch(`${herald.url}/v1/buses/big/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents-batch+json' },
        body: JSON.stringify(batch),
      });
      const result = (await response.json()) as { accepted: number };
      assert.equal(response.status, 200);
      assert.equal(result.accepted, end - first, JSON.stringify(result).slice(0, 500));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, publisher));
  const published = Date.now();
  const deadline = Date.now() + 300_000;
  while (delivered < EVENTS) {
    assert.ok(Date.now() < deadline, `only ${delivered} of ${EVENTS} delivered in 5 min`);
    assert.equal(herald.child.exitCode, null, 'herald is still running');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The down target's backlog is in the store, and Herald keeps retrying it.
  const trace = (await (await api('GET', `/v1/buses/big/events/${EVENTS}/trace`)).json()) as { deliveries: Array<{ target: string; state: string }> };
  assert.equal(trace.deliveries.find((d) => d.target === 'down')?.state, 'pending');
  const healthz = await api('GET', '/healthz');
  assert.equal(healthz.status, 200);

  const limit = BUDGET + FIXED_OVERHEAD;
  console.log(
    `# memory: idle ${(idle / MiB).toFixed(0)} MiB, peak ${(peakRss / MiB).toFixed(0)} MiB (limit ${limit / MiB} MiB = budget ${BUDGET / MiB} + overhead ${FIXED_OVERHEAD / MiB}); ` +
      `${EVENTS} events of 900 KB published in ${((published - started) / 1000).toFixed(0)} s, all delivered after ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  assert.ok(peakRss < limit, `peak RSS ${(peakRss / MiB).toFixed(0)} MiB is over ${limit / MiB} MiB`);
});
