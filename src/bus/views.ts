/**
 * The document a rule sees (ARCHITECTURE.md, "Two views of one event"): the CloudEvent itself, or
 * the EventBridge envelope mapped from it.
 */
import type { StoredEvent } from '../events/types.js';
import { toEventBridgeView } from '../events/eventbridge-view.js';
import type { View } from '../rules/types.js';

export interface ViewContext {
  account: string;
  region: string;
}

export function viewOf(stored: StoredEvent, view: View, ctx: ViewContext): unknown {
  if (view === 'cloudevent') return stored.event;
  return toEventBridgeView(stored.event, { account: ctx.account, region: ctx.region, receivedAt: stored.receivedAt });
}

export function ruleArn(ctx: ViewContext, bus: string, rule: string): string {
  return `arn:aws:events:${ctx.region}:${ctx.account}:rule/${bus === 'default' ? '' : `${bus}/`}${rule}`;
}
