/**
 * NATS target: core publish (fire-and-forget to the server; `send` resolves after a flush round-trip
 * proves the server read it) or JetStream publish (resolves on the stream's PubAck, i.e. stored).
 *
 * Idempotency: a JetStream publish carries `Nats-Msg-Id: <idempotencyKey>`; the stream drops a
 * repeated id seen within its `duplicate_window` (default 2 minutes) and answers `duplicate: true`.
 * A redelivery later than the window creates a second message — so set the stream's
 * duplicate_window at least as long as the delivery retry horizon (max event age) when
 * effectively-once matters.
 */
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import { PermanentError, RetryableError } from '../../../delivery/errors.js';
import { validateConfig } from '../../config.js';
import { compileTemplate, messageRoot } from '../../template.js';
import type { OutboundMessage, TargetConnector, TargetInstance } from '../../types.js';
import { LazyClient, sendEach } from '../../common/batch.js';
import { resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { errorCode, errorMessage, withTimeout } from '../../common/failures.js';
import { encodeMessage } from '../../common/outbound.js';

export interface NatsTargetConfig {
  url?: string;
  connection?: string;
  subject: string;
  jetstream: boolean;
  timeoutMs: number;
  ceHeaders: boolean;
}

/** A NATS subject never holds white space (NATS docs, "Subject-Based Messaging": characters). */
const SUBJECT = '^\\S+$';

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['subject'],
  properties: {
    ...URL_PROPERTIES,
    subject: { type: 'string', minLength: 1, pattern: SUBJECT, description: 'Subject template, e.g. `orders.{type}` (see Templates).' },
    jetstream: { type: 'boolean', default: false, description: 'Publish to JetStream and wait for the stream\'s acknowledgement; `Nats-Msg-Id` = idempotency key.' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 5000, description: 'How long to wait for the server\'s answer before the send is retryable.' },
    ceHeaders: { type: 'boolean', default: true, description: 'Carry CloudEvent attributes as `ce-*` headers (NATS binding, binary mode).' },
  },
} as const;

/** NATS client errors that retrying cannot fix. */
const PERMANENT_CODES = new Set(['AUTHORIZATION_VIOLATION', 'PERMISSIONS_VIOLATION', 'BAD_AUTHENTICATION', 'BAD_CREDS', 'BAD_SUBJECT', 'MAX_PAYLOAD_EXCEEDED', 'BAD_HEADER', 'ACCOUNT_EXPIRED']);

function classify(error: unknown, what: string): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const code = errorCode(error);
  if (code && PERMANENT_CODES.has(code)) return new PermanentError(`${what}: ${errorMessage(error)}`);
  // 503 "no responders" on a JetStream publish: no stream captures the subject. That is a
  // configuration fault rather than an outage (an unreachable server times out instead).
  if (code === '503') return new PermanentError(`${what}: no JetStream stream captures this subject`);
  return new RetryableError(`${what}: ${errorMessage(error)}`);
}

export const natsTarget: TargetConnector<NatsTargetConfig> = {
  kind: 'target',
  name: 'nats',
  description: 'Publishes to a NATS subject, or to JetStream with Nats-Msg-Id deduplication.',
  configSchema,
  validate(raw) {
    const config = validateConfig<NatsTargetConfig>(configSchema, raw);
    compileTemplate(config.subject, 'config.subject');
    return config;
  },
  async create(config, ctx): Promise<TargetInstance> {
    const subject = compileTemplate(config.subject, 'config.subject');
    const url = await resolveUrl(config, ctx);
    const client = new LazyClient<NatsConnection>(async () => {
      const nc = await connect({ servers: url, timeout: config.timeoutMs, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'herald-target' });
      void nc.closed().then(() => client.reset());
      return nc;
    });

    async function publishOne(nc: NatsConnection, message: OutboundMessage): Promise<void> {
      const target = subject.render(messageRoot(message));
      const { bytes, contentType, attributes } = encodeMessage(message);
      const h = natsHeaders();
      if (config.ceHeaders) for (const [k, v] of attributes) h.set(`ce-${k}`, v);
      h.set('content-type', contentType);
      if (config.jetstream) {
        await nc.jetstream().publish(target, bytes, { msgID: message.idempotencyKey, headers: h, timeout: config.timeoutMs });
      } else {
        nc.publish(target, bytes, { headers: h });
      }
    }

    return {
      async send(messages) {
        let nc: NatsConnection;
        try {
          nc = await withTimeout(client.get(), config.timeoutMs, 'nats connect');
        } catch (error) {
          throw classify(error, 'nats connect');
        }
        await sendEach(messages, 'nats publish', async (message) => {
          try {
            await publishOne(nc, message);
          } catch (error) {
            throw classify(error, `nats publish ${message.deliveryId}`);
          }
        });
        // Core publishes are buffered by the client; a flush is a PING/PONG round-trip, so once it
        // answers the server has read everything written before it.
        if (!config.jetstream) {
          try {
            await withTimeout(nc.flush(), config.timeoutMs, 'nats flush');
          } catch (error) {
            throw classify(error, 'nats flush');
          }
        }
      },
      async close() {
        const nc = client.reset();
        if (nc) await nc.then((c) => c.close(), () => undefined);
      },
    };
  },
};
