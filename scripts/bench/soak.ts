// npm run bench:soak [-- --minutes 10 --rate 4000]
// The pipeline under steady load for a long time: lines are produced at a fixed rate while the pipeline
// consumes them; the pipeline's memory (RSS, heap) is sampled every 10 s. Memory must stay flat: bounded
// batches, no per-event state that grows. Results go to bench/results/soak.json.
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
import { NO_HOOKS, Pipeline } from '../../src/indexing/pipeline.ts';
import { localStackTargets } from '../../src/dev/stack/stack.ts';
import { writeKernelCorpus } from './corpus.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '4000' } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const targets = localStackTargets(loadConfig());
if (!targets.brokers || !targets.esUrl) throw new Error('the local stack is not running: wg-siem stack up');
const run = Date.now().toString(36);
const topic = `soak-${run}`;
const config = loadConfig({
  WG_SIEM_KAFKA_BROKERS: targets.brokers.join(','), WG_SIEM_ES_NODES: targets.esUrl, WG_SIEM_KAFKA_TOPICS: topic,
  WG_SIEM_KAFKA_DLQ_TOPIC: `${topic}.dlq`, WG_SIEM_KAFKA_GROUP_ID: `soak-${run}`, WG_SIEM_NAMESPACE: `soak_${run}`,
});
const es = new Client({ node: targets.esUrl });
await applySetup(es, planSetup(await detectCapabilities(es), config));
const file = join(tmpdir(), `wg-siem-soak-${run}.log`);
writeKernelCorpus(file, 200_000, 3);
const corpus = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const kafka = createKafka({ brokers: targets.brokers, clientId: 'wg-siem-soak' });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 4, replicationFactor: 1 }] });
const producer = kafka.producer();
await producer.connect();
let indexed = 0;
const pipeline = new Pipeline({ config, kafka: { brokers: targets.brokers, clientId: 'wg-siem-soak' }, es, log: pino({ level: 'warn' }), hooks: { ...NO_HOOKS, indexed: (_a, n) => { indexed += n; } } });
await pipeline.start();

const samples: { s: number; rssMb: number; heapMb: number; produced: number; indexed: number }[] = [];
const t0 = Date.now();
let produced = 0;
let i = 0;
const mb = (b: number): number => Math.round(b / 1048576);
while (Date.now() - t0 < minutes * 60_000) {
  const tick = Date.now();
  const batch = [];
  for (let k = 0; k < rate / 10; k++) batch.push({ value: corpus[i++ % corpus.length] ?? '' });
  await producer.send({ topic, messages: batch });
  produced += batch.length;
  const elapsed = Date.now() - t0;
  if (samples.length === 0 || elapsed - (samples.at(-1)?.s ?? 0) * 1000 >= 10_000) {
    const m = process.memoryUsage();
    samples.push({ s: Math.round(elapsed / 1000), rssMb: mb(m.rss), heapMb: mb(m.heapUsed), produced, indexed });
    process.stdout.write(`${String(Math.round(elapsed / 1000)).padStart(4)} s  rss ${mb(m.rss)} MB  heap ${mb(m.heapUsed)} MB  produced ${produced}  indexed ${indexed}\n`);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
}
await producer.disconnect();
await pipeline.stop();
await admin.disconnect();
await es.close();
const later = samples.slice(Math.floor(samples.length / 3));
const out = {
  when: new Date().toISOString(), minutes, ratePerSec: rate, produced, indexed,
  rssMb: { first: samples[0]?.rssMb, max: Math.max(...samples.map((s) => s.rssMb)), last: samples.at(-1)?.rssMb, maxAfterWarmup: Math.max(...later.map((s) => s.rssMb)), minAfterWarmup: Math.min(...later.map((s) => s.rssMb)) },
  heapMb: { max: Math.max(...samples.map((s) => s.heapMb)), last: samples.at(-1)?.heapMb },
  samples,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/soak.json', `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`rss after warm-up: ${out.rssMb.minAfterWarmup}–${out.rssMb.maxAfterWarmup} MB (max ${out.rssMb.max} MB); heap max ${out.heapMb.max} MB; written to bench/results/soak.json\n`);
