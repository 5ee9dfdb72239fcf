/** The Redis client settings targets and sources share: fail fast instead of queueing while offline. */
import { Redis } from 'ioredis';
import { PermanentError, RetryableError } from '../../delivery/errors.js';
import { errorMessage, isNetworkError } from './failures.js';

export function openRedis(url: string, timeoutMs: number, name: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    // Commands sent while disconnected fail at once (retryable) rather than waiting in memory.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    connectionName: name,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/** Resolves when the client is ready; throws RetryableError when it is not within `timeoutMs`. */
export async function ready(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait' || client.status === 'end') {
    try {
      await client.connect();
      return;
    } catch (error) {
      throw new RetryableError(`redis connect: ${errorMessage(error)}`);
    }
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new RetryableError(`redis: not connected (${client.status})`));
    }, timeoutMs);
    function onReady(): void {
      clearTimeout(timer);
      resolve();
    }
    client.once('ready', onReady);
  });
}

/**
 * Reply errors name their kind in the first word (Redis docs, "Error reply"): auth, permission,
 * type and syntax errors repeat forever; LOADING, BUSY, TRYAGAIN, OOM, MASTERDOWN pass.
 */
export function classifyRedis(error: unknown, what: string): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const message = `${what}: ${errorMessage(error)}`;
  if (isNetworkError(error)) return new RetryableError(message);
  if (error instanceof Error && error.name === 'ReplyError' && /^(ERR|WRONGTYPE|NOAUTH|WRONGPASS|NOPERM|NOSCRIPT)\b/.test(error.message)) {
    return new PermanentError(message);
  }
  return new RetryableError(message);
}
