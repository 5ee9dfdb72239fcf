/**
 * The delivery engine: one TargetRunner per (bus, rule, target), each sending through its
 * connector's instance. An attempt's outcome and the delivery's next state are written together;
 * every delivery ends delivered, dead-lettered or cancelled (invariant 2).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudEvent, StoredEvent } from '../events/types.js';
import type { TargetConnector, TargetContext, TargetInstance } from '../connectors/types.js';
import { compileTransform } from '../transform/index.js';
import type { CompiledTransform } from '../transform/types.js';
import { retryPolicy } from '../rules/validate.js';
import type { RuleRecord, TargetSpec } from '../rules/types.js';
import type { AttemptResult, DeliveryQueue, DeliveryRecord, EventLog, TargetKey } from '../store/index.js';
import { ruleArn, viewOf, type ViewContext } from '../bus/views.js';
import type { EventCache } from '../bus/event-cache.js';
import { backoffMs } from './backoff.js';
import { BackOffError, PartialBatchError, PermanentError, TargetGoneError } from './errors.js';
import { TargetRunner, type Outcome } from './target-runner.js';
import { LimitedLog } from './limited-log.js';
import type { Metrics } from '../observe/index.js';

/** Waits between tries to write an outcome the store refused (a full disk): doubling, capped. */
const WRITE_RETRY_FIRST_MS = 100;
const WRITE_RETRY_MAX_MS = 10_000;

/** A dead letter, for the log line every one gets (issue 10, item 3). */
export interface DeadLetterNote extends TargetKey {
  sequence: number;
  eventId: string | null;
  reason: string;
  deliveryId?: number;
  error?: string | null;
}

export interface EngineDeps {
  events: EventLog;
  deliveries: DeliveryQueue;
  connector(type: string): TargetConnector | undefined;
  targetContext: TargetContext;
  viewContext: ViewContext;
  /** A target answered 410: disable it in its rule. */
  onTargetGone(key: TargetKey, reason: string): Promise<void>;
  /** A reply event to publish (Knative reply) on the rule's reply bus. */
  publishReply(bus: string, event: CloudEvent): Promise<void>;
  /** Events the router just routed (a miss reads the store). */
  cache?: EventCache;
  /** Jitter source; tests may fix it. */
  random?: () => number;
  /** Counts each recorded attempt; re-reads the gauges after a bulk change (issue 15). */
  metrics?: Pick<Metrics, 'attempted' | 'correct'>;
}

interface Binding {
  rule: RuleRecord;
  target: TargetSpec;
  transform: CompiledTransform;
  instance: Promise<TargetInstance>;
  /** Where this target's dead letters are also sent, when it names a deadLetterTarget. */
  deadLetter?: Promise<TargetInstance>;
  runner: TargetRunner;
  /** Aborted when the binding goes: ends the wait of an outcome that could not be written yet. */
  stopping: AbortController;
}

const keyOf = (k: TargetKey) => `${k.bus}\u0000${k.rule}\u0000${k.target}`;

export class DeliveryEngine {
  private readonly bindings = new Map<string, Binding>();
  /** Repeated errors and dead letters log a few lines per target and window, never a flood. */
  private readonly limited: LimitedLog;

  constructor(private readonly deps: EngineDeps) {
    this.limited = new LimitedLog(deps.targetContext.log);
  }

  /**
   * Logs a dead letter once, at warn, with what an operator needs to find it (issue 10, item 3);
   * rate-limited per target so a flood of dead letters does not flood the log.
   */
  deadLettered(note: DeadLetterNote): void {
    const { bus, rule, target, eventId, reason, sequence, deliveryId, error } = note;
    this.limited.warn(
      `dead-letter\u0000${keyOf(note)}`,
      { bus, rule, target, eventId, sequence, reason, ...(deliveryId !== undefined ? { deliveryId } : {}), ...(error ? { error } : {}) },
      'dead letter',
    );
  }

  /** Starts a runner per target; deliveries in flight when the process last stopped are simply pending. */
  start(rules: RuleRecord[]): void {
    for (const rule of rules) this.applyRule(rule.bus, undefined, rule);
  }

  /** Creates, updates or stops runners to follow a rule change. */
  applyRule(bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined): void {
    for (const target of before?.targets ?? []) {
      if (!after?.targets.some((t) => t.id === target.id)) void this.unbind({ bus, rule: before!.name, target: target.id });
    }
    for (const target of after?.targets ?? []) this.bind(bus, after!, target);
  }

  /** Each running target and whether its circuit breaker is open (the circuit gauge). */
  *circuits(): Iterable<{ key: TargetKey; open: boolean }> {
    for (const binding of this.bindings.values()) yield { key: binding.runner.key, open: binding.runner.circuitOpen };
  }

  notify(keys: TargetKey[]): void {
    for (const key of keys) this.bindings.get(keyOf(key))?.runner.notify();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.bindings.keys()].map((k) => this.unbindKey(k)));
  }

  private bind(bus: string, rule: RuleRecord, target: TargetSpec): void {
    const key = { bus, rule: rule.name, target: target.id };
    const existing = this.bindings.get(keyOf(key));
    const limits = { concurrency: target.concurrency ?? 16, ...(target.ratePerSecond ? { ratePerSecond: target.ratePerSecond } : {}) };
    const sameConnector = existing && existing.target.type === target.type && JSON.stringify(existing.target.config) === JSON.stringify(target.config);
    if (existing && sameConnector) {
      Object.assign(existing, { rule, target, transform: compileTransform(target.transform ?? { kind: 'event' }) });
      existing.runner.setLimits(limits);
      return;
    }
    if (existing) void this.unbindKey(keyOf(key));
    const connector = this.deps.connector(target.type);
    const binding: Binding = {
      rule,
      target,
      transform: compileTransform(target.transform ?? { kind: 'event' }),
      instance: connector
        ? connector.create(connector.validate(target.config), this.deps.targetContext)
        : Promise.reject(new PermanentError(`no connector "${target.type}"`, 'HERALD_UNKNOWN_CONNECTOR')),
      runner: undefined as unknown as TargetRunner,
      stopping: new AbortController(),
    };
    binding.instance.catch(() => undefined); // reported per delivery
    const dlt = target.deadLetterTarget;
    const dltConnector = dlt ? this.deps.connector(dlt.type) : undefined;
    if (dlt && dltConnector) {
      binding.deadLetter = dltConnector.create(dltConnector.validate(dlt.config), this.deps.targetContext);
      binding.deadLetter.catch(() => undefined);
    }
    binding.runner = new TargetRunner(key, limits, this.deps.deliveries, (d) => this.deliver(binding, d), (error) =>
      this.limited.error(`runner\u0000${keyOf(key)}`, { err: error, ...key }, 'delivery runner failed'),
    );
    this.bindings.set(keyOf(key), binding);
    binding.runner.wake();
  }

  private async unbind(key: TargetKey): Promise<void> {
    await this.unbindKey(keyOf(key));
  }

  private async unbindKey(k: string): Promise<void> {
    const binding = this.bindings.get(k);
    if (!binding) return;
    this.bindings.delete(k);
    binding.stopping.abort();
    await binding.runner.stop();
    await binding.instance.then((i) => i.close()).catch(() => undefined);
    await binding.deadLetter?.then((i) => i.close()).catch(() => undefined);
  }

  private async deliver(binding: Binding, delivery: DeliveryRecord): Promise<{ outcome: Outcome; pauseMs?: number }> {
    const { rule, target } = binding;
    const policy = retryPolicy(target);
    const started = Date.now();
    const stored = this.deps.cache?.get(delivery.bus, delivery.sequence) ?? (await this.deps.events.get(delivery.bus, delivery.sequence));
    const finish = async (outcome: Outcome, result: AttemptResult, status: number | null, error: string | null, pauseMs?: number) => {
      // A 429 is logged as `throttled` even when it ends the delivery (max age): it spent no attempt.
      const recorded = pauseMs !== undefined ? 'throttled' : outcome === 'gone' ? 'dead' : outcome;
      const written = await this.write(binding, delivery, { at: started, latencyMs: Date.now() - started, outcome: recorded, status, error }, result);
      if (!written) return { outcome: 'retry' as const };
      this.deps.metrics?.attempted({ bus: delivery.bus, rule: rule.name, target: target.id }, result.state, started, delivery.eventAt);
      // A 410 dead-lettered the target's other deliveries in bulk: the gauges re-read its counts.
      if (outcome === 'gone') this.deps.metrics?.correct(delivery.bus);
      if (result.state === 'dead') {
        const key = { bus: delivery.bus, rule: rule.name, target: target.id };
        this.deadLettered({ ...key, sequence: delivery.sequence, eventId: stored?.event.id ?? null, reason: result.reason, deliveryId: delivery.id, error });
        if (binding.deadLetter && stored) await this.forwardDeadLetter(binding, stored, delivery, result.reason, error ?? result.reason);
      }
      return { outcome, ...(pauseMs !== undefined ? { pauseMs } : {}) };
    };
    if (!stored) return finish('dead', { state: 'dead', reason: 'event-expired' }, null, 'the event is no longer on the bus (retention)');
    // The max age counts from the event, or from its last redrive: a redrive is a fresh budget.
    if (started - delivery.budgetAt > policy.maxAgeMs) {
      const since = delivery.budgetAt === delivery.eventAt ? 'since it was stored' : 'since its last redrive';
      return finish('dead', { state: 'dead', reason: 'max-age' }, null, `more than the retry policy's maxAgeMs (${policy.maxAgeMs}) went by ${since}`);
    }
    try {
      const instance = await binding.instance;
      const message = this.message(binding, stored, delivery);
      const result = await instance.send([message]);
      if (result && result.replies && rule.replyBus) {
        for (const reply of result.replies) await this.deps.publishReply(rule.replyBus, reply);
      }
      return finish('delivered', { state: 'delivered' }, statusOf(result), null);
    } catch (caught) {
      const error = caught instanceof PartialBatchError ? ([...caught.failures.values()][0] ?? caught) : caught;
      const status = statusOf(error);
      const text = describe(error);
      if (error instanceof TargetGoneError) {
        await this.targetGone(binding, delivery, text);
        return finish('gone', { state: 'dead', reason: 'target-gone' }, status, text);
      }
      if (error instanceof PermanentError) return finish('dead', { state: 'dead', reason: 'rejected' }, status, text);
      // A 429 (or broker flow control) spends no attempt: the target asked us to wait, it did not
      // fail (docs/delivery.md). Only the max age bounds how long it may keep asking.
      const pauseMs = error instanceof BackOffError ? error.ms : undefined;
      const spent = delivery.spent + (pauseMs === undefined ? 1 : 0);
      const nextAt = Date.now() + (pauseMs ?? backoffMs(policy, spent, this.deps.random));
      if (spent >= policy.maxAttempts) return finish('dead', { state: 'dead', reason: 'retries-exhausted' }, status, text);
      if (nextAt - delivery.budgetAt > policy.maxAgeMs) return finish('dead', { state: 'dead', reason: 'max-age' }, status, text, pauseMs);
      return finish(pauseMs !== undefined ? 'throttled' : 'retry', { state: 'pending', nextAt }, status, text, pauseMs);
    }
  }

  /**
   * Writes an attempt's outcome. When the store refuses it (a full disk), the delivery keeps its
   * lease and is not sent again: the write is retried with a doubling wait until it succeeds or the
   * target's runner stops (then the lease is given back and the delivery is due as before). Before,
   * a failed write dropped the lease and the delivery was re-sent at once, forever (issue 11, item 4).
   */
  private async write(binding: Binding, delivery: DeliveryRecord, attempt: Parameters<DeliveryQueue['record']>[1], result: AttemptResult): Promise<boolean> {
    const key = { bus: delivery.bus, rule: binding.rule.name, target: binding.target.id };
    for (let waitMs = WRITE_RETRY_FIRST_MS; ; waitMs = Math.min(waitMs * 2, WRITE_RETRY_MAX_MS)) {
      try {
        await this.deps.deliveries.record(delivery.id, attempt, result);
        return true;
      } catch (error) {
        this.limited.error(`write\u0000${keyOf(key)}`, { err: error, ...key, deliveryId: delivery.id, retryInMs: waitMs }, 'the outcome of a delivery could not be written; retrying the write, not the delivery');
        try {
          await sleep(waitMs, undefined, { signal: binding.stopping.signal });
        } catch {
          this.deps.deliveries.release(delivery.id);
          return false;
        }
      }
    }
  }

  /**
   * A 410: the target is disabled in its rule, and its other pending deliveries become dead letters
   * (each logged). A store that cannot take it now (a full disk) leaves the rule as it is; this
   * delivery is dead-lettered all the same, and the next 410 tries again.
   */
  private async targetGone(binding: Binding, delivery: DeliveryRecord, reason: string): Promise<void> {
    const key = { bus: delivery.bus, rule: binding.rule.name, target: binding.target.id };
    try {
      await this.deps.onTargetGone(key, reason);
      const settled = await this.deps.deliveries.settleTarget(key, 'dead', 'target-gone');
      for (const other of settled) {
        if (other.id === delivery.id) continue; // logged when its own attempt is written
        const noteKey = `dead-letter\u0000${keyOf(key)}`;
        const eventId = this.limited.admits(noteKey) ? ((await this.deps.events.get(other.bus, other.sequence))?.event.id ?? null) : null;
        this.deadLettered({ ...key, sequence: other.sequence, eventId, reason: 'target-gone', deliveryId: other.id, error: reason });
      }
    } catch (error) {
      this.limited.error(`gone\u0000${keyOf(key)}`, { err: error, ...key }, 'a target answered 410 Gone but could not be disabled');
    }
  }

  /**
   * Sends a dead letter on to the target's deadLetterTarget, once, as the original CloudEvent with the
   * failure as extensions (issue 4, item 6). Best effort: the DLQ row is the record that counts.
   */
  private async forwardDeadLetter(binding: Binding, stored: StoredEvent, delivery: DeliveryRecord, reason: string, error: string): Promise<void> {
    const event = { ...stored.event, heralderrorcode: reason, heralderrormessage: error.slice(0, 1024), heraldattempts: delivery.attempts + 1 } as CloudEvent;
    try {
      const instance = await binding.deadLetter!;
      await instance.send([{ event, body: event, wholeEvent: true, idempotencyKey: `${stored.event.id}:${delivery.id}:dlq`, deliveryId: String(delivery.id), attempt: 1 }]);
    } catch (caught) {
      const key = { bus: delivery.bus, rule: binding.rule.name, target: binding.target.id };
      this.limited.warn(`forward\u0000${keyOf(key)}`, { err: caught, ...key }, 'dead letter could not be forwarded');
    }
  }

  private message(binding: Binding, stored: StoredEvent, delivery: DeliveryRecord) {
    const { rule, target } = binding;
    const doc = viewOf(stored, rule.view, this.deps.viewContext);
    const output = binding.transform.apply(doc, {
      ruleArn: ruleArn(this.deps.viewContext, delivery.bus, rule.name),
      ruleName: rule.name,
      ingestionTime: stored.receivedAt,
      view: rule.view,
    });
    const kind = target.transform?.kind ?? 'event';
    return {
      event: stored.event,
      body: output.body,
      contentType: output.contentType,
      wholeEvent: kind === 'event' && rule.view === 'cloudevent',
      // Stable across retries and redrives of this delivery (invariant 3): event id + delivery id.
      idempotencyKey: `${stored.event.id}:${delivery.id}`,
      deliveryId: String(delivery.id),
      attempt: delivery.attempts + 1,
    };
  }
}

function statusOf(value: unknown): number | null {
  const status = (value as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' ? status : null;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${(error as { code?: string }).code ? `${(error as { code?: string }).code}: ` : ''}${error.message}`;
  return String(error);
}
