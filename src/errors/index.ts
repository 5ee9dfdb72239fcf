export { ERRORS, type ErrorCode } from './catalogue.js';
export { HeraldError, isHeraldError } from './herald-error.js';
