/**
 * `/openapi.json` (issue 5): a valid OpenAPI 3.1 document that documents every admin route, so
 * clients can be generated from it and the error shape is known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { registerOpenApi } from '../../src/api/openapi.js';
import * as schemas from '../../src/api/schemas.js';
import { startTestServer } from '../support/server.js';

/** Every admin route, method and path as OpenAPI writes it. */
const EXPECTED: Array<[string, string]> = [
  ['get', '/v1/buses'],
  ['post', '/v1/buses'],
  ['get', '/v1/buses/{bus}'],
  ['patch', '/v1/buses/{bus}'],
  ['delete', '/v1/buses/{bus}'],
  ['post', '/v1/buses/{bus}/events'],
  ['get', '/v1/buses/{bus}/events'],
  ['get', '/v1/buses/{bus}/events/stream'],
  ['get', '/v1/buses/{bus}/events/{sequence}/trace'],
  ['get', '/v1/buses/{bus}/trace'],
  ['get', '/v1/buses/{bus}/rules'],
  ['post', '/v1/buses/{bus}/rules'],
  ['get', '/v1/buses/{bus}/rules/{rule}'],
  ['put', '/v1/buses/{bus}/rules/{rule}'],
  ['patch', '/v1/buses/{bus}/rules/{rule}'],
  ['delete', '/v1/buses/{bus}/rules/{rule}'],
  ['put', '/v1/buses/{bus}/rules/{rule}/targets/{target}'],
  ['delete', '/v1/buses/{bus}/rules/{rule}/targets/{target}'],
  ['get', '/v1/buses/{bus}/dlq'],
  ['get', '/v1/buses/{bus}/dlq/{id}'],
  ['post', '/v1/buses/{bus}/dlq/redrive'],
  ['post', '/v1/buses/{bus}/dlq/purge'],
  ['post', '/v1/filters/test'],
  ['post', '/v1/transforms/test'],
];

type Document = { openapi: string; paths: Record<string, Record<string, { tags?: string[]; responses?: Record<string, unknown> }>> };

async function validate(document: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  const validator = new Validator();
  const result = await validator.validate(document as Parameters<Validator['validate']>[0]);
  return { valid: result.valid, errors: result.errors };
}

test('a running server serves a valid OpenAPI 3.1 document covering every admin route', async () => {
  const server = await startTestServer();
  try {
    const response = await fetch(`${server.url}/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as Document;
    assert.match(document.openapi, /^3\.1\./);
    const result = await validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    const missing = EXPECTED.filter(([method, path]) => !document.paths[path]?.[method]).map(([m, p]) => `${m.toUpperCase()} ${p}`);
    assert.deepEqual(missing, [], `routes missing from /openapi.json: ${missing.join(', ')}`);
    // Every operation documents Herald's error shape.
    for (const [method, path] of EXPECTED) assert.ok(document.paths[path][method].responses?.default, `${method} ${path} has no error response`);
  } finally {
    await server.stop();
  }
});

test('the exported admin schemas are accepted by fastify and make a valid OpenAPI 3.1 document', async () => {
  const app = Fastify();
  await registerOpenApi(app);
  const ok = async () => ({});
  app.post('/v1/buses', { schema: { body: schemas.BusCreateSchema, response: { 201: schemas.BusSchema } } }, ok);
  app.get('/v1/buses', { schema: { response: { 200: schemas.BusListSchema } } }, ok);
  const record = (body: unknown) => ({
    ...(body as object),
    bus: 'b',
    name: 'r',
    description: '',
    view: 'cloudevent',
    state: 'enabled',
    tags: {},
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
  });
  app.put('/v1/buses/:bus/rules/:rule', { schema: { body: schemas.RuleSpecSchema, response: { 200: schemas.RuleRecordSchema, 201: schemas.RuleRecordSchema } } }, async (request) => record(request.body));
  app.get('/v1/buses/:bus/rules', { schema: { response: { 200: schemas.RuleListSchema } } }, ok);
  app.patch('/v1/buses/:bus/rules/:rule', { schema: { body: schemas.RulePatchSchema } }, ok);
  app.put('/v1/buses/:bus/rules/:rule/targets/:target', { schema: { body: schemas.TargetSpecSchema } }, ok);
  app.get('/v1/buses/:bus/dlq', { schema: { response: { 200: schemas.DeadLetterListSchema } } }, ok);
  app.post('/v1/buses/:bus/dlq/redrive', { schema: { body: schemas.RedriveRequestSchema, response: { 200: schemas.RedriveResponseSchema } } }, ok);
  app.post('/v1/buses/:bus/dlq/purge', { schema: { body: schemas.DeadLetterSelectorSchema, response: { 200: schemas.PurgeResponseSchema } } }, ok);
  app.get('/v1/buses/:bus/events/:sequence/trace', { schema: { response: { 200: schemas.TraceSchema } } }, ok);
  app.post('/v1/filters/test', { schema: { body: schemas.FilterTestRequestSchema, response: { 200: schemas.FilterTestResponseSchema } } }, ok);
  app.post('/v1/transforms/test', { schema: { body: schemas.TransformTestRequestSchema, response: { 200: schemas.TransformTestResponseSchema } } }, ok);
  try {
    await app.ready();
    const document = app.swagger() as unknown as Document;
    const result = await validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.deepEqual(document.paths['/v1/buses/{bus}/rules/{rule}'].put.tags, ['rules']);
    // The rule body schema rejects a rule without targets and one with two filters.
    const bad = await app.inject({ method: 'PUT', url: '/v1/buses/b/rules/r', payload: { filter: { pattern: {} } } });
    assert.equal(bad.statusCode, 400);
    const twoFilters = await app.inject({ method: 'PUT', url: '/v1/buses/b/rules/r', payload: { filter: { pattern: {}, cesql: 'true' }, targets: [{ id: 't', type: 'http', config: {} }] } });
    assert.equal(twoFilters.statusCode, 400);
    const spec = {
      filter: { pattern: { source: ['shop'], detail: { total: [{ numeric: ['>', 100] }] } } },
      targets: [{ id: 't', type: 'http', config: { url: 'http://x', headers: { a: 'b' } }, transform: { kind: 'template', inputPathsMap: { id: '$.id' }, inputTemplate: '<id>' }, retry: { maxAttempts: 3 } }],
    };
    const good = await app.inject({ method: 'PUT', url: '/v1/buses/b/rules/r', payload: spec });
    assert.equal(good.statusCode, 200, good.body);
    // As a response schema it must not drop free-form parts of the rule (fast-json-stringify would).
    const echoed = good.json() as typeof spec;
    assert.deepEqual(echoed.filter, spec.filter);
    assert.deepEqual(echoed.targets, spec.targets);
  } finally {
    await app.close();
  }
});
