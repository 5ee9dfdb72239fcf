/**
 * Reading herald.yaml: values as the API takes them (durations in ms), and every mistake reported
 * at its file, line, column and field — fail closed, nothing half-read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigFileError, loadConfigFile, parseConfigText } from '../../src/config-file/index.js';

const EXAMPLE = new URL('../../examples/orders/herald.yaml', import.meta.url).pathname;

function issuesOf(text: string): string[] {
  try {
    parseConfigText(text, 'herald.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigFileError);
    assert.equal(error.code, 'HERALD_CONFIG_FILE_INVALID');
    return error.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.path}: ${i.message}`);
  }
  assert.fail('the file was accepted');
}

test('the orders example parses, with durations in milliseconds', async () => {
  const file = await loadConfigFile(EXAMPLE);
  assert.equal(file.buses.length, 1);
  const [orders] = file.buses;
  assert.equal(orders.name, 'orders');
  assert.equal(orders.retentionMs, 7 * 86_400_000);
  assert.equal(orders.dedupeWindowMs, 86_400_000);
  assert.deepEqual(orders.rules.map((r) => r.name), ['large-orders-to-fraud-review', 'cancellations-to-warehouse']);
  const [target] = orders.rules[0].targets;
  assert.equal(target.type, 'http');
  assert.equal(target.transform?.kind, 'template');
  assert.deepEqual(target.retry, { maxAttempts: 10, maxAgeMs: 3_600_000, backoffBaseMs: 2000, backoffCapMs: 300_000 });
});

test('a missing field is reported at the line and column of its parent, with the full path', () => {
  const text = [
    'buses:', //                                   1
    '  - name: orders', //                         2
    '    rules:', //                               3
    '      - name: a', //                          4
    '        filter: {cesql: "true"}', //          5
    '        targets:', //                         6
    '          - id: hook', //                     7
    '            type: http', //                   8
    '            config: {url: "http://x"}', //    9
    '      - name: b', //                         10
    '        filter: {cesql: "true"}', //         11
    '        targets:', //                        12
    '          - type: http', //                  13
    '            config: {}', //                  14
  ].join('\n');
  assert.deepEqual(issuesOf(text), ['herald.yaml:13:13 buses[0].rules[1].targets[0].id: required']);
});

test('a wrong value is reported at its key', () => {
  const text = 'buses:\n  - name: orders\n    retention: forever\n';
  assert.deepEqual(issuesOf(text), ['herald.yaml:3:5 buses[0].retention: "forever" is not a duration (e.g. 500ms, 30s, 5m, 24h, 7d, or milliseconds)']);
});

test('unknown fields (typos) are refused rather than ignored', () => {
  const text = 'buses:\n  - name: orders\n    rules:\n      - name: r\n        filters: {cesql: "true"}\n        targets: [{id: t, type: http, config: {}}]\n';
  const issues = issuesOf(text);
  assert.ok(issues.includes('herald.yaml:5:9 buses[0].rules[0].filters: unknown field (expected one of: name, description, filter, view, state, targets, replyBus, tags)'), issues.join('\n'));
  assert.ok(issues.includes('herald.yaml:4:9 buses[0].rules[0].filter: required'), issues.join('\n'));
});

test('every issue is listed, not only the first', () => {
  const text = [
    'buses:',
    '  - name: "bad name"',
    '    rules:',
    '      - name: r',
    '        view: aws',
    '        filter: {pattern: {}, cesql: "true"}',
    '        targets: [{id: t, type: http, config: {}, retry: {maxAttempts: 0}}]',
    '  - name: second',
    '    dedupeWindow: 5m',
    '  - name: second',
  ].join('\n');
  const issues = issuesOf(text);
  assert.deepEqual(issues.map((i) => i.split(' ')[1].replace(/:$/, '')), [
    'buses[0].name',
    'buses[0].rules[0].view',
    'buses[0].rules[0].filter',
    'buses[0].rules[0].targets[0].retry.maxAttempts',
    'buses[2].name',
  ]);
  assert.match(issues[4], /^herald\.yaml:10:5 .*"second" is declared twice/);
});

test('transforms are checked when the file is read, at the field inside the transform', () => {
  const text = [
    'buses:',
    '  - name: orders',
    '    rules:',
    '      - name: r',
    '        filter: {cesql: "true"}',
    '        targets:',
    '          - id: t',
    '            type: http',
    '            config: {url: "http://x"}',
    '            transform:',
    '              kind: template',
    '              inputPathsMap:',
    '                order: data.id',
    '              inputTemplate: "<order>"',
  ].join('\n');
  const [issue, ...rest] = issuesOf(text);
  assert.equal(rest.length, 0);
  assert.match(issue, /^herald\.yaml:13:17 buses\[0\]\.rules\[0\]\.targets\[0\]\.transform\.inputPathsMap\.order: .*\$/);
});

test('YAML syntax errors carry their position', () => {
  const [issue] = issuesOf('buses:\n  - name: orders\n    rules: [\n');
  assert.match(issue, /^herald\.yaml:\d+:\d+ \(yaml\): /);
});

test('an empty file and a file without buses, sources or connections are refused', () => {
  assert.deepEqual(issuesOf(''), ['herald.yaml:1:1 (file): the file is empty: expected `buses:`, `sources:` or `connections:`']);
  assert.deepEqual(issuesOf('version: 1\n'), [
    'herald.yaml:1:1 version: unknown field (expected one of: buses, connections, sources)',
    'herald.yaml:1:1 buses: required (or `sources:`, `connections:`)',
  ]);
});

test('an unreadable file has its own code', async () => {
  await assert.rejects(loadConfigFile('/nonexistent/herald.yaml'), (error: unknown) => error instanceof ConfigFileError && error.code === 'HERALD_CONFIG_FILE_UNREADABLE');
});
