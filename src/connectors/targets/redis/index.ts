/**
 * Redis target, three modes:
 * - `stream`: XADD to a stream (key template). Fields: `body`, `content-type` and one `ce-<attr>`
 *   per CloudEvent attribute. With `dedupeTtlSeconds` > 0 (default one day) a Lua script sets a
 *   marker `<stream>:herald-dedupe:<idempotencyKey>` with NX and only then XADDs, atomically — a
 *   redelivery within the TTL adds nothing.
 * - `publish`: PUBLISH the body to a channel (key template). Pub/Sub keeps nothing: subscribers that
 *   are not connected miss it; `send` resolves once Redis accepted the command.
 * - `set`: SET key body NX [EX ttl] with key template default `herald:{idempotencyKey}` — a
 *   redelivery leaves the first value.
 */
import type { Redis } from 'ioredis';
import { validateConfig } from '../../config.js';
import { compileTemplate, messageRoot } from '../../template.js';
import type { OutboundMessage, TargetConnector, TargetInstance } from '../../types.js';
import { sendEach } from '../../common/batch.js';
import { resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { encodeMessage } from '../../common/outbound.js';
import { classifyRedis, openRedis, ready } from '../../common/redis.js';

export interface RedisTargetConfig {
  url?: string;
  connection?: string;
  mode: 'stream' | 'publish' | 'set';
  key?: string;
  maxLen?: number;
  dedupeTtlSeconds: number;
  ttlSeconds?: number;
  timeoutMs: number;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['mode'],
  // stream and publish need a key; set has a default one.
  if: { properties: { mode: { enum: ['stream', 'publish'] } } },
  then: { required: ['key'] },
  properties: {
    ...URL_PROPERTIES,
    mode: { type: 'string', enum: ['stream', 'publish', 'set'], description: '`stream` (XADD), `publish` (PUBLISH) or `set` (SET NX).' },
    key: { type: 'string', minLength: 1, description: 'Stream key / channel / key template. Required for stream and publish; set defaults to `herald:{idempotencyKey}`.' },
    maxLen: { type: 'integer', minimum: 1, description: 'stream: trim to about this many entries (XADD MAXLEN ~).' },
    dedupeTtlSeconds: { type: 'integer', minimum: 0, default: 86_400, description: 'stream: how long an idempotency key is remembered; 0 turns deduplication off.' },
    ttlSeconds: { type: 'integer', minimum: 1, description: 'set: expiry of the key.' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 5000, description: 'Connect and command timeout.' },
  },
} as const;

// KEYS[1] stream, KEYS[2] dedupe marker; ARGV[1] marker TTL, ARGV[2] MAXLEN or '' , ARGV[3..] field/value pairs.
const XADD_ONCE = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
  if ARGV[2] ~= '' then
    return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))
  end
  return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
end
return false`;

export const redisTarget: TargetConnector<RedisTargetConfig> = {
  kind: 'target',
  name: 'redis',
  description: 'Appends to a Redis stream (deduplicated), publishes to a channel, or SETs a key NX.',
  configSchema,
  validate(raw) {
    const config = validateConfig<RedisTargetConfig>(configSchema, raw);
    if (config.key !== undefined) compileTemplate(config.key, 'config.key');
    return config;
  },
  async create(config, ctx): Promise<TargetInstance> {
    const key = compileTemplate(config.key ?? 'herald:{idempotencyKey}', 'config.key');
    const client: Redis = openRedis(await resolveUrl(config, ctx), config.timeoutMs, 'herald-target');
    client.on('error', () => undefined); // surfaced through send(); avoids unhandled 'error' events

    async function sendOne(message: OutboundMessage): Promise<void> {
      const name = key.render(messageRoot(message));
      const { bytes, contentType, attributes } = encodeMessage(message);
      if (config.mode === 'publish') {
        await client.publish(name, bytes);
      } else if (config.mode === 'set') {
        await (config.ttlSeconds ? client.set(name, bytes, 'EX', config.ttlSeconds, 'NX') : client.set(name, bytes, 'NX'));
      } else {
        const fields: Array<string | Buffer> = ['body', bytes, 'content-type', contentType];
        for (const [k, v] of attributes) fields.push(`ce-${k}`, v);
        if (config.dedupeTtlSeconds > 0) {
          await client.eval(XADD_ONCE, 2, name, `${name}:herald-dedupe:${message.idempotencyKey}`, config.dedupeTtlSeconds, config.maxLen ?? '', ...fields);
        } else if (config.maxLen) {
          await client.xadd(name, 'MAXLEN', '~', config.maxLen, '*', ...fields);
        } else {
          await client.xadd(name, '*', ...fields);
        }
      }
    }

    return {
      async send(messages) {
        await ready(client, config.timeoutMs);
        await sendEach(messages, 'redis', async (message) => {
          try {
            await sendOne(message);
          } catch (error) {
            throw classifyRedis(error, `redis ${config.mode}`);
          }
        });
      },
      async close() {
        client.disconnect();
      },
    };
  },
};
