/** Previews: `POST /v1/filters/test` and `POST /v1/transforms/test` (ARCHITECTURE.md). */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import { explainFilter, validateFilter } from '../patterns/filters.js';
import { assertNotTooDeep } from '../patterns/depth.js';
import { compileTransform } from '../transform/index.js';
import { ruleArn } from '../bus/views.js';
import type { ApiContext } from './context.js';
import { FilterTestRequestSchema, NO_QUERY, TransformTestRequestSchema } from './schemas/index.js';

export function toolRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: { filter: unknown; event: unknown } }>(
    '/v1/filters/test',
    { schema: { summary: 'Test a filter (pattern, CloudEvents SQL or Subscriptions) against an event', querystring: NO_QUERY, body: FilterTestRequestSchema } },
    async (request) => {
      const filter = validateFilter(request.body.filter, 'filter');
      // Explanations walk and echo the event: deep input is refused first (issue 11, item 5).
      assertNotTooDeep(request.body.event, 'event', 'the event');
      // The event is matched exactly as given: the caller chooses the view.
      const explanation = explainFilter(filter, request.body.event);
      return { matched: explanation.matched, explanation };
    },
  );

  app.post<{ Body: { transform: unknown; event: unknown; view?: 'cloudevent' | 'eventbridge'; rule?: string } }>(
    '/v1/transforms/test',
    { schema: { summary: 'Preview the body a target would receive for an event and a transform', querystring: NO_QUERY, body: TransformTestRequestSchema } },
    async (request) => {
      let compiled;
      try {
        compiled = compileTransform(request.body.transform, 'transform');
      } catch (error) {
        if (error instanceof HeraldError) throw new HeraldError('HERALD_INVALID_TRANSFORM', error.message, error.field);
        throw error;
      }
      const rule = request.body.rule ?? 'test-rule';
      return compiled.apply(request.body.event, {
        ruleArn: ruleArn({ account: ctx.config.account, region: ctx.config.region }, 'default', rule),
        ruleName: rule,
        ingestionTime: new Date().toISOString(),
        ...(request.body.view ? { view: request.body.view } : {}),
      });
    },
  );
}
