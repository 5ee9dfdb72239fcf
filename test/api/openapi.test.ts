/**
 * `/openapi.json` and route schemas (issue 10, item 5): a valid OpenAPI 3.1 document in which every
 * route the server serves appears with a summary, tags, its path and query parameters and its body;
 * and every route refuses a query parameter it does not take. The routes are walked from fastify
 * itself, so a route added without schemas fails here.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { registerOpenApi } from '../../src/api/openapi.js';
import { installValidation } from '../../src/api/validation.js';
import { installErrorHandling } from '../../src/api/errors.js';
import { NO_QUERY, params, BUS_PARAM, RESPONSES } from '../../src/api/schemas/index.js';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content: Record<string, unknown> };
  responses?: Record<string, unknown>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/**
 * Every (method, path) fastify routes, from `printRoutes()`'s tree: a line's depth is its indent
 * (4 characters a level, the root at 0) and a path is its ancestors' segments joined. HEAD routes are left out:
 * fastify adds one beside every GET.
 */
function walkRoutes(app: FastifyInstance): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match || match[2] === '') continue;
    const depth = Math.max(0, match[1].length / 4 - 1);
    stack.length = depth;
    stack.push(match[2]);
    const path = stack.join('').replace(/\/\/+/g, '/').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) routes.push({ method, path });
  }
  return routes;
}

/** What is wrong with the document's description of each route (empty: nothing). */
function undocumented(document: Document, routes: Array<{ method: string; path: string }>): string[] {
  const faults: string[] = [];
  for (const { method, path } of routes) {
    const operation = document.paths[path]?.[method.toLowerCase()];
    const name = `${method} ${path}`;
    if (!operation) {
      faults.push(`${name}: missing from /openapi.json`);
      continue;
    }
    if (!operation.summary) faults.push(`${name}: no summary`);
    if (!operation.tags?.length) faults.push(`${name}: no tags`);
    if (!operation.responses?.default) faults.push(`${name}: no error response`);
    if (!Object.keys(operation.responses ?? {}).some((status) => status.startsWith('2'))) faults.push(`${name}: no success response`);
    for (const [, param] of path.matchAll(/\{([^}]+)\}/g)) {
      if (!operation.parameters?.some((p) => p.in === 'path' && p.name === param && p.required)) faults.push(`${name}: path parameter ${param} not described`);
    }
    if (['POST', 'PUT', 'PATCH'].includes(method) && !operation.requestBody) faults.push(`${name}: no request body`);
  }
  return faults;
}

async function validateDocument(document: unknown): Promise<void> {
  const result = await new Validator().validate(document as Parameters<Validator['validate']>[0]);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
}

function sample(path: string): string {
  return path.replace('{bus}', 'default').replace(/\{(sequence|id)\}/g, '1').replace(/\{[^}]+\}/g, 'x');
}

let server: RunningServer;
let document: Document;

before(async () => {
  server = await startTestServer();
  const response = await server.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(response.statusCode, 200);
  document = response.json();
});
after(() => server.stop());

test('the server serves a valid OpenAPI 3.1 document', async () => {
  assert.match(document.openapi, /^3\.1\./);
  await validateDocument(document);
});

test('every route fastify serves is in the document with a summary, tags, its parameters and its body', () => {
  const routes = walkRoutes(server.app);
  // The walk itself must see the routes (a broken walk would pass vacuously).
  assert.ok(routes.length >= 35, `only ${routes.length} routes walked`);
  for (const expected of ['GET /v1/buses/{bus}/events', 'POST /v1/buses/{bus}/events', 'PUT /v1/buses/{bus}/rules/{rule}/targets/{target}', 'POST /', 'PUT /v1/connections/{name}']) {
    assert.ok(routes.some((r) => `${r.method} ${r.path}` === expected), `${expected} not walked`);
  }
  assert.deepEqual(undocumented(document, routes), []);
});

test('documented success responses belong to served routes, and do not filter what is served', async () => {
  const served = new Set(walkRoutes(server.app).map((r) => `${r.method} ${r.path}`));
  assert.deepEqual(Object.keys(RESPONSES).filter((key) => !served.has(key)), [], 'responses documented for routes that do not exist');
  // Responses are documented only: an answer keeps members the document does not list.
  const bus = await server.app.inject({ method: 'GET', url: '/v1/buses/default' });
  assert.equal(bus.statusCode, 200);
  assert.ok('headSequence' in bus.json<object>() && 'rules' in bus.json<object>());
});

test('query parameters are documented', () => {
  const queryOf = (method: string, path: string) => (document.paths[path][method].parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
  assert.deepEqual(queryOf('get', '/v1/buses/{bus}/events'), ['after', 'limit']);
  assert.deepEqual(queryOf('get', '/v1/buses/{bus}/events/stream'), ['after']);
  assert.deepEqual(queryOf('get', '/v1/buses'), ['after', 'limit']);
  assert.deepEqual(queryOf('get', '/v1/buses/{bus}/rules'), ['after', 'limit']);
  assert.deepEqual(queryOf('get', '/v1/buses/{bus}/dlq'), ['after', 'limit', 'rule', 'target']);
  assert.deepEqual(queryOf('get', '/v1/buses/{bus}/trace'), ['id', 'source']);
  assert.deepEqual(queryOf('delete', '/v1/buses/{bus}'), ['force']);
});

test('bodies parsed by their own codecs are described, not validated: ingest and the EventBridge API', () => {
  const ingest = document.paths['/v1/buses/{bus}/events'].post.requestBody!.content;
  assert.deepEqual(Object.keys(ingest).sort(), ['*/*', 'application/cloudevents+json', 'application/cloudevents-batch+json']);
  const eventBridge = document.paths['/'].post;
  assert.deepEqual(Object.keys(eventBridge.requestBody!.content), ['application/x-amz-json-1.1']);
  assert.ok(eventBridge.parameters?.some((p) => p.in === 'header' && p.name === 'x-amz-target' && p.required));
  assert.deepEqual(eventBridge.tags, ['eventbridge']);
  assert.equal(Object.keys(document.paths['/']).length, 1, 'the EventBridge API is one operation');
});

test('every GET and DELETE route refuses an unknown query parameter with a 400 naming it', async () => {
  const routes = walkRoutes(server.app).filter((r) => r.method === 'GET' || r.method === 'DELETE');
  assert.ok(routes.length >= 20);
  for (const { method, path } of routes) {
    const response = await server.app.inject({ method: method as 'GET' | 'DELETE', url: `${sample(path)}?unexpected=1` });
    assert.equal(response.statusCode, 400, `${method} ${path}: ${response.body}`);
    assert.deepEqual({ ...response.json<Record<string, unknown>>(), message: undefined }, { code: 'HERALD_INVALID_REQUEST', field: 'unexpected', message: undefined }, `${method} ${path}`);
    assert.match(response.json<{ message: string }>().message, /^unexpected: is not a query parameter of this route/);
  }
});

test('an unknown query parameter is refused on write routes too, and names what the route takes', async () => {
  const event = { specversion: '1.0', id: randomUUID(), source: '/openapi-test', type: 't' };
  const ingest = await server.app.inject({ method: 'POST', url: '/v1/buses/default/events?mode=fast', headers: { 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify(event) });
  assert.equal(ingest.statusCode, 400, ingest.body);
  assert.equal(ingest.json<{ field: string }>().field, 'mode');
  const filter = await server.app.inject({ method: 'POST', url: '/v1/filters/test?explain=1', payload: { filter: { pattern: {} }, event: {} } });
  assert.equal(filter.statusCode, 400);
  assert.equal(filter.json<{ field: string }>().field, 'explain');
  const buses = await server.app.inject({ method: 'GET', url: '/v1/buses?page=2' });
  assert.equal(buses.json<{ message: string }>().message, 'page: is not a query parameter of this route; known: limit, after');
});

test('reading with a filter the route does not have is a 400, not every event (issue 10: ?type=x)', async () => {
  const bus = `openapi-${randomUUID().slice(0, 8)}`;
  assert.equal((await server.app.inject({ method: 'POST', url: '/v1/buses', payload: { name: bus } })).statusCode, 201);
  const event = { specversion: '1.0', id: randomUUID(), source: '/openapi-test', type: 'a' };
  assert.equal((await server.app.inject({ method: 'POST', url: `/v1/buses/${bus}/events`, headers: { 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify(event) })).statusCode, 202);
  const all = await server.app.inject({ method: 'GET', url: `/v1/buses/${bus}/events` });
  assert.equal(all.json<{ events: unknown[] }>().events.length, 1);
  const filtered = await server.app.inject({ method: 'GET', url: `/v1/buses/${bus}/events?type=x` });
  assert.equal(filtered.statusCode, 400);
  assert.deepEqual(filtered.json(), { code: 'HERALD_INVALID_REQUEST', message: 'type: is not a query parameter of this route; known: after, limit', field: 'type' });
  // Known parameters are typed: a number that is not one names the parameter and says why.
  const badLimit = await server.app.inject({ method: 'GET', url: `/v1/buses/${bus}/events?limit=ten` });
  assert.deepEqual(badLimit.json(), { code: 'HERALD_INVALID_REQUEST', message: 'limit: must be a whole number, got "ten"', field: 'limit' });
  const page = await server.app.inject({ method: 'GET', url: `/v1/buses/${bus}/events?after=0&limit=1` });
  assert.equal(page.json<{ events: unknown[] }>().events.length, 1);
  assert.equal((await server.app.inject({ method: 'DELETE', url: `/v1/buses/${bus}` })).statusCode, 204);
});

test('the check finds a route added without a summary, parameters or body', async () => {
  const app = Fastify();
  installValidation(app);
  installErrorHandling(app);
  await registerOpenApi(app);
  app.get('/v1/buses/:bus/widgets', { schema: { summary: 'Widgets', params: params(BUS_PARAM), querystring: NO_QUERY } }, async () => ({}));
  app.post('/v1/buses/:bus/gadgets', async () => ({}));
  try {
    await app.ready();
    const doc = app.swagger() as unknown as Document;
    await validateDocument(doc);
    const faults = undocumented(doc, walkRoutes(app));
    assert.deepEqual(faults, [
      'GET /v1/buses/{bus}/widgets: no success response',
      'POST /v1/buses/{bus}/gadgets: no summary',
      'POST /v1/buses/{bus}/gadgets: no success response',
      'POST /v1/buses/{bus}/gadgets: no request body',
    ]);
    // And the unknown-query check catches a route without a query schema.
    assert.equal((await app.inject({ method: 'GET', url: '/v1/buses/b/widgets?x=1' })).statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/buses/b/gadgets?x=1' })).statusCode, 200);
  } finally {
    await app.close();
  }
});
