/**
 * A real Prometheus server (Debian's `prometheus` package) scrapes a running Herald, and a PromQL
 * query through its HTTP API returns the delivery count (issue 15, Must show).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, tempDir } from '../support/server.js';
import { startReceiver } from '../support/receiver.js';
import { requirePrometheusTool } from './prom-text.js';

/** A port free at the time of asking (Prometheus takes no port 0 it would tell us about). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface QueryAnswer {
  status: string;
  data?: { result: Array<{ value: [number, string] }> };
}

test('Prometheus scrapes Herald and PromQL returns the delivery count', { timeout: 180_000 }, async (t) => {
  if (!requirePrometheusTool(t, 'prometheus')) return;
  const server = await startTestServer();
  const sink = await startReceiver(() => ({ status: 200 }));
  const bus = `p-${randomUUID().slice(0, 8)}`;
  const dir = tempDir('herald-prometheus-');
  let prometheus: ReturnType<typeof spawn> | undefined;
  try {
    await server.store.buses.create(bus);
    const put = await fetch(`${server.url}/v1/buses/${bus}/rules/r`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { pattern: { type: ['t'] } }, targets: [{ id: 'sink', type: 'http', config: { url: sink.url } }] }),
    });
    assert.equal(put.status, 201, await put.text());
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: `p${i}`, source: '/p', type: 't' }),
      });
      assert.equal(response.status, 202);
    }
    await sink.waitFor(5, 60_000);

    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: herald', '    static_configs:', `      - targets: ['${new URL(server.url).host}']`, ''].join('\n'),
    );
    let log = '';
    prometheus = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
    prometheus.stdout!.resume();

    const query = `sum(herald_deliveries_total{bus="${bus}",outcome="delivered"})`;
    // Waits for the condition (Prometheus up, a scrape done, the query answered), however long the
    // machine takes; the test's timeout is the deadline.
    let value: string | undefined;
    while (value !== '5') {
      assert.equal(prometheus.exitCode, null, `prometheus exited: ${log}`);
      await sleep(250);
      const answer = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(query)}`)
        .then((r) => r.json() as Promise<QueryAnswer>)
        .catch(() => undefined);
      value = answer?.data?.result[0]?.value[1];
      assert.ok(value === undefined || value === '5', `unexpected delivery count ${value}`);
    }
    // The target was up for Prometheus: the scrape itself succeeded.
    const up = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('up{job="herald"}')}`)).json()) as QueryAnswer;
    assert.equal(up.data?.result[0]?.value[1], '1');
  } finally {
    if (prometheus && prometheus.exitCode === null) {
      const exited = once(prometheus, 'exit');
      prometheus.kill('SIGTERM');
      await exited;
    }
    await sink.close();
    await server.stop();
  }
});
