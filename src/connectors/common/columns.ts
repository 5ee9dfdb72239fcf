/**
 * Column mapping for the SQL targets: `columns: { customer_id: "data.customer.id", payload: "body" }`.
 * A path starts at one of these roots:
 *   `event` / `event.<path>`   the CloudEvent (JSON form); a path with no root also means the event
 *                              (`id`, `type`, `data.customer.id`); a JSONPath-style `$.data.x` too
 *   `body` / `body.<path>`     the transformed body the rule produced
 *   `idempotencyKey`, `deliveryId`, `attempt`
 * A missing value is SQL NULL (a NOT NULL column then rejects the row: a permanent error). Objects and
 * arrays are stored as JSON text (a json/jsonb column parses it).
 */
import { invalidConfig } from '../config.js';
import { getPath } from '../template.js';
import type { OutboundMessage } from '../types.js';

export type ColumnValue = string | number | boolean | null;
export interface ColumnMapping { column: string; root: 'event' | 'body' | 'meta'; path: string[] }

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

/** `schema.table` or `table`, each part a plain SQL identifier (quoted by the caller's dialect). */
export function tableParts(table: string, field = 'config.table'): string[] {
  const parts = table.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) invalidConfig(field, `${JSON.stringify(table)} is not a plain [schema.]table name`);
  return parts;
}

export function checkIdentifier(name: string, field: string): string {
  if (!IDENT.test(name)) invalidConfig(field, `${JSON.stringify(name)} is not a plain SQL identifier`);
  return name;
}

export function compileColumns(columns: Record<string, string>, keyColumn: string): ColumnMapping[] {
  const out: ColumnMapping[] = [];
  for (const [column, raw] of Object.entries(columns)) {
    checkIdentifier(column, `config.columns.${column}`);
    if (column === keyColumn) invalidConfig(`config.columns.${column}`, 'is the keyColumn, which always holds the idempotency key');
    const path = raw.startsWith('$.') ? raw.slice(2) : raw === '$' ? 'event' : raw;
    if (!PATH.test(path)) invalidConfig(`config.columns.${column}`, `${JSON.stringify(raw)} is not a dotted path`);
    const steps = path.split('.');
    if (steps[0] === 'body') out.push({ column, root: 'body', path: steps.slice(1) });
    else if (steps[0] === 'event') out.push({ column, root: 'event', path: steps.slice(1) });
    else if (steps.length === 1 && ['idempotencyKey', 'deliveryId', 'attempt'].includes(steps[0])) out.push({ column, root: 'meta', path: steps });
    else out.push({ column, root: 'event', path: steps });
  }
  if (out.length === 0) invalidConfig('config.columns', 'must map at least one column');
  return out;
}

function toColumn(value: unknown): ColumnValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return JSON.stringify(value);
}

export function rowValues(mappings: ColumnMapping[], message: OutboundMessage): ColumnValue[] {
  return mappings.map((m) => {
    if (m.root === 'meta') return toColumn(message[m.path[0] as 'idempotencyKey' | 'deliveryId' | 'attempt']);
    const root = m.root === 'body' ? message.body : message.event;
    return toColumn(m.path.length === 0 ? root : getPath(root, m.path));
  });
}

/** One row per idempotency key (the last wins): a batch may carry the same key twice. */
export function uniqueByKey(messages: OutboundMessage[]): OutboundMessage[] {
  const byKey = new Map<string, OutboundMessage>();
  for (const m of messages) byKey.set(m.idempotencyKey, m);
  return [...byKey.values()];
}

export const SQL_PROPERTIES = {
  table: { type: 'string', minLength: 1, description: 'Table, `name` or `schema.name`.' },
  columns: { type: 'object', additionalProperties: { type: 'string', minLength: 1 }, description: 'Column name → path into the event or body (see Column mapping).' },
  keyColumn: { type: 'string', minLength: 1, default: 'idempotency_key', description: 'Column holding the idempotency key; it must have a unique constraint.' },
  mode: { type: 'string', enum: ['insert', 'upsert'], default: 'insert', description: '`insert`: a redelivery is ignored. `upsert`: a redelivery overwrites the mapped columns.' },
  timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 10_000, description: 'Connect and statement timeout.' },
} as const;
