/**
 * SQLite's own errors stay inside the engine (issue 12, item 5): a write that finds the disk or the
 * size cap full is reported as the contract's HERALD_STORE_FULL (src/store/types.ts), which the API
 * answers with 507, so nothing outside src/store/sqlite/ needs to know SQLite's error codes.
 */
import { HeraldError } from '../../errors/index.js';
import { isDiskFull } from './open.js';

export function storeError(error: unknown): unknown {
  if (isDiskFull(error)) {
    return new HeraldError('HERALD_STORE_FULL', 'the store is full: nothing of this request was stored; retry after retention frees space or the size cap is raised');
  }
  return error;
}

/**
 * `table` as the contract's callers see it: every method, synchronous or not, reports a full store
 * as HERALD_STORE_FULL. Methods run on the table itself, so the engine's own callers (which hold the
 * unwrapped table) are unaffected.
 */
export function classified<T extends object>(table: T): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(table, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = wrapped.get(key);
      if (method === undefined) {
        const fn = value as (...args: unknown[]) => unknown;
        method = (...args: unknown[]): unknown => {
          try {
            const result = fn.apply(target, args);
            return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(storeError(error))) : result;
          } catch (error) {
            throw storeError(error);
          }
        };
        wrapped.set(key, method);
      }
      return method;
    },
  });
}
