import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { requireService } from '../support/services.js';
import { PermanentError, RetryableError } from '../../src/delivery/errors.js';
import { postgresTarget } from '../../src/connectors/targets/postgres/index.js';
import { mysqlTarget } from '../../src/connectors/targets/mysql/index.js';
import { deferrals, message, suffix, targetContext } from './support.js';
import { TcpProxy } from './tcp-proxy.js';

const PG = 'postgres://postgres@127.0.0.1:5432/test';
const MY = 'mysql://root@127.0.0.1:3306/test';
const columns = { event_id: 'id', kind: 'type', customer: 'data.customer.id', payload: 'body', whole: '$' };

async function pgTable(defer: (fn: () => unknown) => void, client: pg.Client): Promise<string> {
  const table = `herald_t_${suffix()}`;
  await client.query(`CREATE TABLE ${table} (event_id text, kind text, customer text, payload jsonb, whole jsonb, idempotency_key text UNIQUE NOT NULL)`);
  defer(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
  });
  return table;
}

test('postgres target: rows land with mapped columns; the same idempotency key twice leaves one row', async (t) => {
  if (!(await requireService(t, 'postgres'))) return;
  const defer = deferrals(t);
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  defer(() => client.end());
  const table = await pgTable(defer, client);
  const target = await postgresTarget.create(postgresTarget.validate({ url: PG, table, columns }), targetContext());
  defer(() => target.close());
  const m = message({ id: 'e1', type: 'order.created', data: { customer: { id: 'c-7' } } }, { total: 12 });
  await target.send([m, message({ id: 'e2', data: { customer: { id: 'c-8' } } })]);
  await target.send([{ ...m, deliveryId: 'again', attempt: 2, body: { total: 99 } }]);
  const { rows } = await client.query(`SELECT * FROM ${table} ORDER BY event_id`);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].customer, 'c-7');
  assert.equal(rows[0].kind, 'order.created');
  assert.deepEqual(rows[0].payload, { total: 12 }, 'mode insert keeps the first row');
  assert.equal(rows[0].whole.id, 'e1');
  assert.equal(rows[0].idempotency_key, 'e1:t1');
});

test('postgres target: upsert overwrites on redelivery; unknown table and missing unique key are permanent', async (t) => {
  if (!(await requireService(t, 'postgres'))) return;
  const defer = deferrals(t);
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  defer(() => client.end());
  const table = await pgTable(defer, client);
  const target = await postgresTarget.create(postgresTarget.validate({ url: PG, table, columns: { payload: 'body' }, mode: 'upsert' }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'u1' }, { v: 1 })]);
  await target.send([message({ id: 'u1' }, { v: 2 })]);
  const { rows } = await client.query(`SELECT payload FROM ${table}`);
  assert.deepEqual(rows.map((r) => r.payload), [{ v: 2 }]);

  const missing = await postgresTarget.create(postgresTarget.validate({ url: PG, table: `nope_${suffix()}`, columns: { payload: 'body' } }), targetContext());
  defer(() => missing.close());
  await assert.rejects(missing.send([message({ id: 'x' })]), PermanentError);
  const noKey = await postgresTarget.create(postgresTarget.validate({ url: PG, table, columns: { payload: 'body' }, keyColumn: 'kind' }), targetContext());
  defer(() => noKey.close());
  await assert.rejects(noKey.send([message({ id: 'x' })]), PermanentError, 'ON CONFLICT needs the unique constraint');
});

test('postgres target: bad config is rejected with a field path', () => {
  assert.throws(() => postgresTarget.validate({ url: PG, table: 'x; drop', columns: { a: 'id' } }), { code: 'HERALD_INVALID_REQUEST', field: 'config.table' });
  assert.throws(() => postgresTarget.validate({ url: PG, table: 't' }), { field: 'config.columns' });
  assert.throws(() => postgresTarget.validate({ url: PG, table: 't', columns: { a: 'id' }, mode: 'merge' }), { field: 'config.mode' });
});

test('postgres target: retryable while the proxy drops traffic, then succeeds', async (t) => {
  if (!(await requireService(t, 'postgres'))) return;
  const defer = deferrals(t);
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  defer(() => client.end());
  const table = await pgTable(defer, client);
  const proxy = await new TcpProxy(5432).start();
  defer(() => proxy.close());
  const target = await postgresTarget.create(
    postgresTarget.validate({ url: `postgres://postgres@127.0.0.1:${proxy.port}/test`, table, columns: { event_id: 'id' }, timeoutMs: 1000 }),
    targetContext(),
  );
  defer(() => target.close());
  await target.send([message({ id: 'before' })]);
  proxy.drop();
  await assert.rejects(target.send([message({ id: 'during' })]), RetryableError);
  proxy.allow();
  let ok = false;
  for (let i = 0; i < 20 && !ok; i++) {
    try {
      await target.send([message({ id: 'during' })]);
      ok = true;
    } catch (error) {
      assert.ok(error instanceof RetryableError, String(error));
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.ok(ok);
  const { rows } = await client.query(`SELECT event_id FROM ${table} ORDER BY event_id`);
  assert.deepEqual(rows.map((r) => r.event_id), ['before', 'during']);
});

test('mysql target: rows land; the same idempotency key twice leaves one row; upsert overwrites; bad table is permanent', async (t) => {
  if (!(await requireService(t, 'mariadb'))) return;
  const defer = deferrals(t);
  const conn = await mysql.createConnection(MY);
  defer(() => conn.end());
  const table = `herald_t_${suffix()}`;
  await conn.query(`CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, event_id VARCHAR(64), customer VARCHAR(64), payload JSON, idempotency_key VARCHAR(255) NOT NULL UNIQUE)`);
  defer(async () => {
    await conn.query(`DROP TABLE IF EXISTS ${table}`);
  });
  const insert = await mysqlTarget.create(mysqlTarget.validate({ url: MY, table, columns: { event_id: 'id', customer: 'data.customer.id', payload: 'body' } }), targetContext());
  defer(() => insert.close());
  const m = message({ id: 'e1', data: { customer: { id: 'c-1' } } }, { v: 1 });
  await insert.send([m]);
  await insert.send([{ ...m, body: { v: 2 }, attempt: 2 }]);
  let [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT * FROM ${table}`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].customer, 'c-1');
  assert.deepEqual(typeof rows[0].payload === 'string' ? JSON.parse(rows[0].payload) : rows[0].payload, { v: 1 });

  const upsert = await mysqlTarget.create(mysqlTarget.validate({ url: MY, table, columns: { payload: 'body' }, mode: 'upsert' }), targetContext());
  defer(() => upsert.close());
  await upsert.send([{ ...m, body: { v: 3 } }]);
  [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT * FROM ${table}`);
  assert.equal(rows.length, 1);
  assert.deepEqual(typeof rows[0].payload === 'string' ? JSON.parse(rows[0].payload) : rows[0].payload, { v: 3 });

  const missing = await mysqlTarget.create(mysqlTarget.validate({ url: MY, table: `nope_${suffix()}`, columns: { payload: 'body' } }), targetContext());
  defer(() => missing.close());
  await assert.rejects(missing.send([message({ id: 'x' })]), PermanentError);
});

test('mysql target: retryable while the proxy drops traffic, then succeeds', async (t) => {
  if (!(await requireService(t, 'mariadb'))) return;
  const defer = deferrals(t);
  const conn = await mysql.createConnection(MY);
  defer(() => conn.end());
  const table = `herald_t_${suffix()}`;
  await conn.query(`CREATE TABLE ${table} (event_id VARCHAR(64), idempotency_key VARCHAR(255) NOT NULL UNIQUE)`);
  defer(() => conn.query(`DROP TABLE IF EXISTS ${table}`));
  const proxy = await new TcpProxy(3306).start();
  defer(() => proxy.close());
  const target = await mysqlTarget.create(mysqlTarget.validate({ url: `mysql://root@127.0.0.1:${proxy.port}/test`, table, columns: { event_id: 'id' }, timeoutMs: 1000 }), targetContext());
  defer(() => target.close());
  await target.send([message({ id: 'before' })]);
  proxy.drop();
  await assert.rejects(target.send([message({ id: 'during' })]), RetryableError);
  proxy.allow();
  let ok = false;
  for (let i = 0; i < 20 && !ok; i++) {
    try {
      await target.send([message({ id: 'during' })]);
      ok = true;
    } catch (error) {
      assert.ok(error instanceof RetryableError, String(error));
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.ok(ok);
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT event_id FROM ${table} ORDER BY event_id`);
  assert.deepEqual(rows.map((r) => r.event_id), ['before', 'during']);
});
