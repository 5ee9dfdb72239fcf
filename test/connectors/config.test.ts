import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/connectors/config.js';
import { decodePayload, toCloudEvent } from '../../src/connectors/common/inbound.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['subject'],
  properties: {
    subject: { type: 'string', minLength: 1 },
    qos: { type: 'integer', enum: [0, 1], default: 1 },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 1000, default: 500 },
    ratio: { type: 'number' },
    tags: { type: 'array', items: { type: 'string' } },
    columns: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

test('validateConfig: fills defaults, freezes, leaves the input alone', () => {
  const raw = { subject: 'a' };
  const config = validateConfig<{ subject: string; qos: number; timeoutMs: number }>(schema, raw);
  assert.deepEqual(config, { subject: 'a', qos: 1, timeoutMs: 500 });
  assert.ok(Object.isFrozen(config));
  assert.deepEqual(raw, { subject: 'a' });
  assert.deepEqual(validateConfig(schema, { subject: 'a', ratio: 2, tags: ['x'], columns: { a: 'b' } }), { subject: 'a', qos: 1, timeoutMs: 500, ratio: 2, tags: ['x'], columns: { a: 'b' } });
});

test('validateConfig: each rule fails with HERALD_INVALID_REQUEST and the field path', () => {
  const cases: Array<[unknown, string]> = [
    [{}, 'config.subject'],
    [{ subject: '' }, 'config.subject'],
    [{ subject: 3 }, 'config.subject'],
    [{ subject: 'a', qos: 2 }, 'config.qos'],
    [{ subject: 'a', qos: 0.5 }, 'config.qos'],
    [{ subject: 'a', timeoutMs: 99 }, 'config.timeoutMs'],
    [{ subject: 'a', timeoutMs: 1001 }, 'config.timeoutMs'],
    [{ subject: 'a', tags: ['x', 1] }, 'config.tags[1]'],
    [{ subject: 'a', columns: { a: 1 } }, 'config.columns.a'],
    [{ subject: 'a', extra: true }, 'config.extra'],
    ['nope', 'config'],
    [null, 'config'],
  ];
  for (const [raw, field] of cases) {
    assert.throws(() => validateConfig(schema, raw), { code: 'HERALD_INVALID_REQUEST', field }, JSON.stringify(raw));
  }
});

test('inbound mapping: JSON payloads become data, text stays text, binary goes base64', () => {
  assert.deepEqual(decodePayload(Buffer.from('{"a":1}')), { data: { a: 1 }, datacontenttype: 'application/json' });
  assert.deepEqual(decodePayload(Buffer.from('42')), { data: 42, datacontenttype: 'application/json' });
  assert.deepEqual(decodePayload(Buffer.from('hello')), { data: 'hello', datacontenttype: 'text/plain' });
  assert.deepEqual(decodePayload(Buffer.from('{"a":1}'), 'text/csv'), { data: '{"a":1}', datacontenttype: 'text/csv' });
  assert.deepEqual(decodePayload(Buffer.from([0, 255, 1])), { data_base64: 'AP8B', datacontenttype: 'application/octet-stream' });
  assert.deepEqual(decodePayload(Buffer.alloc(0)), {});
  const event = toCloudEvent({ id: '1', source: '/s', defaultType: 'd', payload: 'x', headers: { 'CE-Type': 't', 'ce-region': 'eu', 'ce-id': 'ignored', 'ce-Bad-Name': 'x' }, subject: 'sub' });
  assert.deepEqual(event, { specversion: '1.0', id: '1', source: '/s', type: 't', data: 'x', datacontenttype: 'text/plain', subject: 'sub', region: 'eu' });
});
