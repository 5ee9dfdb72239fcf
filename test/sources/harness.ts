/**
 * A Herald for the sources tests: the real store, data plane and API (buildApp) on a data directory
 * the test may reuse (a restart), plus the sources runtime and its routes — registered here unless
 * the server already mounts them.
 */
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { findTarget } from '../../src/connectors/index.js';
import { loadConfig } from '../../src/server/config.js';
import { startDataPlane } from '../../src/server/data-plane.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startSources, type RunningSources } from '../../src/sources/index.js';
import { sourceRoutes } from '../../src/api/sources.js';
import { connectionRoutes } from '../../src/api/connections.js';
import { webhookRoutes } from '../../src/api/webhooks.js';
import { tempDir } from '../support/server.js';

export interface Harness {
  app: FastifyInstance;
  url: string;
  store: Store;
  sources: RunningSources;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startHarness(options: { dataDir?: string; now?: () => Date } = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDir('herald-sources-');
  const config = loadConfig({ port: '0', 'data-dir': dataDir, 'log-level': 'silent' }, {});
  const store = await openStore(config);
  const log = pino({ level: 'silent' });
  const sources = await startSources({ store, log, maxEventBytes: config.maxEventBytes, ...(options.now ? { now: options.now } : {}) });
  const dataPlane = await startDataPlane(config, store, log, findTarget);
  const ctx = { config, store, rules: dataPlane.rules, engine: dataPlane.engine, accepting: () => true, sources, connections: sources.connections };
  const app = await buildApp(ctx);
  const routes = { sources, connections: sources.connections, store };
  if (!app.hasRoute({ method: 'GET', url: '/v1/sources' })) sourceRoutes(app, routes);
  if (!app.hasRoute({ method: 'GET', url: '/v1/connections' })) connectionRoutes(app, routes);
  if (!app.hasRoute({ method: 'POST', url: '/v1/sources/:name/webhook' })) webhookRoutes(app, routes);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  let stopped = false;
  return {
    app,
    url,
    store,
    sources,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      await sources.stop();
      await dataPlane.stop();
      await store.close();
    },
  };
}

/** Every event on a bus, read through the API (`GET /v1/buses/{bus}/events`). */
export async function busEvents(app: FastifyInstance, bus: string): Promise<Array<{ sequence: number; event: Record<string, unknown> }>> {
  const out: Array<{ sequence: number; event: Record<string, unknown> }> = [];
  let after = 0;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/v1/buses/${bus}/events?after=${after}&limit=1000` });
    if (res.statusCode !== 200) throw new Error(`read ${bus}: ${res.statusCode} ${res.body}`);
    const page = res.json<{ events: Array<{ sequence: number; event: Record<string, unknown> }>; next: number }>();
    out.push(...page.events);
    if (page.events.length === 0) return out;
    after = page.next;
  }
}

export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function createBus(app: FastifyInstance, name: string): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/v1/buses', payload: { name } });
  if (res.statusCode !== 201) throw new Error(`create bus ${name}: ${res.statusCode} ${res.body}`);
}
