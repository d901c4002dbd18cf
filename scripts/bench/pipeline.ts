// npm run bench:pipeline [-- --lines N]
// End-to-end records/s Kafka → wg-siem → Elasticsearch on the local stack, and in the same run the ceiling:
// the same documents bulk-indexed straight into Elasticsearch (no Kafka, no parsing), once with wg-siem's ids and
// once with ids Elasticsearch generates. Prints them, their ratios, the settings, and where the time goes (our CPU:
// parse and serialise; Elasticsearch's CPU; bulk wait).
// Results go to bench/results/pipeline.json. Needs the local stack (`wg-siem stack up`).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import pino from 'pino';
import { loadConfig } from '../../src/shared/config/load.ts';
import { detectCapabilities } from '../../src/sinks/elasticsearch/capabilities.ts';
import { applySetup, planSetup } from '../../src/sinks/elasticsearch/setup.ts';
import { createKafka } from '../../src/source/kafka/client.ts';
import { processLine } from '../../src/parse/normalize/line.ts';
import { NO_HOOKS, Pipeline } from '../../src/indexing/pipeline.ts';
import { documentId } from '../../src/indexing/record.ts';
import type { IndexAction } from '../../src/indexing/record.ts';
import { localStackTargets, readState } from '../../src/dev/stack/stack.ts';
import { stackPaths } from '../../src/dev/stack/paths.ts';
import { writeKernelCorpus } from './corpus.ts';
import { createTopicsReady } from '../../src/source/kafka/topics.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '500000' } } });
const N = Number(values.lines);
const base = loadConfig();
const targets = localStackTargets(base);
if (!targets.brokers || !targets.esUrl) throw new Error('the local stack is not running: wg-siem stack up');
const run = Date.now().toString(36);
const topic = `bench-${run}`;
const env = {
  WG_SIEM_KAFKA_BROKERS: targets.brokers.join(','), WG_SIEM_ES_NODES: targets.esUrl, WG_SIEM_KAFKA_TOPICS: topic,
  WG_SIEM_KAFKA_DLQ_TOPIC: `${topic}.dlq`, WG_SIEM_KAFKA_GROUP_ID: `bench-${run}`, WG_SIEM_NAMESPACE: `bench_e2e_${run}`,
};
const config = loadConfig(env);
const es = new Client({ node: targets.esUrl });
await applySetup(es, planSetup(await detectCapabilities(es), config));
const esPid = readState(stackPaths(base)).elasticsearch?.pid;
const esCpu = (): number => {
  if (!esPid) return NaN;
  const f = readFileSync(`/proc/${esPid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / 100;
};
const ourCpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

// The corpus, as Kafka records (documents are built later, for the ceiling).
const file = join(tmpdir(), `wg-siem-bench-${run}.log`);
writeKernelCorpus(file, N);
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const kafka = createKafka({ brokers: targets.brokers, clientId: 'wg-siem-bench' });
const admin = kafka.admin();
await admin.connect();
await createTopicsReady(admin, [{ topic, numPartitions: 4, replicationFactor: 1 }]);
const producer = kafka.producer();
await producer.connect();
for (let i = 0; i < lines.length; i += 10_000) {
  await producer.send({ topic, acks: -1, messages: lines.slice(i, i + 10_000).map((v, j) => ({ key: String((i + j) % 64), value: v })) });
}
await producer.disconnect();
process.stdout.write(`corpus: ${lines.length} lines produced to ${topic}\n`);

// End to end.
let bulkWait = 0;
let commits = 0;
const hooks = { ...NO_HOOKS, bulkRequest: (s: number) => { bulkWait += s; }, committed: () => { commits++; } };
const pipeline = new Pipeline({ config, kafka: { brokers: targets.brokers, clientId: 'wg-siem-bench' }, es, log: pino({ level: 'warn' }), hooks });
const e2eEs0 = esCpu();
const cpu0 = ourCpu();
const tE2e = performance.now();
await pipeline.start();
for (;;) {
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId: config['kafka.groupId'], topics: [topic] });
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
  if (ends.every((e) => done.get(e.partition) === e.high)) break;
  await new Promise((r) => setTimeout(r, 100));
}
const e2eSeconds = (performance.now() - tE2e) / 1000;
const e2eOurCpu = ourCpu() - cpu0;
const e2eEsCpu = esCpu() - e2eEs0;
await pipeline.stop();
await admin.disconnect();
// The ceiling runs after, on the warm server, so the ratio is not flattered by a cold start of the end-to-end run.
const now = Date.now();
let t = performance.now();
const actions: IndexAction[] = [];
lines.forEach((line, i) => {
  const r = processLine({ value: line, nowMs: now }, { timezone: 'UTC', namespace: `bench_ceiling_${run}`, validate: true });
  if (r.kind === 'event') actions.push({ index: `logs-wireguard.log-bench_ceiling_${run}`, id: documentId({ topic, partition: 0, offset: String(i), line: 0 }), doc: r.doc, action: 'x', source: { topic, partition: 0, offset: String(i), line: 0 } });
});
const parseSeconds = (performance.now() - t) / 1000;
t = performance.now();
let bytes = 0;
for (const a of actions) bytes += JSON.stringify(a.doc).length;
const serialiseSeconds = (performance.now() - t) / 1000;

process.stdout.write(`${actions.length} documents (${Math.round(bytes / actions.length)} bytes each on average)\n`);
// Ceiling: the same documents, straight into Elasticsearch, with the pipeline's bulk settings.
const settings = { batchSize: config['pipeline.batchSize'], bulkMaxBytes: config['pipeline.bulkMaxBytes'], bulkConcurrency: config['pipeline.bulkConcurrency'], partitionConcurrency: config['pipeline.concurrency'] };
const es0 = esCpu();
t = performance.now();
// The client's own bulk helper, as the reference measurements do: it serialises lazily and flushes by size.
const ceil = await es.helpers.bulk({
  datasource: actions,
  onDocument: (a: IndexAction) => [{ create: { _index: a.index, _id: a.id } }, a.doc],
  flushBytes: settings.bulkMaxBytes,
  concurrency: settings.bulkConcurrency * settings.partitionConcurrency,
  refreshOnCompletion: false,
});
const ceilingSeconds = (performance.now() - t) / 1000;
const ceilingEsCpu = esCpu() - es0;
if (ceil.failed) throw new Error(`ceiling run: ${ceil.failed} documents failed`);
const documents = actions.length;
const ceilingRate = documents / ceilingSeconds;
process.stdout.write(`ceiling (bulk only): ${Math.round(ceilingRate)} docs/s (${ceilingSeconds.toFixed(1)} s; Elasticsearch CPU ${ceilingEsCpu.toFixed(1)} s)\n`);

// The same ceiling with ids Elasticsearch generates (another data stream): what the explicit `_id` of exactly-once
// indexing costs Elasticsearch (an id lookup per document instead of its append-only path).
const autoIndex = `logs-wireguard.log-bench_autoid_${run}`;
const esAuto0 = esCpu();
let dropped: string | undefined;
t = performance.now();
const auto = await es.helpers.bulk({
  datasource: actions,
  onDocument: (a: IndexAction) => [{ create: { _index: autoIndex } }, a.doc],
  onDrop: (d) => { dropped ??= `${d.status} ${JSON.stringify(d.error)}`; },
  flushBytes: settings.bulkMaxBytes,
  concurrency: settings.bulkConcurrency * settings.partitionConcurrency,
  refreshOnCompletion: false,
});
const autoSeconds = (performance.now() - t) / 1000;
const autoEsCpu = esCpu() - esAuto0;
if (auto.failed) throw new Error(`ceiling run with generated ids: ${auto.failed} documents failed (first: ${dropped ?? '?'})`);
const autoRate = actions.length / autoSeconds;
process.stdout.write(`ceiling with generated ids: ${Math.round(autoRate)} docs/s (${autoSeconds.toFixed(1)} s; Elasticsearch CPU ${autoEsCpu.toFixed(1)} s); `
  + `explicit ids run at ${(ceilingRate / autoRate).toFixed(2)}× its rate and ${(ceilingEsCpu / autoEsCpu).toFixed(2)}× its Elasticsearch CPU\n`);

const e2eRate = lines.length / e2eSeconds;
const docRate = documents / e2eSeconds;
process.stdout.write(`end to end: ${Math.round(e2eRate)} records/s = ${Math.round(docRate)} docs/s (${e2eSeconds.toFixed(1)} s)\n`);
process.stdout.write(`ratio to the ceiling (docs/s): ${(docRate / ceilingRate).toFixed(2)}\n`);
process.stdout.write(`where the time goes: wg-siem CPU ${e2eOurCpu.toFixed(1)} s (of it, measured alone: parse+validate ${parseSeconds.toFixed(1)} s, serialise ${serialiseSeconds.toFixed(1)} s), `
  + `Elasticsearch CPU ${e2eEsCpu.toFixed(1)} s, bulk requests in flight ${bulkWait.toFixed(1)} s summed, ${commits} commits\n`);
process.stdout.write(`settings: ${JSON.stringify(settings)}\n`);
const out = {
  when: new Date().toISOString(), lines: lines.length, documents, settings,
  ceiling: { docsPerSec: Math.round(ceilingRate), seconds: ceilingSeconds, elasticsearchCpuSeconds: ceilingEsCpu },
  ceilingGeneratedIds: { docsPerSec: Math.round(autoRate), seconds: autoSeconds, elasticsearchCpuSeconds: autoEsCpu },
  endToEnd: { recordsPerSec: Math.round(e2eRate), docsPerSec: Math.round(docRate), seconds: e2eSeconds, wgSiemCpuSeconds: e2eOurCpu, elasticsearchCpuSeconds: e2eEsCpu, bulkSecondsSummed: bulkWait, commits },
  ratio: Math.round((docRate / ceilingRate) * 100) / 100,
  measuredAlone: { parseAndValidateSeconds: parseSeconds, serialiseSeconds },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/pipeline.json', `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write('written to bench/results/pipeline.json\n');
await es.close();
