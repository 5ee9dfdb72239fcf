/**
 * MySQL / MariaDB target: one multi-row INSERT per batch with the idempotency key in `keyColumn`
 * (which needs a UNIQUE index). A redelivery hits the unique key and `ON DUPLICATE KEY UPDATE`
 * either leaves the row as it is (mode insert: `key = key`, a no-op) or overwrites the mapped
 * columns (mode upsert). Unlike `INSERT IGNORE`, this does not turn other errors (bad data, NOT NULL)
 * into warnings. Note MySQL applies it to a clash on ANY unique index of the table.
 */
import mysql from 'mysql2/promise';
import { PermanentError, RetryableError } from '../../../delivery/errors.js';
import { validateConfig } from '../../config.js';
import type { TargetConnector, TargetInstance } from '../../types.js';
import { resolveUrl, URL_PROPERTIES } from '../../common/connection.js';
import { checkIdentifier, compileColumns, rowValues, SQL_PROPERTIES, tableParts, uniqueByKey } from '../../common/columns.js';
import { errorMessage, isNetworkError, withTimeout } from '../../common/failures.js';

export interface MysqlTargetConfig {
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

/** Server errors worth retrying (MySQL error reference): deadlock, lock wait, too many connections, gone away. */
const RETRYABLE_ERRNO = new Set([1205, 1213, 1040, 1053, 2002, 2003, 2006, 2013, 1927]);

function classify(error: unknown): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const message = `mysql: ${errorMessage(error)}`;
  if (isNetworkError(error)) return new RetryableError(message);
  const errno = (error as { errno?: unknown }).errno;
  const sqlState = (error as { sqlState?: unknown }).sqlState;
  if (typeof errno === 'number' && typeof sqlState === 'string') {
    if (RETRYABLE_ERRNO.has(errno) || sqlState.startsWith('08')) return new RetryableError(message);
    // 1146 no such table, 1054 unknown column, 1045/1044 access denied, 1049 unknown database,
    // 1048 NOT NULL, 1406 data too long, 1064 syntax: the same statement fails the same way again.
    return new PermanentError(`${message} (errno ${errno})`);
  }
  return new RetryableError(message);
}

const quote = (name: string) => `\`${name}\``;

export const mysqlTarget: TargetConnector<MysqlTargetConfig> = {
  kind: 'target',
  name: 'mysql',
  description: 'Inserts or upserts one row per event into a MySQL/MariaDB table, deduplicated by the idempotency key.',
  configSchema,
  validate(raw) {
    const config = validateConfig<MysqlTargetConfig>(configSchema, raw);
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
    const update = config.mode === 'upsert'
      ? mappings.map((m) => `${quote(m.column)} = VALUES(${quote(m.column)})`).join(', ')
      : `${key} = ${key}`;
    const pool = mysql.createPool({ uri: url, connectionLimit: 4, connectTimeout: config.timeoutMs, waitForConnections: true, enableKeepAlive: true });

    return {
      async send(messages) {
        const rows = uniqueByKey(messages);
        const params: unknown[] = [];
        const tuples = rows.map((m) => {
          const values = [...rowValues(mappings, m), m.idempotencyKey];
          params.push(...values);
          return `(${values.map(() => '?').join(', ')})`;
        });
        const sql = `INSERT INTO ${table} (${names.join(', ')}) VALUES ${tuples.join(', ')} ON DUPLICATE KEY UPDATE ${update}`;
        try {
          await withTimeout(pool.query({ sql, values: params, timeout: config.timeoutMs }), config.timeoutMs + 1000, 'mysql insert');
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
