/**
 * EventBridge `Target` ↔ Herald `TargetSpec` (API reference, Target). Herald takes a target URI in
 * `Arn`: an `http(s)://` URL (an HTTP target, POST) or an event bus ARN (the `bus` connector). Input,
 * InputPath and InputTransformer map to transforms (src/transform/eventbridge-target.ts); RetryPolicy,
 * DeadLetterConfig and HttpParameters map to Herald's fields. Any other member is refused by name.
 */
import { isHeraldError } from '../../errors/index.js';
import { DEFAULT_RETRY, TARGET_ID, type RetryPolicy, type TargetSpec } from '../../rules/types.js';
import { fromEventBridgeTarget, toEventBridgeTarget } from '../../transform/index.js';
import { busArn, parseBusArn, type ArnContext } from './arns.js';
import { validation } from './errors.js';
import { isObject, onlyMembers, optionalInteger, requiredString, stringList, stringMap, type Members } from './input.js';

export const TARGET_MEMBERS = ['Id', 'Arn', 'Input', 'InputPath', 'InputTransformer', 'RetryPolicy', 'DeadLetterConfig', 'HttpParameters'] as const;

/** A connector and its config, or why the Arn names nothing Herald can send to. */
export type Destination = { type: string; config: Record<string, unknown> } | { unsupported: string };

/** A target parsed from a request: ready for the rules service, or a per-entry failure (FailedEntries). */
export type ParsedTarget = { id: string; spec: TargetSpec } | { id: string; failed: string };

interface HttpParameters {
  PathParameterValues?: string[];
  HeaderParameters?: Record<string, string>;
  QueryStringParameters?: Record<string, string>;
}

/** Which Herald connector an `Arn` names. Unknown schemes are per-entry failures, as AWS reports a target it cannot use. */
export function destinationOf(arn: string, http?: HttpParameters, where = 'Target'): Destination {
  if (/^https?:\/\//i.test(arn)) {
    const filled = withPathParameters(arn, http?.PathParameterValues, where);
    let url: URL;
    try {
      url = new URL(filled);
    } catch {
      return { unsupported: `Arn ${arn} is not a valid URL.` };
    }
    for (const [key, value] of Object.entries(http?.QueryStringParameters ?? {})) url.searchParams.append(key, value);
    const headers = http?.HeaderParameters;
    // `raw`: the body is the event envelope or the transformed input itself, as EventBridge's API
    // destinations send it — not a CloudEvents encoding, which EventBridge clients do not expect.
    return { type: 'http', config: { url: url.toString(), method: 'POST', mode: 'raw', ...(headers && Object.keys(headers).length > 0 ? { headers } : {}) } };
  }
  const bus = parseBusArn(arn);
  if (bus !== undefined) {
    if (http !== undefined) throw validation(`${where}.HttpParameters applies to HTTP targets only.`);
    return { type: 'bus', config: { bus } };
  }
  return {
    unsupported: `Arn ${arn} is not a target Herald supports: use an http(s):// URL or an event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>).`,
  };
}

/**
 * HttpParameters.PathParameterValues fill the `*` wildcards of the URL's path, in order (API reference,
 * HttpParameters). The counts must agree, or the URL would silently be wrong.
 */
function withPathParameters(arn: string, values: string[] | undefined, where: string): string {
  const pathStart = arn.indexOf('/', arn.indexOf('//') + 2);
  if (pathStart < 0) {
    if (values !== undefined && values.length > 0) throw validation(`${where}.HttpParameters.PathParameterValues: the URL has no path wildcards (*).`);
    return arn;
  }
  const end = arn.search(/[?#]/);
  const path = end < 0 ? arn.slice(pathStart) : arn.slice(pathStart, end);
  const pieces = path.split('*');
  const given = values ?? [];
  if (given.length !== pieces.length - 1) {
    throw validation(`${where}.HttpParameters.PathParameterValues has ${given.length} value(s) for ${pieces.length - 1} path wildcard(s) (*).`);
  }
  if (given.length === 0) return arn;
  const filled = pieces.map((piece, i) => (i === 0 ? piece : encodeURIComponent(given[i - 1]!) + piece)).join('');
  return arn.slice(0, pathStart) + filled + (end < 0 ? '' : arn.slice(end));
}

function retryOf(value: unknown, where: string): Partial<RetryPolicy> | undefined {
  if (value === undefined || value === null) return undefined;
  const body = onlyMembers(value, ['MaximumRetryAttempts', 'MaximumEventAgeInSeconds'], `${where}.RetryPolicy.`);
  // API reference, RetryPolicy: attempts 0–185, event age 60–86400 seconds.
  const attempts = optionalInteger(body, 'MaximumRetryAttempts', 0, 185, `${where}.RetryPolicy.`);
  const age = optionalInteger(body, 'MaximumEventAgeInSeconds', 60, 86_400, `${where}.RetryPolicy.`);
  return {
    ...(attempts === undefined ? {} : { maxAttempts: attempts + 1 }),
    ...(age === undefined ? {} : { maxAgeMs: age * 1000 }),
  };
}

/** Parses one AWS Target. Throws ValidationException for a malformed member; an Arn Herald cannot serve is a per-entry failure. */
export function fromAwsTarget(input: unknown, where: string): ParsedTarget {
  const body = onlyMembers(input, TARGET_MEMBERS, `${where}.`);
  const id = requiredString(body, 'Id', `${where}.`);
  if (!TARGET_ID.test(id)) throw validation(`${where}.Id must match [.\\-_A-Za-z0-9]{1,64}.`);
  const arn = requiredString(body, 'Arn', `${where}.`);
  let http: HttpParameters | undefined;
  if (body.HttpParameters !== undefined && body.HttpParameters !== null) {
    const h = onlyMembers(body.HttpParameters, ['PathParameterValues', 'HeaderParameters', 'QueryStringParameters'], `${where}.HttpParameters.`);
    const pathValues = stringList(h, 'PathParameterValues', `${where}.HttpParameters.`);
    const headers = stringMap(h, 'HeaderParameters', `${where}.HttpParameters.`);
    const query = stringMap(h, 'QueryStringParameters', `${where}.HttpParameters.`);
    http = {
      ...(pathValues === undefined ? {} : { PathParameterValues: pathValues }),
      ...(headers === undefined ? {} : { HeaderParameters: headers }),
      ...(query === undefined ? {} : { QueryStringParameters: query }),
    };
  }
  let transform;
  try {
    transform = fromEventBridgeTarget(body, where);
  } catch (error) {
    if (isHeraldError(error)) throw validation(`${error.field ?? where}: ${error.message}`);
    throw error;
  }
  const retry = retryOf(body.RetryPolicy, where);
  let deadLetter: { type: string; config: Record<string, unknown> } | undefined;
  if (body.DeadLetterConfig !== undefined && body.DeadLetterConfig !== null) {
    const d = onlyMembers(body.DeadLetterConfig, ['Arn'], `${where}.DeadLetterConfig.`);
    const dl = destinationOf(requiredString(d, 'Arn', `${where}.DeadLetterConfig.`), undefined, `${where}.DeadLetterConfig`);
    if ('unsupported' in dl) return { id, failed: `DeadLetterConfig: ${dl.unsupported}` };
    deadLetter = dl;
  }
  const destination = destinationOf(arn, http, where);
  if ('unsupported' in destination) return { id, failed: destination.unsupported };
  const spec: TargetSpec = {
    id,
    type: destination.type,
    config: destination.config,
    ...(transform.kind === 'event' ? {} : { transform }),
    ...(retry === undefined || Object.keys(retry).length === 0 ? {} : { retry }),
    ...(deadLetter === undefined ? {} : { deadLetterTarget: deadLetter }),
  };
  return { id, spec };
}

function arnOf(ctx: ArnContext, type: string, config: Record<string, unknown>): string {
  if (type === 'http' && typeof config.url === 'string') return config.url;
  if (type === 'bus' && typeof config.bus === 'string') return busArn(ctx, config.bus);
  // A target made through Herald's API with another connector: named, never with its settings (they may hold secrets).
  return `herald:target:${type}`;
}

/** A stored target as ListTargetsByRule shows it. Query and path parameters are already part of the URL. */
export function toAwsTarget(ctx: ArnContext, target: TargetSpec): Members {
  const out: Members = { Id: target.id, Arn: arnOf(ctx, target.type, target.config) };
  Object.assign(out, toEventBridgeTarget(target.transform ?? { kind: 'event' }));
  const retry = target.retry;
  if (retry !== undefined && (retry.maxAttempts !== undefined || retry.maxAgeMs !== undefined)) {
    out.RetryPolicy = {
      MaximumRetryAttempts: (retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts) - 1,
      MaximumEventAgeInSeconds: Math.round((retry.maxAgeMs ?? DEFAULT_RETRY.maxAgeMs) / 1000),
    };
  }
  if (target.deadLetterTarget !== undefined) {
    out.DeadLetterConfig = { Arn: arnOf(ctx, target.deadLetterTarget.type, target.deadLetterTarget.config) };
  }
  const headers = target.type === 'http' ? target.config.headers : undefined;
  if (isObject(headers) && Object.keys(headers).length > 0) out.HttpParameters = { HeaderParameters: headers };
  return out;
}
