/**
 * Webhook receiver source. Herald's HTTP server mounts the route (e.g. `POST /v1/webhooks/{name}`) and
 * hands each request to `instance.handle(headers, rawBody)`, which verifies the signature, publishes
 * one CloudEvent and answers the status to send back:
 *   202 stored (or a duplicate of a stored delivery), 401 bad signature, 400 no delivery id or an
 *   event the bus refuses (e.g. too large), 503 the bus could not store it now (the sender retries —
 *   both styles redeliver on 5xx).
 * Mapping: id = `webhook-id` / `X-GitHub-Delivery` (stable across the sender's retries, so the bus
 * dedupes); type = GitHub `com.github.<X-GitHub-Event>[.<action>]`, Standard Webhooks the body's
 * `type` field, else the configured type; data = the JSON body; time = `webhook-timestamp`.
 */
import { validateConfig } from '../../config.js';
import { HeraldError } from '../../../errors/index.js';
import type { SourceConnector, SourceContext, SourceInstance } from '../../types.js';
import { decodePayload } from '../../common/inbound.js';
import { SourceTracker } from '../../common/source-runtime.js';
import type { CloudEvent } from '../../../events/types.js';
import { header, verifyWebhook, type Headers, type WebhookStyle } from './verify.js';

export { verifyWebhook, signGithub, signStandard, TOLERANCE_SECONDS, type WebhookVerdict, type WebhookStyle } from './verify.js';

export interface WebhookSourceConfig {
  style: WebhookStyle;
  secret?: string;
  connection?: string;
  source?: string;
  type: string;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['style'],
  properties: {
    style: { type: 'string', enum: ['standard', 'github'], description: '`standard` (Standard Webhooks) or `github` (X-Hub-Signature-256).' },
    secret: { type: 'string', minLength: 1, description: 'Signing secret (`whsec_…` for standard). Prefer `connection`.' },
    connection: { type: 'string', minLength: 1, description: 'Stored connection whose `secret` field holds the signing secret.' },
    source: { type: 'string', minLength: 1, description: 'CloudEvent source; default `/webhooks/<name>`.' },
    type: { type: 'string', minLength: 1, default: 'io.webhook.received', description: 'CloudEvent type when none is derived from the request.' },
  },
} as const;

export interface WebhookResponse { status: 202 | 400 | 401 | 503; body: Record<string, unknown> }

export interface WebhookSourceInstance extends SourceInstance {
  handle(headers: Headers, rawBody: Buffer | string): Promise<WebhookResponse>;
}

/** A SourceConnector whose instances also take requests (the HTTP server calls `handle`). */
export interface WebhookSourceConnector extends Omit<SourceConnector<WebhookSourceConfig>, 'start'> {
  start(name: string, config: WebhookSourceConfig, ctx: SourceContext): Promise<WebhookSourceInstance>;
}

export const webhookSource: WebhookSourceConnector = {
  kind: 'source',
  name: 'webhook',
  description: 'Receives signed webhooks (Standard Webhooks or GitHub) on a route the server mounts.',
  configSchema,
  validate(raw) {
    const config = validateConfig<WebhookSourceConfig>(configSchema, raw);
    if (config.secret === undefined && config.connection === undefined) {
      throw new HeraldError('HERALD_INVALID_REQUEST', 'config.secret or config.connection is required', 'config.secret');
    }
    return config;
  },
  async start(name, config, ctx): Promise<WebhookSourceInstance> {
    const secret = config.connection !== undefined ? (await ctx.connection(config.connection)).secret ?? '' : config.secret ?? '';
    const tracker = new SourceTracker(ctx, name);
    tracker.running();
    let stopped = false;

    function typeOf(headers: Headers, data: unknown): string {
      if (config.style === 'github') {
        const event = header(headers, 'x-github-event');
        const action = data && typeof data === 'object' && typeof (data as { action?: unknown }).action === 'string' ? (data as { action: string }).action : undefined;
        if (event) return `com.github.${event}${action ? `.${action}` : ''}`;
      } else if (data && typeof data === 'object' && typeof (data as { type?: unknown }).type === 'string') {
        return (data as { type: string }).type;
      }
      return config.type;
    }

    return {
      status: () => tracker.status(),
      async stop() {
        stopped = true;
        tracker.stopped();
      },
      async handle(headers, rawBody) {
        if (stopped) return { status: 503, body: { code: 'HERALD_SHUTTING_DOWN', message: 'webhook source stopped' } };
        const verdict = verifyWebhook(headers, rawBody, secret, config.style, ctx.now());
        if (!verdict.valid) return { status: 401, body: { code: 'HERALD_INVALID_REQUEST', message: verdict.reason } };
        if (!verdict.id) return { status: 400, body: { code: 'HERALD_INVALID_REQUEST', message: 'the delivery has no id header' } };
        const decoded = decodePayload(typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody, header(headers, 'content-type'));
        const event: CloudEvent = {
          specversion: '1.0',
          id: verdict.id,
          source: config.source ?? `/webhooks/${name}`,
          type: typeOf(headers, decoded.data),
          time: (verdict.timestamp ?? ctx.now()).toISOString(),
          ...decoded,
        };
        let result: Awaited<ReturnType<typeof ctx.sink.publish>>[number] | undefined;
        try {
          [result] = await ctx.sink.publish([event]);
        } catch (error) {
          tracker.fault(error);
          return { status: 503, body: { code: 'HERALD_STORE_UNAVAILABLE', message: 'the event was not stored; retry' } };
        }
        if (result && 'error' in result) {
          // The bus refused this event: say so to the sender rather than pretend it was stored.
          const retry = result.error.code === 'HERALD_STORE_UNAVAILABLE' || result.error.code === 'HERALD_STORE_FULL' || result.error.code === 'HERALD_SHUTTING_DOWN';
          tracker.fault(new Error(result.error.message));
          return { status: retry ? 503 : 400, body: { code: result.error.code, message: result.error.message } };
        }
        tracker.running();
        return { status: 202, body: { id: event.id, source: event.source } };
      },
    };
  },
};
