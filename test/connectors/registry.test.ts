import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findSource, findTarget, getSource, getTarget, listConnectors } from '../../src/connectors/registry.js';

test('registry: every connector is listed once per kind, found by name, and unknown names are coded errors', () => {
  const all = listConnectors();
  const targets = all.filter((c) => c.kind === 'target').map((c) => c.name);
  const sources = all.filter((c) => c.kind === 'source').map((c) => c.name);
  assert.deepEqual(targets.sort(), ['amqp', 'mqtt', 'mysql', 'nats', 'postgres', 'redis']);
  assert.deepEqual(sources.sort(), ['amqp', 'mqtt', 'nats', 'postgres-outbox', 'redis', 'schedule', 'webhook']);
  for (const name of targets) assert.equal(getTarget(name).name, name);
  for (const name of sources) assert.equal(getSource(name).name, name);
  assert.equal(findTarget('smtp'), undefined);
  assert.equal(findSource('nats'), getSource('nats'));
  assert.throws(() => getTarget('smtp'), { code: 'HERALD_INVALID_REQUEST', field: 'type' });
  assert.throws(() => getSource('kafka'), { code: 'HERALD_INVALID_REQUEST', field: 'type' });
});

test('registry: every config schema is a closed object whose fields are described, and rejects unknown fields', () => {
  for (const c of listConnectors()) {
    const schema = c.configSchema as { type: string; additionalProperties: boolean; properties: Record<string, { description?: string }> };
    assert.equal(schema.type, 'object', c.name);
    assert.equal(schema.additionalProperties, false, `${c.kind} ${c.name} rejects unknown fields`);
    for (const [field, prop] of Object.entries(schema.properties)) assert.ok(prop.description, `${c.kind} ${c.name}: ${field} has a description`);
    const connector = c.kind === 'target' ? getTarget(c.name) : getSource(c.name);
    assert.throws(() => connector.validate({ bogus: 1 }), { code: 'HERALD_INVALID_REQUEST' });
  }
});

test('docs/connectors.md documents every connector and every config field', () => {
  const doc = readFileSync(new URL('../../docs/connectors.md', import.meta.url), 'utf8');
  for (const c of listConnectors()) {
    const heading = `${c.kind === 'target' ? 'Target' : 'Source'}: \`${c.name}\``;
    const start = doc.indexOf(heading);
    assert.ok(start >= 0, `docs/connectors.md has a section "${heading}"`);
    const end = doc.indexOf('\n## ', start + 1);
    const section = doc.slice(start, end < 0 ? undefined : end);
    for (const field of Object.keys((c.configSchema as { properties: object }).properties)) {
      assert.ok(section.includes(`\`${field}\``), `${heading} documents \`${field}\``);
    }
  }
});
