import type { RetryPolicy } from '../rules/types.js';

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential from the base, capped,
 * with full jitter (a uniform delay up to it) unless the policy turns jitter off.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** Math.min(attempt - 1, 40));
  return policy.jitter ? Math.round(random() * exponential) : exponential;
}
