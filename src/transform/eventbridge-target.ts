/**
 * EventBridge's target input fields ↔ Herald transforms, for the EventBridge-compatible API
 * (PutTargets / ListTargetsByRule). API reference, Target: `Input` (valid JSON text), `InputPath`
 * (a JSONPath) and `InputTransformer` ({InputPathsMap, InputTemplate}); at most one of them.
 */
import { HeraldError, isHeraldError } from '../errors/index.js';
import { compileTransform } from './compile.js';
import type { TransformSpec } from './types.js';

export interface EventBridgeTargetInput {
  Input?: unknown;
  InputPath?: unknown;
  InputTransformer?: unknown;
}

/**
 * The transform a PutTargets target asks for; `{kind:'event'}` when it names none. Throws
 * HERALD_INVALID_REQUEST with `field` in EventBridge's names (e.g. `Targets[0].InputTransformer.InputTemplate`).
 */
export function fromEventBridgeTarget(target: EventBridgeTargetInput, field = 'Target'): TransformSpec {
  const given = (['Input', 'InputPath', 'InputTransformer'] as const).filter(
    (name) => target[name] !== undefined && target[name] !== null,
  );
  if (given.length > 1) {
    // EventBridge: "Only one of Input, InputPath, or InputTransformer must be provided for target …"
    throw new HeraldError('HERALD_INVALID_REQUEST', 'only one of Input, InputPath, or InputTransformer may be provided', `${field}.${given[1]}`);
  }
  try {
    if (given[0] === 'Input') {
      if (typeof target.Input !== 'string') throw invalid('Input must be a string of JSON text', `${field}.Input`);
      let value: unknown;
      try {
        value = JSON.parse(target.Input);
      } catch {
        throw invalid('Input must be valid JSON text', `${field}.Input`);
      }
      return compileTransform({ kind: 'constant', value }, field).spec;
    }
    if (given[0] === 'InputPath') return compileTransform({ kind: 'path', path: target.InputPath }, field).spec;
    if (given[0] === 'InputTransformer') {
      const t = target.InputTransformer;
      if (typeof t !== 'object' || t === null || Array.isArray(t)) {
        throw invalid('InputTransformer must be an object', `${field}.InputTransformer`);
      }
      const { InputPathsMap, InputTemplate } = t as Record<string, unknown>;
      return compileTransform({ kind: 'template', inputPathsMap: InputPathsMap, inputTemplate: InputTemplate }, field).spec;
    }
    return { kind: 'event' };
  } catch (error) {
    if (isHeraldError(error) && error.field !== undefined) {
      throw new HeraldError(error.code, error.message, toAwsField(error.field, field));
    }
    throw error;
  }
}

/** The EventBridge target fields for a stored transform (ListTargetsByRule). */
export function toEventBridgeTarget(spec: TransformSpec): EventBridgeTargetInput {
  switch (spec.kind) {
    case 'event':
      return {};
    case 'path':
      return { InputPath: spec.path };
    case 'constant':
      return { Input: JSON.stringify(spec.value) };
    case 'template':
      return {
        InputTransformer: {
          ...(spec.inputPathsMap === undefined ? {} : { InputPathsMap: spec.inputPathsMap }),
          InputTemplate: spec.inputTemplate,
        },
      };
  }
}

function toAwsField(herald: string, prefix: string): string {
  const rest = herald.slice(prefix.length);
  return (
    prefix +
    rest
      .replace(/^\.inputPathsMap/, '.InputTransformer.InputPathsMap')
      .replace(/^\.inputTemplate/, '.InputTransformer.InputTemplate')
      .replace(/^\.path$/, '.InputPath')
      .replace(/^\.value$/, '.Input')
  );
}

function invalid(message: string, field: string): HeraldError {
  return new HeraldError('HERALD_INVALID_REQUEST', message, field);
}
