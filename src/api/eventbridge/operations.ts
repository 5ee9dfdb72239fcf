/** The EventBridge operations Herald serves, by their `X-Amz-Target` name (`AWSEvents.<Operation>`). */
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './buses.js';
import type { Operation } from './env.js';
import { putEvents } from './put-events.js';
import { deleteRule, describeRule, disableRule, enableRule, listRules, putRule } from './rules.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { listTargetsByRule, putTargets, removeTargets } from './targets.js';
import { testEventPattern } from './test-pattern.js';

export const OPERATIONS: Readonly<Record<string, Operation>> = Object.freeze({
  PutEvents: putEvents,
  CreateEventBus: createEventBus,
  DeleteEventBus: deleteEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  PutRule: putRule,
  DescribeRule: describeRule,
  DeleteRule: deleteRule,
  ListRules: listRules,
  EnableRule: enableRule,
  DisableRule: disableRule,
  PutTargets: putTargets,
  RemoveTargets: removeTargets,
  ListTargetsByRule: listTargetsByRule,
  TestEventPattern: testEventPattern,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
});
