/**
 * Errors tell the delivery engine what to do (STYLE.md habit 6). A connector's `send` throws one of
 * these; anything else thrown is treated as retryable.
 */

/** Try again later with the normal backoff (5xx, timeouts, connection refused, broker unavailable). */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  constructor(message: string, readonly code = 'HERALD_TARGET_UNAVAILABLE') {
    super(message);
  }
}

/** Never succeeds as sent (4xx, schema violation, unknown table): straight to the dead-letter queue. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(message: string, readonly code = 'HERALD_TARGET_REJECTED') {
    super(message);
  }
}

/** The target asked us to wait (429 Retry-After, broker flow control): pause the whole target for `ms`. */
export class BackOffError extends Error {
  override readonly name = 'BackOffError';
  constructor(message: string, readonly ms: number, readonly code = 'HERALD_TARGET_THROTTLED') {
    super(message);
  }
}

/** The target is gone for good (HTTP 410): disable it; pending deliveries go to the DLQ. */
export class TargetGoneError extends Error {
  override readonly name = 'TargetGoneError';
  constructor(message: string, readonly code = 'HERALD_TARGET_GONE') {
    super(message);
  }
}

/** Some messages of a batch failed; `failures` maps the index in the batch to its error. */
export class PartialBatchError extends Error {
  override readonly name = 'PartialBatchError';
  constructor(message: string, readonly failures: Map<number, Error>) {
    super(message);
  }
}

export type DeliveryError = RetryableError | PermanentError | BackOffError | TargetGoneError | PartialBatchError;
