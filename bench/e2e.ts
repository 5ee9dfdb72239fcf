/**
 * npm run bench -- e2e [--seconds 5]
 *
 * Ingest → target latency through a running Herald (its own process, durable store, 100 rules on
 * the bus): at 2 000 events/s with 1 matching rule per event, at 200 events/s with 10 matching rules,
 * and the highest sustained rate. In the same run, the baseline: the producer posting straight to
 * the target (send → receipt). Herald's latency is measured as the issue defines it, from the ingest
 * acknowledgement (the 202) to the target's receipt, and also from send to receipt, which adds the
 * durable ingest itself (an fsync). Goal: ack → receipt p99 <= baseline p99 + 10 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' } } });
const SECONDS = Number(values.seconds);
const ROOT = new URL('..', import.meta.url).pathname;

// --- the target: records when each event id arrived -------------------------------------------
const receipts = new Map<string, number[]>();
const target = createServer((req, res) => {
  const id = String(req.headers['ce-id'] ?? req.headers['x-id'] ?? '');
  req.resume();
  req.on('end', () => {
    const list = receipts.get(id) ?? [];
    list.push(performance.now());
    receipts.set(id, list);
    res.writeHead(200).end();
  });
});
target.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;

// --- Herald in its own process -------------------------------------------------------------------
const dataDir = mkdtempSync(join(tmpdir(), 'herald-e2e-'));
const child = spawn(process.execPath, [...(process.env.HERALD_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.HERALD_BENCH_PROFILE] : []), '--import', 'tsx', join(ROOT, 'bench/support/ingest-server.ts'), 'durable', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
const heraldUrl = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  child.once('exit', (code) => reject(new Error(`herald exited ${code}`)));
});
const admin = new Pool(heraldUrl, { connections: 4 });
async function call(method: 'PUT' | 'POST', path: string, body: unknown) {
  const response = await admin.request({ method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
}
await call('POST', '/v1/buses', { name: 'one' });
await call('POST', '/v1/buses', { name: 'ten' });
for (let i = 0; i < 100; i++) {
  const target = (path: string) => [{ id: 't', type: 'http', config: { url: `${targetUrl}/${path}`, mode: 'binary' }, concurrency: 64 }];
  // Bus "one": each event matches exactly one of its 100 rules; bus "ten": exactly ten.
  await call('PUT', `/v1/buses/one/rules/r${i}`, { filter: { pattern: { data: { k: [i] } } }, targets: target(`one/${i}`) });
  await call('PUT', `/v1/buses/ten/rules/r${i}`, { filter: { pattern: { data: { g: [i % 10] } } }, targets: target(`ten/${i}`) });
}

interface Run {
  offeredPerSecond: number;
  sent: number;
  expectedReceipts: number;
  received: number;
  sendToReceipt: { p50ms: number; p99ms: number; maxms: number };
  ackToReceipt: { p50ms: number; p99ms: number };
  errors: number;
}

const pct = (xs: number[], p: number) => Number((xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN).toFixed(2));

/** Open-loop load: `rate` events/s for SECONDS, each its own request; then waits for receipts. */
async function drive(rate: number, url: string, path: (i: number) => string, headers: (id: string, i: number) => Record<string, string>, body: (id: string, i: number) => string, fanout: number): Promise<Run> {
  const pool = new Pool(url, { connections: 128, pipelining: 1 });
  const sentAt = new Map<string, number>();
  const ackAt = new Map<string, number>();
  let errors = 0;
  const tag = `${rate}-${Math.random().toString(36).slice(2, 8)}`;
  const total = Math.round(rate * SECONDS);
  const started = performance.now();
  const inflight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `${tag}-${i}`;
    sentAt.set(id, performance.now());
    inflight.push(
      pool
        .request({ method: 'POST', path: path(i), headers: headers(id, i), body: body(id, i) })
        .then(async (response) => {
          await response.body.dump();
          if (response.statusCode >= 300) errors++;
          else ackAt.set(id, performance.now());
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inflight);
  const expected = total * fanout;
  const deadline = performance.now() + 30_000;
  const count = () => [...sentAt.keys()].reduce((n, id) => n + (receipts.get(id)?.length ?? 0), 0);
  while (count() < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await pool.close();
  const e2e: number[] = [];
  const fromAck: number[] = [];
  for (const [id, sent] of sentAt) {
    for (const at of receipts.get(id) ?? []) {
      e2e.push(at - sent);
      const ack = ackAt.get(id);
      if (ack !== undefined) fromAck.push(Math.max(0, at - ack));
    }
  }
  e2e.sort((a, b) => a - b);
  fromAck.sort((a, b) => a - b);
  return {
    offeredPerSecond: rate,
    sent: total,
    expectedReceipts: expected,
    received: count(),
    sendToReceipt: { p50ms: pct(e2e, 0.5), p99ms: pct(e2e, 0.99), maxms: Number((e2e[e2e.length - 1] ?? NaN).toFixed(2)) },
    ackToReceipt: { p50ms: pct(fromAck, 0.5), p99ms: pct(fromAck, 0.99) },
    errors,
  };
}

const ceHeaders = (id: string) => ({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/bench', 'ce-type': 'bench.e2e' });
const viaHerald = (bus: 'one' | 'ten', rate: number) =>
  drive(rate, heraldUrl, () => `/v1/buses/${bus}/events`, ceHeaders, (_id, i) => JSON.stringify(bus === 'one' ? { k: i % 100 } : { g: i % 10 }), bus === 'one' ? 1 : 10);
const direct = (rate: number) => drive(rate, targetUrl, () => '/direct', (id) => ({ 'content-type': 'application/json', 'x-id': id }), (_id, i) => JSON.stringify({ k: i % 100 }), 1);

try {
  // Warm-up (not reported): JIT, and each target's keep-alive connections.
  await viaHerald('one', 1000);
  await viaHerald('ten', 100);
  await direct(1000);
  const baseline2000 = await direct(2000);
  const herald2000 = await viaHerald('one', 2000);
  const baseline200 = await direct(200);
  const herald200x10 = await viaHerald('ten', 200);
  // The highest offered rate (1 matching rule) that is delivered in full with p99 under 100 ms.
  const ramp: Run[] = [];
  for (const rate of [3000, 4000, 5000, 6000, 8000]) {
    const run = await viaHerald('one', rate);
    ramp.push(run);
    if (run.received < run.expectedReceipts || run.sendToReceipt.p99ms > 100) break;
  }
  const sustained = ramp.filter((r) => r.received >= r.expectedReceipts && r.sendToReceipt.p99ms <= 100).map((r) => r.offeredPerSecond);
  const margin = (h: Run, b: Run) => ({
    ackToReceiptP99OverBaselineMs: Number((h.ackToReceipt.p99ms - b.sendToReceipt.p99ms).toFixed(2)),
    sendToReceiptP99OverBaselineMs: Number((h.sendToReceipt.p99ms - b.sendToReceipt.p99ms).toFixed(2)),
  });
  console.log(
    JSON.stringify(
      {
        bench: 'e2e',
        node: process.version,
        seconds: SECONDS,
        rulesPerBus: 100,
        at2000PerSecond1Rule: { herald: herald2000, baseline: baseline2000, ...margin(herald2000, baseline2000) },
        at200PerSecond10Rules: { herald: herald200x10, baseline: baseline200, ...margin(herald200x10, baseline200) },
        maxSustained: { eventsPerSecond: sustained.length ? Math.max(...sustained) : null, criterion: 'all delivered, send → receipt p99 <= 100 ms', ramp },
        goal: 'ackToReceiptP99OverBaselineMs <= 10 at both fixed rates',
      },
      null,
      2,
    ),
  );
} finally {
  await admin.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  target.close();
  rmSync(dataDir, { recursive: true, force: true });
}
