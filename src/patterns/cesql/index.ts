/** CloudEvents SQL v1 (CESQL): the front door of the engine and its matcher. */
export { compileCesql, evaluate, matchesCesql, validateCesql, type CompiledExpression } from './expression.js';
export { explainCesql } from './explain.js';
export { createCesqlMatcher } from './matcher.js';
export { CESQL_ERROR_KINDS, type CesqlError, type CesqlErrorKind, type CesqlValue, type EvaluationResult } from './types.js';
