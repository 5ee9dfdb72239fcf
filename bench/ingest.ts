/**
 * npm run bench -- ingest [--seconds 5] [--connections 32]
 *
 * Durable ingest (single events and batches of 10) from concurrent keep-alive clients, and in the
 * same run (a) the ceiling: the same HTTP stack parsing and validating but not storing, and (b)
 * when NATS is reachable, JetStream publish of the same events with acks (file-backed stream, 1 000
 * in flight). Prints JSON with events/s and p50/p99 latency, and the ratios the issue sets goals on.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { connect, StorageType, headers as natsHeaders } from 'nats';
import { reachable } from '../test/support/services.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '32' } } });
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ROOT = new URL('..', import.meta.url).pathname;

let counter = 0;
function makeEvent() {
  const n = counter++;
  return {
    specversion: '1.0',
    id: `bench-${process.pid}-${n}`,
    source: '/bench/orders',
    type: 'com.example.order.created',
    subject: `order/${n % 1000}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { orderId: n, customer: `c${n % 5000}`, total: (n % 997) * 1.25, items: [{ sku: `sku-${n % 50}`, qty: 1 + (n % 3) }], note: 'x'.repeat(200) },
  };
}

interface Result {
  events: number;
  requests: number;
  eventsPerSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

function summarise(latencies: number[], events: number, requests: number, errors: number, elapsed: number): Result {
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(3));
  return { events, requests, eventsPerSecond: Math.round(events / elapsed), p50ms: pct(0.5), p99ms: pct(0.99), errors };
}

async function withServer<T>(mode: 'durable' | 'ceiling', run: (url: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/support/ingest-server.ts'), mode, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
    });
    return await run(url);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function httpLoad(url: string, batchSize: number): Promise<Result> {
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  let events = 0;
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      const batch = batchSize === 1 ? JSON.stringify(makeEvent()) : JSON.stringify(Array.from({ length: batchSize }, makeEvent));
      const t0 = performance.now();
      const response = await pool.request({
        path: '/v1/buses/default/events',
        method: 'POST',
        headers: { 'content-type': batchSize === 1 ? 'application/cloudevents+json' : 'application/cloudevents-batch+json' },
        body: batch,
      });
      await response.body.dump();
      latencies.push(performance.now() - t0);
      if (response.statusCode === 202 || response.statusCode === 200) events += batchSize;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return summarise(latencies, events, latencies.length, errors, elapsed);
}

async function jetStreamPeer(): Promise<Result | null> {
  if (!(await reachable(4222))) return null;
  const nc = await connect({ servers: '127.0.0.1:4222' });
  const jsm = await nc.jetstreamManager();
  const stream = `HERALD_BENCH_${process.pid}`;
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage: StorageType.File });
  const js = nc.jetstream();
  const latencies: number[] = [];
  let events = 0;
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const codec = new TextEncoder();
  const lane = async () => {
    while (performance.now() < deadline) {
      const event = makeEvent();
      const h = natsHeaders();
      h.set('Nats-Msg-Id', event.id);
      const t0 = performance.now();
      try {
        await js.publish(`${stream}.orders`, codec.encode(JSON.stringify(event)), { headers: h });
        events++;
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: 1000 }, lane)); // 1 000 publishes in flight
  const elapsed = (performance.now() - started) / 1000;
  await jsm.streams.delete(stream);
  await nc.close();
  return summarise(latencies, events, events, errors, elapsed);
}

const ratio = (a: number, b: number | undefined) => (b ? Number((a / b).toFixed(3)) : null);

const ceilingSingle = await withServer('ceiling', (url) => httpLoad(url, 1));
const ceilingBatch = await withServer('ceiling', (url) => httpLoad(url, 10));
const durableSingle = await withServer('durable', (url) => httpLoad(url, 1));
const durableBatch = await withServer('durable', (url) => httpLoad(url, 10));
const jetstream = await jetStreamPeer();

console.log(
  JSON.stringify(
    {
      bench: 'ingest',
      node: process.version,
      seconds: SECONDS,
      connections: CONNECTIONS,
      durable: { single: durableSingle, batch10: durableBatch },
      ceiling: { single: ceilingSingle, batch10: ceilingBatch },
      jetstreamPublish: jetstream,
      ratios: {
        batchDurableVsCeiling: ratio(durableBatch.eventsPerSecond, ceilingBatch.eventsPerSecond),
        singleDurableVsCeiling: ratio(durableSingle.eventsPerSecond, ceilingSingle.eventsPerSecond),
        batchDurableVsJetStream: ratio(durableBatch.eventsPerSecond, jetstream?.eventsPerSecond),
      },
      goals: { batchDurableVsCeiling: '>= 0.6', singleDurableVsCeiling: '>= 0.4', batchDurableVsJetStream: '>= 1.5' },
    },
    null,
    2,
  ),
);
