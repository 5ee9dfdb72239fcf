import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';
import { NO_QUERY } from './schemas/index.js';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Liveness: the process answers.
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers', querystring: NO_QUERY } }, async () => ({ status: 'ok' }));
  // Readiness: the store answers and the server still takes events.
  app.get('/readyz', { schema: { summary: 'Readiness: the store answers and the server takes events (503 while shutting down)', querystring: NO_QUERY } }, async (_request, reply) => {
    if (!ctx.accepting()) return reply.status(503).send({ status: 'shutting-down' });
    await ctx.store.events.head('default');
    return { status: 'ready' };
  });
}
