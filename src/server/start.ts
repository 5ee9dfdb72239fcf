/**
 * Process wiring for `herald start`: the store, the HTTP server and the background sweeper, started
 * in order and stopped in reverse (stop accepting, finish in-flight requests and commits, close).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { openSqliteStore, type SqliteStore } from '../store/index.js';
import type { Config } from './config.js';
import { pino } from 'pino';
import { startDataPlane, type DataPlane } from './data-plane.js';
import { findTarget } from '../connectors/index.js';
import { createConnectionStore, startSources, type RunningSources } from '../sources/index.js';
import { parseAccessKeys } from '../api/eventbridge/index.js';

export interface RunningServer {
  app: FastifyInstance;
  store: SqliteStore;
  dataPlane: DataPlane;
  sources: RunningSources;
  /** `http://host:port` the server listens on. */
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, options: { log?: boolean; random?: () => number } = {}): Promise<RunningServer> {
  const store = openSqliteStore({
    dataDir: config.dataDir,
    maxBytes: config.maxStoreBytes,
    retentionMs: config.retentionMs,
    dedupeWindowMs: config.dedupeWindowMs,
  });
  let accepting = true;
  const logger = pino({ level: options.log === false ? 'silent' : config.logLevel });
  const connections = createConnectionStore(store);
  const dataPlane = await startDataPlane(config, store, logger, findTarget, {
    ...(options.random ? { random: options.random } : {}),
    connection: (name) => connections.resolve(name),
  });
  const sources = await startSources({ store, log: logger, maxEventBytes: config.maxEventBytes, connections });
  const context = { config, store, rules: dataPlane.rules, engine: dataPlane.engine, accepting: () => accepting, sources, connections: sources.connections };
  const app = await buildApp(context, logger, {
    ...(config.awsAccessKeys ? { awsAccessKeys: parseAccessKeys(config.awsAccessKeys) } : {}),
  });
  const sweeper = setInterval(() => {
    store.sweep().then(
      (result) => {
        if (result.eventsDeleted > 0 || result.dedupeDeleted > 0) app.log.info(result, 'retention sweep');
      },
      (error: unknown) => app.log.error({ err: error }, 'retention sweep failed'),
    );
  }, config.sweepIntervalMs);
  sweeper.unref();

  const address = await app.listen({ host: config.host, port: config.port });
  let stopping: Promise<void> | undefined;
  return {
    app,
    store,
    dataPlane,
    sources,
    url: address,
    stop() {
      stopping ??= (async () => {
        accepting = false;
        clearInterval(sweeper);
        // fastify.close stops listening and waits for in-flight requests, whose commits finish first.
        await app.close();
        await sources.stop();
        await dataPlane.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
