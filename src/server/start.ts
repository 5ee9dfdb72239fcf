/**
 * Process wiring for `herald start`: the store, the HTTP server and the background sweeper, started
 * in order and stopped in reverse (stop accepting, finish in-flight requests and commits, close).
 *
 * Nothing runs unless the process can serve (issue 10, item 2): the store's open takes the data dir
 * lock (HERALD_DATA_DIR_LOCKED), and the listen address is bound before the data plane, the sources
 * and the schedules start (HERALD_PORT_IN_USE), so a second `herald start` never appends, routes or
 * fires anything. A start that fails closes what it opened (store and lock included).
 */
import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
import { HeraldError } from '../errors/index.js';
import { buildApp } from '../api/app.js';
import { openStore, type Store } from '../store/index.js';
import type { Config } from './config.js';
import { pino } from 'pino';
import { startDataPlane, type DataPlane } from './data-plane.js';
import { findTarget } from '../connectors/index.js';
import { createConnectionStore, startSources, type RunningSources } from '../sources/index.js';
import { parseAccessKeys } from '../api/eventbridge/index.js';
import { createMetrics, type Metrics } from '../observe/index.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  dataPlane: DataPlane;
  sources: RunningSources;
  metrics: Metrics;
  /** `http://host:port` the server listens on. */
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, options: { log?: boolean; random?: () => number } = {}): Promise<RunningServer> {
  const store = await openStore(config);
  const started: Array<() => Promise<void>> = [() => store.close()];
  /** Undoes a partial start, newest part first; the original failure is what the caller sees. */
  const undo = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const port = await reservePort(config.host, config.port);
    started.push(() => port.release());
    let accepting = true;
    const logger = pino({ level: options.log === false ? 'silent' : config.logLevel });
    const connections = createConnectionStore(store);
    // One registry per server, made here and handed to each counting part (issue 15).
    const metrics = createMetrics(store, { onError: (error) => logger.warn({ err: error }, 'metrics: could not read delivery counts') });
    const dataPlane = await startDataPlane(config, store, logger, findTarget, {
      ...(options.random ? { random: options.random } : {}),
      connection: (name) => connections.resolve(name),
      metrics,
    });
    started.push(() => dataPlane.stop());
    const sources = await startSources({ store, log: logger, maxEventBytes: config.maxEventBytes, connections, metrics });
    started.push(() => sources.stop());
    let rolesStarted = false;
    const context = {
      config,
      store,
      rules: dataPlane.rules,
      engine: dataPlane.engine,
      accepting: () => accepting,
      started: () => rolesStarted,
      sources,
      connections: sources.connections,
      metrics,
    };
    const app = await buildApp(context, logger, {
      ...(config.awsAccessKeys ? { awsAccessKeys: parseAccessKeys(config.awsAccessKeys) } : {}),
    });
    started.push(() => app.close());
    // Hand the reserved port over to fastify. Another process could only take it in the instant
    // between the two calls; if it does, listen fails below and the start is undone all the same.
    await port.release();
    const address = await app.listen({ host: config.host, port: port.port }).catch((error: unknown) => {
      throw (error as { code?: unknown }).code === 'EADDRINUSE' ? portInUse(config.host, config.port) : error;
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
    rolesStarted = true;

    let stopping: Promise<void> | undefined;
    return {
      app,
      store,
      dataPlane,
      sources,
      metrics,
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
  } catch (error) {
    await undo();
    throw error;
  }
}

function portInUse(host: string, port: number): HeraldError {
  return new HeraldError('HERALD_PORT_IN_USE', `port ${port} on ${host} is already in use`, 'port');
}

/**
 * Binds the listen address (port 0: a free one) and holds it until `release`, so that a taken port
 * fails the start before anything runs. `exclusive` keeps a cluster primary from sharing it.
 */
async function reservePort(host: string, port: number): Promise<{ port: number; release(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(host, port) : error));
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  let released: Promise<void> | undefined;
  return {
    port: bound,
    release: () => (released ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
