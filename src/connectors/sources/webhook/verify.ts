/**
 * Webhook signature checks, pure functions (no clock of their own: pass `now`).
 *
 * Standard Webhooks (standardwebhooks.com, spec "Signature scheme"): headers `webhook-id`,
 * `webhook-timestamp` (Unix seconds), `webhook-signature` — a space-separated list of `v1,<base64>`;
 * the signature is HMAC-SHA256 over `{id}.{timestamp}.{body}` keyed by the secret's bytes (the secret
 * is `whsec_` + base64). Timestamps further than 5 minutes from now are refused (replay protection).
 *
 * GitHub (docs "Validating webhook deliveries"): `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256
 * over the raw body keyed by the secret's UTF-8 bytes; the delivery id is `X-GitHub-Delivery`.
 * Comparisons are constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookStyle = 'standard' | 'github';
export type Headers = Record<string, string | string[] | undefined>;
export type WebhookVerdict =
  | { valid: true; id: string | undefined; timestamp: Date | undefined }
  | { valid: false; reason: string };

export const TOLERANCE_SECONDS = 5 * 60;

export function header(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The HMAC key of a Standard Webhooks secret: the base64 after `whsec_`. */
export function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function signStandard(id: string, timestampSeconds: number, body: string | Buffer, secret: string): string {
  const mac = createHmac('sha256', standardKey(secret)).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export function signGithub(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyWebhook(headers: Headers, body: string | Buffer, secret: string, style: WebhookStyle, now: Date = new Date()): WebhookVerdict {
  if (secret === '') return { valid: false, reason: 'no secret configured' };
  if (style === 'github') {
    const given = header(headers, 'x-hub-signature-256');
    if (!given) return { valid: false, reason: 'missing X-Hub-Signature-256' };
    if (!safeEqual(Buffer.from(given), Buffer.from(signGithub(body, secret)))) return { valid: false, reason: 'signature mismatch' };
    return { valid: true, id: header(headers, 'x-github-delivery'), timestamp: undefined };
  }
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !ts || !signatures) return { valid: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(ts)) return { valid: false, reason: 'webhook-timestamp is not Unix seconds' };
  const seconds = Number(ts);
  if (Math.abs(now.getTime() / 1000 - seconds) > TOLERANCE_SECONDS) return { valid: false, reason: 'webhook-timestamp is outside the 5 minute tolerance' };
  const expected = Buffer.from(signStandard(id, seconds, body, secret).slice(3), 'base64');
  // Several signatures may be listed (secret rotation); any v1 match is enough.
  for (const entry of signatures.split(' ')) {
    const [version, sig] = entry.split(',', 2);
    if (version === 'v1' && sig && safeEqual(Buffer.from(sig, 'base64'), expected)) return { valid: true, id, timestamp: new Date(seconds * 1000) };
  }
  return { valid: false, reason: 'signature mismatch' };
}
