/** Sources inside Herald: the runtime and the connection store (their HTTP routes are src/api's). */
export { startSources, createConnectionStore, type StartSourcesDeps, type RunningSources } from './runtime.js';
export { StoreConnections, validateConnection } from './connections.js';
export { validateSource, validateConnectorConfig } from './validate.js';
export { createSink } from './sink.js';
export {
  scheduleRuleSource, scheduleSourceName, scheduledRulePattern, isRuleSchedule, putScheduleSource, removeScheduleSource, setScheduleState, scheduleExpressionOf, SCHEDULED_EVENT,
} from './schedule-rules.js';
export type * from './types.js';
