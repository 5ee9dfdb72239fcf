/**
 * Issue 11, item 5 (filters): deep or huge filters are refused with a 400 naming the limit, never a
 * 500 or a stack overflow — through `POST /v1/filters/test` and through rule creation. Limits:
 * docs/patterns.md and docs/filters-cesql.md, "Limits".
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

let server: RunningServer;
let bus: string;
const json = { 'content-type': 'application/json' };

before(async () => {
  server = await startTestServer();
  bus = `deep-${randomUUID().slice(0, 8)}`;
  const created = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: json, body: JSON.stringify({ name: bus }) });
  assert.equal(created.status, 201);
});
after(async () => {
  await server.stop();
});

function nest(levels: number, inner: unknown, wrap: (x: unknown) => unknown): unknown {
  let value = inner;
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
}

const EVENT = { specversion: '1.0', id: '1', source: '/s', type: 't', subject: 'x' };

/** JSON text nested `levels` deep (built as text: JSON.stringify itself cannot write 100 000 levels). */
function deepText(levels: number, open: string, inner: string, close: string): string {
  return `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
}

/** A filter given as JSON text, so deep ones can be sent. */
type Case = { name: string; filter: string; code: RegExp; limit: RegExp };
/**
 * Input far past the limits is refused by the request's own JSON-depth check (64 levels + 4 for the
 * request envelope, docs/configuration.md "Server limits") before the filter is parsed; either check
 * answers 400 HERALD_TOO_DEEP naming its limit.
 */
const REQUEST_OR_FILTER_LIMIT = /\b(64|68)\b/;
const text = (filter: unknown): string => JSON.stringify(filter);

const cases: Case[] = [
  { name: '100 000 (', filter: text({ cesql: `${'('.repeat(100_000)}TRUE${')'.repeat(100_000)}` }), code: /^HERALD_TOO_DEEP$/, limit: /64/ },
  { name: '100 000 NOT', filter: text({ cesql: `${'NOT '.repeat(100_000)}TRUE` }), code: /^HERALD_TOO_DEEP$/, limit: /64/ },
  { name: '65 nested function calls', filter: text({ cesql: `${'ABS('.repeat(65)}1${')'.repeat(65)} = 1` }), code: /^HERALD_TOO_DEEP$/, limit: /64/ },
  { name: '50 000 AND', filter: text({ cesql: Array(50_001).fill('TRUE').join(' AND ') }), code: /^HERALD_INVALID_FILTER$/, limit: /2000/ },
  { name: 'a 9 000-character expression', filter: text({ cesql: `subject = '${'x'.repeat(9_000)}'` }), code: /^HERALD_INVALID_FILTER$/, limit: /8192/ },
  { name: 'a pattern 100 000 objects deep', filter: `{"pattern":${deepText(100_000, '{"a":', '["x"]', '}')}}`, code: /^HERALD_TOO_DEEP$/, limit: REQUEST_OR_FILTER_LIMIT },
  { name: 'a pattern 65 levels deep', filter: text({ pattern: nest(64, ['x'], (x) => ({ a: x })) }), code: /^HERALD_TOO_DEEP$/, limit: /64/ },
  {
    name: 'Subscriptions 50 000 not/all deep',
    filter: `{"subscriptions":${deepText(50_000, '[{"not":{"all":', '[{"exact":{"type":"t"}}]', '}}]')}}`,
    code: /^HERALD_TOO_DEEP$/,
    limit: REQUEST_OR_FILTER_LIMIT,
  },
];

for (const c of cases) {
  test(`${c.name}: POST /v1/filters/test answers 400 naming the limit`, async () => {
    const response = await fetch(`${server.url}/v1/filters/test`, { method: 'POST', headers: json, body: `{"filter":${c.filter},"event":${text(EVENT)}}` });
    const body = (await response.json()) as { code: string; message: string; field: string };
    assert.equal(response.status, 400, JSON.stringify(body).slice(0, 300));
    assert.match(body.code, c.code);
    assert.match(body.message, c.limit);
    assert.match(body.field, /^filter\./);
  });

  test(`${c.name}: creating a rule answers 400 and stores nothing`, async () => {
    const name = `r-${randomUUID().slice(0, 8)}`;
    const response = await fetch(`${server.url}/v1/buses/${bus}/rules/${name}`, {
      method: 'PUT',
      headers: json,
      body: `{"name":"${name}","filter":${c.filter},"targets":[{"id":"t","type":"http","config":{"url":"http://127.0.0.1:9/"}}]}`,
    });
    const body = (await response.json()) as { code: string; message: string };
    assert.equal(response.status, 400, JSON.stringify(body).slice(0, 300));
    assert.match(body.code, c.code);
    assert.match(body.message, c.limit);
    assert.equal((await fetch(`${server.url}/v1/buses/${bus}/rules/${name}`)).status, 404);
  });
}

test('filters at the limits are accepted and evaluated', async () => {
  const accepted = [
    { cesql: `${'('.repeat(60)}subject = 'x'${')'.repeat(60)}` },
    { cesql: `${'NOT '.repeat(64)}subject = 'x'` },
    { cesql: Array(300).fill("subject = 'x'").join(' AND ') },
    { pattern: nest(63, ['x'], (x) => ({ subject: x })) },
  ];
  for (const filter of accepted) {
    const response = await fetch(`${server.url}/v1/filters/test`, { method: 'POST', headers: json, body: JSON.stringify({ filter, event: EVENT }) });
    assert.equal(response.status, 200, `${JSON.stringify(filter).slice(0, 80)}: ${JSON.stringify(await response.json()).slice(0, 300)}`);
  }
  const chain = await fetch(`${server.url}/v1/filters/test`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ filter: { cesql: Array(300).fill("subject = 'x'").join(' AND ') }, event: EVENT }),
  });
  assert.equal(((await chain.json()) as { matched: boolean }).matched, true);
});

test('a deeply nested event in POST /v1/filters/test is refused with 400, not a 500', async () => {
  const event = `${text(EVENT).slice(0, -1)},"data":${deepText(100_000, '[', '1', ']')}}`;
  const response = await fetch(`${server.url}/v1/filters/test`, {
    method: 'POST',
    headers: json,
    body: `{"filter":{"pattern":{"data":[1]}},"event":${event}}`,
  });
  const body = (await response.json()) as { code: string; field: string };
  assert.equal(response.status, 400, JSON.stringify(body).slice(0, 300));
  assert.equal(body.code, 'HERALD_TOO_DEEP');
  assert.match(body.field, /^event\b/);
});
