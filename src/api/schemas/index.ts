/**
 * The JSON Schemas of every route (issue 10, item 5): fastify validates requests with them
 * (src/api/validation.ts) and @fastify/swagger shows them in `/openapi.json` (src/api/openapi.ts).
 * One schema per shape, each used by its route.
 */
export * from './common.js';
export * from './buses.js';
export * from './events.js';
export * from './rules.js';
export * from './dlq.js';
export * from './tools.js';
export * from './sources.js';
export * from './eventbridge.js';
export * from './responses.js';
