// npm run bench:alerts [-- --lines N --bursts B --rate R]
// 1. Throughput with correlation off, then on: the same kernel corpus through `run`'s stages on the local stack,
//    until every record is committed (and, with correlation on, correlated).
// 2. Alert latency under steady load: while corpus lines stream in at R lines/s, B bursts of ten invalid
//    initiations from a fresh source each open one alert; latency = from the producer's timestamp on the tenth
//    line (the record's append) to Elasticsearch acknowledging the alert document. Prints p50/p90/p99/max and the
//    index refresh interval the target is relative to. Results go to bench/results/alerts.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import pino from 'pino';
import { createCorrelation } from '../../src/correlate/alerts/assemble.ts';
import { NO_CORRELATION_HOOKS } from '../../src/correlate/alerts/correlation-ports.ts';
import type { Config } from '../../src/shared/config/keys.ts';
import { loadConfig } from '../../src/shared/config/load.ts';
import { detectCapabilities } from '../../src/sinks/elasticsearch/capabilities.ts';
import { applySetup, planSetup } from '../../src/sinks/elasticsearch/setup.ts';
import { createKafka } from '../../src/source/kafka/client.ts';
import { Pipeline } from '../../src/indexing/pipeline.ts';
import { localStackTargets } from '../../src/dev/stack/stack.ts';
import { writeKernelCorpus } from './corpus.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '200000' }, bursts: { type: 'string', default: '200' }, rate: { type: 'string', default: '2000' } } });
const N = Number(values.lines);
const BURSTS = Number(values.bursts);
const RATE = Number(values.rate);
const base = loadConfig();
const targets = localStackTargets(base);
if (!targets.brokers || !targets.esUrl) throw new Error('the local stack is not running: wg-siem stack up');
const brokers = targets.brokers;
const es = new Client({ node: targets.esUrl });
const log = pino({ level: 'warn' });
const kafka = createKafka({ brokers, clientId: 'wg-siem-bench' });
const admin = kafka.admin();
await admin.connect();
const run = Date.now().toString(36);

function configFor(name: string, correlate: boolean): Config {
  const topic = `bench-alerts-${name}-${run}`;
  return loadConfig({
    WG_SIEM_KAFKA_BROKERS: brokers.join(','), WG_SIEM_ES_NODES: targets.esUrl ?? '', WG_SIEM_KAFKA_TOPICS: topic,
    WG_SIEM_KAFKA_DLQ_TOPIC: `${topic}.dlq`, WG_SIEM_KAFKA_GROUP_ID: `${topic}-g`, WG_SIEM_NAMESPACE: `bench_alerts_${name}_${run}`,
    WG_SIEM_KAFKA_CORRELATION_TOPIC: `${topic}.correlate`, WG_SIEM_KAFKA_CORRELATION_GROUP_ID: `${topic}-c`,
    WG_SIEM_CORRELATE: String(correlate), WG_SIEM_CORRELATE_SCHEDULE: '* * * * * *',
  });
}

async function lagOf(groupId: string, topic: string): Promise<number> {
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) return 0;
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const c = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset === '-1' ? '0' : p.offset)]));
  return ends.reduce((sum, e) => sum + Number(BigInt(e.high) - (c.get(e.partition) ?? 0n)), 0);
}

const file = join(tmpdir(), `wg-siem-bench-alerts-${run}.log`);
writeKernelCorpus(file, N);
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const producer = kafka.producer();
await producer.connect();

async function throughput(correlate: boolean): Promise<{ seconds: number; recordsPerSec: number; alerts: number }> {
  const config = configFor(correlate ? 'on' : 'off', correlate);
  await applySetup(es, planSetup(await detectCapabilities(es), config));
  const topic = config['kafka.topics'][0] ?? '';
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 4, replicationFactor: 1 }] });
  for (let i = 0; i < lines.length; i += 10_000) {
    await producer.send({ topic, acks: -1, messages: lines.slice(i, i + 10_000).map((v, j) => ({ key: String((i + j) % 64), value: v })) });
  }
  let alerts = 0;
  const hooks = { ...NO_CORRELATION_HOOKS, transition: (_r: string, kind: string) => { if (kind === 'opened') alerts++; } };
  const pipeline = new Pipeline({ config, kafka: { brokers, clientId: 'wg-siem-bench' }, es, log });
  const correlation = correlate ? createCorrelation({ config, kafka: { brokers, clientId: 'wg-siem-bench' }, es, log, hooks }) : undefined;
  const t = performance.now();
  await Promise.all([pipeline.start(), correlation?.stage.start()]);
  for (;;) {
    const raw = await lagOf(config['kafka.groupId'], topic);
    const corr = correlate ? await lagOf(config['kafka.correlationGroupId'], config['kafka.correlationTopic']) : 0;
    if (raw === 0 && corr === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t) / 1000;
  await Promise.all([pipeline.stop(), correlation?.stage.stop()]);
  return { seconds, recordsPerSec: Math.round(lines.length / seconds), alerts };
}

const off = await throughput(false);
process.stdout.write(`correlation off: ${off.recordsPerSec} records/s (${N} lines in ${off.seconds.toFixed(1)} s)\n`);
const on = await throughput(true);
process.stdout.write(`correlation on:  ${on.recordsPerSec} records/s (${N} lines in ${on.seconds.toFixed(1)} s; ${on.alerts} alerts opened)\n`);

// Latency under steady load.
const config = configFor('latency', true);
await applySetup(es, planSetup(await detectCapabilities(es), config));
const topic = config['kafka.topics'][0] ?? '';
await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 4, replicationFactor: 1 }] });
const sentAt = new Map<string, number>();
const latencies: number[] = [];
const hooks = {
  ...NO_CORRELATION_HOOKS,
  transition: (rule: string, kind: string, alert: { group: Readonly<Record<string, string>> }) => {
    if (rule !== 'invalid-initiation-burst' || kind !== 'opened') return;
    const t0 = sentAt.get(alert.group['source.ip'] ?? '');
    if (t0 !== undefined) latencies.push(Date.now() - t0);
  },
};
const pipeline = new Pipeline({ config, kafka: { brokers, clientId: 'wg-siem-bench' }, es, log, fromBeginning: true });
const correlation = createCorrelation({ config, kafka: { brokers, clientId: 'wg-siem-bench' }, es, log, hooks });
await Promise.all([pipeline.start(), correlation.stage.start()]);
// Let both consumer groups settle before measuring.
await new Promise((r) => setTimeout(r, 3000));
let next = 0;
const tick = 100;
const perTick = Math.max(1, Math.round(RATE * tick / 1000));
for (let b = 0; b < BURSTS; b++) {
  for (let k = 0; k < 5; k++) {
    const chunk = lines.slice(next, next + perTick);
    next = (next + perTick) % Math.max(1, lines.length - perTick);
    await producer.send({ topic, acks: 1, messages: chunk.map((v, j) => ({ key: String(j % 64), value: v })) });
    await new Promise((r) => setTimeout(r, tick));
  }
  const ip = `100.64.${b >> 8}.${b & 255}`;
  const now = Date.now();
  const burst = Array.from({ length: 10 }, (_, i) => `${new Date(now - (9 - i) * 100).toISOString()} bench-gw kernel: wireguard: wg0: Invalid handshake initiation from ${ip}:51820`);
  const ts = Date.now();
  await producer.send({ topic, acks: 1, messages: burst.map((v) => ({ key: 'bench-gw', value: v, timestamp: String(ts) })) });
  sentAt.set(ip, ts);
}
const deadline = Date.now() + 30_000;
while (latencies.length < BURSTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
await Promise.all([pipeline.stop(), correlation.stage.stop()]);
await producer.disconnect();
await admin.disconnect();
const sorted = [...latencies].sort((a, b) => a - b);
const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const refresh = '1s (default index.refresh_interval; alerts are acknowledged before any refresh)';
process.stdout.write(`alert latency (append → Elasticsearch ack), ${sorted.length}/${BURSTS} alerts under ${RATE} lines/s: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${sorted.at(-1) ?? NaN} ms\n`);
const result = {
  when: new Date().toISOString(), lines: N, throughput: { off, on, ratio: Math.round((on.recordsPerSec / off.recordsPerSec) * 100) / 100 },
  latency: { bursts: BURSTS, measured: sorted.length, steadyLinesPerSec: RATE, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted.at(-1) ?? null, refresh },
  settings: { snapshotIntervalMs: config['correlate.snapshotIntervalMs'], batchSize: config['pipeline.batchSize'], concurrency: config['pipeline.concurrency'] },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/alerts.json', `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`ratio on/off: ${result.throughput.ratio}\nwritten to bench/results/alerts.json\n`);
await es.close();
