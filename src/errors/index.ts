export { ERRORS, type ErrorCode } from './catalogue.js';
export { busNotFound, HeraldError, isHeraldError } from './herald-error.js';
