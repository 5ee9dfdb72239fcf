/** Subscriptions API filter dialects (and Knative Trigger filter forms): the front door. */
export {
  createSqlFamilyMatcher,
  createSubscriptionsMatcher,
  explainSubscriptions,
  validateSubscriptions,
  type CompiledSubscriptions,
  type SqlFamilyMatcher,
} from './matcher.js';
export { SUBSCRIPTION_DIALECTS, type FilterNode, type SubscriptionDialect } from './types.js';
