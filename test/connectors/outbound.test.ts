import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage } from '../../src/connectors/common/outbound.js';
import { message } from './support.js';

test('outbound: an untransformed event goes in binary mode — data as payload, attributes beside it', () => {
  const json = encodeMessage(message({ id: 'e1', type: 't', subject: 's', region: 'eu', datacontenttype: 'application/json', data: { a: 1 } }));
  assert.deepEqual(JSON.parse(json.bytes.toString()), { a: 1 });
  assert.equal(json.contentType, 'application/json');
  assert.deepEqual(Object.fromEntries(json.attributes), { specversion: '1.0', source: '/test', type: 't', id: 'e1', subject: 's', region: 'eu' });
  const text = encodeMessage(message({ id: 'e2', datacontenttype: 'text/csv', data: 'a,b\n1,2' }));
  assert.equal(text.bytes.toString(), 'a,b\n1,2');
  assert.equal(text.contentType, 'text/csv');
  const binary = encodeMessage(message({ id: 'e3', datacontenttype: 'image/png', data_base64: 'AP8B' }));
  assert.deepEqual([...binary.bytes], [0, 255, 1]);
  assert.equal(binary.contentType, 'image/png');
  assert.equal(encodeMessage(message({ id: 'e4' })).bytes.length, 0, 'no data, empty payload');
});

test('outbound: a transformed body is the payload, with its own content type', () => {
  const m = message({ id: 'e1', datacontenttype: 'application/xml', data: '<a/>' }, { total: 3 });
  const out = encodeMessage(m);
  assert.deepEqual(JSON.parse(out.bytes.toString()), { total: 3 });
  assert.equal(out.contentType, 'application/json');
  assert.equal(encodeMessage(message({ id: 'e2' }, 'hello')).bytes.toString(), 'hello');
  assert.equal(encodeMessage({ ...message({ id: 'e3' }, 'quoted'), contentType: 'application/json' }).bytes.toString(), '"quoted"', 'a JSON string stays JSON');
  assert.equal(encodeMessage({ ...message({ id: 'e4' }, null), contentType: 'application/json' }).bytes.toString(), 'null');
});
