/** What the AMQP (RabbitMQ, AMQP 0-9-1) target and source share. */
import { PermanentError, RetryableError } from '../../delivery/errors.js';
import { errorMessage, isNetworkError } from './failures.js';

/**
 * AMQP 0-9-1 reply codes (spec §1.9, "Constants"): 403 access-refused, 404 not-found,
 * 406 precondition-failed, 402 invalid-path, 530 not-allowed, 540 not-implemented and auth failure
 * (ACCESS_REFUSED at connect), 311 content-too-large are faults resending cannot fix;
 * 320 connection-forced and 504/505/506/541 are server or transport faults worth retrying.
 */
const PERMANENT_REPLY_CODES = new Set([311, 402, 403, 404, 406, 530, 540]);

export function classifyAmqp(error: unknown, what: string, channelError?: unknown): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const cause = channelError ?? error;
  const message = `${what}: ${errorMessage(cause)}`;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number' && PERMANENT_REPLY_CODES.has(code)) return new PermanentError(message);
  if (/ACCESS_REFUSED|Handshake terminated by server: 403/.test(errorMessage(cause))) return new PermanentError(message);
  if (isNetworkError(cause)) return new RetryableError(message);
  return new RetryableError(message);
}

/** AMQP binding §3.1.3.1: attributes as application properties prefixed `cloudEvents:` (`cloudEvents_` is the JMS-safe form). */
export const AMQP_CE_PREFIX = 'cloudEvents:';

/** Header names recognised as CloudEvent attributes on messages a source reads, mapped to `ce-*`. */
export function ceFromAmqpHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const m = /^(?:cloudEvents[:_]|ce[-_])(.+)$/i.exec(name);
    if (!m || value === undefined || value === null) continue;
    out[`ce-${m[1].toLowerCase()}`] = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : JSON.stringify(value);
  }
  return out;
}
