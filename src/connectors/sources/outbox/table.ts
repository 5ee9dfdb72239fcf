/**
 * The transactional outbox table (microservices.io "Transactional outbox"): the application inserts
 * a row in the same transaction as its business change; the outbox source turns rows into events.
 * An AFTER INSERT trigger NOTIFYs the channel so the source wakes at once instead of polling.
 */
import type pg from 'pg';
import { checkIdentifier, tableParts } from '../../common/columns.js';

export interface OutboxNames { table: string; channel: string }

export function quoteTable(table: string): string {
  return tableParts(table).map((p) => `"${p}"`).join('.');
}

/** The NOTIFY channel a table's trigger uses unless configured: `<table>_events` (schema dropped). */
export function defaultChannel(table: string): string {
  return `${tableParts(table).at(-1)}_events`;
}

/** SQL that creates the outbox table, its index and its NOTIFY trigger; safe to run again. */
export function outboxDdl(table: string, channel = defaultChannel(table)): string {
  const t = quoteTable(table);
  checkIdentifier(channel, 'config.channel');
  const fn = quoteTable(`${table}_notify`);
  const trigger = `"${tableParts(table).at(-1)}_notify"`;
  return `
CREATE TABLE IF NOT EXISTS ${t} (
  id           bigserial PRIMARY KEY,
  type         text NOT NULL,
  source       text,
  subject      text,
  data         jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS "${tableParts(table).at(-1)}_unpublished" ON ${t} (id) WHERE published_at IS NULL;
CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${channel}', '');
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS ${trigger} ON ${t};
CREATE TRIGGER ${trigger} AFTER INSERT ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
`;
}

/** Creates the outbox table (see outboxDdl) with the given client or pool. */
export async function createOutboxTable(db: Pick<pg.Pool | pg.Client, 'query'>, table = 'herald_outbox', channel?: string): Promise<void> {
  await db.query(outboxDdl(table, channel));
}
