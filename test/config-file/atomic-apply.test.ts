/**
 * `herald apply` is atomic (issue 10, item 6): the server validates the whole file with its routes'
 * own validators and applies it in one transaction, or refuses all of it. A refused apply — a valid
 * new bus beside a rule whose target type is "htttp", or a source whose connector config is invalid
 * — leaves the store exactly as it was (a full snapshot of buses, events, rules, sources and
 * connections through the admin API), and a dry run refuses the same file with the same error at the
 * same file:line:col. A successful apply reaches the data plane at once (matchers, sources).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { applyConfigFile, ConfigFileError } from '../../src/config-file/index.js';
import { startTestServer, tempDir } from '../support/server.js';
import type { RunningServer } from '../../src/server/start.js';

const sfx = randomBytes(3).toString('hex');
const KEEP = `keep-${sfx}`;
const env = { HOOK_SECRET: `whsec_${Buffer.from(`atomic-${sfx}`).toString('base64')}` };

let server: RunningServer;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ id: unknown; body: string }> = [];
before(async () => {
  server = await startTestServer();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      // HTTP targets deliver in CloudEvents binary mode: the id is a header.
      received.push({ id: request.headers['ce-id'], body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});
after(async () => {
  await server.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function get(path: string): Promise<unknown> {
  const response = await fetch(`${server.url}${path}`);
  assert.equal(response.status, 200, `GET ${path}`);
  return response.json();
}

/** Everything the store holds that apply may touch, as the admin API shows it. */
async function snapshot(): Promise<unknown> {
  const buses = (await get('/v1/buses')) as { buses: Array<{ name: string }> };
  const perBus: Record<string, unknown> = {};
  for (const { name } of buses.buses) {
    perBus[name] = { rules: await get(`/v1/buses/${name}/rules`), events: await get(`/v1/buses/${name}/events?after=0&limit=100`) };
  }
  return { buses, perBus, sources: await get('/v1/sources'), connections: await get('/v1/connections') };
}

function write(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

const base = (): string => `connections:
  - name: hook-${sfx}
    secrets:
      secret: \${HOOK_SECRET}
buses:
  - name: ${KEEP}
    retention: 7d
    rules:
      - name: to-receiver
        filter: {cesql: "type = 'atomic.test'"}
        targets:
          - id: receiver
            type: http
            config: {url: "${receiverUrl}"}
sources:
  - name: tick-${sfx}
    type: schedule
    bus: ${KEEP}
    state: disabled
    config: {expression: rate(1 hour), type: atomic.tick}
`;

async function refusal(file: string, options: { dryRun?: boolean; prune?: boolean } = {}): Promise<ConfigFileError> {
  const error = await applyConfigFile(file, { server: server.url, env, ...options }).then(
    () => assert.fail('apply succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConfigFileError, String(error));
  assert.equal(error.code, 'HERALD_APPLY_REFUSED');
  return error;
}

test('a valid bus beside a rule with target type "htttp": refused whole, the store exactly as before; a dry run refuses the same', async () => {
  await applyConfigFile(write('base.yaml', base()), { server: server.url, env });
  const ingest = await fetch(`${server.url}/v1/buses/${KEEP}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: `e-${sfx}`, source: 'test', type: 'other.type', data: { n: 1 } }),
  });
  assert.equal(ingest.status, 202);
  const before = await snapshot();

  // Valid changes (bus settings, a source enabled, a new bus), the typo, and a valid bus after it.
  const text = base()
    .replace('retention: 7d', 'retention: 3d')
    .replace('state: disabled', 'state: enabled')
    .replace(
      '\nsources:',
      `\n  - name: new-${sfx}\n    rules:\n      - name: typo\n        filter: {pattern: {source: [shop]}}\n        targets:\n          - id: hook\n            type: htttp\n            config: {url: "${receiverUrl}"}\n  - name: later-${sfx}\nsources:`,
    );
  const file = write('typo.yaml', text);
  const line = text.split('\n').findIndex((l) => l.includes('type: htttp')) + 1;
  for (const options of [{}, { prune: true }, { dryRun: true }]) {
    const error = await refusal(file, options);
    const [issue] = error.issues;
    assert.equal(issue.path, 'buses[1].rules[0].targets[0].type', JSON.stringify(error.issues));
    assert.equal(issue.line, line);
    assert.equal(issue.col, 13);
    assert.match(error.message, new RegExp(`${file.replaceAll('/', '\\/')}:${line}:13 buses\\[1\\]\\.rules\\[0\\]\\.targets\\[0\\]\\.type: unknown target type "htttp"`));
    assert.deepEqual(await snapshot(), before, `a refused apply (${JSON.stringify(options)}) changed the store`);
  }
});

test('an invalid connector config of a source: refused whole at its file position, nothing changed', async () => {
  await applyConfigFile(write('base2.yaml', base()), { server: server.url, env });
  const before = await snapshot();
  const text = `${base().replace('retention: 7d', 'retention: 1d')}  - name: bad-${sfx}\n    type: schedule\n    bus: ${KEEP}\n    config: {expression: "every now and then"}\n`;
  const file = write('badsource.yaml', text);
  for (const dryRun of [false, true]) {
    const error = await refusal(file, { dryRun });
    const [issue] = error.issues;
    assert.match(issue.path, /^sources\[1\]\.config/);
    assert.equal(issue.line, text.split('\n').findIndex((l) => l.includes('every now and then')) + 1, JSON.stringify(error.issues));
    assert.deepEqual(await snapshot(), before);
  }
});

test('an invalid connector config of a target: refused whole at its file position, nothing changed', async () => {
  await applyConfigFile(write('base4.yaml', base()), { server: server.url, env });
  const before = await snapshot();
  const text = base().replace('retention: 7d', 'retention: 2d').replace(`config: {url: "${receiverUrl}"}`, 'config: {url: "not a url"}');
  const file = write('badtarget.yaml', text);
  for (const dryRun of [false, true]) {
    const error = await refusal(file, { dryRun });
    const [issue] = error.issues;
    assert.equal(issue.path, 'buses[0].rules[0].targets[0].config.url', JSON.stringify(error.issues));
    assert.equal(issue.line, text.split('\n').findIndex((l) => l.includes('not a url')) + 1);
    assert.deepEqual(await snapshot(), before);
  }
});

test('every fault is reported at once, each at its position', async () => {
  const text = `buses:\n  - name: many-${sfx}\n    rules:\n      - name: a\n        filter: {cesql: "type = "}\n        targets: []\n      - name: b\n        filter: {cesql: "true"}\n        targets: [{id: t, type: nope, config: {}}]\n`;
  const error = await refusal(write('many.yaml', text));
  assert.deepEqual(
    error.issues.map((i) => [i.path.replace(/\.cesql.*/, '.cesql'), i.line]),
    [
      ['buses[0].rules[0].filter.cesql', 5],
      ['buses[0].rules[1].targets[0].type', 9],
    ],
  );
});

test('an applied file reaches the data plane at once: the new rule delivers, the enabled source runs; `targets: []` is accepted', async () => {
  const bus = `live-${sfx}`;
  const text = `buses:\n  - name: ${bus}\n    rules:\n      - name: empty\n        filter: {cesql: "true"}\n        targets: []\n      - name: deliver\n        filter: {cesql: "type = 'atomic.test'"}\n        targets: [{id: r, type: http, config: {url: "${receiverUrl}"}}]\n`;
  const result = await applyConfigFile(write('live.yaml', text), { server: server.url, env });
  assert.equal(result.applied, 3);
  const empty = (await get(`/v1/buses/${bus}/rules/empty`)) as { targets: unknown[] };
  assert.deepEqual(empty.targets, []);
  const id = `live-${sfx}`;
  const response = await fetch(`${server.url}/v1/buses/${bus}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id, source: 'test', type: 'atomic.test', data: { ok: true } }),
  });
  assert.equal(response.status, 202);
  const deadline = Date.now() + 20_000;
  while (!received.some((e) => e.id === id)) {
    assert.ok(Date.now() < deadline, 'the rule applied by apply did not deliver');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // The disabled schedule of the base file, enabled by a later apply, is started by it.
  await applyConfigFile(write('base3.yaml', base()), { server: server.url, env });
  assert.equal(((await get(`/v1/sources/tick-${sfx}`)) as { status: { state: string } }).status.state, 'stopped');
  await applyConfigFile(write('enabled.yaml', base().replace('state: disabled', 'state: enabled')), { server: server.url, env });
  const running = ((await get(`/v1/sources/tick-${sfx}`)) as { status: { state: string } }).status.state;
  assert.ok(running === 'running' || running === 'starting', running);
});
