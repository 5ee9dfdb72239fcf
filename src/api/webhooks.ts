/**
 * `POST /v1/sources/{name}/webhook`: the receiver of a `webhook` source. Signatures are computed over
 * the exact bytes sent (Standard Webhooks §"Verifying", GitHub "Validating webhook deliveries"), so
 * this route lives in its own plugin scope where every content type arrives as an untouched Buffer.
 * The source instance verifies, stores and chooses the answer (202 / 400 / 401 / 503).
 */
import type { FastifyInstance } from 'fastify';
import type { WebhookSourceInstance } from '../connectors/index.js';
import type { SourceInstance } from '../connectors/types.js';
import { HeraldError } from '../errors/index.js';
import type { SourcesApiContext } from '../sources/types.js';
import { documentOnly, NAME_PARAM, NO_QUERY, params, WebhookBodyDocument } from './schemas/index.js';

// The body is described for the document only: the signature is checked over the exact bytes.
const receive = {
  schema: {
    summary: 'Receive a webhook for a `webhook` source (signature verified, then stored as an event)',
    params: params(NAME_PARAM),
    querystring: NO_QUERY,
    ...documentOnly({ body: WebhookBodyDocument }),
  },
};

/** GitHub caps a delivery at 25 MB; Standard Webhooks senders send far less. */
const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

function isWebhook(instance: SourceInstance | undefined): instance is WebhookSourceInstance {
  return instance !== undefined && typeof (instance as Partial<WebhookSourceInstance>).handle === 'function';
}

export function webhookRoutes(app: FastifyInstance, ctx: Pick<SourcesApiContext, 'sources'>): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { name: string } }>('/v1/sources/:name/webhook', receive, async (request, reply) => {
      const { name } = request.params;
      const instance = ctx.sources.instance(name);
      if (!isWebhook(instance)) {
        const source = await ctx.sources.get(name);
        if (!source || source.type !== 'webhook') throw new HeraldError('HERALD_NOT_FOUND', `no webhook source "${name}"`, 'name');
        // Disabled or failed: answer 503 so that senders retry (both GitHub's redeliver and Standard
        // Webhooks' schedule treat it as temporary) rather than 404, which some drop for good.
        throw new HeraldError('HERALD_STORE_UNAVAILABLE', `webhook source "${name}" is ${source.status.state}; retry later`, 'name');
      }
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const answer = await instance.handle(request.headers, body);
      return reply.status(answer.status).send(answer.body);
    });
  });
}
