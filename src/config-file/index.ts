/** herald.yaml: declarative buses and rules, planned and applied through the admin API. */
export { applyConfigFile, applyParsed } from './apply.js';
export { loadConfigFile, parseConfigText } from './parse.js';
export { computePlan, changesOf } from './plan.js';
export { formatPlan } from './format.js';
export { ConfigFileError, isConfigFileError, formatIssue, type Issue, type ConfigFileErrorCode } from './errors.js';
export type { ApplyOptions, ApplyResult, BusDeclaration, CurrentState, HeraldFile, Plan, PlanItem, PlanSummary, FieldChange } from './types.js';
