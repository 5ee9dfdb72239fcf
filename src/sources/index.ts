/** Sources inside Herald: the runtime, the connection store, and their HTTP routes. */
export { startSources, createConnectionStore, type StartSourcesDeps, type RunningSources } from './runtime.js';
export { StoreConnections, validateConnection } from './connections.js';
export { validateSource, validateConnectorConfig } from './validate.js';
export { createSink } from './sink.js';
export {
  scheduleRuleSource, scheduleSourceName, scheduledRulePattern, isRuleSchedule, putScheduleSource, removeScheduleSource, setScheduleState, scheduleExpressionOf, SCHEDULED_EVENT,
} from './schedule-rules.js';
export { sourceRoutes } from '../api/sources.js';
export { connectionRoutes } from '../api/connections.js';
export { webhookRoutes } from '../api/webhooks.js';
export type * from './types.js';
