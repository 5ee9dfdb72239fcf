/**
 * Subscriptions API filters (subscriptions-spec.md §3.2.4), normalised. Each node keeps `path`, its
 * place in the filter as the user wrote it (e.g. `subscriptions[0].all[1].sql`), for error messages,
 * explanations and the evaluation errors handed to the router.
 */
import type { CompiledExpression } from '../cesql/expression.js';

/** The dialects Herald accepts: the six REQUIRED ones, `sql` (OPTIONAL, §3.2.4.1.2), Knative's names. */
export const SUBSCRIPTION_DIALECTS = ['exact', 'prefix', 'suffix', 'all', 'any', 'not', 'sql', 'cesql'] as const;
export type SubscriptionDialect = (typeof SUBSCRIPTION_DIALECTS)[number];

export type FilterNode =
  | { kind: 'exact' | 'prefix' | 'suffix'; entries: Array<[name: string, value: string]>; path: string }
  /** Knative's legacy `filter.attributes`: exact, except that "" matches any value (see parse.ts). */
  | { kind: 'attributes'; entries: Array<[name: string, value: string]>; path: string }
  | { kind: 'all' | 'any'; filters: FilterNode[]; path: string }
  | { kind: 'not'; filter: FilterNode; path: string }
  | { kind: 'sql'; compiled: CompiledExpression; path: string };
