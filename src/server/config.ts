/**
 * Every setting of `herald start`, declared once: its flag, its HERALD_* variable, its type, its
 * default and its help line. Parsed and validated once at start-up, then frozen (STYLE.md habit 2).
 * Precedence: flag, then environment, then default.
 */
import { HeraldError } from '../errors/index.js';
import { parseDuration, parseSize } from './units.js';
import { isPostgresUrl, redact } from '../store/url.js';

type Kind = 'string' | 'optional-string' | 'port' | 'count' | 'duration' | 'size' | 'optional-size' | 'level' | 'store';

interface Setting {
  flag: string;
  env: string;
  kind: Kind;
  default: string | undefined;
  help: string;
}

export const SETTINGS = {
  host: { flag: 'host', env: 'HERALD_HOST', kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
  port: { flag: 'port', env: 'HERALD_PORT', kind: 'port', default: '8740', help: 'TCP port to listen on (0 picks a free one)' },
  store: { flag: 'store', env: 'HERALD_STORE', kind: 'store', default: 'sqlite', help: 'sqlite (the embedded store in --data-dir) or a postgres://… URL (issue 12: not built yet)' },
  dataDir: { flag: 'data-dir', env: 'HERALD_DATA_DIR', kind: 'string', default: './.herald', help: 'folder of the embedded store' },
  logLevel: { flag: 'log-level', env: 'HERALD_LOG_LEVEL', kind: 'level', default: 'info', help: 'fatal, error, warn, info, debug, trace or silent' },
  maxEventBytes: { flag: 'max-event-size', env: 'HERALD_MAX_EVENT_SIZE', kind: 'size', default: '1MiB', help: 'largest event, as structured JSON' },
  maxRequestBytes: { flag: 'max-request-size', env: 'HERALD_MAX_REQUEST_SIZE', kind: 'size', default: '10MiB', help: 'largest request body' },
  maxBatchEvents: { flag: 'max-batch-events', env: 'HERALD_MAX_BATCH_EVENTS', kind: 'count', default: '1000', help: 'most events in one batch' },
  maxJsonDepth: { flag: 'max-json-depth', env: 'HERALD_MAX_JSON_DEPTH', kind: 'count', default: '64', help: 'most levels of nesting in an event (request bodies: 4 more)' },
  retentionMs: { flag: 'retention', env: 'HERALD_RETENTION', kind: 'duration', default: '7d', help: 'default retention of a new bus' },
  dedupeWindowMs: { flag: 'dedupe-window', env: 'HERALD_DEDUPE_WINDOW', kind: 'duration', default: '24h', help: 'default dedupe window of a new bus' },
  sweepIntervalMs: { flag: 'sweep-interval', env: 'HERALD_SWEEP_INTERVAL', kind: 'duration', default: '1m', help: 'how often expired events are deleted' },
  maxStoreBytes: { flag: 'max-store-size', env: 'HERALD_MAX_STORE_SIZE', kind: 'optional-size', default: undefined, help: 'cap on the store size (unset: no cap); ingest answers 507 when full' },
  account: { flag: 'account', env: 'HERALD_ACCOUNT', kind: 'string', default: '000000000000', help: 'account id in EventBridge ARNs and envelopes' },
  region: { flag: 'region', env: 'HERALD_REGION', kind: 'string', default: 'local', help: 'region in EventBridge ARNs and envelopes' },
  awsAccessKeys: { flag: 'aws-access-keys', env: 'HERALD_AWS_ACCESS_KEYS', kind: 'optional-string', default: undefined, help: 'id:secret,... — EventBridge API requests must be SigV4-signed with one (unset: not checked)' },
  memoryBudget: { flag: 'memory-budget', env: 'HERALD_MEMORY_BUDGET', kind: 'size', default: '256MiB', help: 'bytes of events held in memory at most (event cache, router buffers, read pages); docs/configuration.md' },
  configFile: { flag: 'config', env: 'HERALD_CONFIG', kind: 'optional-string', default: undefined, help: 'a herald.yaml applied once the server listens' },
} as const satisfies Record<string, Setting>;

type Key = keyof typeof SETTINGS;

export interface Config {
  readonly host: string;
  readonly port: number;
  /** `sqlite` or a `postgres://…` URL; src/store/index.ts openStore picks the engine from it. */
  readonly store: string;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly maxEventBytes: number;
  readonly maxRequestBytes: number;
  readonly maxBatchEvents: number;
  readonly maxJsonDepth: number;
  readonly retentionMs: number;
  readonly dedupeWindowMs: number;
  readonly sweepIntervalMs: number;
  readonly maxStoreBytes: number | undefined;
  readonly account: string;
  readonly region: string;
  readonly awsAccessKeys: string | undefined;
  readonly configFile: string | undefined;
  /** Bytes of events the process may hold in its buffers at once (issue 11, item 3); split by splitMemoryBudget. */
  readonly memoryBudget: number;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Builds the frozen config from flags (by flag name) and an environment. Throws HERALD_INVALID_REQUEST naming the setting. */
export function loadConfig(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as Array<[Key, Setting]>) {
    const fromFlag = flags[setting.flag];
    const raw = fromFlag ?? env[setting.env] ?? setting.default;
    const origin = fromFlag !== undefined ? `--${setting.flag}` : env[setting.env] !== undefined ? setting.env : 'default';
    out[key] = convert(setting, raw, origin);
  }
  return Object.freeze(out) as unknown as Config;
}

function convert(setting: Setting, raw: string | undefined, origin: string): unknown {
  const fail = (why: string): never => {
    throw new HeraldError('HERALD_INVALID_REQUEST', `${origin}: "${raw}" ${why}`, setting.flag);
  };
  if (raw === undefined) return undefined;
  switch (setting.kind) {
    case 'string':
      return raw.length > 0 ? raw : fail('must not be empty');
    case 'optional-string':
      return raw.length > 0 ? raw : undefined;
    case 'store':
      // Only the form is checked here; whether the engine exists is openStore's to say. The value
      // may hold a password: it never appears in a message (redact).
      if (raw === 'sqlite' || isPostgresUrl(raw)) return raw;
      throw new HeraldError('HERALD_INVALID_REQUEST', `${origin}: "${redact(raw)}" must be sqlite or a postgres://… URL`, setting.flag);
    case 'level':
      return LEVELS.includes(raw) ? raw : fail(`must be one of ${LEVELS.join(', ')}`);
    case 'port': {
      const n = Number(raw);
      return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : fail('is not a TCP port (0-65535)');
    }
    case 'count': {
      const n = Number(raw);
      return Number.isInteger(n) && n > 0 ? n : fail('must be a whole number above 0');
    }
    case 'duration':
      return parseDuration(raw) ?? fail('is not a duration (e.g. 500ms, 30s, 5m, 24h, 7d)');
    case 'size':
    case 'optional-size': {
      const n = parseSize(raw);
      return n !== undefined && n > 0 ? n : fail('is not a size (e.g. 1048576, 512KiB, 10MiB)');
    }
  }
}

/** The help text of `herald start`, generated from SETTINGS so it cannot drift. */
export function settingsHelp(): string {
  return (Object.values(SETTINGS) as Setting[])
    .map((s) => `  --${s.flag.padEnd(18)} ${s.env.padEnd(24)} ${s.help}${s.default !== undefined ? ` (default ${s.default})` : ''}`)
    .join('\n');
}
