/**
 * Servers and clients for the EventBridge API tests: the real Herald server (startTestServer) and the
 * official AWS SDK client pointed at it with only an endpoint and dummy credentials.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBridgeRoutes, parseAccessKeys } from '../../src/api/eventbridge/index.js';
import { loadConfig } from '../../src/server/config.js';
import { openStore } from '../../src/store/index.js';
import { startTestServer, tempDir } from '../support/server.js';
import { pino } from 'pino';
import { startDataPlane } from '../../src/server/data-plane.js';

export interface EventBridgeServer {
  url: string;
  stop(): Promise<void>;
}

const PROBE = {
  method: 'POST' as const,
  url: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListEventBuses' },
  payload: '{}',
};

/**
 * The real server (`startTestServer`) once app.ts mounts the EventBridge API; until then the same
 * parts wired by hand (startStandalone).
 */
export async function startEventBridgeServer(): Promise<EventBridgeServer> {
  const server = await startTestServer();
  const probe = await server.app.inject(PROBE);
  if (probe.statusCode === 200) return { url: server.url, stop: () => server.stop() };
  await server.stop();
  return startStandalone();
}

/**
 * The EventBridge API on its own fastify instance over the real store and data plane (rules service,
 * router, delivery engine), as `herald start` wires them; optionally with SigV4 keys.
 */
export async function startStandalone(accessKeys?: string): Promise<EventBridgeServer> {
  const dataDir = tempDir();
  const config = loadConfig({ port: '0', 'data-dir': dataDir, 'log-level': 'silent' }, {});
  const store = await openStore(config);
  const dataPlane = await startDataPlane(config, store, pino({ level: 'silent' }));
  const app = Fastify();
  eventBridgeRoutes(app, { config, store, accepting: () => true, rules: dataPlane.rules }, { accessKeys: parseAccessKeys(accessKeys) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    async stop() {
      await app.close();
      await dataPlane.stop();
      await store.close();
    },
  };
}

export function client(endpoint: string, credentials = { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts?: number): EventBridgeClient {
  return new EventBridgeClient({ endpoint, region: 'us-east-1', credentials, ...(maxAttempts === undefined ? {} : { maxAttempts }) });
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver that records every request and answers 200. */
export async function startReceiver(): Promise<{ url: string; received: Received[]; stop(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits until `ready()` holds, polling; fails after `timeoutMs`. */
export async function waitFor(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
