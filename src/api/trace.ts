/** The life of one event: received, stored, rules matched, every attempt, each delivery's result. */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { StoredEvent } from '../events/types.js';
import type { ApiContext } from './context.js';
import { requireBus } from './read.js';
import { attemptView, redriveView } from '../delivery/view.js';
import { BUS_PARAM, NO_QUERY, params, SEQUENCE_PARAM, TraceLookupQuery } from './schemas/index.js';

const traceBySequence = { schema: { summary: 'The life of one event: stored, routed, rules matched, every delivery attempt', params: params({ ...BUS_PARAM, ...SEQUENCE_PARAM }), querystring: NO_QUERY } };
const traceById = { schema: { summary: 'The life of one event, looked up by its CloudEvent source and id', params: params(BUS_PARAM), querystring: TraceLookupQuery } };

export function traceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { bus: string; sequence: string } }>('/v1/buses/:bus/events/:sequence/trace', traceBySequence, async (request) => {
    const sequence = Number(request.params.sequence);
    if (!Number.isInteger(sequence) || sequence < 1) throw new HeraldError('HERALD_INVALID_REQUEST', 'sequence: expected a whole number from 1', 'sequence');
    return trace(ctx, request.params.bus, await ctx.store.events.get(request.params.bus, sequence), `sequence ${sequence}`);
  });

  app.get<{ Params: { bus: string }; Querystring: { source?: string; id?: string } }>('/v1/buses/:bus/trace', traceById, async (request) => {
    const { source, id } = request.query;
    if (!source || !id) throw new HeraldError('HERALD_INVALID_REQUEST', 'source and id: both are required', source ? 'id' : 'source');
    return trace(ctx, request.params.bus, await ctx.store.events.findById(request.params.bus, source, id), `source "${source}" and id "${id}"`);
  });
}

async function trace(ctx: ApiContext, bus: string, stored: StoredEvent | undefined, what: string) {
  await requireBus(ctx, bus);
  if (!stored) throw new HeraldError('HERALD_EVENT_NOT_FOUND', `bus "${bus}" has no event with ${what}`, 'sequence');
  const deliveries = await ctx.store.deliveries.forEvent(bus, stored.sequence);
  // The rule that matched the event is the one its delivery was made for: a redrive `to` another
  // rule moves the delivery (its first redrive record keeps where it came from), not the match.
  const matched = [...new Set(deliveries.map((d) => d.redrives[0]?.from.rule ?? d.rule))];
  return {
    bus,
    sequence: stored.sequence,
    receivedAt: stored.receivedAt,
    event: stored.event,
    routed: await routed(ctx, bus, stored, matched),
    rulesMatched: matched,
    // CloudEvents SQL filters that failed to evaluate on this event, and so did not match it.
    filterErrors: (await ctx.store.deliveries.evaluationErrors(bus, stored.sequence)).map(({ rule, message }) => ({ rule, message })),
    deliveries: await Promise.all(
      deliveries.map(async (d) => ({
        id: d.id,
        rule: d.rule,
        target: d.target,
        state: d.state,
        reason: d.reason,
        attempts: (await ctx.store.deliveries.attempts(d.id)).map(attemptView),
        nextAttemptAt: d.state === 'pending' ? new Date(d.nextAt).toISOString() : null,
        redrives: d.redrives.map(redriveView),
      })),
    ),
  };
}

/**
 * Every event gets a final answer (issue 10, item 4): `null` until the router has reached it, then
 * when, and which rules matched (`[]`: none did). A bus without rules has no router to wait for:
 * nothing can match there, so its events are answered as routed when they were stored.
 */
async function routed(ctx: ApiContext, bus: string, stored: StoredEvent, matched: string[]): Promise<{ at: string | null; matched: string[] } | null> {
  const at = await ctx.store.deliveries.routedAt(bus, stored.sequence);
  if (at !== undefined) return { at: new Date(at).toISOString(), matched };
  if ((await ctx.store.deliveries.cursor(bus)) >= stored.sequence) return { at: null, matched }; // routed before marks were kept
  if ((await ctx.rules.count(bus)) === 0) return { at: stored.receivedAt, matched: [] };
  return null;
}
