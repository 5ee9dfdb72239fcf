/**
 * The desired state of a Herald and how it is applied: validated whole, planned against the store,
 * written in one transaction (POST /v1/apply; `herald apply` sends herald.yaml through it).
 */
export { StateService, type StateDeps } from './apply.js';
export { computePlan, changesOf, itemKey, summarize, PROTECTED_BUS, type PlanOptions } from './plan.js';
export { MASKED, NOT_COMPARED, canonicalSource } from './plan-sources.js';
export { canonicalRule, diff, deepEqual, projectOnto } from './normalize.js';
export { getAt, setAt } from './data-path.js';
export { validateState, type StateIssue } from './validate.js';
export * from './types.js';
