// A handshake flood from 1,000,000 spoofed source addresses at one interface, straight onto the intermediate
// topic, correlated by a separate `wg-siem run --stage correlate` process: its peak RSS stays under the
// documented bound, and the distinct-source rule still fires with an estimate close to the truth.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createKafka } from '../../src/source/kafka/client.ts';
import { compressionType } from '../../src/source/kafka/codecs.ts';
import { ensureTopics } from '../../src/source/kafka/topics.ts';
import { alertFixture, alertHits, correlationLag } from '../helpers/alerts.ts';
import { waitFor } from '../helpers/wait.ts';
import { childEnv } from '../helpers/env.ts';

const SOURCES = 1_000_000;
/** The bound README documents for the correlation stage under this flood, with the heap settings below. */
const RSS_BOUND_MB = 256;
/** The V8 heap limits README recommends for a correlation instance with the default state caps. */
export const CORRELATION_NODE_OPTIONS = '--max-old-space-size=128 --max-semi-space-size=2';

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

test(`1,000,000 spoofed sources: correlation peak RSS under ${RSS_BOUND_MB} MB (${CORRELATION_NODE_OPTIONS}), the distinct rule still fires`, { timeout: 400_000 }, async () => {
  const f = await alertFixture('flood', { WG_SIEM_CORRELATE_SNAPSHOT_MS: '2000' });
  const topic = f.config['kafka.correlationTopic'];
  await ensureTopics(f.kafka, [{ topic, partitions: 1 }]);
  const producer = createKafka(f.kafka).producer();
  await producer.connect();
  // 20,000 events per second of event time: the whole flood fits in the distinct rule's 2-minute window.
  const t0 = Date.now() - 120_000;
  const host = 'gw-flood';
  // As the indexing stage sends them: one uncompressed request per processed batch of pipeline.batchSize events.
  const BATCH = 2000;
  for (let i = 0; i < SOURCES; i += BATCH) {
    const messages = [];
    for (let j = i; j < Math.min(SOURCES, i + BATCH); j++) {
      const ip = `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`;
      messages.push({
        key: host,
        value: JSON.stringify({
          '@timestamp': new Date(t0 + Math.floor(j / 20)).toISOString(),
          event: { kind: 'event', action: 'wireguard-handshake-initiation-invalid', dataset: 'wireguard.log' },
          host: { name: host }, observer: { ingress: { interface: { name: 'wg0' } } },
          source: { ip, port: 1024 + (j % 60_000) }, wireguard: { rate_limited: true },
          _id: `flood-raw:0:${j}:0`,
        }),
      });
    }
    await producer.send({ topic, acks: -1, compression: compressionType(f.config['kafka.correlationCompression']), messages });
  }
  await producer.disconnect();

  const child = spawn('bin/wg-siem', ['run', '--stage', 'correlate'], {
    env: childEnv(f.env, { WG_SIEM_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error', NODE_OPTIONS: CORRELATION_NODE_OPTIONS }), stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = Date.now();
  let peak = 0;
  try {
    await waitFor('the flood correlated', 300_000, async () => {
      // bin/wg-siem is a shell script that execs node, so the child's pid is the node process.
      if (child.pid !== undefined) peak = Math.max(peak, peakRssMb(child.pid));
      return (await correlationLag(f)) === 0;
    });
    if (child.pid !== undefined) peak = Math.max(peak, peakRssMb(child.pid));
  } finally {
    await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`# flood: ${SOURCES} events correlated in ${seconds.toFixed(1)} s; peak RSS ${peak.toFixed(0)} MB\n`);
  assert.ok(peak > 0 && peak < RSS_BOUND_MB, `peak RSS ${peak.toFixed(0)} MB`);
  const hits = await alertHits(f.es, f.namespace);
  const scan = hits.filter((h) => h.rule?.id === 'distributed-invalid-initiations');
  assert.equal(scan.length, 1, 'one alert for the whole flood');
  const distinct = scan[0]?.wireguard?.alert?.distinct ?? 0;
  // The state bound evicts per-source groups; the sketch still counts every source (about 1.6 % error).
  assert.ok(distinct > SOURCES * 0.9 && distinct < SOURCES * 1.1, `distinct estimate ${distinct}`);
  assert.equal(hits.filter((h) => h.rule?.id === 'invalid-initiation-burst').length, 0, 'no source sent ten: no per-source alert');
});
