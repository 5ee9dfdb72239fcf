/**
 * MQTT target: publishes the body to a topic template with QoS 0 or 1 and an optional retain flag.
 * QoS 1 resolves on the broker's PUBACK; QoS 0 resolves once the packet is written to the socket
 * (the broker may still lose it — MQTT 5 §4.3.1). With MQTT 5, CloudEvent attributes travel as user
 * properties (MQTT binding §3.1, binary mode) and the content type as the Content Type property.
 * MQTT has no message id a subscriber could dedupe on: a redelivery after a lost PUBACK arrives twice.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { PermanentError, RetryableError } from '../../../delivery/errors.js';
import { validateConfig } from '../../config.js';
import { compileTemplate, messageRoot } from '../../template.js';
import type { OutboundMessage, TargetConnector, TargetInstance } from '../../types.js';
import { LazyClient, sendEach } from '../../common/batch.js';
import { resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { errorMessage, withTimeout } from '../../common/failures.js';
import { encodeMessage } from '../../common/outbound.js';

export interface MqttTargetConfig {
  url?: string;
  connection?: string;
  topic: string;
  qos: 0 | 1;
  retain: boolean;
  protocolVersion: 4 | 5;
  timeoutMs: number;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['topic'],
  properties: {
    ...URL_PROPERTIES,
    topic: { type: 'string', minLength: 1, description: 'Topic template, e.g. `devices/{subject}/events`.' },
    qos: { type: 'integer', enum: [0, 1], default: 1, description: '1: wait for the broker\'s PUBACK. 0: fire and forget.' },
    retain: { type: 'boolean', default: false, description: 'Set the retain flag: the broker keeps the last message per topic for new subscribers.' },
    protocolVersion: { type: 'integer', enum: [4, 5], default: 5, description: 'MQTT 3.1.1 (4) or 5. Only 5 carries attributes as user properties.' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 5000, description: 'Connect and PUBACK timeout.' },
  },
} as const;

/** CONNACK reason codes that mean bad credentials or a refused client (MQTT 5 §3.2.2.2; 3.1.1 codes 4, 5). */
const REFUSED = /Not authorized|Bad User Name or Password|Connection refused: (Bad username|Not authorized)|Banned|Client Identifier not valid/i;

export const mqttTarget: TargetConnector<MqttTargetConfig> = {
  kind: 'target',
  name: 'mqtt',
  description: 'Publishes to an MQTT topic (QoS 0/1, retain), attributes as MQTT 5 user properties.',
  configSchema,
  validate(raw) {
    const config = validateConfig<MqttTargetConfig>(configSchema, raw);
    compileTemplate(config.topic, 'config.topic');
    return config;
  },
  async create(config, ctx): Promise<TargetInstance> {
    const topic = compileTemplate(config.topic, 'config.topic');
    const url = await resolveUrl(config, ctx);
    const client = new LazyClient<MqttClient>(async () => {
      const c = await mqtt.connectAsync(url, {
        protocolVersion: config.protocolVersion,
        connectTimeout: config.timeoutMs,
        reconnectPeriod: 500,
        // A QoS 0 message sent while offline would be queued and sent later, or never: refuse instead.
        queueQoSZero: false,
        clean: true,
      }, false);
      c.on('error', () => undefined);
      return c;
    });

    async function publishOne(c: MqttClient, message: OutboundMessage): Promise<void> {
      const name = topic.render(messageRoot(message));
      if (/[+#]/.test(name) || name.includes('\u0000') || name === '') throw new PermanentError(`mqtt: rendered topic ${JSON.stringify(name)} is not a valid topic name`);
      const { bytes, contentType, attributes } = encodeMessage(message);
      const properties = config.protocolVersion === 5
        ? { contentType, userProperties: Object.fromEntries(attributes) }
        : undefined;
      await c.publishAsync(name, bytes, { qos: config.qos, retain: config.retain, ...(properties ? { properties } : {}) });
    }

    return {
      async send(messages) {
        let c: MqttClient;
        try {
          c = await withTimeout(client.get(), config.timeoutMs, 'mqtt connect');
        } catch (error) {
          if (error instanceof RetryableError) throw error;
          const text = errorMessage(error);
          throw REFUSED.test(text) ? new PermanentError(`mqtt connect: ${text}`) : new RetryableError(`mqtt connect: ${text}`);
        }
        // While the client reconnects, a publish would sit in its outgoing store: fail fast instead.
        if (!c.connected) throw new RetryableError('mqtt: not connected (reconnecting)');
        await sendEach(messages, 'mqtt publish', (m) => withTimeout(publishOne(c, m), config.timeoutMs, 'mqtt puback'));
      },
      async close() {
        const c = client.reset();
        if (c) await c.then((x) => x.endAsync(), () => undefined);
      },
    };
  },
};
