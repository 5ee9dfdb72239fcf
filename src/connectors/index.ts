/** The connectors' front door: the registry, the shared helpers and the types. */
export { findSource, findTarget, getSource, getTarget, listConnectors, type ConnectorInfo } from './registry.js';
export { validateConfig } from './config.js';
export { compileTemplate, getPath, messageRoot, type Template } from './template.js';
export { createOutboxTable, outboxDdl } from './sources/outbox/index.js';
export { verifyWebhook, signGithub, signStandard, type WebhookSourceInstance, type WebhookResponse } from './sources/webhook/index.js';
export { parseSchedule, type Schedule } from './sources/schedule/index.js';
export type * from './types.js';
