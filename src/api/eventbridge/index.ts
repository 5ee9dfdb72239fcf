/**
 * The EventBridge-compatible API (ARCHITECTURE.md, HTTP surface: `POST /` with `X-Amz-Target:
 * AWSEvents.*`), speaking the AWS JSON 1.1 protocol so the AWS SDKs, CLI and Terraform work unchanged
 * with only their endpoint changed. docs/eventbridge-api.md is the user's reference.
 *
 * Everything lives in its own plugin scope: the `application/x-amz-json-1.1` body parser (raw bytes,
 * which SigV4 needs) and the AWS error shape apply to this route only.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AwsError, toAwsError } from './errors.js';
import type { EventBridgeContext, OperationEnv } from './env.js';
import { isObject } from './input.js';
import { OPERATIONS } from './operations.js';
import { verifySigV4, type AccessKeys } from './sigv4.js';
import { formatJsonPath, REQUEST_ENVELOPE_LEVELS, scanJson } from '../../events/json-limits.js';
import { documentOnly, EventBridgeBodyDocument, EventBridgeDescription, EventBridgeHeadersDocument } from '../schemas/index.js';

export type { EventBridgeContext } from './env.js';
export { parseAccessKeys, verifySigV4, computeSignature, type AccessKeys } from './sigv4.js';
export { busArn, ruleArn } from './arns.js';
export { OPERATIONS } from './operations.js';

export interface EventBridgeOptions {
  /**
   * Access key id → secret (from `HERALD_AWS_ACCESS_KEYS`, read at start-up by the caller). When empty
   * or absent, requests are not authenticated, like a local emulator.
   */
  accessKeys?: AccessKeys;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSEvents.';

export function eventBridgeRoutes(app: FastifyInstance, ctx: EventBridgeContext, options: EventBridgeOptions = {}): void {
  const keys = options.accessKeys ?? new Map<string, string>();
  const busTags = new Map<string, Record<string, string>>();
  const arn = { account: ctx.config.account, region: ctx.config.region };

  void app.register(async (scope) => {
    scope.addContentTypeParser(CONTENT_TYPE, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error, request, reply) => {
      const aws = toAwsError(error);
      if (aws.status >= 500 && aws.type !== 'ServiceUnavailableException') request.log.error({ err: error }, 'EventBridge API request failed');
      void sendError(reply, aws);
    });

    // Described for the document only: this API keeps its own validation and AWS error shape.
    const operations = {
      schema: {
        summary: 'EventBridge-compatible API (AWS JSON 1.1): the operation is named by X-Amz-Target',
        description: EventBridgeDescription,
        tags: ['eventbridge'],
        ...documentOnly({ body: EventBridgeBodyDocument, headers: EventBridgeHeadersDocument }),
      },
    };
    scope.post('/', operations, async (request, reply) => {
      const target = request.headers['x-amz-target'];
      const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
      const raw = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (raw === undefined) {
        throw new AwsError('SerializationException', `The request must have Content-Type ${CONTENT_TYPE} (AWS JSON 1.1).`);
      }
      // Authentication comes first, as on AWS: an unsigned caller learns nothing about operations.
      // X-Amz-Target picks the operation, so a signature must cover it (issue 11, item 9).
      if (keys.size > 0) verifySigV4({ method: request.method, url: request.url, headers: request.headers, body: raw }, keys, 'events', Date.now(), ['x-amz-target']);
      const operation = name !== undefined && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
      if (operation === undefined) {
        throw new AwsError('UnknownOperationException', `Operation ${String(target)} is not supported; Herald supports AWSEvents.{${Object.keys(OPERATIONS).join(',')}}.`);
      }
      const env: OperationEnv = { ctx, arn, busTags, log: request.log };
      const result = await operation(parseBody(raw, ctx.config.maxJsonDepth + REQUEST_ENVELOPE_LEVELS), env);
      return sendJson(reply, request, 200, result);
    });
  });
}

function parseBody(raw: Buffer, maxDepth: number): Record<string, unknown> {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  // The same linear depth scan as every JSON body (issue 11, item 5), before JSON.parse and its
  // reviver recurse into the body.
  const [problem] = scanJson(text, { maxDepth });
  if (problem?.kind === 'depth') {
    throw new AwsError('ValidationException', `The request body is nested more than ${maxDepth} levels deep (at ${formatJsonPath(problem.path) || 'the root'}); Herald's limit is ${maxDepth} levels.`);
  }
  let body: unknown;
  try {
    // A `__proto__` member would be harmless here, but is refused rather than reasoned about.
    body = JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('the member name __proto__ is not allowed');
      if (typeof value === 'string' && JSON_STRING_MEMBERS.has(key)) checkEmbeddedJson(key, value, maxDepth);
      return value;
    });
  } catch (error) {
    if (error instanceof AwsError) throw error;
    throw new AwsError('SerializationException', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(body)) throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  return body;
}

/**
 * Members whose value is a JSON document in a string (PutRule/TestEventPattern `EventPattern`,
 * TestEventPattern `Event`, PutTargets `Input` and `InputTemplate`): they are parsed later by code that
 * recurses (a 100 000-level `Input` was a 500), so they get the body's depth limit here. `Detail` is
 * not among them: PutEvents checks it per entry, against the event limit (eventbridge-view.ts).
 */
const JSON_STRING_MEMBERS = new Set(['EventPattern', 'Event', 'Input', 'InputTemplate']);

function checkEmbeddedJson(member: string, text: string, maxDepth: number): void {
  const [problem] = scanJson(text, { maxDepth });
  if (problem?.kind === 'depth') {
    throw new AwsError('ValidationException', `${member} is nested more than ${maxDepth} levels deep (at ${formatJsonPath(problem.path) || 'the root'}); Herald's limit is ${maxDepth} levels.`);
  }
}

function sendJson(reply: FastifyReply, _request: FastifyRequest, status: number, body: unknown): FastifyReply {
  return reply
    .status(status)
    .header('content-type', CONTENT_TYPE)
    .header('x-amzn-RequestId', randomUUID())
    .send(JSON.stringify(body));
}

function sendError(reply: FastifyReply, error: AwsError): FastifyReply {
  return reply
    .status(error.status)
    .header('content-type', CONTENT_TYPE)
    .header('x-amzn-RequestId', randomUUID())
    .header('x-amzn-ErrorType', error.type)
    .send(JSON.stringify(error.toJSON()));
}
