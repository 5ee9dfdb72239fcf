/**
 * The CloudEvents front door: the model, validation, and the HTTP protocol binding codecs.
 * Pure functions, no I/O: the API layer hands over request parts and sends what the encoders return.
 */
export type { CloudEvent, StoredEvent } from './types.js';
export { REQUIRED_ATTRIBUTES, OPTIONAL_ATTRIBUTES } from './types.js';
export { validateEvent, type ValidateOptions } from './validate.js';
export { parseMediaType, isJsonMediaType, type MediaType } from './media-type.js';
export { decodeHttpRequest } from './http-binding/decode.js';
export { encodeBinary } from './http-binding/binary.js';
export {
  encodeStructured,
  encodeBatch,
  structuredSize,
  STRUCTURED_CONTENT_TYPE,
  BATCH_CONTENT_TYPE,
} from './http-binding/structured.js';
export { decodeHeaderValue, encodeHeaderValue } from './http-binding/header-value.js';
export type {
  HttpRequestParts,
  DecodeLimits,
  DecodedRequest,
  BatchEntry,
  BatchEntryFailure,
  ContentMode,
  EncodedMessage,
} from './http-binding/types.js';
