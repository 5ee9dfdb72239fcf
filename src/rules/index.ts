export * from './types.js';
export type { RulesService } from './service.js';
export { StoreRulesService, type RuleListener } from './rules-service.js';
export { validateRuleSpec, validateTargetSpec, retryPolicy, type ConnectorCheck } from './validate.js';
