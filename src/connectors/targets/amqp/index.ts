/**
 * RabbitMQ (AMQP 0-9-1) target: publishes to an exchange with a routing-key template on a confirm
 * channel; `send` resolves when the broker confirmed every message (RabbitMQ "Publisher Confirms":
 * for a persistent message routed to a durable queue, after it is written to disk).
 * Messages are persistent, `messageId` = the idempotency key (consumers can dedupe on it), attributes
 * travel as `cloudEvents:*` headers. With `mandatory` (default) a message no queue receives comes
 * back (basic.return) and the send fails permanently instead of vanishing.
 */
import amqp, { type ChannelModel, type ConfirmChannel, type Message } from 'amqplib';
import { PermanentError } from '../../../delivery/errors.js';
import { validateConfig } from '../../config.js';
import { compileTemplate, messageRoot } from '../../template.js';
import type { OutboundMessage, TargetConnector, TargetInstance } from '../../types.js';
import { LazyClient, sendEach } from '../../common/batch.js';
import { resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { AMQP_CE_PREFIX, classifyAmqp } from '../../common/amqp.js';
import { withTimeout } from '../../common/failures.js';
import { encodeMessage } from '../../common/outbound.js';

export interface AmqpTargetConfig {
  url?: string;
  connection?: string;
  exchange: string;
  routingKey: string;
  mandatory: boolean;
  persistent: boolean;
  timeoutMs: number;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['exchange', 'routingKey'],
  properties: {
    ...URL_PROPERTIES,
    exchange: { type: 'string', description: 'Exchange name; `""` is the default exchange (routing key = queue name).' },
    routingKey: { type: 'string', description: 'Routing key template, e.g. `orders.{type}`.' },
    mandatory: { type: 'boolean', default: true, description: 'Fail (permanently) when no queue receives the message instead of dropping it.' },
    persistent: { type: 'boolean', default: true, description: 'delivery-mode 2: the broker writes the message to disk in durable queues.' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 10_000, description: 'Connect and confirm timeout.' },
  },
} as const;

interface Session { model: ChannelModel; channel: ConfirmChannel; returned: Set<string>; channelError?: unknown }

export const amqpTarget: TargetConnector<AmqpTargetConfig> = {
  kind: 'target',
  name: 'amqp',
  description: 'Publishes to a RabbitMQ exchange with publisher confirms; messageId = idempotency key.',
  configSchema,
  validate(raw) {
    const config = validateConfig<AmqpTargetConfig>(configSchema, raw);
    compileTemplate(config.routingKey, 'config.routingKey');
    return config;
  },
  async create(config, ctx): Promise<TargetInstance> {
    const routingKey = compileTemplate(config.routingKey, 'config.routingKey');
    const url = await resolveUrl(config, ctx);
    const session: LazyClient<Session> = new LazyClient(async () => {
      const model = await amqp.connect(url, { timeout: config.timeoutMs });
      const s: Session = { model, channel: await model.createConfirmChannel(), returned: new Set() };
      model.on('error', () => undefined);
      model.on('close', () => void session.reset());
      s.channel.on('error', (error: unknown) => {
        s.channelError = error;
      });
      // A channel error (e.g. 404 no such exchange) closes the channel; start a fresh session.
      s.channel.on('close', () => {
        void session.reset();
        void model.close().catch(() => undefined);
      });
      s.channel.on('return', (m: Message) => {
        if (typeof m.properties.messageId === 'string') s.returned.add(m.properties.messageId);
      });
      return s;
    });

    async function publishOne(s: Session, message: OutboundMessage): Promise<void> {
      const key = routingKey.render(messageRoot(message));
      const { bytes, contentType, attributes } = encodeMessage(message);
      const headers: Record<string, string> = {};
      for (const [k, v] of attributes) headers[`${AMQP_CE_PREFIX}${k}`] = v;
      return new Promise<void>((resolve, reject) => {
        s.channel.publish(config.exchange, key, bytes, {
          persistent: config.persistent,
          mandatory: config.mandatory,
          messageId: message.idempotencyKey,
          contentType,
          type: message.event.type,
          timestamp: Math.floor(Date.now() / 1000),
          headers,
        }, (error: unknown) => {
          if (error) return reject(classifyAmqp(error, 'amqp publish', s.channelError));
          // The broker sends basic.return before the confirm of the same message (RabbitMQ docs).
          if (s.returned.delete(message.idempotencyKey)) return reject(new PermanentError(`amqp: no queue is bound for routing key ${JSON.stringify(key)} on exchange ${JSON.stringify(config.exchange)}`));
          resolve();
        });
      });
    }

    return {
      async send(messages) {
        let s: Session;
        try {
          s = await withTimeout(session.get(), config.timeoutMs, 'amqp connect');
        } catch (error) {
          throw classifyAmqp(error, 'amqp connect');
        }
        await sendEach(messages, 'amqp publish', (m) => withTimeout(publishOne(s, m), config.timeoutMs, 'amqp confirm'));
      },
      async close() {
        const s = session.reset();
        if (s) await s.then((x) => x.model.close(), () => undefined).catch(() => undefined);
      },
    };
  },
};
