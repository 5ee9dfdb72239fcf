/**
 * SigV4 verification: requests signed by the real AWS SDK are accepted with the right keys and refused
 * with AWS's exceptions otherwise; the signer itself reproduces AWS's documented example.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CreateEventBusCommand, EventBridgeServiceException, ListEventBusesCommand, PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { computeSignature, parseAccessKeys, verifySigV4 } from '../../src/api/eventbridge/index.js';
import { client, startStandalone, type EventBridgeServer } from './harness.js';

const KEYS = 'AKIDHERALDTEST:s3cr3t/Key+one,AKIDSECOND:another-secret';
let server: EventBridgeServer;
before(async () => {
  server = await startStandalone(KEYS);
});
after(() => server.stop());

async function refusal(eb: EventBridgeClient): Promise<EventBridgeServiceException> {
  try {
    await eb.send(new ListEventBusesCommand({}));
  } catch (error) {
    assert.ok(error instanceof EventBridgeServiceException, String(error));
    return error;
  } finally {
    eb.destroy();
  }
  assert.fail('the request was accepted');
}

test('a client with configured keys is accepted (a read and a PutEvents with a body)', async () => {
  const eb = client(server.url, { accessKeyId: 'AKIDHERALDTEST', secretAccessKey: 's3cr3t/Key+one' });
  try {
    const buses = await eb.send(new ListEventBusesCommand({}));
    assert.deepEqual(buses.EventBuses?.map((b) => b.Name), ['default']);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'signed', DetailType: 'Ünïcode ✓', Detail: '{"a": "ß"}' }] }));
    assert.equal(put.FailedEntryCount, 0);
  } finally {
    eb.destroy();
  }
  const second = client(server.url, { accessKeyId: 'AKIDSECOND', secretAccessKey: 'another-secret' });
  assert.equal((await second.send(new ListEventBusesCommand({}))).EventBuses?.length, 1);
  second.destroy();
});

test('a wrong secret raises InvalidSignatureException', async () => {
  const error = await refusal(client(server.url, { accessKeyId: 'AKIDHERALDTEST', secretAccessKey: 'wrong' }, 1));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.equal(error.$metadata.httpStatusCode, 400);
});

test('an unknown access key raises UnrecognizedClientException', async () => {
  const error = await refusal(client(server.url, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 's3cr3t/Key+one' }, 1));
  assert.equal(error.name, 'UnrecognizedClientException');
  assert.equal(error.$metadata.httpStatusCode, 400);
});

/** The SDK's finalize-step handler type, taken from the client itself (no direct @smithy dependency). */
type Next = Parameters<Extract<Parameters<EventBridgeClient['middlewareStack']['addRelativeTo']>[0], (next: never, context: never) => unknown>>[0];

test('a body changed after signing raises InvalidSignatureException', async () => {
  const eb = client(server.url, { accessKeyId: 'AKIDHERALDTEST', secretAccessKey: 's3cr3t/Key+one' }, 1);
  eb.middlewareStack.addRelativeTo(
    (next: Next) => async (args: Parameters<Next>[0]) => {
      const request = (args as { request: { body?: unknown } }).request;
      // The SDK serialises the body as bytes; same length, so only the signature can tell.
      const text = typeof request.body === 'string' ? request.body : Buffer.from(request.body as Uint8Array).toString('utf8');
      assert.ok(text.includes('"signed"'));
      request.body = Buffer.from(text.replace('"signed"', '"forged"'), 'utf8');
      return next(args as never);
    },
    { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' },
  );
  try {
    await assert.rejects(eb.send(new PutEventsCommand({ Entries: [{ Source: 'signed', DetailType: 't', Detail: '{}' }] })), (error: Error) => error.name === 'InvalidSignatureException');
  } finally {
    eb.destroy();
  }
});

test('an unsigned request is refused with MissingAuthenticationTokenException (403)', async () => {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListEventBuses' },
    body: '{}',
  });
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
});

test("the signer reproduces AWS's documented SigV4 example (IAM ListUsers, 2015-08-30)", () => {
  // AWS General Reference, "Signature Version 4 signing process" examples: the same request, key and signature.
  const request = {
    method: 'GET',
    url: '/?Action=ListUsers&Version=2010-05-08',
    headers: { host: 'iam.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-amz-date': '20150830T123600Z' },
    body: Buffer.alloc(0),
  };
  const signature = computeSignature(request, ['content-type', 'host', 'x-amz-date'], '20150830T123600Z', '20150830/us-east-1/iam/aws4_request', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  assert.equal(signature, '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  const keys = parseAccessKeys('AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  const signed = {
    ...request,
    headers: {
      ...request.headers,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
    },
  };
  assert.equal(verifySigV4(signed, keys, 'iam', Date.UTC(2015, 7, 30, 12, 38)), 'AKIDEXAMPLE');
  // Outside the 5-minute window the same signature is expired.
  assert.throws(() => verifySigV4(signed, keys, 'iam', Date.UTC(2015, 7, 30, 12, 42)), (e: Error) => e.name === 'InvalidSignatureException');
  // Scoped to another service, it is refused.
  assert.throws(() => verifySigV4(signed, keys, 'events', Date.UTC(2015, 7, 30, 12, 38)), (e: Error) => e.name === 'InvalidSignatureException');
});

// Issue 11, item 9: a signature authorises only what it covers.
const SECRET = 's3cr3t/Key+one';

interface Hand {
  /** The operation the signature is computed for. */
  signedTarget: string;
  /** The operation actually sent (a replay changes it). */
  sentTarget?: string;
  body: string;
  signed: string[];
  extra?: Record<string, string>;
}

/** A request signed by hand (computeSignature), so that SignedHeaders can leave headers out. */
async function sendSigned(hand: Hand): Promise<{ status: number; type: string | null; body: { message?: string } }> {
  const url = new URL(server.url);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/us-east-1/events/aws4_request`;
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-date': amzDate,
    'x-amz-target': `AWSEvents.${hand.signedTarget}`,
    ...hand.extra,
  };
  const signedHeaders = [...hand.signed].sort();
  const signature = computeSignature({ method: 'POST', url: '/', headers, body: Buffer.from(hand.body) }, signedHeaders, amzDate, scope, SECRET);
  const sent = { ...headers, 'x-amz-target': `AWSEvents.${hand.sentTarget ?? hand.signedTarget}` };
  delete (sent as Record<string, string | undefined>).host;
  const response = await fetch(new URL('/', url), {
    method: 'POST',
    headers: { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=AKIDHERALDTEST/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}` },
    body: hand.body,
  });
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), body: (await response.json()) as { message?: string } };
}

async function busExists(name: string): Promise<boolean> {
  const eb = client(server.url, { accessKeyId: 'AKIDHERALDTEST', secretAccessKey: SECRET });
  try {
    const list = await eb.send(new ListEventBusesCommand({}));
    return (list.EventBuses ?? []).some((b) => b.Name === name);
  } finally {
    eb.destroy();
  }
}

async function createBus(): Promise<string> {
  const name = `sig-${Math.random().toString(36).slice(2, 10)}`;
  const eb = client(server.url, { accessKeyId: 'AKIDHERALDTEST', secretAccessKey: SECRET });
  try {
    await eb.send(new CreateEventBusCommand({ Name: name }));
  } finally {
    eb.destroy();
  }
  return name;
}

test('the hand signer agrees with the server when the signature covers host, x-amz-date and x-amz-target', async () => {
  const answer = await sendSigned({ signedTarget: 'ListEventBuses', body: '{}', signed: ['host', 'x-amz-date', 'x-amz-target'] });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
});

test('a correct signature that leaves X-Amz-Target out of SignedHeaders is refused, and the bus survives', async () => {
  const bus = await createBus();
  const answer = await sendSigned({ signedTarget: 'DeleteEventBus', body: JSON.stringify({ Name: bus }), signed: ['host', 'x-amz-date'] });
  assert.equal(answer.status, 400);
  assert.equal(answer.type, 'IncompleteSignatureException');
  assert.match(answer.body.message ?? '', /'X-Amz-Target' must be a signed header/);
  assert.equal(await busExists(bus), true);
});

test('a signed request replayed with another X-Amz-Target fails the signature, and the bus survives', async () => {
  const bus = await createBus();
  const body = JSON.stringify({ Name: bus });
  const replay = await sendSigned({ signedTarget: 'DescribeEventBus', sentTarget: 'DeleteEventBus', body, signed: ['host', 'x-amz-date', 'x-amz-target'] });
  assert.equal(replay.status, 400);
  assert.equal(replay.type, 'InvalidSignatureException');
  assert.equal(await busExists(bus), true);
  // The same signature with the operation it was made for is accepted.
  const honest = await sendSigned({ signedTarget: 'DescribeEventBus', body, signed: ['host', 'x-amz-date', 'x-amz-target'] });
  assert.equal(honest.status, 200, JSON.stringify(honest.body));
});

test('x-amz-content-sha256, when sent, must be signed and must be the hash of the body', async () => {
  const body = '{}';
  const hash = createHash('sha256').update(body).digest('hex');
  const all = ['host', 'x-amz-date', 'x-amz-target'];
  const unsigned = await sendSigned({ signedTarget: 'ListEventBuses', body, signed: all, extra: { 'x-amz-content-sha256': hash } });
  assert.equal(unsigned.type, 'IncompleteSignatureException');
  assert.match(unsigned.body.message ?? '', /'X-Amz-Content-Sha256' must be a signed header/);
  const wrong = await sendSigned({ signedTarget: 'ListEventBuses', body, signed: [...all, 'x-amz-content-sha256'], extra: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  assert.equal(wrong.type, 'InvalidSignatureException');
  const right = await sendSigned({ signedTarget: 'ListEventBuses', body, signed: [...all, 'x-amz-content-sha256'], extra: { 'x-amz-content-sha256': hash } });
  assert.equal(right.status, 200, JSON.stringify(right.body));
});
