/**
 * PostgreSQL target: one multi-row INSERT per batch (atomic: all rows or none), with the
 * idempotency key in `keyColumn` under a unique constraint and `ON CONFLICT (key) DO NOTHING`
 * (mode insert) or `DO UPDATE SET …` (mode upsert) — a redelivery never creates a second row.
 */
import pg from 'pg';
import { PermanentError, RetryableError } from '../../../delivery/errors.js';
import { validateConfig } from '../../config.js';
import type { TargetConnector, TargetInstance } from '../../types.js';
import { resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { checkIdentifier, compileColumns, rowValues, SQL_PROPERTIES, tableParts, uniqueByKey } from '../../common/columns.js';
import { errorCode, errorMessage, isNetworkError, withTimeout } from '../../common/failures.js';

export interface PostgresTargetConfig {
  url?: string;
  connection?: string;
  table: string;
  columns: Record<string, string>;
  keyColumn: string;
  mode: 'insert' | 'upsert';
  timeoutMs: number;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['table', 'columns'],
  properties: { ...URL_PROPERTIES, ...SQL_PROPERTIES },
} as const;

/**
 * SQLSTATE classes (PostgreSQL manual, Appendix A): 08 connection, 53 resources, 57 operator
 * intervention (shutdown), 58 system, 40 serialization/deadlock, 55P03 lock not available are worth
 * retrying; the rest (28 auth, 3D no database, 42 undefined table/column, 22 data, 23 integrity)
 * will fail the same way again.
 */
function classify(error: unknown): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const code = errorCode(error);
  const message = `postgres: ${errorMessage(error)}`;
  if (isNetworkError(error)) return new RetryableError(message);
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    if (/^(08|53|57|58|40)/.test(code) || code === '55P03') return new RetryableError(message);
    return new PermanentError(`${message} (SQLSTATE ${code})`);
  }
  return new RetryableError(message);
}

const quote = (name: string) => `"${name}"`;

export const postgresTarget: TargetConnector<PostgresTargetConfig> = {
  kind: 'target',
  name: 'postgres',
  description: 'Inserts or upserts one row per event into a PostgreSQL table, deduplicated by the idempotency key.',
  configSchema,
  validate(raw) {
    const config = validateConfig<PostgresTargetConfig>(configSchema, raw);
    tableParts(config.table);
    checkIdentifier(config.keyColumn, 'config.keyColumn');
    compileColumns(config.columns, config.keyColumn);
    return config;
  },
  async create(config, ctx): Promise<TargetInstance> {
    const url = await resolveUrl(config, ctx);
    const mappings = compileColumns(config.columns, config.keyColumn);
    const table = tableParts(config.table).map(quote).join('.');
    const key = quote(config.keyColumn);
    const names = [...mappings.map((m) => quote(m.column)), key];
    const conflict = config.mode === 'upsert'
      ? `ON CONFLICT (${key}) DO UPDATE SET ${mappings.map((m) => `${quote(m.column)} = EXCLUDED.${quote(m.column)}`).join(', ')}`
      : `ON CONFLICT (${key}) DO NOTHING`;
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: config.timeoutMs, query_timeout: config.timeoutMs, idleTimeoutMillis: 30_000 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', (error) => ctx.log.warn({ err: error.message }, 'postgres target: idle connection lost'));

    return {
      async send(messages) {
        const rows = uniqueByKey(messages);
        const params: unknown[] = [];
        const tuples = rows.map((m) => {
          const values = [...rowValues(mappings, m), m.idempotencyKey];
          const start = params.length;
          params.push(...values);
          return `(${values.map((_, i) => `$${start + i + 1}`).join(', ')})`;
        });
        const sql = `INSERT INTO ${table} (${names.join(', ')}) VALUES ${tuples.join(', ')} ${conflict}`;
        try {
          await withTimeout(pool.query(sql, params), config.timeoutMs + 1000, 'postgres insert');
        } catch (error) {
          throw classify(error);
        }
      },
      async close() {
        await pool.end();
      },
    };
  },
};
