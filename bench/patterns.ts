/**
 * npm run bench -- patterns [--events N] [--sample N] [--peer-sample N] [--skip-scaling]
 *
 * Event-pattern matching throughput, printed as JSON. In one run:
 *  - baseline: JSON.parse of the corpus lines (the cost every engine that takes text pays);
 *  - the compiled matcher, the reference interpreter (src/patterns/reference.ts) and the
 *    serverless-offline-aws-eventbridge matcher (a JS peer; `null` where it lacks an operator) on the
 *    CityLots2-shaped corpus from bench/tools/gen-citylots.mjs with the 14 rule sets of
 *    citylots-benchmark-rules.json (each alone and all together), plus EXISTS and CIDR sets;
 *  - the same three on the real GitHub webhook payloads of @octokit/webhooks-examples;
 *  - rule-count scaling: 10, 1 000 and 100 000 rules on properties.STREET (exact and prefix values
 *    from wwords.txt), each event matching at most 5.
 * Events are parsed before timing ("events already parsed") except in the parseAndMatch figures.
 * The reference and the peer are slow, so they run on the first --sample / --peer-sample events.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createPatternMatcher, parsePattern, referenceMatches, type Matcher } from '../src/patterns/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EVENTS = flag('events', 213068);
const SAMPLE = flag('sample', 10000);
const PEER_SAMPLE = flag('peer-sample', 2000);
const SKIP_SCALING = args.includes('--skip-scaling');
const MIN_MS = 400; // repeat each timed loop until it has run this long

const matchingDir = new URL('../test/fixtures/matching/', import.meta.url);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, matchingDir), 'utf8')) as T;

// ---------- corpus ----------
async function generateCorpus(count: number): Promise<string[]> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('tools/gen-citylots.mjs', import.meta.url)), String(count), '1', '--cl2'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) if (line !== '') lines.push(line);
  return lines;
}

/** Derived field for the CIDR set (the corpus has no addresses): v4 for most lots, v6 for every 10th. */
function withAddress(event: Record<string, unknown>, i: number): Record<string, unknown> {
  const props = event.properties as Record<string, unknown>;
  const ip = i % 10 === 0 ? `2001:db8:${(i % 65536).toString(16)}::${(i % 4096).toString(16)}` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return { ...event, properties: { ...props, IP: ip } };
}

// ---------- timing ----------
/**
 * Runs `run` over all events, round after round (at least 3 rounds and MIN_MS, unless one round takes
 * over 5 s), and reports the best round: the machine is shared, so the best round is the figure least
 * disturbed by other processes; `meanEventsPerSec` is over all rounds.
 */
function time(events: readonly unknown[], run: (e: unknown) => number): { eventsPerSec: number; meanEventsPerSec: number; matches: number } {
  for (let i = 0; i < Math.min(events.length, 2000); i++) run(events[i]); // warm-up
  let matches = 0;
  let rounds = 0;
  let best = 0;
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  do {
    matches = 0;
    const roundStart = process.hrtime.bigint();
    for (let i = 0; i < events.length; i++) matches += run(events[i]);
    const roundMs = Number(process.hrtime.bigint() - roundStart) / 1e6;
    best = Math.max(best, events.length / roundMs);
    rounds++;
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  } while ((elapsedMs < MIN_MS || rounds < 3) && !(elapsedMs > 5000) && rounds < 50);
  return { eventsPerSec: Math.round(best * 1000), meanEventsPerSec: Math.round(((events.length * rounds) / elapsedMs) * 1000), matches };
}

// ---------- the three engines ----------
function compiledOf(rules: Record<string, unknown>): Matcher {
  const m = createPatternMatcher();
  for (const [id, pattern] of Object.entries(rules)) m.add(id, { pattern });
  return m;
}

type Peer = (pattern: unknown, event: unknown) => boolean;
let peerErrors = 0;
/** The peer's own per-field function (ServerlessOfflineAwsEventBridgePlugin.verifyIfValueMatchesEventBridgePatterns). */
function loadPeer(): Peer {
  const require = createRequire(import.meta.url);
  const Plugin = require('serverless-offline-aws-eventbridge/dist/src/index.js') as { prototype: object };
  const self = Object.create(Plugin.prototype) as {
    flattenObject(o: unknown): Record<string, unknown>;
    verifyIfValueMatchesEventBridgePatterns(o: unknown, field: string, patterns: unknown): boolean;
  };
  return (pattern, event) => {
    const fields = self.flattenObject(pattern);
    try {
      return Object.entries(fields).every(([field, values]) => self.verifyIfValueMatchesEventBridgePatterns(event, field, values));
    } catch {
      // It throws on some values (e.g. equals-ignore-case on null); count that as "no match".
      peerErrors++;
      return false;
    }
  };
}

/** Operators the peer implements (its verifyIfValueMatchesEventBridgePattern): exact, prefix, suffix, equals-ignore-case, anything-but values, numeric, exists. */
function peerSupports(pattern: unknown): boolean {
  const text = JSON.stringify(pattern);
  if (/"(wildcard|cidr|\$or)"/.test(text)) return false;
  if (/"(prefix|suffix|anything-but)":\{/.test(text)) return false;
  return true;
}

interface SetResult {
  set: string;
  rules: number;
  compiled: { eventsPerSec: number; meanEventsPerSec: number };
  reference: { eventsPerSec: number; sampleEvents: number; agreesWithCompiled: boolean };
  peer: { eventsPerSec: number; sampleEvents: number; agreesWithCompiled: boolean; disagreementsByRule: Record<string, number>; threw: number } | null;
  counts: number[];
  expected: number[] | null;
  /** Whether `counts` equal the recorded `expected_matches` (only comparable on the real citylots2 file). */
  countsEqualExpected: boolean | null;
}

function runSet(name: string, rules: Record<string, unknown>, events: readonly unknown[], peer: Peer, expected: number[] | null): SetResult {
  const ids = Object.keys(rules);
  const m = compiledOf(rules);
  const compiled = time(events, (e) => m.match(e).length);
  const counts = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of events) for (const id of m.match(e)) counts.set(id, (counts.get(id) ?? 0) + 1);

  const sample = events.slice(0, SAMPLE);
  const parsed = ids.map((id) => parsePattern(rules[id]));
  let referenceAgrees = true;
  for (const e of sample) {
    const got = new Set(m.match(e));
    parsed.forEach((p, i) => {
      if (referenceMatches(p, e) !== got.has(ids[i])) referenceAgrees = false;
    });
  }
  const reference = time(sample, (e) => parsed.reduce((n, p) => n + (referenceMatches(p, e) ? 1 : 0), 0));

  let peerResult: SetResult['peer'] = null;
  if (ids.every((id) => peerSupports(rules[id]))) {
    const peerSample = events.slice(0, PEER_SAMPLE);
    peerErrors = 0;
    const disagreements: Record<string, number> = {};
    for (const e of peerSample) {
      const got = new Set(m.match(e));
      for (const id of ids) if (peer(rules[id], e) !== got.has(id)) disagreements[id] = (disagreements[id] ?? 0) + 1;
    }
    const agrees = Object.keys(disagreements).length === 0;
    const r = time(peerSample, (e) => ids.reduce((n, id) => n + (peer(rules[id], e) ? 1 : 0), 0));
    peerResult = { eventsPerSec: r.eventsPerSec, sampleEvents: peerSample.length, agreesWithCompiled: agrees, disagreementsByRule: disagreements, threw: peerErrors };
  }
  process.stderr.write(`${name}: compiled ${compiled.eventsPerSec}/s, reference ${reference.eventsPerSec}/s, peer ${peerResult?.eventsPerSec ?? null}/s\n`);
  return {
    set: name,
    rules: ids.length,
    compiled: { eventsPerSec: compiled.eventsPerSec, meanEventsPerSec: compiled.meanEventsPerSec },
    reference: { eventsPerSec: reference.eventsPerSec, sampleEvents: sample.length, agreesWithCompiled: referenceAgrees },
    peer: peerResult,
    counts: ids.map((id) => counts.get(id) ?? 0),
    expected,
    countsEqualExpected: expected === null ? null : ids.every((id, i) => (counts.get(id) ?? 0) === expected[i]),
  };
}

// ---------- rule sets ----------
interface RuleSets {
  citylots2: { rule_sets: Record<string, { rules: unknown[]; expected_matches: number[] }> };
}
const benchmarkRules = readJson<RuleSets>('citylots-benchmark-rules.json').citylots2.rule_sets;
const EXTRA_SETS: Record<string, unknown[]> = {
  EXISTS: [
    { properties: { STREET: [{ exists: true }] } },
    { properties: { FROM_ST: [{ exists: false }] } },
    { geometry: { firstCoordinates: { x: [{ exists: true }] } } },
    { properties: { ODD_EVEN: [{ exists: true }], ST_TYPE: [{ exists: true }] } },
    { properties: { NO_SUCH_FIELD: [{ exists: false }] }, geometry: { type: [{ exists: true }] } },
  ],
  CIDR: [
    { properties: { IP: [{ cidr: '10.0.0.0/8' }] } },
    { properties: { IP: [{ cidr: '10.1.0.0/16' }] } },
    { properties: { IP: [{ cidr: '10.2.3.0/24' }] } },
    { properties: { IP: [{ cidr: '2001:db8::/32' }] } },
    { properties: { IP: [{ cidr: '192.168.0.0/16' }] } },
  ],
};
const named = (rules: unknown[], prefix: string): Record<string, unknown> =>
  Object.fromEntries(rules.map((r, i) => [`${prefix}r${i}`, r]));

/** Rules over the octokit payloads: exact, prefix, suffix, equals-ignore-case, numeric, anything-but, exists. */
const OCTOKIT_RULES: Record<string, unknown> = {
  opened: { action: ['opened'] },
  closedMerged: { action: ['closed'], pull_request: { merged: [true] } },
  codertocat: { repository: { full_name: [{ prefix: 'Codertocat/' }] } },
  octocatOrg: { organization: { login: [{ 'equals-ignore-case': 'OCTO-ORG' }] } },
  htmlSuffix: { repository: { html_url: [{ suffix: '/Hello-World' }] } },
  bigRepo: { repository: { size: [{ numeric: ['>', 0] }] } },
  notBot: { sender: { type: [{ 'anything-but': ['Bot'] }] } },
  noInstallation: { installation: [{ exists: false }], action: [{ exists: true }] },
  labels: { pull_request: { labels: { name: ['bug', 'enhancement'] } } },
  tags: { ref: [{ prefix: 'refs/tags/' }] },
};

// ---------- rule-count scaling ----------
function scalingRules(count: number, words: string[]): Record<string, unknown> {
  const rules: Record<string, unknown> = named(benchmarkRules.PREFIX.rules, 'p'); // 5 two-letter prefixes, at most 1 matches
  let n = 0;
  for (let i = 0; n + 5 < count; i++) {
    const word = words[i % words.length];
    const round = Math.floor(i / words.length);
    // One prefix per word (all of length 5: at most one matches a street) and distinct exact values.
    const pattern = round === 0 && i % 2 === 0 ? { properties: { STREET: [{ prefix: word }] } } : { properties: { STREET: [round === 0 ? word : `${word} ${round}`] } };
    rules[`w${n++}`] = pattern;
  }
  return rules;
}

async function main(): Promise<void> {
  const started = Date.now();
  const lines = await generateCorpus(EVENTS);
  const bytes = lines.reduce((n, l) => n + l.length, 0);
  const parseStart = process.hrtime.bigint();
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const parseMs = Number(process.hrtime.bigint() - parseStart) / 1e6;
  const parseIntoMemoryEventsPerSec = Math.round((events.length / parseMs) * 1000);
  // The baseline proper: parsing one line at a time without keeping the result (as a matcher that
  // takes text would), timed like the matchers.
  const jsonParseEventsPerSec = time(lines, (l) => (JSON.parse(l as string) === null ? 1 : 0)).eventsPerSec;
  const peer = loadPeer();

  const citylots: SetResult[] = [];
  for (const [name, set] of Object.entries(benchmarkRules)) {
    citylots.push(runSet(name, named(set.rules, ''), events, peer, EVENTS === 213068 ? set.expected_matches : null));
  }
  const all: Record<string, unknown> = {};
  for (const [name, set] of Object.entries(benchmarkRules)) Object.assign(all, named(set.rules, `${name}.`));
  citylots.push(runSet('ALL_14_TOGETHER', all, events, peer, null));
  citylots.push(runSet('EXISTS', named(EXTRA_SETS.EXISTS, ''), events, peer, null));
  const withIp = events.map(withAddress);
  citylots.push(runSet('CIDR (derived properties.IP field)', named(EXTRA_SETS.CIDR, ''), withIp, peer, null));

  // Parse included, to compare with event-ruler's figures (which parse each line).
  const parseAndMatch: Record<string, number> = {};
  for (const name of ['EXACT', 'NUMERIC', 'ANYTHING_BUT']) {
    const m = compiledOf(named(benchmarkRules[name].rules, ''));
    parseAndMatch[name] = time(lines, (l) => m.match(JSON.parse(l as string)).length).eventsPerSec;
  }
  const mAll = compiledOf(all);
  parseAndMatch.ALL_14_TOGETHER = time(lines, (l) => mAll.match(JSON.parse(l as string)).length).eventsPerSec;

  // Real GitHub webhook payloads.
  const require = createRequire(import.meta.url);
  const hooks = require('@octokit/webhooks-examples') as Array<{ examples: unknown[] }>;
  const payloads = hooks.flatMap((h) => h.examples);
  const octokit = runSet('OCTOKIT_WEBHOOKS', OCTOKIT_RULES, payloads, peer, null);

  let scaling: Array<{ rules: number; eventsPerSec: number; nsPerEvent: number; maxMatchesPerEvent: number; totalMatches: number }> = [];
  if (!SKIP_SCALING) {
    const words = readFileSync(new URL('wwords.txt', matchingDir), 'utf8').split('\n').filter(Boolean).map((w) => w.toUpperCase());
    scaling = [10, 1000, 100000].map((count) => {
      const m = compiledOf(scalingRules(count, words));
      let max = 0;
      for (const e of events) max = Math.max(max, m.match(e).length);
      const r = time(events, (e) => m.match(e).length);
      return { rules: count, eventsPerSec: r.eventsPerSec, nsPerEvent: Math.round(1e9 / r.eventsPerSec), maxMatchesPerEvent: max, totalMatches: r.matches };
    });
  }

  const goalSets = ['EXACT', 'PREFIX', 'SUFFIX', 'EQUALS_IGNORE_CASE', 'NUMERIC', 'ANYTHING_BUT', 'EXISTS', 'CIDR (derived properties.IP field)'];
  const ratio = scaling.length === 3 ? scaling[2].nsPerEvent / scaling[0].nsPerEvent : null;
  const output = {
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    command: `npm run bench -- patterns ${args.join(' ')}`.trim(),
    corpus: { generator: `node bench/tools/gen-citylots.mjs ${EVENTS} 1 --cl2`, events: events.length, bytes, note: 'synthetic CityLots2-shaped data: expected_matches (recorded on the real citylots2 file) are shown for reference and are not expected to be equal' },
    baseline: { jsonParseEventsPerSec, parseWholeCorpusIntoMemoryEventsPerSec: parseIntoMemoryEventsPerSec },
    citylots,
    parseAndMatchEventsPerSec: parseAndMatch,
    octokit: { payloads: payloads.length, ...octokit },
    scaling,
    goals: {
      compiledAtLeast1MEventsPerSec: Object.fromEntries(goalSets.map((s) => [s, (citylots.find((c) => c.set === s)?.compiled.eventsPerSec ?? 0) >= 1_000_000])),
      scaling100kOver10: ratio === null ? null : Number(ratio.toFixed(2)),
      scalingWithin1_5x: ratio === null ? null : ratio <= 1.5,
    },
    allAgree: [...citylots, octokit].every((r) => r.reference.agreesWithCompiled),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(JSON.stringify(output, null, 2));
  if (!output.allAgree) process.exitCode = 1;
}

await main();
