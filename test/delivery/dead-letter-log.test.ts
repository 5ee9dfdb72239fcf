/**
 * Every dead letter is logged once at warn, with bus, rule, target, event id and reason, and a flood
 * of them is rate-limited (issue 10, item 3). A real `herald start` process; its JSON log is read.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnHerald, tempDir, type HeraldProcess } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { api, createBusAndRule, publish, suffix, waitUntil } from './support.js';

let herald: HeraldProcess;
let target: Receiver;
const lines: Array<Record<string, unknown>> = [];

before(async () => {
  target = await startReceiver(() => ({ status: 400, body: 'refused' }));
  herald = await spawnHerald(tempDir());
  let partial = '';
  herald.child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
});
after(async () => {
  herald.child.kill('SIGTERM');
  await herald.exited;
  await target.close();
});

const deadLetterLines = (bus: string) => lines.filter((l) => String(l.msg).startsWith('dead letter') && l.bus === bus);

async function deadCount(bus: string): Promise<number> {
  return (await api<{ deadLetters: unknown[] }>(`${herald.url}/v1/buses/${bus}/dlq?limit=1000`)).json.deadLetters.length;
}

test('one dead letter: exactly one warn line with bus, rule, target, event id and reason', async () => {
  const bus = `log-${suffix()}`;
  await createBusAndRule(herald.url, bus, [{ id: 'main', type: 'http', config: { url: target.url } }]);
  const id = `one-${suffix()}`;
  await publish(herald.url, bus, id);
  await waitUntil(async () => (await deadCount(bus)) === 1, 'dead-lettered');
  await waitUntil(() => deadLetterLines(bus).length >= 1, 'logged');
  const found = deadLetterLines(bus);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].level, 40, 'warn');
  assert.deepEqual(
    { bus: found[0].bus, rule: found[0].rule, target: found[0].target, eventId: found[0].eventId, reason: found[0].reason },
    { bus, rule: 'r', target: 'main', eventId: id, reason: 'rejected' },
  );
  assert.match(String(found[0].error), /400/);
});

test('a flood of dead letters logs a few lines, then one line saying how many were not logged', { timeout: 60_000 }, async () => {
  const bus = `flood-${suffix()}`;
  await createBusAndRule(herald.url, bus, [{ id: 'main', type: 'http', config: { url: target.url } }]);
  for (let i = 0; i < 25; i++) await publish(herald.url, bus, `flood-${i}`);
  await waitUntil(async () => (await deadCount(bus)) === 25, 'all dead-lettered');
  const logged = deadLetterLines(bus).filter((l) => l.suppressed === undefined);
  assert.ok(logged.length >= 1 && logged.length <= 5, `${logged.length} lines for 25 dead letters`);
  // When the window ends, one line tells how many were left out.
  await waitUntil(() => deadLetterLines(bus).some((l) => l.suppressed !== undefined), 'the notice of lines not logged', 30_000);
  const notice = deadLetterLines(bus).filter((l) => l.suppressed !== undefined);
  assert.equal(notice.length, 1);
  assert.equal(Number(notice[0].suppressed) + logged.length, 25, 'every dead letter is accounted for');
});
