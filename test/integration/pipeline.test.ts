// The pipeline against the real local stack: exact counts, dead letters with reasons, poison records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/shared/config/load.ts';
import { createKafka } from '../../src/source/kafka/client.ts';
import { replayDeadLetters } from '../../src/source/dlq-replay.ts';
import { processLine } from '../../src/parse/normalize/line.ts';
import type { PipelineHooks } from '../../src/indexing/pipeline.ts';
import { NO_HOOKS } from '../../src/indexing/pipeline.ts';
import { journaldLines, wireguardGoLines, writeKernelCorpus } from '../../scripts/bench/corpus.ts';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countDocs, pipelineFixture, produce, runUntilCommitted } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';

function counting(): PipelineHooks & { counts: Record<string, number> } {
  const counts: Record<string, number> = { indexed: 0, unparsed: 0, dead: 0, duplicates: 0 };
  return {
    ...NO_HOOKS,
    counts,
    indexed: (_a, n) => { counts.indexed = (counts.indexed ?? 0) + n; },
    unparsed: (n) => { counts.unparsed = (counts.unparsed ?? 0) + n; },
    deadLettered: (_r, n) => { counts.dead = (counts.dead ?? 0) + n; },
    duplicates: (n) => { counts.duplicates = (counts.duplicates ?? 0) + n; },
  };
}

test('100,000 mixed lines: exactly the recognised ones are indexed, the rest counted, nothing missing', async () => {
  const f = await pipelineFixture('p100k');
  const file = join(tmpdir(), `wg-siem-p100k-${process.pid}.log`);
  writeKernelCorpus(file, 80_000, 21);
  const lines = [...readFileSync(file, 'utf8').split('\n').filter((l) => l !== ''), ...journaldLines(10_000, 5), ...wireguardGoLines(10_000, 9)];
  assert.equal(lines.length, 100_000);
  const now = Date.now();
  const expected = lines.filter((l) => processLine({ value: l, nowMs: now }, { timezone: 'UTC', namespace: 'x', validate: true }).kind === 'event').length;
  await produce(f, lines);
  const hooks = counting();
  await runUntilCommitted(f, hooks, 240_000);
  const docs = await countDocs(f.es, `logs-wireguard.log-${f.namespace}`);
  assert.equal(docs, expected);
  assert.equal(hooks.counts.indexed, expected);
  assert.equal((hooks.counts.unparsed ?? 0) + expected, 100_000);
  assert.equal(hooks.counts.dead, 0);
  await f.es.close();
});

test('poison records are dead-lettered with their reasons while the rest is indexed; SIGTERM-style stop commits', async () => {
  const f = await pipelineFixture('poison');
  const good = 'May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: Invalid handshake initiation from 203.0.113.7:51820';
  const invalidUtf8 = Buffer.concat([Buffer.from('wireguard: wg0: Invalid handshake initiation from 203.0.113.9:51820 '), Buffer.from([0xff, 0xfe, 0xc3])]);
  const huge = Buffer.alloc(5 * 1024 * 1024, 0x41);
  const wrongTypes = JSON.stringify({ MESSAGE: 12, __REALTIME_TIMESTAMP: { a: 1 }, _HOSTNAME: ['x'], _TRANSPORT: 'kernel' });
  const values: (string | Buffer)[] = [good, invalidUtf8, huge, wrongTypes, '', good.replace('203.0.113.7', '203.0.113.8')];
  await produce(f, values, 1, { 'max.message.bytes': String(8 * 1024 * 1024) });
  const hooks = counting();
  await runUntilCommitted(f, hooks, 60_000);
  assert.equal(await countDocs(f.es, `logs-wireguard.log-${f.namespace}`), 2, 'the two good lines');
  // The dead-letter topic holds the originals with reasons and coordinates.
  const consumer = createKafka(f.kafka).consumer({ groupId: `${f.groupId}-dlq-reader`, maxBytes: 32 * 1024 * 1024, maxBytesPerPartition: 32 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [f.dlqTopic], fromBeginning: true });
  const letters: { reason: string; offset: string; size: number }[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      letters.push({ reason: String(message.headers?.['wg-siem.reason']), offset: String(message.headers?.['wg-siem.source.offset']), size: message.value?.length ?? 0 });
      await Promise.resolve();
    },
  });
  await waitFor('dead letters', 30_000, () => Promise.resolve(letters.length >= 2));
  await consumer.disconnect();
  const byReason = new Map(letters.map((l) => [l.reason, l]));
  assert.equal(byReason.get('record-too-large')?.size, huge.length, 'the 5 MB record is kept whole');
  assert.equal(byReason.get('empty-record')?.offset, '4');
  assert.equal(hooks.counts.dead, 2);
  // Invalid UTF-8 and wrong JSON types are not WireGuard lines: counted as unparsed, not lost.
  assert.equal(hooks.counts.unparsed, 2);
  const dlDocs = await countDocs(f.es, `logs-wireguard.dead_letter-${f.namespace}`);
  assert.equal(dlDocs, 2, 'dead letters are visible in Elasticsearch too');

  // After a fix (a larger record limit), `dlq replay` sends the too-large record back, and it goes through.
  const replay = await replayDeadLetters(f.kafka, { dlqTopic: f.dlqTopic, groupId: `${f.groupId}-replay`, reasons: ['record-too-large'], dryRun: false, compression: 'lz4' });
  assert.deepEqual([replay.read, replay.replayed, replay.skipped], [2, 1, 1]);
  assert.deepEqual(replay.byTopic, { [f.topic]: 1 });
  const again = await replayDeadLetters(f.kafka, { dlqTopic: f.dlqTopic, groupId: `${f.groupId}-replay`, reasons: ['record-too-large'], dryRun: false, compression: 'lz4' });
  assert.equal(again.read, 0, 'a second replay finds nothing new');
  const fixedHooks = counting();
  await runUntilCommitted({ ...f, config: loadConfig({ ...f.env, WG_SIEM_MAX_RECORD_BYTES: String(8 * 1024 * 1024) }) }, fixedHooks, 60_000);
  assert.equal(fixedHooks.counts.dead, 0, 'accepted this time');
  assert.equal(fixedHooks.counts.unparsed, 1, 'and counted: 5 MB of "A" is not a WireGuard line');
  await f.es.close();
});
