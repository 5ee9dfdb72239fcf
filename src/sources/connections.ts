/**
 * `/v1/connections`: named credentials that targets and sources name in their config
 * (`connection: orders-db`) instead of carrying secrets themselves. Values go in and are handed only
 * to connectors through `resolve` — no API answer ever holds them (ARCHITECTURE.md, HTTP surface:
 * "never echoed back").
 */
import { HeraldError } from '../errors/index.js';
import { checkName } from '../store/index.js';
import type { ConnectionRow, ConnectionTable } from '../store/index.js';
import type { ConnectionStore, ConnectionView } from './types.js';

const MAX_SECRETS = 64;
const MAX_SECRET_BYTES = 64 * 1024;
const SECRET_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
const MEMBERS = new Set(['name', 'type', 'description', 'secrets']);

function view(row: ConnectionRow): ConnectionView {
  return {
    name: row.name,
    ...(row.type === undefined ? {} : { type: row.type }),
    description: row.description,
    keys: Object.keys(row.secrets).sort(),
    updatedAt: row.updatedAt,
  };
}

function invalid(field: string, message: string): never {
  throw new HeraldError('HERALD_INVALID_REQUEST', `${field}: ${message}`, field);
}

/** Checks a PUT body; a secret value is never quoted in an error. */
export function validateConnection(name: string, raw: unknown, now: Date): ConnectionRow {
  checkName(name);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('body', 'expected a connection object');
  const body = raw as Record<string, unknown>;
  for (const key of Object.keys(body)) if (!MEMBERS.has(key)) invalid(key, 'is not a connection field (type, description, secrets)');
  if (body.name !== undefined && body.name !== name) invalid('name', 'differs from the connection in the path');
  if (body.type !== undefined && (typeof body.type !== 'string' || body.type.length === 0 || body.type.length > 64)) invalid('type', 'must be a string of 1 to 64 characters');
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 512)) invalid('description', 'must be a string of at most 512 characters');
  const secrets = body.secrets;
  if (secrets === null || typeof secrets !== 'object' || Array.isArray(secrets)) invalid('secrets', 'is required: an object of string fields, e.g. {"url": "…"}');
  const entries = Object.entries(secrets as Record<string, unknown>);
  if (entries.length === 0) invalid('secrets', 'must hold at least one field');
  if (entries.length > MAX_SECRETS) invalid('secrets', `must hold at most ${MAX_SECRETS} fields`);
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!SECRET_KEY.test(key)) invalid(`secrets.${key}`, 'a key must be 1 to 128 of A-Z a-z 0-9 _ . -');
    if (typeof value !== 'string') invalid(`secrets.${key}`, 'must be a string');
    if (Buffer.byteLength(value) > MAX_SECRET_BYTES) invalid(`secrets.${key}`, `must be at most ${MAX_SECRET_BYTES} bytes`);
    out[key] = value;
  }
  return {
    name,
    ...(typeof body.type === 'string' ? { type: body.type } : {}),
    description: typeof body.description === 'string' ? body.description : '',
    secrets: out,
    updatedAt: now.toISOString(),
  };
}

export class StoreConnections implements ConnectionStore {
  private readonly listeners: Array<(name: string) => void> = [];

  constructor(
    private readonly table: ConnectionTable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Called after a connection changed or was deleted (running sources that use it restart). */
  onChange(listener: (name: string) => void): void {
    this.listeners.push(listener);
  }

  async list(): Promise<ConnectionView[]> {
    return (await this.table.list()).map(view);
  }

  async get(name: string): Promise<ConnectionView | undefined> {
    const row = await this.table.get(name);
    return row === undefined ? undefined : view(row);
  }

  async put(name: string, spec: unknown): Promise<{ connection: ConnectionView; created: boolean }> {
    const row = validateConnection(name, spec, this.now());
    const created = (await this.table.get(name)) === undefined;
    await this.table.put(row);
    this.emit(name);
    return { connection: view(row), created };
  }

  async delete(name: string): Promise<boolean> {
    const deleted = await this.table.delete(name);
    if (deleted) this.emit(name);
    return deleted;
  }

  changed(name: string): void {
    this.emit(name);
  }

  async resolve(name: string): Promise<Record<string, string>> {
    const row = await this.table.get(name);
    if (row === undefined) throw new HeraldError('HERALD_INVALID_REQUEST', `connection "${name}" does not exist`, 'connection');
    return { ...row.secrets };
  }

  private emit(name: string): void {
    for (const listener of this.listeners) listener(name);
  }
}
