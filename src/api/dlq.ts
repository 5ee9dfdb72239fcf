/** `/v1/buses/{bus}/dlq…`: dead letters — list, inspect, redrive, purge. */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { DeliveryFilter } from '../store/index.js';
import type { ApiContext } from './context.js';
import { attemptView, deliveryView } from '../delivery/view.js';
import { BUS_PARAM, DEAD_LETTER_PARAM, DeadLetterListQuery, DeadLetterSelectorSchema, NO_QUERY, params, RedriveRequestSchema } from './schemas/index.js';

const busParams = params(BUS_PARAM);
const listDeadLetters = { schema: { summary: "List a bus's dead letters (paged by id)", params: busParams, querystring: DeadLetterListQuery } };
const getDeadLetter = { schema: { summary: 'Inspect a dead letter: the delivery, its attempts and the event', params: params({ ...BUS_PARAM, ...DEAD_LETTER_PARAM }), querystring: NO_QUERY } };
const redrive = { schema: { summary: 'Redrive dead letters: deliver them again, to the same or another (rule, target)', params: busParams, querystring: NO_QUERY, body: RedriveRequestSchema } };
const purge = { schema: { summary: 'Purge dead letters for good', params: busParams, querystring: NO_QUERY, body: DeadLetterSelectorSchema } };

type FilterBody = DeliveryFilter & { all?: boolean; to?: { rule: string; target: string } };

function toFilter(body: FilterBody | undefined): DeliveryFilter {
  const filter: DeliveryFilter = { ...(body?.ids ? { ids: body.ids } : {}), ...(body?.rule ? { rule: body.rule } : {}), ...(body?.target ? { target: body.target } : {}) };
  // Acting on every dead letter of a bus must be asked for, not fallen into with an empty body.
  if (Object.keys(filter).length === 0 && body?.all !== true) {
    throw new HeraldError('HERALD_INVALID_REQUEST', 'body: name ids, a rule, a target, or set "all": true', 'body');
  }
  return filter;
}

export function dlqRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { bus: string }; Querystring: { rule?: string; target?: string; after?: string; limit?: string } }>('/v1/buses/:bus/dlq', listDeadLetters, async (request) => {
    const { rule, target } = request.query;
    const after = Number(request.query.after ?? 0);
    const limit = Math.min(1000, Number(request.query.limit ?? 100));
    if (!Number.isInteger(after) || after < 0) throw new HeraldError('HERALD_INVALID_REQUEST', 'after: expected a whole number', 'after');
    if (!Number.isInteger(limit) || limit < 1) throw new HeraldError('HERALD_INVALID_REQUEST', 'limit: expected a whole number from 1 to 1000', 'limit');
    const dead = await ctx.store.deliveries.dead(request.params.bus, { ...(rule ? { rule } : {}), ...(target ? { target } : {}) }, after, limit);
    return { deadLetters: dead.map(deliveryView), next: dead.length ? dead[dead.length - 1].id : after };
  });

  app.get<{ Params: { bus: string; id: string } }>('/v1/buses/:bus/dlq/:id', getDeadLetter, async (request) => {
    const delivery = await ctx.store.deliveries.get(request.params.bus, Number(request.params.id));
    if (!delivery || delivery.state !== 'dead') throw new HeraldError('HERALD_DELIVERY_NOT_FOUND', `no dead letter ${request.params.id} on bus "${request.params.bus}"`, 'id');
    const event = await ctx.store.events.get(request.params.bus, delivery.sequence);
    return { ...deliveryView(delivery), attemptLog: (await ctx.store.deliveries.attempts(delivery.id)).map(attemptView), event: event ?? null };
  });

  app.post<{ Params: { bus: string }; Body: FilterBody }>('/v1/buses/:bus/dlq/redrive', redrive, async (request) => {
    const { bus } = request.params;
    const to = request.body?.to;
    if (to) {
      const rule = await ctx.rules.get(bus, to.rule);
      if (!rule?.targets.some((t) => t.id === to.target)) throw new HeraldError('HERALD_TARGET_NOT_FOUND', `to: rule "${to.rule}" has no target "${to.target}"`, 'to');
    }
    // `by` names the API key once keys exist (issue 10, item 3); until then redrives are anonymous.
    const { count, targets } = await ctx.store.deliveries.redrive(bus, toFilter(request.body), to, null);
    ctx.engine.notify(targets);
    ctx.metrics?.correct(bus);
    return { redriven: count };
  });

  app.post<{ Params: { bus: string }; Body: FilterBody }>('/v1/buses/:bus/dlq/purge', purge, async (request) => {
    const purged = await ctx.store.deliveries.purge(request.params.bus, toFilter(request.body));
    ctx.metrics?.correct(request.params.bus);
    return { purged };
  });
}
