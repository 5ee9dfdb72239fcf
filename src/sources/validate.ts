/**
 * Validation of a source definition, failing closed with field paths (like src/rules): an unknown
 * `type` names `type`; the connector's own errors are placed under `config.`; the bus must exist.
 */
import { getSource } from '../connectors/index.js';
import type { SourceConnector } from '../connectors/types.js';
import { HeraldError } from '../errors/index.js';
import { checkName } from '../store/index.js';
import { SOURCE_STATES, type SourceRecord, type SourceState } from './types.js';

const MEMBERS = new Set(['name', 'type', 'bus', 'config', 'state', 'description', 'extensions', 'status', 'createdAt', 'updatedAt']);
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
/** Attributes a source owns itself (spec.md "Context Attributes"); an extension may not override them. */
const RESERVED = new Set(['id', 'source', 'specversion', 'type', 'data', 'data_base64', 'datacontenttype', 'dataschema', 'subject', 'time']);

function invalid(field: string, message: string): never {
  throw new HeraldError('HERALD_INVALID_REQUEST', `${field}: ${message}`, field);
}

/** Runs the connector's validate, placing its field (`config.x` or `x`) under `config.`. */
export function validateConnectorConfig(connector: SourceConnector, raw: unknown): Record<string, unknown> {
  try {
    return connector.validate(raw) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof HeraldError) {
      const field = error.field === undefined || error.field === '' ? 'config' : error.field.startsWith('config') ? error.field : `config.${error.field}`;
      const message = error.message.startsWith(field) ? error.message : `${field}: ${error.message.replace(/^config(\.[^:]*)?:\s*/, '')}`;
      throw new HeraldError(error.code, message, field);
    }
    throw error;
  }
}

export interface ValidateDeps {
  busExists(bus: string): Promise<boolean>;
  now(): Date;
}

/**
 * Checks a PUT body and returns the record to store. `previous` keeps `createdAt`. Read-only members a
 * client may send back from a GET (`status`, timestamps) are ignored.
 */
export async function validateSource(name: string, raw: unknown, deps: ValidateDeps, previous?: SourceRecord): Promise<SourceRecord> {
  checkName(name);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('body', 'expected a source object');
  const body = raw as Record<string, unknown>;
  for (const key of Object.keys(body)) if (!MEMBERS.has(key)) invalid(key, 'is not a source field (type, bus, config, state, description, extensions)');
  if (body.name !== undefined && body.name !== name) invalid('name', `"${String(body.name)}" differs from the source in the path ("${name}")`);
  if (typeof body.type !== 'string' || body.type === '') invalid('type', 'is required: a source type');
  const connector = getSource(body.type); // throws HERALD_INVALID_REQUEST naming `type` and the known types
  if (typeof body.bus !== 'string' || body.bus === '') invalid('bus', 'is required: the bus the source appends to');
  checkName(body.bus, 'bus');
  const state = (body.state ?? 'enabled') as SourceState;
  if (!SOURCE_STATES.includes(state)) invalid('state', `must be one of ${SOURCE_STATES.join(', ')}`);
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 512)) invalid('description', 'must be a string of at most 512 characters');
  const extensions = validateExtensions(body.extensions);
  validateConnectorConfig(connector, body.config ?? {});
  if (!(await deps.busExists(body.bus))) throw new HeraldError('HERALD_BUS_NOT_FOUND', `bus: "${body.bus}" does not exist`, 'bus');
  const now = deps.now().toISOString();
  return {
    name,
    type: body.type,
    bus: body.bus,
    // The raw config is stored (not the defaults-filled one) so that a later Herald with new
    // defaults applies them; the connector validates it again at every start.
    config: (body.config ?? {}) as Record<string, unknown>,
    state,
    description: typeof body.description === 'string' ? body.description : '',
    ...(extensions === undefined ? {} : { extensions }),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
}

function validateExtensions(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('extensions', 'must be an object of string attributes');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!EXTENSION_NAME.test(key)) invalid(`extensions.${key}`, 'an extension name is 1 to 20 of a-z 0-9 (CloudEvents spec, "Naming Conventions")');
    if (RESERVED.has(key)) invalid(`extensions.${key}`, 'is a CloudEvents attribute the source sets itself');
    if (typeof value !== 'string') invalid(`extensions.${key}`, 'must be a string');
    out[key] = value;
  }
  return out;
}
