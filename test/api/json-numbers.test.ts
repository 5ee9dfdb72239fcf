/**
 * Issue 11, item 7: `{"big":1e400,"tiny":1e-400,"u64":18446744073709551617}` was acknowledged and
 * stored as `{null, 0, 18446744073709552000}`. Herald stores an event as sent, so a number a 64-bit
 * float cannot hold is refused with 422 HERALD_INVALID_EVENT naming its path, in every ingest mode
 * and in PutEvents; ordinary numbers still pass and read back unchanged.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const eventText = (id: string, data: string): string => `{"specversion":"1.0","id":"${id}","source":"/numbers","type":"numbers.t","data":${data}}`;
const binaryHeaders = (id: string) => ({ 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/numbers', 'ce-type': 'numbers.t' });

/** Each number of the report, alone in `data`, with the path and the reason Herald must give. */
const BAD = [
  { name: 'big', literal: '1e400', reason: '1e400 is outside the range of a 64-bit float' },
  { name: 'tiny', literal: '1e-400', reason: '1e-400 is too small for a 64-bit float: it would be stored as 0' },
  { name: 'u64', literal: '18446744073709551617', reason: '18446744073709551617 is an integer beyond ±2^53 that a 64-bit float cannot hold: it would be stored as 18446744073709552000' },
] as const;

const ORDINARY = '{"a":0.1,"b":-0,"c":1e300,"d":9007199254740991,"e":[-9007199254740991,5e-324,1.5e-10]}';
const ORDINARY_VALUE = { a: 0.1, b: 0, c: 1e300, d: 9007199254740991, e: [-9007199254740991, 5e-324, 1.5e-10] };

let server: RunningServer;
let bus: string;
before(async () => {
  server = await startTestServer();
  bus = `numbers-${randomBytes(4).toString('hex')}`;
  const created = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: bus }) });
  assert.equal(created.status, 201);
});
after(() => server.stop());

async function ingest(contentType: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stored(): Promise<Map<string, Record<string, unknown>>> {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events?limit=1000`);
  const { events } = (await response.json()) as { events: Array<{ event: Record<string, unknown> }> };
  return new Map(events.map((e) => [String(e.event.id), e.event]));
}

test('structured: each number of the report is refused with 422 naming data.<member> and why', async () => {
  for (const bad of BAD) {
    const answer = await ingest(STRUCTURED, eventText(`s-${bad.name}`, `{"ok":1,"${bad.name}":${bad.literal}}`));
    assert.equal(answer.status, 422, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'HERALD_INVALID_EVENT');
    assert.equal(answer.body.field, `data.${bad.name}`);
    assert.equal(answer.body.message, `data.${bad.name}: ${bad.reason}${bad.name === 'big' ? ' (about ±1.8e308)' : bad.name === 'u64' ? '; send it as a string' : ''}`);
  }
  // The report's event as sent: the first bad member is named.
  const report = await ingest(STRUCTURED, eventText('s-report', '{"big":1e400,"tiny":1e-400,"u64":18446744073709551617}'));
  assert.deepEqual([report.status, report.body.field], [422, 'data.big']);
});

test('binary: the body is the data, so the path starts at data', async () => {
  for (const bad of BAD) {
    const answer = await ingest('application/json', `{"${bad.name}":${bad.literal}}`, binaryHeaders(`b-${bad.name}`));
    assert.equal(answer.status, 422, JSON.stringify(answer.body));
    assert.equal(answer.body.field, `data.${bad.name}`);
    assert.match(String(answer.body.message), new RegExp(bad.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }
  const scalar = await ingest('application/json', '1e-400', binaryHeaders('b-scalar'));
  assert.deepEqual([scalar.status, scalar.body.field], [422, 'data']);
  const inArray = await ingest('application/json', '{"list":[1,2,-1e400]}', binaryHeaders('b-array'));
  assert.deepEqual([inArray.status, inArray.body.field], [422, 'data.list[2]']);
});

test('batch: each bad entry fails alone with its path; the good entries are stored', async () => {
  const entries = [eventText('batch-ok', ORDINARY), ...BAD.map((bad) => eventText(`batch-${bad.name}`, `{"${bad.name}":${bad.literal}}`))];
  const answer = await ingest(BATCH, `[${entries.join(',')}]`);
  assert.equal(answer.status, 200);
  assert.deepEqual([answer.body.accepted, answer.body.failed], [1, 3]);
  const results = answer.body.results as Array<Record<string, unknown>>;
  assert.equal(results[0]?.id, 'batch-ok');
  BAD.forEach((bad, i) => {
    assert.deepEqual([results[i + 1]?.index, results[i + 1]?.code, results[i + 1]?.field], [i + 1, 'HERALD_INVALID_EVENT', `data.${bad.name}`]);
  });
});

test('ordinary numbers (0.1, -0, 1e300, 2^53 - 1) pass in every mode and read back unchanged', async () => {
  assert.equal((await ingest(STRUCTURED, eventText('plain-structured', ORDINARY))).status, 202);
  assert.equal((await ingest('application/json', ORDINARY, binaryHeaders('plain-binary'))).status, 202);
  assert.equal((await ingest(BATCH, `[${eventText('plain-batch', ORDINARY)}]`)).status, 200);
  const events = await stored();
  for (const id of ['plain-structured', 'plain-binary', 'plain-batch', 'batch-ok']) assert.deepEqual(events.get(id)?.data, ORDINARY_VALUE, id);
  for (const id of [...BAD.map((b) => `s-${b.name}`), ...BAD.map((b) => `b-${b.name}`), ...BAD.map((b) => `batch-${b.name}`)]) {
    assert.ok(!events.has(id), `${id} was not stored`);
  }
});

test('PutEvents: a Detail with such a number fails its entry with InvalidArgument naming detail.<member>', async () => {
  const entries = [
    { Source: 'eb.numbers', DetailType: 'ok', Detail: ORDINARY, EventBusName: bus },
    ...BAD.map((bad) => ({ Source: 'eb.numbers', DetailType: bad.name, Detail: `{"${bad.name}":${bad.literal}}`, EventBusName: bus })),
  ];
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
    body: JSON.stringify({ Entries: entries }),
  });
  const answer = (await response.json()) as { FailedEntryCount: number; Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> };
  assert.equal(answer.FailedEntryCount, 3);
  assert.ok(answer.Entries[0]?.EventId);
  BAD.forEach((bad, i) => {
    assert.equal(answer.Entries[i + 1]?.ErrorCode, 'InvalidArgument');
    assert.ok(answer.Entries[i + 1]?.ErrorMessage?.startsWith(`Parameter Detail is not valid. Reason: detail.${bad.name}: ${bad.reason}`), answer.Entries[i + 1]?.ErrorMessage);
  });
});
