/**
 * Every transform kind, applied to both views of the same event: the CloudEvent JSON and the
 * EventBridge envelope Herald's mapping produces from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../src/events/types.js';
import { toEventBridgeView } from '../../src/events/eventbridge-view.js';
import { compileTransform, type TransformContext } from '../../src/transform/index.js';

const EVENT: CloudEvent = {
  specversion: '1.0',
  id: 'evt-1',
  source: 'com.example.shop',
  type: 'OrderPlaced',
  subject: 'orders/42',
  time: '2024-03-01T10:00:00Z',
  datacontenttype: 'application/json',
  data: { order: { id: 42, price: 9.5, tags: ['new', 'vip'], note: 'say "hi"' } },
  resources: '["urn:order:42"]',
};
const ENVELOPE = toEventBridgeView(EVENT, { account: '123456789012', region: 'local' });
const CTX: TransformContext = { ruleArn: 'arn:herald:rule/shop/big-orders', ruleName: 'big-orders', ingestionTime: '2024-03-01T10:00:01Z' };

/** The same request on each view: `root` is where the payload lives (`$.data` vs `$.detail`). */
const VIEWS = [
  { view: 'cloudevent', doc: EVENT as unknown, root: '$.data', typeKey: 'type' },
  { view: 'eventbridge', doc: ENVELOPE as unknown, root: '$.detail', typeKey: 'detail-type' },
] as const;

for (const { view, doc, root, typeKey } of VIEWS) {
  const cases: Array<{ name: string; transform: unknown; body: unknown; contentType: string }> = [
    { name: 'event (whole document)', transform: { kind: 'event' }, body: doc, contentType: 'application/json' },
    { name: 'default (no transform) is the whole event', transform: undefined, body: doc, contentType: 'application/json' },
    { name: 'path to an object', transform: { kind: 'path', path: `${root}.order` }, body: (EVENT.data as { order: unknown }).order, contentType: 'application/json' },
    { name: 'path to a number', transform: { kind: 'path', path: `${root}.order.price` }, body: 9.5, contentType: 'application/json' },
    { name: 'path with an index', transform: { kind: 'path', path: `${root}.order.tags[1]` }, body: 'vip', contentType: 'application/json' },
    { name: 'path with a wildcard', transform: { kind: 'path', path: `${root}.order.tags[*]` }, body: ['new', 'vip'], contentType: 'application/json' },
    { name: 'path that matches nothing is null', transform: { kind: 'path', path: `${root}.nope` }, body: null, contentType: 'application/json' },
    { name: 'path $ is the whole event', transform: { kind: 'path', path: '$' }, body: doc, contentType: 'application/json' },
    { name: 'constant object', transform: { kind: 'constant', value: { hello: ['world', 1, null] } }, body: { hello: ['world', 1, null] }, contentType: 'application/json' },
    { name: 'constant string', transform: { kind: 'constant', value: 'ping' }, body: 'ping', contentType: 'application/json' },
    { name: 'constant null', transform: { kind: 'constant', value: null }, body: null, contentType: 'application/json' },
    {
      name: 'JSON template: values, text in strings, reserved variables',
      transform: {
        kind: 'template',
        inputPathsMap: { id: `${root}.order.id`, price: `${root}.order.price`, tags: `${root}.order.tags`, note: `${root}.order.note`, type: `$.${typeKey}` },
        inputTemplate: '{"id": <id>, "price": <price>, "tags": <tags>, "note": <note>, "line": "<type> #<id> (<tags>) <note>", "rule": <aws.events.rule-name>, "at": "<aws.events.event.ingestion-time>"}',
      },
      body: {
        id: 42,
        price: 9.5,
        tags: ['new', 'vip'],
        note: 'say "hi"',
        line: 'OrderPlaced #42 (["new","vip"]) say "hi"',
        rule: 'big-orders',
        at: '2024-03-01T10:00:01Z',
      },
      contentType: 'application/json',
    },
    {
      name: 'text template: values raw',
      transform: {
        kind: 'template',
        inputPathsMap: { id: `${root}.order.id`, tags: `${root}.order.tags`, note: `${root}.order.note`, gone: `${root}.gone` },
        inputTemplate: 'Order <id> tagged <tags>: <note>; missing=[<gone>] by <aws.events.rule-arn>',
      },
      body: 'Order 42 tagged ["new","vip"]: say "hi"; missing=[] by arn:herald:rule/shop/big-orders',
      contentType: 'text/plain',
    },
    {
      name: 'template of one placeholder is a JSON value',
      transform: { kind: 'template', inputPathsMap: { order: `${root}.order` }, inputTemplate: '<order>' },
      body: (EVENT.data as { order: unknown }).order,
      contentType: 'application/json',
    },
    {
      name: 'the whole event embedded in JSON and as a string',
      transform: { kind: 'template', inputTemplate: '{"e": <aws.events.event.json>, "s": "<aws.events.event.json>"}' },
      body: { e: doc, s: JSON.stringify(doc) },
      contentType: 'application/json',
    },
  ];
  for (const { name, transform, body, contentType } of cases) {
    test(`${view} view: ${name}`, () => {
      const out = compileTransform(transform).apply(doc, { ...CTX, view });
      assert.equal(out.contentType, contentType);
      assert.deepEqual(out.body, body);
    });
  }
}

test('<aws.events.event> drops the payload of each view: data in cloudevent, detail in eventbridge', () => {
  const t = compileTransform({ kind: 'template', inputTemplate: '<aws.events.event>' });
  const { data: _data, ...ceWithout } = EVENT;
  const { detail: _detail, ...ebWithout } = ENVELOPE;
  assert.deepEqual(t.apply(EVENT, CTX).body, ceWithout); // view inferred from specversion
  assert.deepEqual(t.apply(ENVELOPE, CTX).body, ebWithout);
  assert.deepEqual(t.apply(EVENT, { ...CTX, view: 'cloudevent' }).body, ceWithout);
});

test('subject and other extensions are reachable in the cloudevent view only', () => {
  const t = compileTransform({ kind: 'template', inputPathsMap: { s: '$.subject' }, inputTemplate: '"<s>"' });
  assert.equal(t.apply(EVENT, CTX).body, 'orders/42');
  assert.equal(t.apply(ENVELOPE, CTX).body, '');
});

test('a compiled transform is reusable and unaffected by later changes to its input', () => {
  const input = { kind: 'constant', value: { n: 1 } };
  const t = compileTransform(input);
  input.value.n = 2;
  assert.deepEqual(t.apply(EVENT, CTX).body, { n: 1 });
  assert.deepEqual(t.spec, { kind: 'constant', value: { n: 1 } });
  for (let i = 0; i < 3; i++) assert.deepEqual(t.apply(EVENT, CTX).body, { n: 1 });
});

test('a value with quotes, backslashes and newlines inside a JSON string stays valid JSON', () => {
  const doc = { detail: { msg: 'a "b" \\ c\nd </x>' } };
  const t = compileTransform({ kind: 'template', inputPathsMap: { m: '$.detail.msg' }, inputTemplate: '{"text": "msg: <m>", "raw": <m>}' });
  assert.deepEqual(t.apply(doc, CTX).body, { text: 'msg: a "b" \\ c\nd </x>', raw: 'a "b" \\ c\nd </x>' });
});
