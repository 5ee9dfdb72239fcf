import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeraldError } from '../../src/errors/index.js';
import { fromEventBridgeTarget, toEventBridgeTarget, type EventBridgeTargetInput, type TransformSpec } from '../../src/transform/index.js';

const MAPPINGS: Array<{ name: string; target: EventBridgeTargetInput; spec: TransformSpec }> = [
  { name: 'no input field → the whole event', target: {}, spec: { kind: 'event' } },
  { name: 'Input (JSON text) → constant', target: { Input: '{"hello":"world"}' }, spec: { kind: 'constant', value: { hello: 'world' } } },
  { name: 'Input of a JSON string → constant string', target: { Input: '"ping"' }, spec: { kind: 'constant', value: 'ping' } },
  { name: 'InputPath → path', target: { InputPath: '$.detail' }, spec: { kind: 'path', path: '$.detail' } },
  {
    name: 'InputTransformer → template',
    target: { InputTransformer: { InputPathsMap: { s: '$.detail.state' }, InputTemplate: '"state <s>"' } },
    spec: { kind: 'template', inputPathsMap: { s: '$.detail.state' }, inputTemplate: '"state <s>"' },
  },
  {
    name: 'InputTransformer without InputPathsMap',
    target: { InputTransformer: { InputTemplate: '"<aws.events.rule-name>"' } },
    spec: { kind: 'template', inputTemplate: '"<aws.events.rule-name>"' },
  },
];
for (const { name, target, spec } of MAPPINGS) {
  test(`EventBridge target: ${name}, and back`, () => {
    const got = fromEventBridgeTarget(target);
    assert.deepEqual(got, spec);
    assert.deepEqual(toEventBridgeTarget(got), target);
  });
}

const REJECTED: Array<{ name: string; target: EventBridgeTargetInput; field: string }> = [
  { name: 'two input fields', target: { Input: '{}', InputPath: '$.detail' }, field: 'Targets[0].InputPath' },
  { name: 'Input not JSON', target: { Input: 'hello' }, field: 'Targets[0].Input' },
  { name: 'Input not a string', target: { Input: { a: 1 } }, field: 'Targets[0].Input' },
  { name: 'bad InputPath', target: { InputPath: 'detail' }, field: 'Targets[0].InputPath' },
  { name: 'InputTransformer not an object', target: { InputTransformer: 'x' }, field: 'Targets[0].InputTransformer' },
  { name: 'undefined placeholder', target: { InputTransformer: { InputTemplate: '"<nope>"' } }, field: 'Targets[0].InputTransformer.InputTemplate' },
  {
    name: 'reserved name in InputPathsMap',
    target: { InputTransformer: { InputPathsMap: { 'aws.events.rule-name': '$.a' }, InputTemplate: '"x"' } },
    field: 'Targets[0].InputTransformer.InputPathsMap.aws.events.rule-name',
  },
];
for (const { name, target, field } of REJECTED) {
  test(`EventBridge target rejected: ${name}`, () => {
    assert.throws(
      () => fromEventBridgeTarget(target, 'Targets[0]'),
      (error: unknown) => error instanceof HeraldError && error.code === 'HERALD_INVALID_REQUEST' && error.field === field,
    );
  });
}
