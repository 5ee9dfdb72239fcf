/**
 * Errors in the AWS JSON 1.1 protocol's shape, so the AWS SDKs raise their own exception classes:
 * HTTP status, header `x-amzn-ErrorType: <Name>` and body `{"__type": "<Name>", "message": "…"}`
 * (the SDKs read the name from the header first, then `__type`; smithy awsJson1_1 protocol,
 * "Operation error serialization"). Herald's coded errors are translated here, once.
 */
import type { FastifyError } from 'fastify';
import { isHeraldError, type ErrorCode } from '../../errors/index.js';

/** The EventBridge error names Herald answers with (API reference, "Errors" of each operation, and Common Errors). */
export const AWS_ERRORS = {
  ResourceNotFoundException: 400,
  ResourceAlreadyExistsException: 400,
  ValidationException: 400,
  InvalidEventPatternException: 400,
  LimitExceededException: 400,
  ConcurrentModificationException: 400,
  ManagedRuleException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  // Authentication (Common Errors; AWS JSON services answer 400 for both, 403 for a missing token).
  UnrecognizedClientException: 400,
  InvalidSignatureException: 400,
  IncompleteSignatureException: 400,
  MissingAuthenticationTokenException: 403,
  InternalException: 500,
  ServiceUnavailableException: 503,
} as const;
export type AwsErrorName = keyof typeof AWS_ERRORS;

export class AwsError extends Error {
  readonly status: number;
  constructor(
    readonly type: AwsErrorName,
    message: string,
  ) {
    super(message);
    this.name = type;
    this.status = AWS_ERRORS[type];
  }

  toJSON(): { __type: AwsErrorName; message: string } {
    return { __type: this.type, message: this.message };
  }
}

export const validation = (message: string): AwsError => new AwsError('ValidationException', message);

/** What each Herald code means to an EventBridge client. */
const FROM_HERALD: Partial<Record<ErrorCode, AwsErrorName>> = {
  HERALD_BUS_NOT_FOUND: 'ResourceNotFoundException',
  HERALD_RULE_NOT_FOUND: 'ResourceNotFoundException',
  HERALD_TARGET_NOT_FOUND: 'ResourceNotFoundException',
  HERALD_NOT_FOUND: 'ResourceNotFoundException',
  HERALD_EVENT_NOT_FOUND: 'ResourceNotFoundException',
  HERALD_DELIVERY_NOT_FOUND: 'ResourceNotFoundException',
  HERALD_BUS_EXISTS: 'ResourceAlreadyExistsException',
  HERALD_RULE_EXISTS: 'ResourceAlreadyExistsException',
  HERALD_INVALID_PATTERN: 'InvalidEventPatternException',
  HERALD_MALFORMED_REQUEST: 'SerializationException',
  HERALD_STORE_FULL: 'ServiceUnavailableException',
  HERALD_STORE_UNAVAILABLE: 'ServiceUnavailableException',
  HERALD_SHUTTING_DOWN: 'ServiceUnavailableException',
  HERALD_INTERNAL: 'InternalException',
};

/** Any thrown value → the AWS error to answer with. Unknown faults become InternalException (and are logged by the caller). */
export function toAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  if (isHeraldError(error)) {
    const type = FROM_HERALD[error.code] ?? (error.status >= 500 ? 'InternalException' : 'ValidationException');
    const where = error.field !== undefined && !error.message.includes(error.field) ? ` (${error.field})` : '';
    return new AwsError(type, `${error.message}${where}`);
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return validation('The request body is larger than the request limit.');
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    return validation(fastifyError.message ?? 'The request is not valid.');
  }
  return new AwsError('InternalException', 'An internal error occurred; the server log has the details.');
}
