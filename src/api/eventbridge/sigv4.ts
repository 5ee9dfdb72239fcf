/**
 * AWS Signature Version 4 verification (AWS IAM user guide, "Create a signed AWS API request":
 * canonical request → string to sign → signing key → signature), for the EventBridge-compatible
 * API when access keys are configured. Written against node:crypto only; tested with requests signed
 * by the real AWS SDK and with AWS's own documented example.
 *
 * Only the Authorization-header form is accepted (the SDKs sign JSON APIs that way); query-string
 * presigning is not. Session tokens are signed over but not checked (Herald has no STS).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './errors.js';

/** Access key id → secret access key. */
export type AccessKeys = ReadonlyMap<string, string>;

/** Parses `HERALD_AWS_ACCESS_KEYS`: `id:secret,id:secret`. Empty or absent → no keys (no checking). */
export function parseAccessKeys(text: string | undefined): AccessKeys {
  const keys = new Map<string, string>();
  for (const pair of (text ?? '').split(',')) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0 || colon === trimmed.length - 1) {
      throw new Error(`HERALD_AWS_ACCESS_KEYS: "${trimmed.slice(0, Math.max(colon, 0))}…" is not "id:secret"`);
    }
    keys.set(trimmed.slice(0, colon), trimmed.slice(colon + 1));
  }
  return keys;
}

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a signature whose X-Amz-Date is more than 5 minutes from its clock ("Signature expired"). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Headers that, when a request carries them, a signature must cover (they change what is authorised). */
const SIGNED_WHEN_SENT = ['x-amz-content-sha256', 'x-amz-security-token'] as const;

/** `x-amz-target` → `X-Amz-Target`, as AWS names headers in its messages. */
function displayName(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => `${dash}${c.toUpperCase()}`);
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 requires: everything but unreserved characters, upper-case hex. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(path: string): string {
  // Non-S3 services encode each segment twice: once as sent, once more in the canonical request.
  const segments = path.split('/').map((s) => uriEncode(uriEncode(safeDecode(s))));
  const joined = segments.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const key = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ');
}

/** The signature a request should carry, given the secret and the credential scope (date/region/service). */
export function computeSignature(request: SignedRequest, signedHeaders: readonly string[], amzDate: string, scope: string, secret: string): string {
  const [path = '/', query = ''] = splitUrl(request.url);
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(request.headers, name) ?? ''}\n`).join('');
  const payloadHash = sha256(request.body);
  const canonicalRequest = [request.method.toUpperCase(), canonicalPath(path), canonicalQuery(query), canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
  const stringToSign = [ALGORITHM, amzDate, scope, sha256(canonicalRequest)].join('\n');
  const [date = '', region = '', service = ''] = scope.split('/');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return hmac(signingKey, stringToSign).toString('hex');
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

/**
 * Verifies a request signed for `service` (EventBridge: `events`) in any region (the client's region is
 * whatever the credential scope says). Resolves with the access key id, or throws the AwsError AWS
 * answers with for the same fault.
 *
 * A signature authorises only what it covers, so besides `host` and `x-amz-date` the request's
 * `mustSign` headers (EventBridge: `x-amz-target`, which picks the operation) and, when sent,
 * `x-amz-content-sha256` and `x-amz-security-token` must be signed headers (issue 11, item 9: a
 * request signed over `host;x-amz-date` only was replayed with another X-Amz-Target and deleted a
 * bus). The body is always covered: the canonical request ends with the SHA-256 of the bytes
 * received, and a sent `x-amz-content-sha256` must equal it.
 */
export function verifySigV4(request: SignedRequest, keys: AccessKeys, service: string, now = Date.now(), mustSign: readonly string[] = []): string {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw new AwsError('IncompleteSignatureException', `Authorization header requires the ${ALGORITHM} algorithm.`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw new AwsError('IncompleteSignatureException', "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
  }
  const [keyId = '', date = '', region = '', scopeService = '', terminal = ''] = credential.split('/');
  if (terminal !== 'aws4_request' || !/^\d{8}$/.test(date) || region === '') {
    throw new AwsError('IncompleteSignatureException', `Credential "${credential}" is not <key>/<yyyymmdd>/<region>/<service>/aws4_request.`);
  }
  const secret = keys.get(keyId);
  if (secret === undefined) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (scopeService !== service) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) throw new AwsError('InvalidSignatureException', "'Host' must be a signed header.");
  for (const name of [...mustSign, ...SIGNED_WHEN_SENT.filter((h) => request.headers[h] !== undefined)]) {
    if (!names.includes(name)) {
      throw new AwsError('IncompleteSignatureException', `'${displayName(name)}' must be a signed header: add it to SignedHeaders.`);
    }
  }
  const contentHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (contentHash !== undefined && contentHash.toLowerCase() !== sha256(request.body)) {
    throw new AwsError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match the SHA-256 of the request body.");
  }
  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (amzDate === undefined || !names.includes('x-amz-date') || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new AwsError('IncompleteSignatureException', 'A signed X-Amz-Date header (yyyymmddThhmmssZ) is required.');
  }
  if (amzDate.slice(0, 8) !== date) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to a valid date: '${amzDate.slice(0, 8)}'.`);
  }
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    throw new AwsError('InvalidSignatureException', `Signature expired: ${amzDate} is more than 5 minutes from the server time.`);
  }
  const expected = Buffer.from(computeSignature(request, names, amzDate, `${date}/${region}/${service}/aws4_request`, secret), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AwsError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return keyId;
}
