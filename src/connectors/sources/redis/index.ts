/**
 * Redis Streams source: a consumer group read with XREADGROUP; each batch is published to the
 * sink and only then XACKed. Entries read but not acked stay in the group's pending list: after a
 * failure or a restart this consumer first re-reads its own pending entries (id `0`), and entries
 * another consumer left pending longer than `claimIdleMs` are taken over with XAUTOCLAIM.
 * Event id = the entry id (`1700000000000-0`), so a re-read dedupes on the bus.
 *
 * An entry with a `body` field (as the Redis target writes) maps `body` to data and `ce-*` /
 * `content-type` fields to attributes; any other entry becomes a JSON object of its fields.
 */
import { validateConfig } from '../../config.js';
import type { SourceConnector, SourceInstance } from '../../types.js';
import { hostPort, resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { toCloudEvent } from '../../common/inbound.js';
import { openRedis, ready } from '../../common/redis.js';
import { backoffMs, sleep, SourceTracker } from '../../common/source-runtime.js';
import type { CloudEvent } from '../../../events/types.js';

export interface RedisSourceConfig {
  url?: string;
  connection?: string;
  stream: string;
  group: string;
  consumer: string;
  type: string;
  batch: number;
  blockMs: number;
  claimIdleMs: number;
  startAt: '0' | '$';
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['stream', 'group'],
  properties: {
    ...URL_PROPERTIES,
    stream: { type: 'string', minLength: 1, description: 'Stream key.' },
    group: { type: 'string', minLength: 1, description: 'Consumer group; created (MKSTREAM) when missing.' },
    consumer: { type: 'string', minLength: 1, default: 'herald', description: 'Consumer name; keep it fixed so a restart finds its pending entries.' },
    type: { type: 'string', minLength: 1, default: 'io.redis.stream.entry', description: 'CloudEvent type when the entry has no `ce-type` field.' },
    batch: { type: 'integer', minimum: 1, maximum: 10_000, default: 100, description: 'Entries per read (COUNT).' },
    blockMs: { type: 'integer', minimum: 10, maximum: 60_000, default: 2000, description: 'How long one read blocks waiting for entries.' },
    claimIdleMs: { type: 'integer', minimum: 1000, default: 60_000, description: 'Take over entries other consumers left pending this long.' },
    startAt: { type: 'string', enum: ['0', '$'], default: '0', description: 'Where a newly created group starts: `0` the whole stream, `$` new entries only.' },
  },
} as const;

type Entry = [id: string, fields: string[] | null];

export const redisSource: SourceConnector<RedisSourceConfig> = {
  kind: 'source',
  name: 'redis',
  description: 'Reads a Redis stream through a consumer group; XACK after the bus stored the events.',
  configSchema,
  validate: (raw) => validateConfig<RedisSourceConfig>(configSchema, raw),
  async start(name, config, ctx): Promise<SourceInstance> {
    const url = await resolveUrl(config, ctx);
    const source = `redis://${hostPort(url, 6379)}/${config.stream}`;
    const tracker = new SourceTracker(ctx, name);
    const client = openRedis(url, Math.max(config.blockMs + 5000, 10_000), `herald-source-${name}`);
    client.on('error', () => undefined);
    const abort = new AbortController();

    function toEvent([id, fields]: Entry): CloudEvent {
      const map: Record<string, string> = {};
      for (let i = 0; fields && i + 1 < fields.length; i += 2) map[fields[i]] = fields[i + 1];
      const hasBody = 'body' in map;
      return toCloudEvent({
        id,
        source,
        defaultType: config.type,
        payload: hasBody ? map.body : JSON.stringify(map),
        headers: hasBody ? map : {},
        contentType: hasBody ? map['content-type'] : 'application/json',
        time: new Date(Number(id.split('-')[0])),
      });
    }

    async function read(id: string): Promise<Entry[]> {
      const args = ['GROUP', config.group, config.consumer, 'COUNT', config.batch, ...(id === '>' ? ['BLOCK', config.blockMs] : []), 'STREAMS', config.stream, id];
      const reply = (await client.call('XREADGROUP', ...args)) as unknown[] | null;
      if (!reply || reply.length === 0) return [];
      // RESP2 answers [[stream, entries]]; a RESP3 map arrives flattened as [stream, entries].
      return (typeof reply[0] === 'string' ? reply[1] : (reply[0] as unknown[])[1]) as Entry[];
    }

    async function claim(): Promise<Entry[]> {
      const reply = (await client.call('XAUTOCLAIM', config.stream, config.group, config.consumer, config.claimIdleMs, '0-0', 'COUNT', config.batch)) as [string, Entry[]];
      return reply[1] ?? [];
    }

    async function updateLag(): Promise<void> {
      const groups = (await client.call('XINFO', 'GROUPS', config.stream)) as unknown[][];
      for (const g of groups) {
        const info: Record<string, unknown> = {};
        for (let i = 0; i + 1 < g.length; i += 2) info[String(g[i])] = g[i + 1];
        if (info.name === config.group && typeof info.lag === 'number') tracker.setLag(info.lag);
      }
    }

    async function handle(entries: Entry[]): Promise<void> {
      if (entries.length === 0) return;
      // Deleted entries (XDEL) come back pending with no fields: nothing to publish, just ack them.
      const live = entries.filter(([, fields]) => fields !== null);
      await tracker.publish(live.map(toEvent));
      await client.xack(config.stream, config.group, ...entries.map(([id]) => id));
    }

    async function run(): Promise<void> {
      let pending = true; // first drain what this consumer already read but never acked
      let failures = 0;
      let lastClaim = 0;
      let created = false;
      while (!abort.signal.aborted) {
        try {
          await ready(client, 5000);
          if (!created) {
            await client.call('XGROUP', 'CREATE', config.stream, config.group, config.startAt, 'MKSTREAM').catch((error: unknown) => {
              if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
            });
            created = true;
          }
          if (Date.now() - lastClaim > config.claimIdleMs / 2) {
            lastClaim = Date.now();
            await handle(await claim());
          }
          const entries = await read(pending ? '0' : '>');
          if (pending && entries.length === 0) pending = false;
          if (entries.length === 0 && !pending) await updateLag();
          await handle(entries);
          tracker.running();
          failures = 0;
        } catch (error) {
          if (abort.signal.aborted) break;
          pending = true;
          tracker.fault(error);
          await sleep(backoffMs(++failures), abort.signal);
        }
      }
    }
    const loop = run();

    return {
      status: () => tracker.status(),
      async stop() {
        abort.abort();
        // Interrupts a blocking XREADGROUP; entries published but not acked are re-read next start.
        client.disconnect();
        await loop;
        tracker.stopped();
      },
    };
  },
};
