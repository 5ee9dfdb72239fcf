/**
 * Transforms: what a target receives instead of the matched event (docs/transforms.md).
 * The front door of src/transform; everything else in the folder is internal.
 */
export { compileTransform, validateTransform } from './compile.js';
export { fromEventBridgeTarget, toEventBridgeTarget, type EventBridgeTargetInput } from './eventbridge-target.js';
export { evaluatePath, parseJsonPath, JsonPathError, MAX_PATH_LENGTH, type CompiledPath, type PathResult } from './jsonpath.js';
export { RESERVED_VARIABLES, type ReservedVariable } from './template.js';
export {
  TRANSFORM_KINDS,
  TRANSFORM_LIMITS,
  type CompiledTransform,
  type ConstantTransform,
  type EventTransform,
  type PathTransform,
  type TemplateTransform,
  type TransformContext,
  type TransformKind,
  type TransformOutput,
  type TransformSpec,
} from './types.js';
