/**
 * `POST /v1/apply` (issue 10, item 6) as any client calls it: the whole desired state is validated
 * with the routes' own validators — every fault reported, each naming its place in the state — and
 * a source may name a bus the same state creates (the check is against the state after the apply).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestServer } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';

const sfx = randomBytes(3).toString('hex');
let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function apply(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/v1/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

test('every fault of the state is reported, the first as the error, each at its path; nothing is written', async () => {
  const bus = `faults-${sfx}`;
  const state = {
    buses: [
      { name: bus, rules: [{ name: 'ok', filter: { cesql: 'true' }, targets: [] }] },
      { name: `${bus}-2`, rules: [{ name: 'typo', filter: { cesql: 'true' }, targets: [{ id: 't', type: 'htttp', config: {} }] }, { name: 'bad', filter: { pattern: { a: 'not-a-list' } } }] },
    ],
    connections: [{ name: `c-${sfx}`, secrets: {} }],
  };
  for (const dryRun of [true, false]) {
    const { status, json } = await apply({ dryRun, state });
    assert.equal(status, 400);
    assert.equal(json.code, 'HERALD_INVALID_REQUEST');
    assert.equal(json.field, 'buses[1].rules[0].targets[0].type');
    assert.match(String(json.message), /^buses\[1\]\.rules\[0\]\.targets\[0\]\.type: unknown target type "htttp" \(and 2 more: see errors\)$/);
    const errors = json.errors as Array<{ code: string; field: string }>;
    assert.deepEqual(
      errors.map((e) => e.field.replace(/^(buses\[1\]\.rules\[1\]\.filter\.pattern).*/, '$1')),
      ['buses[1].rules[0].targets[0].type', 'buses[1].rules[1].filter.pattern', 'connections[0].secrets'],
    );
  }
  assert.equal((await fetch(`${server.url}/v1/buses/${bus}`)).status, 404);
});

test('a source may name a bus the same state creates; prune may not take a bus a source still names', async () => {
  const bus = `made-${sfx}`;
  const source = { name: `tick-${sfx}`, type: 'schedule', bus, state: 'disabled', config: { expression: 'rate(1 hour)' } };
  const made = await apply({ state: { buses: [{ name: bus }], sources: [source] } });
  assert.equal(made.status, 200, JSON.stringify(made.json));
  assert.equal(made.json.applied, true);
  assert.equal((await fetch(`${server.url}/v1/sources/${source.name}`)).status, 200);

  const again = await apply({ state: { buses: [{ name: bus }], sources: [source] } });
  assert.equal(again.json.applied, false, 'the same state applied twice changed something');

  const orphan = await apply({ prune: true, state: { buses: [], sources: [source] } });
  assert.equal(orphan.status, 404);
  assert.equal(orphan.json.code, 'HERALD_BUS_NOT_FOUND');
  assert.equal(orphan.json.field, 'sources[0].bus');
  assert.equal((await fetch(`${server.url}/v1/buses/${bus}`)).status, 200);
});

test('the body is checked against its schema', async () => {
  const unknown = await apply({ state: {}, force: true });
  assert.equal(unknown.status, 400);
  const retention = await apply({ dryRun: true, state: { buses: [{ name: `s-${sfx}`, retentionMs: 5 }] } });
  assert.equal(retention.status, 400);
  assert.match(String(retention.json.field), /state\.buses\[0\]\.retentionMs$/);
});

test('confirmDeletes: a plan that deletes more than was confirmed is refused whole', async () => {
  const bus = `confirm-${sfx}`;
  assert.equal((await apply({ state: { buses: [{ name: bus }, { name: `${bus}-b` }] } })).status, 200);
  const state = { buses: [{ name: `${bus}-new` }] };
  const refused = await apply({ prune: true, confirmDeletes: [`bus ${bus}`], state });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.field, 'confirmDeletes');
  assert.match(String(refused.json.message), new RegExp(`also deletes .*bus ${bus}-b`));
  for (const name of [bus, `${bus}-b`]) assert.equal((await fetch(`${server.url}/v1/buses/${name}`)).status, 200);
  assert.equal((await fetch(`${server.url}/v1/buses/${bus}-new`)).status, 404);
});
