/**
 * CESQL throughput: expressions compiled once (closures) vs a baseline that re-parses per event
 * (parse + compile + evaluate for every event, with the same engine), in the same run, over the same
 * 100 000 generated events. Also: one bus of many rules through the SQL-family matcher, with the
 * type index. Prints JSON.   npm run bench -- cesql [events]
 */
import { cpus } from 'node:os';
import { compileCesql, matchesCesql } from '../src/patterns/cesql/index.js';
import { createSqlFamilyMatcher } from '../src/patterns/subscriptions/index.js';

const EVENTS = Number(process.argv[2] ?? 100_000);
const ROUNDS = 7;
// The re-parsing baseline is ~50x slower: fewer rounds keep the run under a minute on 2 cores.
const BASELINE_ROUNDS = 3;

/** A small deterministic PRNG (mulberry32), so every run sees the same events. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTITIES = ['order', 'invoice', 'customer', 'shipment', 'payment'];
const VERBS = ['created', 'updated', 'deleted', 'paid', 'shipped'];
const REGIONS = ['eu', 'us', 'ap'];

function generate(n: number): Array<Record<string, unknown>> {
  const random = prng(7);
  const events: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const entity = ENTITIES[Math.floor(random() * ENTITIES.length)];
    const verb = VERBS[Math.floor(random() * VERBS.length)];
    const event: Record<string, unknown> = {
      specversion: '1.0',
      id: `evt-${i}`,
      source: `${random() < 0.7 ? 'https' : 'http'}://${entity}s.example.com/api`,
      type: `com.example.${entity}.${verb}`,
      time: '2024-05-01T12:00:00Z',
      datacontenttype: 'application/json',
      data: { n: i },
    };
    if (random() < 0.5) event.priority = Math.floor(random() * 5);
    if (random() < 0.3) event.region = REGIONS[Math.floor(random() * REGIONS.length)];
    events.push(event);
  }
  return events;
}

const EXPRESSIONS: Array<{ name: string; text: string }> = [
  { name: 'type-equality', text: "type = 'com.example.order.created'" },
  { name: 'source-prefix-like', text: "source LIKE 'https://%'" },
  { name: 'like', text: "type LIKE 'com.example.%.created'" },
  { name: 'exists-extension', text: 'EXISTS priority' },
  {
    name: 'combination',
    text: "type LIKE 'com.example.order.%' AND source LIKE 'https://%' AND EXISTS priority AND priority >= 3",
  },
];

/** Median events/s over ROUNDS passes of `pass` (each pass handles `count` events). */
function measure(count: number, pass: () => number, rounds = ROUNDS): { eventsPerSec: number; matched: number } {
  let matched = 0;
  pass(); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    matched = pass();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(count / seconds);
  }
  rates.sort((a, b) => a - b);
  return { eventsPerSec: Math.round(rates[Math.floor(rates.length / 2)]), matched };
}

const events = generate(EVENTS);

const results = EXPRESSIONS.map(({ name, text }) => {
  const compiled = compileCesql(text);
  const fast = measure(events.length, () => {
    let m = 0;
    for (const e of events) if (matchesCesql(compiled, e)) m++;
    return m;
  });
  const reparse = measure(
    events.length,
    () => {
      let m = 0;
      for (const e of events) if (matchesCesql(compileCesql(text), e)) m++;
      return m;
    },
    BASELINE_ROUNDS,
  );
  if (reparse.matched !== fast.matched) throw new Error(`${name}: baseline and compiled disagree`);
  return {
    name,
    expression: text,
    compiledEventsPerSec: fast.eventsPerSec,
    reparseEventsPerSec: reparse.eventsPerSec,
    speedup: Math.round((fast.eventsPerSec / reparse.eventsPerSec) * 10) / 10,
    matched: fast.matched,
  };
});

/** A bus of many rules: 1 000 type-equality rules (one per type, 25 real types) and 50 open rules. */
function busRun(): Record<string, number> {
  const matcher = createSqlFamilyMatcher();
  let rules = 0;
  for (let i = 0; i < 1000; i++) {
    const type = `com.example.${ENTITIES[i % ENTITIES.length]}.${VERBS[Math.floor(i / ENTITIES.length) % VERBS.length]}${i < 25 ? '' : `.v${i}`}`;
    if (i % 2 === 0) matcher.add(`r${i}`, { cesql: `type = '${type}' AND source LIKE 'https://%'` });
    else matcher.add(`r${i}`, { subscriptions: [{ exact: { type } }, { prefix: { source: 'https://' } }] });
    rules++;
  }
  for (let i = 0; i < 50; i++) {
    matcher.add(`open${i}`, { cesql: `EXISTS region AND region = '${REGIONS[i % REGIONS.length]}' AND priority > ${i % 5}` });
    rules++;
  }
  const run = measure(events.length, () => {
    let m = 0;
    for (const e of events) m += matcher.match(e).length;
    return m;
  });
  return { rules, eventsPerSec: run.eventsPerSec, matches: run.matched };
}

console.log(
  JSON.stringify(
    {
      benchmark: 'cesql',
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      events: events.length,
      rounds: { compiled: ROUNDS, baseline: BASELINE_ROUNDS },
      statistic: 'median of rounds, events per second',
      baseline: 'parse + compile + evaluate per event (same engine, nothing cached)',
      results,
      bus: busRun(),
    },
    null,
    2,
  ),
);
