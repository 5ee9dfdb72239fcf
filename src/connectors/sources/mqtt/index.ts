/**
 * MQTT source. QoS 1 (default): a persistent session — fixed `clientId`, clean start off and (MQTT 5)
 * a session expiry — so the broker queues messages while Herald is down; the PUBACK for a message is
 * sent only after the sink stored its event (mqtt.js `handleMessage` callback). A failed publish
 * drops the connection without acking; the broker resends unacked messages when the session
 * resumes (MQTT 5 §4.4). QoS 0: best effort, nothing is resent.
 * Event id: the `ce-id` (or `id`) user property when the publisher set one (MQTT 5). MQTT has no
 * end-to-end message id of its own — the packet identifier is per hop and reused — so any other
 * message gets a new UUID: three identical readings are three events (issue 10, item 9). A QoS 1
 * resend of a message whose PUBACK was lost then arrives twice, which at-least-once allows.
 * `idFrom: "hash"` asks for the old behaviour instead: a hash of (topic, payload), so identical
 * messages — resends and genuine repeats alike — collapse into one event on the bus.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type IPublishPacket } from 'mqtt';
import { validateConfig } from '../../config.js';
import type { SourceConnector, SourceInstance } from '../../types.js';
import { hostPort, resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { contentId, toCloudEvent } from '../../common/inbound.js';
import { backoffMs, loopingSource, sleep, SourceTracker } from '../../common/source-runtime.js';

export interface MqttSourceConfig {
  url?: string;
  connection?: string;
  topic: string;
  qos: 0 | 1;
  clientId?: string;
  type: string;
  protocolVersion: 4 | 5;
  sessionExpirySeconds: number;
  idFrom: 'message' | 'hash';
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['topic'],
  properties: {
    ...URL_PROPERTIES,
    topic: { type: 'string', minLength: 1, description: 'Topic filter (`+` and `#` wildcards allowed).' },
    qos: { type: 'integer', enum: [0, 1], default: 1, description: '1: persistent session, at-least-once. 0: best effort.' },
    clientId: { type: 'string', minLength: 1, description: 'Fixed client id of the persistent session; default `herald-<source name>`. Two running sources must not share it.' },
    type: { type: 'string', minLength: 1, default: 'io.mqtt.message', description: 'CloudEvent type when the message has no `ce-type` user property.' },
    protocolVersion: { type: 'integer', enum: [4, 5], default: 5, description: 'MQTT 3.1.1 (4) or 5.' },
    sessionExpirySeconds: { type: 'integer', minimum: 0, default: 604_800, description: 'MQTT 5: how long the broker keeps the session (and queued messages) while Herald is away.' },
    idFrom: {
      type: 'string',
      enum: ['message', 'hash'],
      default: 'message',
      description: 'Event id of a message without a `ce-id`/`id` user property. `message`: a new UUID, so identical messages stay distinct events (a QoS 1 resend may arrive twice). `hash`: a SHA-256 of (topic, payload), so identical messages collapse into one event.',
    },
  },
} as const;

export const mqttSource: SourceConnector<MqttSourceConfig> = {
  kind: 'source',
  name: 'mqtt',
  description: 'Subscribes to an MQTT topic filter; QoS 1 with a persistent session, PUBACK after the bus stored the event.',
  configSchema,
  validate: (raw) => validateConfig<MqttSourceConfig>(configSchema, raw),
  async start(name, config, ctx): Promise<SourceInstance> {
    const url = await resolveUrl(config, ctx);
    const server = hostPort(url, 1883);
    const tracker = new SourceTracker(ctx, name);
    const abort = new AbortController();

    function toEvent(packet: IPublishPacket) {
      const props: Record<string, string> = {};
      for (const [k, v] of Object.entries(packet.properties?.userProperties ?? {})) props[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : String(v);
      const ce: Record<string, string> = {};
      for (const [k, v] of Object.entries(props)) ce[k.startsWith('ce-') ? k : `ce-${k}`] = v;
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      return toCloudEvent({
        id: props['ce-id'] || props.id || (config.idFrom === 'hash' ? contentId(packet.topic, payload) : randomUUID()),
        source: `mqtt://${server}/${packet.topic}`,
        defaultType: config.type,
        payload,
        headers: ce,
        contentType: packet.properties?.contentType,
        time: ctx.now(),
      });
    }

    /** One connection's life; resolves when it must be replaced (sink failure, stop). */
    function session(): Promise<void> {
      return new Promise<void>((resolve) => {
        const c = mqtt.connect(url, {
          clientId: config.clientId ?? `herald-${name}`,
          clean: config.qos === 0,
          protocolVersion: config.protocolVersion,
          reconnectPeriod: 1000,
          ...(config.protocolVersion === 5 && config.qos === 1 ? { properties: { sessionExpiryInterval: config.sessionExpirySeconds } } : {}),
        });
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          abort.signal.removeEventListener('abort', finish);
          // Force: in-flight messages stay unacked, so the broker resends them to the next session.
          c.end(true, {}, () => resolve());
        };
        abort.signal.addEventListener('abort', finish, { once: true });
        c.on('error', (error) => tracker.fault(error));
        c.on('connect', () => {
          c.subscribe(config.topic, { qos: config.qos }, (error) => (error ? tracker.fault(error) : tracker.running()));
        });
        c.on('offline', () => tracker.fault(new Error('mqtt: offline')));
        c.handleMessage = (packet, done) => {
          if (finished) return; // no ack: the broker keeps it for the next session
          tracker.publish([toEvent(packet)]).then(
            () => {
              if (!finished) done();
            },
            (error: unknown) => {
              tracker.fault(error);
              if (config.qos === 0) done();
              else finish();
            },
          );
        };
      });
    }

    async function run(): Promise<void> {
      for (let attempt = 0; !abort.signal.aborted; attempt++) {
        await session();
        if (!abort.signal.aborted) await sleep(backoffMs(attempt), abort.signal);
      }
    }
    const loop = run();

    return loopingSource(tracker, abort, loop);
  },
};
