import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { requireService } from '../support/services.js';
import { createOutboxTable, outboxSource } from '../../src/connectors/sources/outbox/index.js';
import { deferrals, eventually, MemorySink, sourceContext, suffix } from './support.js';

const PG = 'postgres://postgres@127.0.0.1:5432/test';

async function setup(t: Parameters<typeof deferrals>[0]) {
  const defer = deferrals(t);
  const db = new pg.Client({ connectionString: PG });
  await db.connect();
  defer(() => db.end());
  const table = `herald_outbox_${suffix()}`;
  await createOutboxTable(db, table);
  await createOutboxTable(db, table); // idempotent
  defer(async () => {
    await db.query(`DROP TABLE IF EXISTS ${table}; DROP FUNCTION IF EXISTS ${table}_notify()`);
  });
  return { defer, db, table };
}

test('outbox source: rows become events and are deleted after the sink stored them; stop and sink failures lose and duplicate nothing', async (t) => {
  if (!(await requireService(t, 'postgres'))) return;
  const { defer, db, table } = await setup(t);
  const N = 300;
  await db.query(`INSERT INTO ${table} (type, subject, data) VALUES ('order.created', 'o-0', '{"n":0}')`);
  await db.query(`INSERT INTO ${table} (type, data) SELECT 'order.paid', jsonb_build_object('n', g) FROM generate_series(1, ${N - 1}) g`);
  const sink = new MemorySink();
  const config = outboxSource.validate({ url: PG, table, batch: 10 });
  let src = await outboxSource.start('o1', config, sourceContext(sink));
  await sink.waitFor(20);
  await src.stop();
  assert.ok(sink.events.length < N, `stopped mid-stream (${sink.events.length} of ${N})`);
  sink.failNext(3);
  src = await outboxSource.start('o1', config, sourceContext(sink));
  defer(() => src.stop());
  await sink.waitFor(N);
  await eventually(async () => (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n === 0, 5000, 'outbox emptied');
  assert.equal(sink.events.length, N);
  assert.deepEqual(sink.events.map((e) => (e.data as { n: number }).n).sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i));
  const e0 = sink.events[0];
  assert.equal(e0.type, 'order.created');
  assert.equal(e0.subject, 'o-0');
  assert.equal(e0.source, `postgres://127.0.0.1:5432/test/${table}`);
  assert.match(e0.id, /^\d+$/);
  assert.equal(src.status().lag, 0);
});

test('outbox source: NOTIFY wakes the source long before the poll interval; mark mode keeps rows', async (t) => {
  if (!(await requireService(t, 'postgres'))) return;
  const { defer, db, table } = await setup(t);
  const sink = new MemorySink();
  const src = await outboxSource.start('o2', outboxSource.validate({ url: PG, table, after: 'mark', pollMs: 3_600_000, source: '/shop' }), sourceContext(sink));
  defer(() => src.stop());
  await eventually(() => src.status().state === 'running', 5000, 'running');
  await new Promise((r) => setTimeout(r, 200)); // now idle, waiting on LISTEN
  await db.query(`INSERT INTO ${table} (type, data) VALUES ('ping', '"hello"')`);
  // The poll interval is an hour, so whatever arrives was brought by NOTIFY: no clock to race.
  await sink.waitFor(1, 600_000);
  assert.equal(sink.events[0].source, '/shop');
  assert.equal(sink.events[0].data, 'hello');
  // The sink resolves before the transaction commits: wait for the mark.
  await eventually(async () => (await db.query(`SELECT published_at FROM ${table}`)).rows[0]?.published_at instanceof Date, 3000, 'row marked');
  assert.equal((await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, 1);
});
