/**
 * NATS source.
 * - `jetstream` (default): a durable pull consumer with explicit acks. Each message is published
 *   to the sink and acknowledged (`ackAck`, a confirmed ack) only after the sink resolved; a failed
 *   publish naks the message with a backoff delay. Unacknowledged messages come back after the
 *   consumer's ack wait, and on stop() every fetched-but-unacked message is nak'ed so a restart
 *   sees it at once. Event id `{stream}:{stream sequence}` — a re-read dedupes on the bus.
 * - `core`: a plain subscription, best effort (core NATS has no redelivery: messages published
 *   while Herald is down are lost). Event id = the `Nats-Msg-Id` header, else a random UUID.
 */
import { randomUUID } from 'node:crypto';
import { AckPolicy, connect, DeliverPolicy, type JsMsg, type Msg, type NatsConnection } from 'nats';
import { validateConfig, invalidConfig } from '../../config.js';
import type { SourceConnector, SourceInstance } from '../../types.js';
import { hostPort, resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { toCloudEvent } from '../../common/inbound.js';
import { backoffMs, loopingSource, sleep, SourceTracker } from '../../common/source-runtime.js';

export interface NatsSourceConfig {
  url?: string;
  connection?: string;
  mode: 'jetstream' | 'core';
  stream?: string;
  consumer?: string;
  subject?: string;
  type: string;
  ackWaitMs: number;
  deliver: 'all' | 'new';
  fetchWaitMs: number;
}

/** A NATS subject never holds white space (NATS docs, "Subject-Based Messaging": characters). */
const SUBJECT = '^\\S+$';
/** JetStream stream and consumer names: no white space, `.`, `*`, `>` or path separators (NATS docs, "Naming"). */
const NAME = '^[^\\s.*>/\\\\]+$';

const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...URL_PROPERTIES,
    mode: { type: 'string', enum: ['jetstream', 'core'], default: 'jetstream', description: '`jetstream`: durable consumer, at-least-once. `core`: plain subscription, best effort.' },
    stream: { type: 'string', minLength: 1, pattern: NAME, description: 'JetStream stream to read (jetstream mode; required).' },
    consumer: { type: 'string', minLength: 1, pattern: NAME, description: 'Durable consumer name; created when missing (jetstream mode; required).' },
    subject: { type: 'string', minLength: 1, pattern: SUBJECT, description: 'Subject (core: required) or JetStream filter subject (optional).' },
    type: { type: 'string', minLength: 1, default: 'io.nats.message', description: 'CloudEvent type when the message has no `ce-type` header.' },
    ackWaitMs: { type: 'integer', minimum: 1000, default: 30_000, description: 'Ack wait of a consumer this source creates: how long before an unacked message is redelivered.' },
    deliver: { type: 'string', enum: ['all', 'new'], default: 'all', description: 'Where a newly created consumer starts in the stream.' },
    fetchWaitMs: { type: 'integer', minimum: 1000, maximum: 30_000, default: 1000, description: 'How long one pull waits for messages (the NATS client\'s minimum is 1000).' },
  },
} as const;

function headerMap(msg: Msg | JsMsg): Record<string, string> {
  const out: Record<string, string> = {};
  if (msg.headers) for (const [k, v] of msg.headers) out[k] = v.join(',');
  return out;
}

export const natsSource: SourceConnector<NatsSourceConfig> = {
  kind: 'source',
  name: 'nats',
  description: 'Reads a JetStream durable consumer (at-least-once) or a core NATS subject (best effort).',
  configSchema,
  validate(raw) {
    const config = validateConfig<NatsSourceConfig>(configSchema, raw);
    if (config.mode === 'jetstream') {
      if (!config.stream) invalidConfig('config.stream', 'is required in jetstream mode');
      if (!config.consumer) invalidConfig('config.consumer', 'is required in jetstream mode');
    } else if (!config.subject) invalidConfig('config.subject', 'is required in core mode');
    return config;
  },
  async start(name, config, ctx): Promise<SourceInstance> {
    const url = await resolveUrl(config, ctx);
    const tracker = new SourceTracker(ctx, name);
    const server = hostPort(url, 4222);
    const abort = new AbortController();
    let nc: NatsConnection | undefined;
    const run = config.mode === 'core' ? runCore : runJetStream;
    const loop = run().catch((error: unknown) => tracker.failed(error));

    async function connectOnce(): Promise<NatsConnection> {
      for (let attempt = 0; ; attempt++) {
        if (abort.signal.aborted) throw new Error('stopped before connecting');
        try {
          return await connect({ servers: url, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: `herald-source-${name}` });
        } catch (error) {
          if (abort.signal.aborted) throw error;
          tracker.fault(error);
          await sleep(backoffMs(attempt), abort.signal);
        }
      }
    }

    async function runJetStream(): Promise<void> {
      nc = await connectOnce();
      const stream = config.stream as string;
      const durable = config.consumer as string;
      const jsm = await nc.jetstreamManager();
      try {
        await jsm.consumers.info(stream, durable);
      } catch {
        await jsm.consumers.add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          ack_wait: config.ackWaitMs * 1_000_000,
          deliver_policy: config.deliver === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
          ...(config.subject ? { filter_subject: config.subject } : {}),
        });
      }
      const consumer = await nc.jetstream().consumers.get(stream, durable);
      tracker.running();
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          const batch = await consumer.fetch({ max_messages: 100, expires: config.fetchWaitMs });
          for await (const m of batch) {
            // Stopping: hand everything fetched back at once rather than after the ack wait.
            if (abort.signal.aborted) {
              m.nak();
              continue;
            }
            const event = toCloudEvent({
              id: `${stream}:${m.seq}`,
              source: `nats://${server}/${m.subject}`,
              defaultType: config.type,
              payload: Buffer.from(m.data),
              headers: headerMap(m),
              time: new Date(Math.floor(m.info.timestampNanos / 1_000_000)),
            });
            try {
              await tracker.publish([event]);
            } catch (error) {
              m.nak(backoffMs(++failures));
              tracker.fault(error);
              continue;
            }
            failures = 0;
            tracker.setLag(m.info.pending);
            if (abort.signal.aborted) m.nak();
            // A confirmed ack: if it is lost the message is redelivered and deduped by the bus.
            else await m.ackAck().catch((error: unknown) => tracker.fault(error));
          }
        } catch (error) {
          if (abort.signal.aborted) break;
          tracker.fault(error);
          await sleep(backoffMs(++failures), abort.signal);
        }
      }
    }

    async function runCore(): Promise<void> {
      nc = await connectOnce();
      const sub = nc.subscribe(config.subject as string);
      abort.signal.addEventListener('abort', () => sub.unsubscribe(), { once: true });
      tracker.running();
      for await (const m of sub) {
        const h = headerMap(m);
        const event = toCloudEvent({
          id: h['Nats-Msg-Id'] ?? randomUUID(),
          source: `nats://${server}/${m.subject}`,
          defaultType: config.type,
          payload: Buffer.from(m.data),
          headers: h,
          time: ctx.now(),
        });
        // Core NATS cannot redeliver: a failed publish is retried here a few times, then lost.
        for (let attempt = 0; attempt < 5 && !abort.signal.aborted; attempt++) {
          try {
            await tracker.publish([event]);
            break;
          } catch (error) {
            tracker.fault(error);
            await sleep(backoffMs(attempt), abort.signal);
          }
        }
      }
    }

    return loopingSource(tracker, abort, loop, async () => {
      if (nc) await nc.drain().catch(() => nc?.close());
    });
  },
};
