/**
 * Deliveries as the API shows them: every time an RFC 3339 string, every duration in ms under a
 * `…Ms` name (issue 10, item 3 — `nextAt` was epoch ms). The store keeps epoch ms.
 */
import type { AttemptRecord, DeliveryRecord, RedriveRecord } from '../store/index.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export function attemptView(attempt: AttemptRecord) {
  return { attempt: attempt.attempt, at: iso(attempt.at), latencyMs: attempt.latencyMs, outcome: attempt.outcome, status: attempt.status, error: attempt.error };
}

export function redriveView(redrive: RedriveRecord) {
  return { at: iso(redrive.at), by: redrive.by, reason: redrive.reason, from: redrive.from, to: redrive.to };
}

export function deliveryView(d: DeliveryRecord) {
  return {
    id: d.id,
    bus: d.bus,
    sequence: d.sequence,
    rule: d.rule,
    target: d.target,
    state: d.state,
    reason: d.reason,
    /** Every attempt made, as the attempt log has them. */
    attempts: d.attempts,
    lastError: d.lastError,
    lastStatus: d.lastStatus,
    eventAt: iso(d.eventAt),
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    /** Only a pending delivery has a next attempt. */
    nextAt: d.state === 'pending' ? iso(d.nextAt) : null,
    /** What the retry policy counts: attempts since `since` (the event, or the last redrive), 429s excluded. */
    budget: { since: iso(d.budgetAt), attemptsSpent: d.spent },
    redrives: d.redrives.map(redriveView),
  };
}
