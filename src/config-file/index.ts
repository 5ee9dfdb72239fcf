/** herald.yaml: declarative connections, buses, sources and rules, planned and applied by the server (POST /v1/apply). */
export { applyConfigFile, applyParsed, desiredState } from './apply.js';
export { loadConfigFile, parseConfigText, MAX_ALIAS_COUNT, MAX_DEPTH } from './parse.js';
export { computePlan, changesOf, MASKED, type PlanOptions } from '../state/index.js';
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
