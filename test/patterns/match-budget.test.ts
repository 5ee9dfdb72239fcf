/**
 * Issue 11, item 1 (audit): the array-consistency search of a pattern is exponential in the worst
 * case — four arrays of 300 objects and an `exists: false` field took minutes in one match. One event
 * now costs at most MAX_MATCH_STEPS search steps; a rule whose search runs out fails closed (no match)
 * and is reported as an evaluation error, on the router (trace `filterErrors`) and in previews.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createPatternMatcher, explainPattern, referenceMatches, parsePattern } from '../../src/patterns/index.js';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

/** k arrays of n objects that each pass, and an `exists: false` field present in every element of another array. */
function hostile(k: number, n: number): { pattern: Record<string, unknown>; event: Record<string, unknown> } {
  const pattern: Record<string, unknown> = { z: { w: [{ exists: false }] } };
  const event: Record<string, unknown> = { z: Array.from({ length: n }, () => ({ w: 1 })) };
  for (let i = 0; i < k; i++) {
    pattern[`a${i}`] = { v: ['1'] };
    event[`a${i}`] = Array.from({ length: n }, () => ({ v: '1' }));
  }
  return { pattern, event };
}

test('an event that would need an exponential search fails closed and is reported', () => {
  const { pattern, event } = hostile(4, 300); // 300^4 choices
  const m = createPatternMatcher();
  m.add('hostile', { pattern });
  m.add('plain', { pattern: { a0: { v: ['1'] } } });
  const { matched, errors } = m.matchDetailed(event);
  assert.deepEqual(matched, ['plain']);
  assert.deepEqual(errors.map((e) => e.ruleId), ['hostile']);
  assert.match(errors[0].message, /100000/);
  const explained = explainPattern(pattern, event);
  assert.equal(explained.matched, false);
  assert.match(explained.reasons[0].reason, /fail closed/);
  assert.equal(referenceMatches(parsePattern(pattern), event), false);
});

test('the budget does not change answers on ordinary events', () => {
  const { pattern } = hostile(3, 0);
  const m = createPatternMatcher();
  m.add('r', { pattern });
  const fine = { a0: [{ v: '1' }], a1: [{ v: '2' }, { v: '1' }], a2: [{ v: '1' }], z: [{ other: 1 }] };
  assert.deepEqual(m.matchDetailed(fine), { matched: ['r'], errors: [] });
  const present = { ...fine, z: [{ w: 1 }] };
  assert.deepEqual(m.matchDetailed(present), { matched: [], errors: [] });
  // Present outside any array: no search at all, so no error, even with large arrays.
  const big = hostile(4, 300);
  const m2 = createPatternMatcher();
  m2.add('r', { pattern: { ...big.pattern, z: [{ exists: false }] } });
  assert.deepEqual(m2.matchDetailed({ ...big.event, z: 1 }), { matched: [], errors: [] });
});

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

test('through the router: the rule does not match and the trace records why', async () => {
  const json = { 'content-type': 'application/json' };
  const bus = `budget-${randomUUID().slice(0, 8)}`;
  assert.equal((await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: json, body: JSON.stringify({ name: bus }) })).status, 201);
  const { pattern, event } = hostile(4, 200);
  const put = await fetch(`${server.url}/v1/buses/${bus}/rules/hostile`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({ name: 'hostile', filter: { pattern: { data: pattern } }, targets: [{ id: 't', type: 'http', config: { url: 'http://127.0.0.1:9/' } }] }),
  });
  assert.ok(put.status === 200 || put.status === 201, await put.text());
  const published = await fetch(`${server.url}/v1/buses/${bus}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: randomUUID(), source: '/budget', type: 't', datacontenttype: 'application/json', data: event }),
  });
  assert.equal(published.status, 202);
  const { sequence } = (await published.json()) as { sequence: number };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const trace = (await (await fetch(`${server.url}/v1/buses/${bus}/events/${sequence}/trace`)).json()) as {
      routed: boolean;
      rulesMatched: string[];
      filterErrors?: Array<{ rule: string; message: string }>;
    };
    if (trace.routed) {
      assert.deepEqual(trace.rulesMatched, []);
      assert.equal(trace.filterErrors?.[0]?.rule, 'hostile');
      assert.match(trace.filterErrors[0].message, /fail closed/);
      break;
    }
    assert.ok(Date.now() < deadline, 'the event was not routed in 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
});
