/**
 * The HTTP target: a webhook per the CloudEvents HTTP webhook spec (http-webhook.md §2). CloudEvents
 * binary or structured mode, or the raw transformed body; keep-alive pooling through undici.
 *  - 2xx is success (a CloudEvent in the response is a reply);
 *  - 3xx is not followed (§2.2: "the client MUST NOT follow any such redirection") — permanent;
 *  - 429 pauses the whole target until Retry-After (§2.2, rate limiting);
 *  - 410 Gone disables the target (§2.2: the sender SHOULD refrain from sending further requests);
 *  - 408 and 5xx, timeouts and connection errors are retried; any other 4xx is permanent.
 */
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { invalidConfig, validateConfig } from '../../config.js';
import { decodeHttpRequest, encodeBinary, encodeStructured } from '../../../events/index.js';
import type { CloudEvent } from '../../../events/types.js';
import { BackOffError, PermanentError, RetryableError, TargetGoneError } from '../../../delivery/errors.js';
import type { OutboundMessage, SendResult, TargetConnector, TargetInstance } from '../../types.js';
import { signWebhook } from './signing.js';

export const HTTP_MODES = ['binary', 'structured', 'raw'] as const;
export type HttpMode = (typeof HTTP_MODES)[number];

export interface HttpTargetConfig {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  timeoutMs: number;
  mode: HttpMode;
  /** Standard Webhooks signing secret (`whsec_…`); unset: requests are not signed. */
  secret?: string;
  /**
   * How much of a response body is read (for the trace and a CloudEvent reply); the rest is
   * discarded unread (issue 11, item 6: a 1 GB answer must not be read into memory).
   * @defaultValue 65536
   */
  maxResponseBytes: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
/** A reply is one event, parsed with a 1 MiB limit (readReply): a longer prefix is never useful. */
const MAX_RESPONSE_BYTES_LIMIT = 1024 * 1024;
const REPLY_MAX_EVENT_BYTES = MAX_RESPONSE_BYTES_LIMIT;

const METHODS = ['POST', 'PUT', 'PATCH'] as const;

/** RFC 9110 §5.1: a field name is a token. */
const HEADER_NAME = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

const configSchema = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', format: 'uri', description: 'An absolute http(s) URL.' },
    method: { enum: [...METHODS], default: 'POST' },
    headers: { type: 'object', propertyNames: { pattern: HEADER_NAME }, additionalProperties: { type: 'string' }, default: {} },
    timeoutMs: { type: 'integer', minimum: 1, maximum: 300000, default: 10000 },
    mode: { enum: [...HTTP_MODES], default: 'binary' },
    secret: { type: 'string', minLength: 8, description: 'Standard Webhooks signing secret.' },
    maxResponseBytes: {
      type: 'integer',
      minimum: 0,
      maximum: MAX_RESPONSE_BYTES_LIMIT,
      default: DEFAULT_MAX_RESPONSE_BYTES,
      description: 'How much of a response body is read (trace, replies); the rest is discarded unread.',
    },
  },
} as const;

/** Checked with Ajv against the schema (src/connectors/config.ts); the URL comes back normalised. */
export function validateHttpConfig(raw: unknown, field = 'config'): HttpTargetConfig {
  const config = validateConfig<HttpTargetConfig>(configSchema, raw, field);
  const url = new URL(config.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalidConfig(`${field}.url`, `must be an http: or https: URL, not ${url.protocol}`);
  return { ...config, url: url.toString() };
}

export const httpTarget: TargetConnector<HttpTargetConfig> = {
  kind: 'target',
  name: 'http',
  description: 'HTTP webhook (CloudEvents binary or structured mode, or the raw body)',
  configSchema,
  validate: (raw) => validateHttpConfig(raw),
  async create(config) {
    const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
    return new HttpTargetInstance(config, agent);
  },
};

class HttpTargetInstance implements TargetInstance {
  constructor(
    private readonly config: HttpTargetConfig,
    private readonly agent: Agent,
  ) {}

  async send(messages: OutboundMessage[]): Promise<SendResult> {
    const replies: CloudEvent[] = [];
    let status: number | undefined;
    for (const message of messages) {
      const answer = await this.sendOne(message);
      status = answer.status;
      if (answer.reply) replies.push(answer.reply);
    }
    return { replies, ...(status !== undefined ? { status } : {}) };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /**
   * A CloudEvent reply is read from the response prefix; one that does not fit is refused rather
   * than published cut short (a truncated event would be invalid, or worse, silently different).
   */
  private reply(headers: Record<string, string | string[] | undefined>, prefix: { bytes: Buffer; complete: boolean }): CloudEvent | undefined {
    if (!isReply(headers)) return undefined;
    if (!prefix.complete) {
      throw Object.assign(
        new PermanentError(
          `the target answered with a CloudEvent reply larger than maxResponseBytes (${this.config.maxResponseBytes} bytes); raise the target's maxResponseBytes to accept it`,
          'HERALD_TARGET_REJECTED',
        ),
        { status: 200 },
      );
    }
    return readReply(headers, prefix.bytes);
  }

  private async sendOne(message: OutboundMessage): Promise<{ status: number; reply: CloudEvent | undefined }> {
    const { headers, body } = encodeMessage(this.config.mode, message);
    Object.assign(headers, lowerCaseKeys(this.config.headers));
    if (this.config.secret) {
      const timestamp = Math.floor(Date.now() / 1000);
      headers['webhook-id'] = message.idempotencyKey;
      headers['webhook-timestamp'] = String(timestamp);
      headers['webhook-signature'] = signWebhook(this.config.secret, message.idempotencyKey, timestamp, body);
    } else {
      headers['webhook-id'] = message.idempotencyKey;
    }
    // One deadline for the whole exchange — connect, request, response head and body (issue 11,
    // item 6): undici's headersTimeout/bodyTimeout are per phase and per chunk, so a target that
    // drips a byte now and then could hold a delivery far past timeoutMs.
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    let status: number;
    let prefix: { bytes: Buffer; complete: boolean };
    let responseHeaders: Record<string, string | string[] | undefined>;
    try {
      const response = await request(this.config.url, { method: this.config.method, headers, body, dispatcher: this.agent, signal });
      status = response.statusCode;
      responseHeaders = response.headers;
      prefix = await readPrefix(response.body, this.config.maxResponseBytes);
    } catch (error) {
      if (signal.aborted) {
        throw new RetryableError(`timed out: no complete answer within timeoutMs (${this.config.timeoutMs} ms, the whole exchange)`, 'HERALD_TARGET_UNAVAILABLE');
      }
      throw new RetryableError(`request failed: ${describe(error)}`, 'HERALD_TARGET_UNAVAILABLE');
    }
    const text = prefix.bytes;
    const detail = `HTTP ${status}${text.length ? `: ${text.subarray(0, 200).toString('utf8')}` : ''}`;
    if (status >= 200 && status < 300) return { status, reply: this.reply(responseHeaders, prefix) };
    const tagged = <E extends Error>(error: E): E => Object.assign(error, { status });
    if (status >= 300 && status < 400) throw tagged(new PermanentError(`${detail} — redirects are not followed (http-webhook.md §2.2)`, 'HERALD_TARGET_REDIRECT'));
    if (status === 410) throw tagged(new TargetGoneError(`${detail} — the target is gone; it is disabled`));
    if (status === 429) throw tagged(new BackOffError(detail, retryAfterMs(responseHeaders['retry-after'])));
    if (status === 408 || status >= 500) throw tagged(new RetryableError(detail, 'HERALD_TARGET_FAILED'));
    throw tagged(new PermanentError(detail, 'HERALD_TARGET_REJECTED'));
  }
}

function encodeMessage(mode: HttpMode, message: OutboundMessage): { headers: Record<string, string>; body: Buffer } {
  if (mode === 'raw') {
    const text = typeof message.body === 'string' && message.contentType === 'text/plain';
    return {
      headers: { 'content-type': text ? 'text/plain; charset=utf-8' : 'application/json' },
      body: Buffer.from(text ? (message.body as string) : JSON.stringify(message.body ?? null)),
    };
  }
  // In CloudEvents modes the event is the original one; a transform replaces its data.
  let event: CloudEvent = message.event;
  if (!message.wholeEvent) {
    const { data: _data, data_base64: _b64, ...attributes } = message.event;
    event = { ...attributes, datacontenttype: message.contentType ?? 'application/json', data: message.body } as CloudEvent;
  }
  const encoded = mode === 'binary' ? encodeBinary(event) : encodeStructured(event);
  return { headers: { ...encoded.headers }, body: encoded.body };
}

/**
 * Reads at most `limit` bytes of a response body, then destroys the stream: the rest is never read
 * (and the connection is not reused). `complete` says whether the body ended within the limit.
 */
async function readPrefix(body: Readable, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (length + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - length));
      body.destroy();
      return { bytes: Buffer.concat(chunks), complete: false };
    }
    chunks.push(chunk);
    length += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}

function isReply(headers: Record<string, string | string[] | undefined>): boolean {
  const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
  return headers['ce-specversion'] !== undefined || contentType?.toLowerCase().startsWith('application/cloudevents+json') === true;
}

function readReply(headers: Record<string, string | string[] | undefined>, body: Buffer): CloudEvent | undefined {
  const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
  if (!isReply(headers)) return undefined;
  try {
    const decoded = decodeHttpRequest({ contentType, headers, body }, { maxEventBytes: REPLY_MAX_EVENT_BYTES, maxBatchEvents: 1 });
    return decoded.mode === 'batch' ? undefined : decoded.event;
  } catch {
    return undefined; // a malformed reply is not a delivery failure; the event itself arrived
  }
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3); absent or unreadable: 1 s. */
export function retryAfterMs(value: string | string[] | undefined): number {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return 1000;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - Date.now());
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code ?? e.message ?? String(error);
}
