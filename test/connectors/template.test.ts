import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, messageRoot } from '../../src/connectors/template.js';
import { PermanentError } from '../../src/delivery/errors.js';
import { message } from './support.js';

const event = { specversion: '1.0', id: 'e1', source: '/shop', type: 'order.created', subject: 's/1', data: { customer: { id: 'c-9', vip: true }, items: [{ sku: 'A1' }], total: 12.5, none: null } };

test('template: placeholders are dotted paths into the event; scalars render as text', () => {
  const cases: Array<[string, string]> = [
    ['orders.{type}', 'orders.order.created'],
    ['{data.customer.id}', 'c-9'],
    ['c.{data.customer.vip}.{data.total}', 'c.true.12.5'],
    ['{data.items.0.sku}', 'A1'],
    ['plain', 'plain'],
    ['{{literal}} {id}', '{literal} e1'],
    ['{ subject }', 's/1'],
  ];
  for (const [text, want] of cases) assert.equal(compileTemplate(text, 'config.subject').render(event), want, text);
  assert.equal(compileTemplate('x', 'f').constant, true);
  assert.equal(compileTemplate('{id}', 'f').constant, false);
});

test('template: a missing, null or structured value fails permanently (the event can never render)', () => {
  for (const [text, what] of [['{data.nope}', 'missing'], ['{data.none}', 'null'], ['{data.customer}', 'an object'], ['{data.items}', 'an array'], ['{data.customer.id.deeper}', 'missing']]) {
    assert.throws(() => compileTemplate(text, 'f').render(event), (e: unknown) => e instanceof PermanentError && e.message.includes(what), text);
  }
});

test('template: syntax errors are config errors naming the field', () => {
  for (const bad of ['orders.{type', 'orders.}', '{}', '{data..x}', '{a b}']) {
    assert.throws(() => compileTemplate(bad, 'config.topic'), { code: 'HERALD_INVALID_REQUEST', field: 'config.topic' }, bad);
  }
});

test('template: targets also see {idempotencyKey} and {deliveryId}', () => {
  const m = message({ id: 'e7' });
  assert.equal(compileTemplate('herald:{idempotencyKey}:{deliveryId}', 'f').render(messageRoot(m)), 'herald:e7:t1:d-e7');
});
