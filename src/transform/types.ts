/**
 * What a target receives instead of the matched event. One transform per target; validated when the
 * rule is saved, compiled once, applied per delivery. The kinds mirror EventBridge's three target
 * input options plus "the event itself" (API reference, Target: Input, InputPath, InputTransformer):
 *
 *   { kind: 'event' }                                   the whole event, in the rule's view (default)
 *   { kind: 'path', path: '$.detail.order' }            a part of it (EventBridge `InputPath`)
 *   { kind: 'constant', value: <any JSON> }             a fixed JSON value (EventBridge `Input`)
 *   { kind: 'template', inputPathsMap, inputTemplate }  EventBridge `InputTransformer`
 *
 * The transform sees the document of the rule's view: the CloudEvent JSON (cloudevent view) or the
 * EventBridge envelope (eventbridge view) — whichever the caller passes.
 */

export type TransformSpec = EventTransform | PathTransform | ConstantTransform | TemplateTransform;

export interface EventTransform {
  kind: 'event';
}

export interface PathTransform {
  kind: 'path';
  /** A JSONPath in EventBridge's subset (see jsonpath.ts), e.g. `$.detail.order`. */
  path: string;
}

export interface ConstantTransform {
  kind: 'constant';
  /** Any JSON value, delivered as is. */
  value: unknown;
}

export interface TemplateTransform {
  kind: 'template';
  /** Variable name → JSONPath; at most 100 entries (EventBridge InputPathsMap). */
  inputPathsMap?: Record<string, string>;
  /** Text with `<name>` placeholders; 1–8192 characters (EventBridge InputTemplate). */
  inputTemplate: string;
}

export const TRANSFORM_KINDS = ['event', 'path', 'constant', 'template'] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

/** Limits, each EventBridge's own (API reference, InputTransformer, Target). */
export const TRANSFORM_LIMITS = {
  /** InputPathsMap: "You can have as many as 100 key-value pairs." */
  maxInputPaths: 100,
  /** InputTemplate: "Minimum length of 1. Maximum length of 8192." */
  maxTemplateLength: 8192,
  /** InputTransformerPathKey: length 1–256, pattern `[A-Za-z0-9_-]+`. */
  maxVariableNameLength: 256,
  /** Target.Input: maximum length 8192 — applied to the constant's JSON text. */
  maxConstantLength: 8192,
} as const;

/** What the delivery worker knows about the rule and the event when it applies a transform. */
export interface TransformContext {
  /** `<aws.events.rule-arn>`. */
  ruleArn: string;
  /** `<aws.events.rule-name>`. */
  ruleName: string;
  /** `<aws.events.event.ingestion-time>`: when the bus stored the event, ISO 8601. */
  ingestionTime: string;
  /**
   * The view of the document, for `<aws.events.event>` (the event without its payload). When absent
   * it is inferred: a document with `specversion` is a CloudEvent, otherwise an EventBridge envelope.
   */
  view?: 'cloudevent' | 'eventbridge';
}

/**
 * The body a target receives. A JSON result (event, path, constant, JSON template) is a JSON value to
 * serialise; a template that is not JSON yields the text itself.
 */
export type TransformOutput =
  | { body: unknown; contentType: 'application/json' }
  | { body: string; contentType: 'text/plain' };

export interface CompiledTransform {
  readonly spec: TransformSpec;
  apply(document: unknown, ctx: TransformContext): TransformOutput;
}
