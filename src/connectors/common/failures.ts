/**
 * Mapping client errors to what the delivery engine should do (STYLE.md habit 6): network faults
 * and timeouts are retryable; configuration faults (bad table, auth, unknown exchange) are permanent.
 */
import { BackOffError, PartialBatchError, PermanentError, RetryableError, TargetGoneError } from '../../delivery/errors.js';

/** Node socket error codes that mean "the far side is not reachable right now". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
  'ECONNABORTED', 'PROTOCOL_CONNECTION_LOST', 'ERR_SOCKET_CLOSED', 'ERR_STREAM_DESTROYED',
]);

export function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isNetworkError);
  return false;
}

export function isDeliveryError(error: unknown): boolean {
  return error instanceof RetryableError || error instanceof PermanentError || error instanceof BackOffError
    || error instanceof TargetGoneError || error instanceof PartialBatchError;
}

/** Wraps anything not already a delivery error as retryable (the engine's default for unknown faults). */
export function retryable(error: unknown, what: string): Error {
  if (isDeliveryError(error)) return error as Error;
  return new RetryableError(`${what}: ${errorMessage(error)}`);
}

export function permanent(error: unknown, what: string): PermanentError {
  return new PermanentError(`${what}: ${errorMessage(error)}`);
}

/** Rejects with a RetryableError when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RetryableError(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
