/**
 * When a delivery's outcome cannot be written (a full disk), Herald backs off instead of re-sending
 * the delivery at once, forever (issue 11, item 4: 60 570 requests in 30 s to a 503 target), and
 * once space returns every event is delivered once. Control-plane writes on a full store answer 507.
 * The disk is "full" through the store's size cap (as `--max-store-size`), filled to the last page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../support/server.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, createBusAndRule, publish, suffix, trace, waitUntil } from './support.js';
import type { RunningServer } from '../../src/server/start.js';

/** Caps the store at its current size, then ingests ever smaller events until not one more fits. */
async function fillStore(server: RunningServer): Promise<void> {
  server.store.setMaxBytes(1); // SQLite never caps below the current size: this is "full from here"
  const filler = `filler-${suffix()}`;
  await server.store.buses.create(filler);
  let n = 0;
  for (const size of [4000, 1000, 200, 20, 1]) {
    for (;;) {
      const response = await fetch(`${server.url}/v1/buses/${filler}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: `f${n++}`, source: '/filler', type: 'fill', data: 'x'.repeat(size) }),
      });
      if (response.status === 507) break;
      assert.equal(response.status, 202);
    }
  }
}

/**
 * A target that holds every request until `open()` is called, then answers `status()` with a 200-byte
 * body (which the attempt log keeps, so each failed attempt is a row of some size to write).
 */
async function gatedTarget(status: () => number) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const requests: string[] = [];
  const answered200 = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['ce-id']);
      requests.push(id);
      void gate.then(() => {
        const code = status();
        if (code === 200) answered200.set(id, (answered200.get(id) ?? 0) + 1);
        res.writeHead(code, { 'content-type': 'text/plain' });
        res.end(code === 200 ? '' : 'u'.repeat(200));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answered200,
    open: () => open(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

test('a full store with a failing target: few requests while full, each event delivered once after', { timeout: 180_000 }, async () => {
  const server = await startTestServer();
  let answer = 503;
  const target = await gatedTarget(() => answer);
  try {
    const bus = `full-${suffix()}`;
    await createBusAndRule(server.url, bus, [
      { id: 'main', type: 'http', config: { url: target.url, timeoutMs: 120_000 }, retry: { backoffBaseMs: 100, backoffCapMs: 500, jitter: false } },
    ]);
    const ids = Array.from({ length: 20 }, (_, i) => `e${i}-${suffix()}`);
    const sequences: number[] = [];
    for (const id of ids) sequences.push(await publish(server.url, bus, id));
    // The target holds the first requests (16: the target's concurrency) while the store fills up.
    await waitUntil(() => target.requests.length === 16, 'the first requests are held by the target');

    await fillStore(server);
    // A control-plane write on the full store is a 507 the client can act on, not a 500.
    // Large enough to need new pages (a small row could still fit in a page's free space).
    const pad = 'p'.repeat(3000);
    const bigRule = {
      filter: { pattern: { type: ['t'] } },
      targets: Array.from({ length: 5 }, (_, i) => ({ id: `t${i}`, type: 'http', config: { url: target.url, headers: { 'x-pad': pad } } })),
    };
    const refused = await api<{ code: string; message: string }>(`${server.url}/v1/buses/${bus}/rules/another`, 'PUT', bigRule);
    assert.equal(refused.status, 507, JSON.stringify(refused.json));
    assert.equal(refused.json.code, 'HERALD_STORE_FULL');

    // The target answers 503 now; the outcomes cannot all be written. Those that cannot are held
    // (not re-sent) until they can: the request count stays small.
    target.open();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const whileFull = target.requests.length - 16;
    console.log(`# requests to the 503 target in 5 s on a full store, after the first 16: ${whileFull}`);
    assert.ok(whileFull <= 40, `${whileFull} requests in 5 s while the store was full`);

    // The target heals, then space returns: every event is delivered, once.
    answer = 200;
    server.store.setMaxBytes(undefined);
    await waitUntil(async () => {
      for (const sequence of sequences) if ((await trace(server.url, bus, sequence)).deliveries[0].state !== 'delivered') return false;
      return true;
    }, 'all delivered after space returned', 90_000);
    assert.deepEqual(ids.map((id) => target.answered200.get(id) ?? 0), ids.map(() => 1), 'each event answered 200 exactly once');
  } finally {
    await server.stop();
    await target.close();
  }
});
