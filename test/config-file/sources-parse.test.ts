/**
 * Reading `connections:` and `sources:` (issue 6): the same positions and unknown-field checks as
 * the rest of the file, and `${VAR}` filled from the environment so that secrets stay out of git.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigFileError, loadConfigFile, parseConfigText } from '../../src/config-file/index.js';

const EXAMPLE = new URL('../../examples/sources/herald.yaml', import.meta.url).pathname;

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, 'herald.yaml', env);
  } catch (error) {
    assert.ok(error instanceof ConfigFileError);
    assert.equal(error.code, 'HERALD_CONFIG_FILE_INVALID');
    return error.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.path}: ${i.message}`);
  }
  assert.fail('the file was accepted');
}

test('the sources example reads its secret from the environment', async () => {
  const file = await loadConfigFile(EXAMPLE, { SHOP_WEBHOOK_SECRET: 'whsec_c2VjcmV0' });
  assert.deepEqual(file.connections, [
    { name: 'shop-hook', description: 'Standard Webhooks signing secret of the shop backend', secrets: { secret: 'whsec_c2VjcmV0' } },
  ]);
  assert.deepEqual(file.sources?.map((s) => [s.name, s.spec.type, s.spec.bus]), [
    ['shop-hook', 'webhook', 'shop'],
    ['hourly-tick', 'schedule', 'shop'],
  ]);
  assert.deepEqual(file.sources?.[1].spec.config, { expression: 'rate(1 hour)', type: 'com.shop.tick.hourly' });
});

test('a missing environment variable is an error naming the variable and its position', async () => {
  await assert.rejects(loadConfigFile(EXAMPLE, {}), (error: unknown) => {
    assert.ok(error instanceof ConfigFileError);
    assert.equal(error.code, 'HERALD_CONFIG_FILE_INVALID');
    assert.deepEqual(
      error.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`),
      ['13:7 connections[0].secrets.secret: environment variable SHOP_WEBHOOK_SECRET is not set (${SHOP_WEBHOOK_SECRET})'],
    );
    return true;
  });
});

test('${VAR} in a source config: inside a longer string, several at once, and $${ for a literal', () => {
  const text = [
    'sources:',
    '  - name: in',
    '    type: nats',
    '    bus: orders',
    '    config:',
    '      url: "nats://${NATS_USER}:${NATS_PASSWORD}@nats:4222"',
    '      subject: "literal-$${NOT_A_VAR}"',
    '      headers: ["${NATS_USER}"]',
  ].join('\n');
  const file = parseConfigText(text, 'herald.yaml', { NATS_USER: 'app', NATS_PASSWORD: 'p4ss' });
  const [source] = file.sources ?? [];
  assert.deepEqual(source.spec.config, { url: 'nats://app:p4ss@nats:4222', subject: 'literal-${NOT_A_VAR}', headers: ['app'] });
  // What the plan shows instead of the values: the text as written.
  assert.deepEqual(source.substituted, [
    { path: ['config', 'url'], text: 'nats://${NATS_USER}:${NATS_PASSWORD}@nats:4222' },
    { path: ['config', 'headers', 0], text: '${NATS_USER}' },
  ]);
  // Only secrets and source configs are substituted: a description keeps its text.
  const described = parseConfigText(text.replace('    type: nats', '    type: nats\n    description: "${NATS_USER}"'), 'herald.yaml', { NATS_USER: 'app', NATS_PASSWORD: 'p' });
  assert.equal(described.sources?.[0].spec.description, '${NATS_USER}');
});

test('a malformed reference and every missing variable are reported at once', () => {
  const text = ['connections:', '  - name: db', '    secrets:', '      url: "${DB URL}"', '      password: ${DB_PASSWORD', '      user: ${DB_USER}'].join('\n');
  assert.deepEqual(issuesOf(text), [
    'herald.yaml:4:7 connections[0].secrets.url: "${DB URL}" must name an environment variable, as ${NAME} (NAME of A-Z a-z 0-9 _); write $${ for a literal ${',
    'herald.yaml:5:7 connections[0].secrets.password: "${DB_PASSWORD" must name an environment variable, as ${NAME} (NAME of A-Z a-z 0-9 _); write $${ for a literal ${',
    'herald.yaml:6:7 connections[0].secrets.user: environment variable DB_USER is not set (${DB_USER})',
  ]);
});

test('unknown fields, missing fields and bad names are refused at their positions', () => {
  const text = [
    'connections:',
    '  - name: db',
    '    secret: {url: x}',
    'sources:',
    '  - name: tick',
    '    type: schedule',
    '    bus: "no spaces"',
    '    config: {expression: "rate(1 hour)"}',
    '    enabled: true',
    '  - name: tick',
    '    bus: orders',
    '    state: paused',
    '    extensions: {Bad: x, ok: 3}',
  ].join('\n');
  assert.deepEqual(issuesOf(text), [
    'herald.yaml:3:5 connections[0].secret: unknown field (expected one of: name, type, description, secrets)',
    'herald.yaml:2:5 connections[0].secrets: required',
    'herald.yaml:9:5 sources[0].enabled: unknown field (expected one of: name, type, bus, config, state, description, extensions)',
    'herald.yaml:7:5 sources[0].bus: "no spaces" must match ^[A-Za-z0-9._-]{1,256}$',
    'herald.yaml:10:5 sources[1].type: required',
    'herald.yaml:12:5 sources[1].state: "paused" must be one of enabled, disabled',
    'herald.yaml:13:18 sources[1].extensions.Bad: an extension name is 1 to 20 of a-z 0-9 (CloudEvents spec, "Naming Conventions")',
    'herald.yaml:13:26 sources[1].extensions.ok: must be a string, got number 3 (quote it)',
    'herald.yaml:10:5 sources[1].name: source "tick" is declared twice',
  ]);
});

test('a secret that is not a string is refused without quoting it', () => {
  const [issue, ...rest] = issuesOf('connections:\n  - name: db\n    secrets: {pin: 12345678}\n');
  assert.equal(rest.length, 0);
  assert.equal(issue, 'herald.yaml:3:15 connections[0].secrets.pin: must be a string, got number (quote it)');
});

test('a section left out is undefined (not managed); `sources:` with nothing under it is refused', () => {
  const file = parseConfigText('buses:\n  - name: orders\n', 'herald.yaml', {});
  assert.equal(file.sources, undefined);
  assert.equal(file.connections, undefined);
  assert.deepEqual(parseConfigText('sources: []\n', 'herald.yaml', {}).sources, []);
  assert.deepEqual(issuesOf('buses: []\nsources:\n'), ['herald.yaml:2:1 sources: must be a list (write `sources: []` to declare none)']);
});
