/**
 * Issue 11, item 8: two `ce-id` headers were stored as id "a, b" (Node joins repeated headers). The
 * HTTP binding maps each attribute "to and from distinct HTTP message header" (§3.1.3), and
 * Content-Type is a singleton field (RFC 9110 §8.3): a repeated one is a malformed request, 400
 * HERALD_MALFORMED_REQUEST naming the header. Sent over a raw socket, since fetch merges headers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { RunningServer } from '../../src/server/start.js';
import { startTestServer } from '../support/server.js';

let server: RunningServer;
let bus: string;
before(async () => {
  server = await startTestServer();
  bus = `headers-${randomBytes(4).toString('hex')}`;
  const created = await fetch(`${server.url}/v1/buses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: bus }) });
  assert.equal(created.status, 201);
});
after(() => server.stop());

/** POSTs to the bus with exactly these header lines, in this order, over a raw socket. */
async function rawPost(headers: Array<[string, string]>, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const { hostname, port } = new URL(server.url);
  const bytes = Buffer.from(body, 'utf8');
  const head = [
    `POST /v1/buses/${bus}/events HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Connection: close',
    `Content-Length: ${bytes.length}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  const response = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    // write, not end: a half-closed socket may be dropped before the answer is sent.
    socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), bytes]));
  });
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
  const text = response.slice(response.indexOf('\r\n\r\n') + 4);
  // The answer may be chunked: the JSON object is between the first { and the last }.
  return { status, body: JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as Record<string, unknown> };
}

const attributes: Array<[string, string]> = [
  ['ce-specversion', '1.0'],
  ['ce-source', '/raw'],
  ['ce-type', 'raw.t'],
  ['Content-Type', 'application/json'],
];

async function storedIds(): Promise<string[]> {
  const response = await fetch(`${server.url}/v1/buses/${bus}/events?limit=1000`);
  const { events } = (await response.json()) as { events: Array<{ event: { id: string } }> };
  return events.map((e) => e.event.id);
}

test('one of each header is accepted (the raw client works)', async () => {
  const answer = await rawPost([['ce-id', 'single'], ...attributes], '{"n":1}');
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  assert.deepEqual(await storedIds(), ['single']);
});

test('two ce-id headers are refused with 400 naming ce-id, and nothing is stored', async () => {
  const answer = await rawPost([['ce-id', 'a'], ['ce-id', 'b'], ...attributes], '{"n":1}');
  assert.equal(answer.status, 400, JSON.stringify(answer.body));
  assert.equal(answer.body.code, 'HERALD_MALFORMED_REQUEST');
  assert.equal(answer.body.field, 'ce-id');
  assert.match(String(answer.body.message), /given more than once/);
  assert.ok(!(await storedIds()).includes('a, b'));
});

test('header names are case-insensitive: ce-source and CE-Source are the same attribute twice', async () => {
  const answer = await rawPost([['ce-id', 'case'], ['CE-Source', '/other'], ...attributes], '{"n":1}');
  assert.deepEqual([answer.status, answer.body.code, answer.body.field], [400, 'HERALD_MALFORMED_REQUEST', 'ce-source']);
  // An extension attribute too.
  const ext = await rawPost([['ce-id', 'ext'], ['ce-myext', 'x'], ['ce-myext', 'y'], ...attributes], '{"n":1}');
  assert.deepEqual([ext.status, ext.body.field], [400, 'ce-myext']);
});

test('a repeated Content-Type is refused in binary, structured and batched mode', async () => {
  const binary = await rawPost([['ce-id', 'ct'], ...attributes, ['Content-Type', 'text/plain']], '{"n":1}');
  assert.deepEqual([binary.status, binary.body.code, binary.body.field], [400, 'HERALD_MALFORMED_REQUEST', 'content-type']);
  const event = JSON.stringify({ specversion: '1.0', id: 'ct-structured', source: '/raw', type: 'raw.t' });
  const structured = await rawPost([['Content-Type', 'application/cloudevents+json'], ['Content-Type', 'application/cloudevents+json']], event);
  assert.deepEqual([structured.status, structured.body.field], [400, 'content-type']);
  const batch = await rawPost([['Content-Type', 'application/cloudevents-batch+json'], ['content-type', 'text/plain']], `[${event}]`);
  assert.deepEqual([batch.status, batch.body.field], [400, 'content-type']);
  assert.deepEqual(await storedIds(), ['single']);
});
