/**
 * `POST /v1/apply`: make the store match a desired state in one transaction, or refuse all of it
 * (issue 10, item 6). `herald apply` sends herald.yaml through it; src/state does the work.
 */
import type { FastifyInstance } from 'fastify';
import { StateService, type ApplyRequest } from '../state/index.js';
import type { ApiContext } from './context.js';

const named = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } as const;

/** The shape; what each entity holds is checked by the routes' own validators (src/state/validate.ts). */
export const applyBodySchema = {
  type: 'object',
  required: ['state'],
  additionalProperties: false,
  properties: {
    dryRun: { type: 'boolean', default: false, description: 'Validate and plan only; write nothing.' },
    prune: { type: 'boolean', default: false, description: 'Delete rules, buses (not `default`), and — when their section is given — sources and connections that the state does not name.' },
    updateConnections: { type: 'boolean', default: false, description: 'Rewrite every declared connection: stored secret values are never compared.' },
    confirmDeletes: {
      type: 'array',
      items: { type: 'string' },
      description: 'The deletes the caller confirmed (`bus scratch`, `rule orders/old`, `source s`, `connection c`); a plan deleting anything else is refused whole.',
    },
    state: {
      type: 'object',
      additionalProperties: false,
      description: 'The desired state. A section left out is not managed; `buses` left out declares none.',
      properties: {
        connections: { type: 'array', items: { ...named, description: 'A `PUT /v1/connections/{name}` body with its name.' } },
        buses: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string' },
              description: { type: 'string', maxLength: 512 },
              retentionMs: { type: 'integer', minimum: 1000 },
              dedupeWindowMs: { type: 'integer', minimum: 0 },
              rules: { type: 'array', items: { type: 'object', description: 'A rule, as `PUT /v1/buses/{bus}/rules/{rule}` takes it, with its name.' } },
            },
          },
        },
        sources: { type: 'array', items: { ...named, description: 'A `PUT /v1/sources/{name}` body with its name.' } },
      },
    },
  },
} as const;

export function applyRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const service = new StateService({
    store: ctx.store,
    rules: ctx.rules,
    ...(ctx.sources ? { sources: ctx.sources } : {}),
    ...(ctx.connections ? { connections: ctx.connections } : {}),
  });
  app.post<{ Body: ApplyRequest }>(
    '/v1/apply',
    {
      schema: {
        summary: 'Validate a whole desired state, plan it against the store, and apply it in one transaction (or refuse all of it)',
        body: applyBodySchema,
      },
    },
    async (request) => service.apply(request.body),
  );
}
