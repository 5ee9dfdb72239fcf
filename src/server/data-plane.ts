/**
 * The data plane of one process: rules service → router (matchers) → delivery engine (runners),
 * wired so that a saved rule reaches the matchers and runners without a restart.
 */
import type { FastifyBaseLogger } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { TargetConnector } from '../connectors/types.js';
import { httpTarget } from '../connectors/targets/http/index.js';
import { createBusTarget } from '../connectors/targets/bus/index.js';
import { Router } from '../bus/router.js';
import { EventCache } from '../bus/event-cache.js';
import { EventSizes, splitMemoryBudget } from '../bus/memory-budget.js';
import { DeliveryEngine } from '../delivery/engine.js';
import { StoreRulesService } from '../rules/index.js';
import type { RuleRecord } from '../rules/types.js';
import type { Store } from '../store/index.js';
import type { Config } from './config.js';
import type { Metrics } from '../observe/index.js';

export interface DataPlane {
  rules: StoreRulesService;
  router: Router;
  engine: DeliveryEngine;
  connector(type: string): TargetConnector | undefined;
  stop(): Promise<void>;
}

export async function startDataPlane(
  config: Config,
  store: Store,
  log: FastifyBaseLogger,
  extraConnectors: (type: string) => TargetConnector | undefined = () => undefined,
  options: { random?: () => number; connection?: (name: string) => Promise<Record<string, string>>; metrics?: Metrics } = {},
): Promise<DataPlane> {
  const busTarget = createBusTarget(store.events);
  const connector = (type: string): TargetConnector | undefined => {
    if (type === 'http') return httpTarget as unknown as TargetConnector;
    if (type === 'bus') return busTarget as unknown as TargetConnector;
    return extraConnectors(type);
  };
  const checkConnector = (type: string, raw: unknown, field: string): Record<string, unknown> => {
    const found = connector(type);
    if (!found) throw new HeraldError('HERALD_INVALID_REQUEST', `${field.replace(/\.config$/, '.type')}: unknown target type "${type}"`, field.replace(/\.config$/, '.type'));
    try {
      return found.validate(raw) as Record<string, unknown>;
    } catch (error) {
      // Connectors name fields from their config's root; place them under the target.
      if (error instanceof HeraldError && error.field?.startsWith('config')) {
        const path = field + error.field.slice('config'.length);
        throw new HeraldError(error.code, error.message.replace(/^config(\.[^:]*)?:/, `${path}:`), path);
      }
      throw error;
    }
  };
  const rules = new StoreRulesService({ buses: store.buses, rules: store.rules, deliveries: store.deliveries, checkConnector });
  const viewContext = { account: config.account, region: config.region };
  const memory = splitMemoryBudget(config.memoryBudget);
  const sizes = new EventSizes((stored) => store.events.sizeOf?.(stored));
  store.setCacheBytes(memory.storeCache);
  const cache = new EventCache({ identity: (bus) => store.buses.identity(bus), sizes, maxBytes: memory.eventCache });
  const engine = new DeliveryEngine({
    events: store.events,
    deliveries: store.deliveries,
    connector,
    targetContext: {
      log,
      connection:
        options.connection ??
        (async (name) => {
          throw new HeraldError('HERALD_INVALID_REQUEST', `connection "${name}" does not exist`, 'connection');
        }),
    },
    viewContext,
    cache,
    async onTargetGone(key, reason) {
      const rule = await rules.get(key.bus, key.rule);
      const target = rule?.targets.find((t) => t.id === key.target);
      if (!rule || !target) return;
      log.warn({ ...key, reason }, 'target answered 410 Gone: disabled');
      // The engine then dead-letters the target's pending deliveries, logging each.
      await rules.putTarget(key.bus, key.rule, { ...target, disabled: { at: new Date().toISOString(), reason } });
    },
    async publishReply(bus, event) {
      await store.events.append(bus, [event]);
    },
    ...(options.random ? { random: options.random } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const router = new Router({
    events: store.events,
    deliveries: store.deliveries,
    viewContext,
    cache,
    memory: { recentBytes: memory.routerRecent, pageBytes: memory.routerPage, sizes },
    onEnqueued: (keys) => engine.notify(keys),
    onDeadLetters: (letters) => letters.forEach((letter) => engine.deadLettered(letter)),
    onError: (error, bus) => log.error({ err: error, bus }, 'router failed; it retries on the next event'),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  rules.onChange((bus, before, after) => {
    router.applyRule(bus, before, after).catch((error: unknown) => log.error({ err: error, bus }, 'router could not apply a rule change'));
    engine.applyRule(bus, before, after);
    options.metrics?.ruleChanged(bus, before, after);
  });
  // A deleted bus leaves nothing behind in memory (issue 11, item 2): its routing (matchers, rules,
  // buffered events) and its cached events go now; its runners went with its rules.
  const offDeleted = store.buses.onDeleted(({ name, identity }) => {
    router.forgetBus(name);
    cache.forget(identity);
  });
  const all = (await store.rules.all()).map((r) => r.doc as RuleRecord);
  engine.start(all);
  options.metrics?.setCircuitProvider(() => engine.circuits());
  await options.metrics?.start(all);
  await router.start(all);
  return {
    rules,
    router,
    engine,
    connector,
    async stop() {
      offDeleted();
      options.metrics?.stop();
      router.stop();
      await engine.stop();
    },
  };
}
