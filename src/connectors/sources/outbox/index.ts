/**
 * PostgreSQL transactional-outbox source. Each poll, in one transaction:
 *   SELECT … WHERE published_at IS NULL ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED
 *   → sink.publish(events) → DELETE those rows (or UPDATE published_at) → COMMIT.
 * A failed publish rolls back, so the rows stay; a crash after publish but before COMMIT re-reads
 * them and the bus dedupes (event id = row id). SKIP LOCKED lets several Herald processes share one
 * outbox without handing out a row twice at the same time. LISTEN on the trigger's channel wakes
 * the loop on insert; `pollMs` is the fallback when a notification is missed.
 */
import pg from 'pg';
import { validateConfig } from '../../config.js';
import type { SourceConnector, SourceInstance } from '../../types.js';
import type { CloudEvent } from '../../../events/types.js';
import { hostPort, resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { backoffMs, loopingSource, sleep, SourceTracker } from '../../common/source-runtime.js';
import { tableParts } from '../../common/columns.js';
import { defaultChannel, quoteTable } from './table.js';

export { createOutboxTable, outboxDdl } from './table.js';

export interface OutboxSourceConfig {
  url?: string;
  connection?: string;
  table: string;
  channel?: string;
  source?: string;
  after: 'delete' | 'mark';
  batch: number;
  pollMs: number;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...URL_PROPERTIES,
    table: { type: 'string', minLength: 1, default: 'herald_outbox', description: 'Outbox table (`createOutboxTable()` makes it).' },
    channel: { type: 'string', minLength: 1, description: 'LISTEN channel; default `<table>_events`, as the trigger uses.' },
    source: { type: 'string', minLength: 1, description: 'CloudEvent source for rows whose `source` column is NULL; default `postgres://host:port/<db>/<table>`.' },
    after: { type: 'string', enum: ['delete', 'mark'], default: 'delete', description: 'After publishing: delete the rows, or set `published_at` (keeps an audit trail).' },
    batch: { type: 'integer', minimum: 1, maximum: 10_000, default: 100, description: 'Rows per transaction.' },
    pollMs: { type: 'integer', minimum: 10, default: 5000, description: 'Fallback poll interval when no notification arrives.' },
  },
} as const;

interface OutboxRow { id: string; type: string; source: string | null; subject: string | null; data: unknown; created_at: Date }

export const outboxSource: SourceConnector<OutboxSourceConfig> = {
  kind: 'source',
  name: 'postgres-outbox',
  description: 'Publishes rows of a PostgreSQL outbox table (FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY), deleting or marking them after the bus stored them.',
  configSchema,
  validate(raw) {
    const config = validateConfig<OutboxSourceConfig>(configSchema, raw);
    tableParts(config.table);
    return config;
  },
  async start(name, config, ctx): Promise<SourceInstance> {
    const url = await resolveUrl(config, ctx);
    const table = quoteTable(config.table);
    const channel = config.channel ?? defaultChannel(config.table);
    const db = new URL(url).pathname.replace(/^\//, '') || 'postgres';
    const defaultSource = config.source ?? `postgres://${hostPort(url, 5432)}/${db}/${config.table}`;
    const tracker = new SourceTracker(ctx, name);
    const abort = new AbortController();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', (error) => tracker.fault(error));
    let wake: (() => void) | undefined;
    let listener: pg.Client | undefined;

    const select = `SELECT id::text AS id, type, source, subject, data, created_at FROM ${table}
      WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;
    const finish = config.after === 'delete'
      ? `DELETE FROM ${table} WHERE id = ANY($1::bigint[])`
      : `UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`;

    function toEvent(row: OutboxRow): CloudEvent {
      const event: CloudEvent = { specversion: '1.0', id: row.id, source: row.source ?? defaultSource, type: row.type, time: row.created_at.toISOString() };
      if (row.subject !== null) event.subject = row.subject;
      if (row.data !== null && row.data !== undefined) {
        event.datacontenttype = 'application/json';
        event.data = row.data;
      }
      return event;
    }

    /** One transaction; returns how many rows it published. */
    async function pollOnce(): Promise<number> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<OutboxRow>(select, [config.batch]);
        if (rows.length > 0) {
          await tracker.publish(rows.map(toEvent));
          await client.query(finish, [rows.map((r) => r.id)]);
        }
        await client.query('COMMIT');
        return rows.length;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }

    async function listen(): Promise<void> {
      const c = new pg.Client({ connectionString: url });
      c.on('error', (error) => {
        tracker.fault(error);
        if (listener === c) listener = undefined;
        void c.end().catch(() => undefined);
      });
      c.on('notification', () => wake?.());
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
      listener = c;
    }

    async function run(): Promise<void> {
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          if (!listener) await listen();
          const n = await pollOnce();
          tracker.running();
          failures = 0;
          if (n === config.batch) continue; // more waiting: go again at once
          const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE published_at IS NULL`);
          tracker.setLag(Number(rows[0].n));
          // Rows left that this poll did not get: go again, unless they are all locked by another
          // instance (n = 0), which will publish them — then wait rather than spin.
          if (n > 0 && Number(rows[0].n) > 0) continue;
          if (abort.signal.aborted) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, config.pollMs);
            function done(): void {
              clearTimeout(timer);
              wake = undefined;
              abort.signal.removeEventListener('abort', done);
              resolve();
            }
            wake = done;
            abort.signal.addEventListener('abort', done, { once: true });
          });
        } catch (error) {
          if (abort.signal.aborted) break;
          tracker.fault(error);
          await sleep(backoffMs(++failures), abort.signal);
        }
      }
    }
    const loop = run();

    return loopingSource(tracker, abort, loop, async () => {
      await listener?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    });
  },
};
