import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { signGithub, signStandard, verifyWebhook, webhookSource } from '../../src/connectors/sources/webhook/index.js';
import { MemorySink, sourceContext } from './support.js';

// Published test vectors: Standard Webhooks reference libraries; GitHub "Validating webhook deliveries".
const STD = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = (seconds: number) => new Date(seconds * 1000);

test('verifyWebhook standard: the published vector verifies; tampering, other secrets and stale timestamps do not', () => {
  const headers = { 'webhook-id': STD.id, 'webhook-timestamp': String(STD.timestamp), 'webhook-signature': STD.signature };
  assert.equal(signStandard(STD.id, STD.timestamp, STD.body, STD.secret), STD.signature);
  assert.deepEqual(verifyWebhook(headers, STD.body, STD.secret, 'standard', at(STD.timestamp + 10)), { valid: true, id: STD.id, timestamp: at(STD.timestamp) });
  // Header names are case-insensitive; a rotated list with one good signature passes.
  assert.equal(verifyWebhook({ 'Webhook-Id': STD.id, 'Webhook-Timestamp': String(STD.timestamp), 'Webhook-Signature': `v1,AAAA ${STD.signature}` }, STD.body, STD.secret, 'standard', at(STD.timestamp)).valid, true);
  assert.equal(verifyWebhook(headers, STD.body.replace('2', '3'), STD.secret, 'standard', at(STD.timestamp)).valid, false);
  assert.equal(verifyWebhook(headers, STD.body, 'whsec_' + Buffer.from('other').toString('base64'), 'standard', at(STD.timestamp)).valid, false);
  assert.equal(verifyWebhook({ ...headers, 'webhook-id': 'msg_other' }, STD.body, STD.secret, 'standard', at(STD.timestamp)).valid, false);
  assert.equal(verifyWebhook(headers, STD.body, STD.secret, 'standard', at(STD.timestamp + 301)).valid, false, 'older than 5 minutes');
  assert.equal(verifyWebhook(headers, STD.body, STD.secret, 'standard', at(STD.timestamp - 301)).valid, false, 'more than 5 minutes ahead');
  assert.equal(verifyWebhook(headers, STD.body, STD.secret, 'standard', at(STD.timestamp + 299)).valid, true);
  assert.equal(verifyWebhook({ 'webhook-id': STD.id }, STD.body, STD.secret, 'standard', at(STD.timestamp)).valid, false);
  assert.equal(verifyWebhook({ ...headers, 'webhook-signature': STD.signature.replace('v1,', 'v2,') }, STD.body, STD.secret, 'standard', at(STD.timestamp)).valid, false);
});

test('verifyWebhook github: the documented vector verifies; a wrong one does not', () => {
  const secret = "It's a Secret to Everybody";
  const good = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  assert.equal(signGithub('Hello, World!', secret), good);
  assert.equal(verifyWebhook({ 'X-Hub-Signature-256': good, 'X-GitHub-Delivery': 'd-1' }, 'Hello, World!', secret, 'github').valid, true);
  assert.equal(verifyWebhook({ 'X-Hub-Signature-256': good }, 'Hello, World?', secret, 'github').valid, false);
  assert.equal(verifyWebhook({}, 'Hello, World!', secret, 'github').valid, false);
  assert.equal(verifyWebhook({ 'X-Hub-Signature-256': good.slice(0, -1) }, 'Hello, World!', secret, 'github').valid, false);
});

test('webhook source: real GitHub payloads become CloudEvents; a redelivery dedupes; a bad signature is 401; a sink outage is 503', async () => {
  const require = createRequire(import.meta.url);
  const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: unknown[] }>;
  const issue = examples.find((e) => e.name === 'issues')?.examples[0] as { action: string };
  const body = JSON.stringify(issue);
  const secret = 'gh-secret';
  const sink = new MemorySink();
  const now = new Date('2026-11-25T00:00:00Z');
  const src = await webhookSource.start('gh', webhookSource.validate({ style: 'github', secret }), sourceContext(sink, () => now));
  const headers = { 'x-hub-signature-256': signGithub(body, secret), 'x-github-delivery': 'guid-1', 'x-github-event': 'issues', 'content-type': 'application/json' };
  assert.deepEqual(await src.handle(headers, body), { status: 202, body: { id: 'guid-1', source: '/webhooks/gh' } });
  assert.equal((await src.handle(headers, body)).status, 202);
  assert.equal(sink.events.length, 1);
  assert.equal(sink.duplicates, 1);
  assert.equal(sink.events[0].type, `com.github.issues.${issue.action}`);
  assert.deepEqual(sink.events[0].data, issue);
  assert.equal(sink.events[0].time, now.toISOString());
  assert.equal((await src.handle({ ...headers, 'x-hub-signature-256': signGithub(body + ' ', secret) }, body)).status, 401);
  sink.failNext(1);
  assert.equal((await src.handle({ ...headers, 'x-github-delivery': 'guid-2' }, body)).status, 503);
  assert.equal(src.status().state, 'reconnecting');
  sink.refuse.set('guid-3', 'HERALD_EVENT_TOO_LARGE');
  assert.deepEqual((await src.handle({ ...headers, 'x-github-delivery': 'guid-3' }, body)).status, 400, 'a refused event is not acknowledged as stored');
  sink.refuse.set('guid-4', 'HERALD_STORE_UNAVAILABLE');
  assert.deepEqual((await src.handle({ ...headers, 'x-github-delivery': 'guid-4' }, body)).status, 503);
  await src.stop();
  assert.equal((await src.handle(headers, body)).status, 503);
});

test('webhook source: standard style takes the type from the body and the time from webhook-timestamp', async () => {
  const sink = new MemorySink();
  const src = await webhookSource.start('std', webhookSource.validate({ style: 'standard', secret: STD.secret, source: 'https://example.com' }), sourceContext(sink, () => at(STD.timestamp + 1)));
  const body = '{"type":"invoice.paid","amount":3}';
  const res = await src.handle({ 'webhook-id': 'w-1', 'webhook-timestamp': String(STD.timestamp), 'webhook-signature': signStandard('w-1', STD.timestamp, body, STD.secret) }, Buffer.from(body));
  assert.equal(res.status, 202);
  assert.equal(sink.events[0].type, 'invoice.paid');
  assert.equal(sink.events[0].source, 'https://example.com');
  assert.equal(sink.events[0].time, at(STD.timestamp).toISOString());
  assert.throws(() => webhookSource.validate({ style: 'standard' }), { code: 'HERALD_INVALID_REQUEST', field: 'config.secret' });
  assert.throws(() => webhookSource.validate({ style: 'gitlab', secret: 'x' }), { field: 'config.style' });
});
