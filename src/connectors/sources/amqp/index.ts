/**
 * RabbitMQ (AMQP 0-9-1) source: consumes a queue with manual acks and a prefetch window. Messages
 * that arrive while a publish is in flight are gathered into the next batch; each message is acked
 * only after the sink resolved for its batch. A failed publish nacks the batch back to the queue
 * (requeue) after a backoff; on stop() or a lost connection the broker requeues every unacked
 * message by itself (AMQP 0-9-1 §3.1.4, basic.ack).
 * Event id = the message's `messageId` property, else its `cloudEvents:id` application property
 * (CloudEvents AMQP binding §3.1.3.1), else a new UUID: identical messages without an id stay distinct
 * events (issue 10, item 9), and a message redelivered after a lost ack may arrive twice, which
 * at-least-once allows. `idFrom: "hash"` gives such messages a hash of (queue, body, headers)
 * instead, so identical ones collapse into one event.
 */
import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { validateConfig } from '../../config.js';
import type { SourceConnector, SourceInstance } from '../../types.js';
import { hostPort, resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { ceFromAmqpHeaders } from '../../common/amqp.js';
import { contentId, toCloudEvent } from '../../common/inbound.js';
import { backoffMs, loopingSource, sleep, SourceTracker } from '../../common/source-runtime.js';

export interface AmqpSourceConfig {
  url?: string;
  connection?: string;
  queue: string;
  prefetch: number;
  type: string;
  declare: boolean;
  idFrom: 'message' | 'hash';
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['queue'],
  properties: {
    ...URL_PROPERTIES,
    queue: { type: 'string', minLength: 1, description: 'Queue to consume.' },
    prefetch: { type: 'integer', minimum: 1, maximum: 65_535, default: 100, description: 'Unacked messages the broker may hand over at once (also the largest batch).' },
    type: { type: 'string', minLength: 1, default: 'io.rabbitmq.message', description: 'CloudEvent type when the message has neither a `cloudEvents:type` header nor a `type` property.' },
    declare: { type: 'boolean', default: false, description: 'Declare the queue (durable) when missing.' },
    idFrom: {
      type: 'string',
      enum: ['message', 'hash'],
      default: 'message',
      description: 'Event id of a message with neither a `messageId` property nor a `cloudEvents:id` header. `message`: a new UUID, so identical messages stay distinct events (a redelivery may arrive twice). `hash`: a SHA-256 of (queue, body, headers), so identical messages collapse into one event.',
    },
  },
} as const;

export const amqpSource: SourceConnector<AmqpSourceConfig> = {
  kind: 'source',
  name: 'amqp',
  description: 'Consumes a RabbitMQ queue with manual acks after the bus stored the events.',
  configSchema,
  validate: (raw) => validateConfig<AmqpSourceConfig>(configSchema, raw),
  async start(name, config, ctx): Promise<SourceInstance> {
    const url = await resolveUrl(config, ctx);
    const source = `amqp://${hostPort(url, 5672)}/${config.queue}`;
    const tracker = new SourceTracker(ctx, name);
    const abort = new AbortController();
    let model: ChannelModel | undefined;

    function toEvent(m: ConsumeMessage) {
      const headers = ceFromAmqpHeaders(m.properties.headers as Record<string, unknown> | undefined);
      if (!headers['ce-type'] && typeof m.properties.type === 'string' && m.properties.type) headers['ce-type'] = m.properties.type;
      const messageId = typeof m.properties.messageId === 'string' && m.properties.messageId ? m.properties.messageId : headers['ce-id'];
      const id = messageId || (config.idFrom === 'hash' ? contentId(config.queue, m.content, JSON.stringify(m.properties.headers ?? {})) : randomUUID());
      return toCloudEvent({
        id,
        source,
        defaultType: config.type,
        payload: m.content,
        headers,
        contentType: typeof m.properties.contentType === 'string' ? m.properties.contentType : undefined,
        subject: m.fields.routingKey || undefined,
        time: typeof m.properties.timestamp === 'number' ? new Date(m.properties.timestamp * 1000) : ctx.now(),
      });
    }

    /** One connection's life: consume until the channel closes or stop() is called. */
    async function session(): Promise<void> {
      model = await amqp.connect(url);
      model.on('error', () => undefined);
      const channel: Channel = await model.createChannel();
      channel.on('error', (error: unknown) => tracker.fault(error));
      const closed = new Promise<void>((resolve) => channel.once('close', resolve));
      if (config.declare) await channel.assertQueue(config.queue, { durable: true });
      await channel.prefetch(config.prefetch);
      const buffer: ConsumeMessage[] = [];
      let pumping: Promise<void> | undefined;
      let failures = 0;

      async function pump(): Promise<void> {
        while (buffer.length > 0 && !abort.signal.aborted) {
          const batch = buffer.splice(0, buffer.length);
          try {
            await tracker.publish(batch.map(toEvent));
            failures = 0;
          } catch (error) {
            tracker.fault(error);
            await sleep(backoffMs(++failures), abort.signal);
            if (abort.signal.aborted) return; // closing the channel requeues them
            for (const m of batch) channel.nack(m, false, true);
            continue;
          }
          if (abort.signal.aborted) return;
          for (const m of batch) channel.ack(m);
        }
      }

      const { consumerTag } = await channel.consume(config.queue, (m) => {
        if (m === null) return; // consumer cancelled by the broker (queue deleted)
        buffer.push(m);
        // pump() drains the buffer until empty; deliveries arrive on I/O callbacks, never between
        // its last check and the `finally` microtask, so no message is left behind.
        pumping ??= pump().finally(() => (pumping = undefined));
      }, { noAck: false });
      tracker.running();
      const stopped = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
      await Promise.race([closed, stopped]);
      if (abort.signal.aborted) {
        await channel.cancel(consumerTag).catch(() => undefined);
        await pumping;
      }
      await model.close().catch(() => undefined);
    }

    async function run(): Promise<void> {
      for (let attempt = 0; !abort.signal.aborted; attempt++) {
        try {
          await session();
          if (!abort.signal.aborted) tracker.fault(new Error('channel closed'));
        } catch (error) {
          if (abort.signal.aborted) break;
          tracker.fault(error);
        }
        await sleep(backoffMs(attempt), abort.signal);
      }
    }
    const loop = run();

    return loopingSource(tracker, abort, loop);
  },
};
