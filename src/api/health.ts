import type { FastifyInstance } from 'fastify';
import { isHeraldError } from '../errors/index.js';
import type { ApiContext } from './context.js';
import { NO_QUERY } from './schemas/index.js';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Liveness: the process answers. Nothing else is checked, so an orchestrator restarts the process
  // only when it is truly stuck, not when its disk is full (restarting would not free it).
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers', querystring: NO_QUERY } }, async () => ({ status: 'ok' }));
  // Readiness (issue 15, item 4): every role started, not draining, and the store can commit. A load
  // balancer sends producers elsewhere while this fails; the reason says what to fix.
  app.get(
    '/readyz',
    { schema: { summary: 'Readiness: roles started, not shutting down, and the store can commit (503 with a reason otherwise)', querystring: NO_QUERY } },
    async (_request, reply) => {
      if (!ctx.accepting()) return reply.status(503).send({ status: 'shutting-down', reason: 'the server is shutting down' });
      if (ctx.started && !ctx.started()) return reply.status(503).send({ status: 'starting', reason: 'the server is still starting its roles' });
      try {
        await ctx.store.probeWrite();
      } catch (error) {
        const code = isHeraldError(error) ? error.code : 'HERALD_STORE_UNAVAILABLE';
        const status = code === 'HERALD_STORE_FULL' ? 'store-full' : 'store-unavailable';
        return reply.status(503).send({ status, reason: error instanceof Error ? error.message : String(error), code });
      }
      return { status: 'ready' };
    },
  );
}
