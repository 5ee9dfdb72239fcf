/** Previews (src/api/tools.ts): `POST /v1/filters/test` and `POST /v1/transforms/test`. */
const VIEW = { type: 'string', enum: ['cloudevent', 'eventbridge'], description: 'The form of the event the transform sees. Default cloudevent.' } as const;

/** The filter is checked by the filter validator (HERALD_INVALID_PATTERN / HERALD_INVALID_FILTER). */
export const FilterTestRequestSchema = {
  type: 'object',
  required: ['filter', 'event'],
  additionalProperties: false,
  properties: {
    filter: { description: 'Exactly one of `{"pattern": …}`, `{"cesql": "…"}` or `{"subscriptions": […]}`.', examples: [{ pattern: { source: ['shop'] } }] },
    event: { description: 'Matched exactly as given (a CloudEvent or an EventBridge envelope: the caller chooses the view).' },
  },
} as const;

/** The transform is checked by the transform compiler (HERALD_INVALID_TRANSFORM). */
export const TransformTestRequestSchema = {
  type: 'object',
  required: ['transform', 'event'],
  additionalProperties: false,
  properties: {
    transform: { description: 'A target transform: `{"kind": "event" | "path" | "constant" | "template", …}` (docs/transforms.md).' },
    event: { description: 'The event, in the form `view` names.' },
    view: VIEW,
    rule: { type: 'string', description: 'The rule name templates see (`<aws.events.rule-name>`). Default test-rule.' },
  },
} as const;
