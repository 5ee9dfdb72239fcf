/** herald.yaml: declarative connections, buses, sources and rules, planned and applied through the admin API. */
export { applyConfigFile, applyParsed } from './apply.js';
export { loadConfigFile, parseConfigText } from './parse.js';
export { computePlan, changesOf, type PlanOptions } from './plan.js';
export { MASKED } from './plan-sources.js';
export { formatPlan } from './format.js';
export { ConfigFileError, isConfigFileError, formatIssue, type Issue, type ConfigFileErrorCode } from './errors.js';
export type {
  ApplyOptions,
  ApplyResult,
  BusDeclaration,
  ConnectionDeclaration,
  CurrentState,
  Declarations,
  HeraldFile,
  Plan,
  PlanItem,
  PlanSummary,
  FieldChange,
  SourceDeclaration,
} from './types.js';
