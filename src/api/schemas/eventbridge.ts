/**
 * The EventBridge-compatible API (`POST /`, AWS JSON 1.1), for the document only: it keeps its own
 * validation and AWS error shape (src/api/eventbridge), so none of this is checked by fastify.
 */
export const EventBridgeHeadersDocument = {
  type: 'object',
  required: ['x-amz-target'],
  properties: {
    'x-amz-target': { type: 'string', pattern: '^AWSEvents\\.[A-Za-z]+$', description: 'The operation, e.g. `AWSEvents.PutEvents` (docs/eventbridge-api.md lists them).' },
    authorization: { type: 'string', description: 'AWS Signature Version 4, when access keys are configured.' },
  },
} as const;

export const EventBridgeBodyDocument = {
  description: "The operation's input, as the AWS SDKs send it (AWS JSON 1.1).",
  content: {
    'application/x-amz-json-1.1': {
      schema: { type: 'object', description: 'The input of the operation named in `X-Amz-Target`.', examples: [{ Entries: [{ Source: 'shop', DetailType: 'order.created', Detail: '{"total":5}' }] }] },
    },
  },
} as const;

export const EventBridgeDescription =
  'One endpoint for every EventBridge operation Herald supports (PutEvents, PutRule, PutTargets, TestEventPattern…), chosen by the ' +
  '`X-Amz-Target` header, as the AWS SDKs, CLI and Terraform call it. Errors use the AWS shape `{"__type", "message"}`, not Herald\'s.';
