// npm run fuzz [-- --records N --seed S]
// A million hostile records (test/helpers/fuzz-records.ts) through the real pipeline on the local stack: `wg-siem
// run --stage index` as a child process, as deployed, with the records produced to its topic while it runs.
// Reports crashes (the child exiting before it is told to stop, or not exiting 0 on SIGTERM), exceptions caught
// per record (processing-error dead letters), dead letters by reason against what each record should give, the
// child's peak RSS, and the slowest record (each record is also timed through processRecord in this process, the
// same per-record step, since the pipeline times batches, not records). Writes bench/results/fuzz.json.
// Needs the local stack (`wg-siem stack up`).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import fc from 'fast-check';
import { loadConfig } from '../src/shared/config/load.ts';
import { detectCapabilities } from '../src/sinks/elasticsearch/capabilities.ts';
import { applySetup, planSetup } from '../src/sinks/elasticsearch/setup.ts';
import { createKafka } from '../src/source/kafka/client.ts';
import { DLQ_HEADERS } from '../src/source/kafka/dead-letter-headers.ts';
import { groupLag } from '../src/source/kafka/group-lag.ts';
import { processRecord, type RecordContext } from '../src/indexing/record.ts';
import { localStackTargets } from '../src/dev/stack/stack.ts';
import { fuzzRecordArb } from '../test/helpers/fuzz-records.ts';
import { createTopicsReady } from '../src/source/kafka/topics.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '20261206' } } });
const N = Number(values.records);
const SEED = Number(values.seed);
const base = loadConfig();
const targets = localStackTargets(base);
if (!targets.brokers || !targets.esUrl) throw new Error('the local stack is not running: wg-siem stack up');
const run = Date.now().toString(36);
const topic = `fuzz-${run}`;
const env: Record<string, string> = {
  WG_SIEM_KAFKA_BROKERS: targets.brokers.join(','), WG_SIEM_ES_NODES: targets.esUrl, WG_SIEM_KAFKA_TOPICS: topic,
  WG_SIEM_KAFKA_DLQ_TOPIC: `${topic}.dlq`, WG_SIEM_KAFKA_GROUP_ID: `fuzz-${run}`, WG_SIEM_NAMESPACE: `fuzz_${run}`,
  WG_SIEM_KAFKA_CORRELATION_TOPIC: `${topic}.correlate`, WG_SIEM_HTTP_PORT: '0', WG_SIEM_LOG_LEVEL: 'warn',
};
const config = loadConfig(env);
const es = new Client({ node: targets.esUrl });
await applySetup(es, planSetup(await detectCapabilities(es), config));
const kafka = createKafka({ brokers: targets.brokers, clientId: 'wg-siem-fuzz' });
const admin = kafka.admin();
await admin.connect();
await createTopicsReady(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }, { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor: 1 }]);

// The pipeline, as deployed; its memory sampled from /proc while it works.
const child = spawn(process.execPath, ['src/cli/main.ts', 'run', '--stage', 'index'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
// The child never outlives this script, whatever ends it.
process.on('exit', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
let stderr = '';
child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-20_000); });
let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
let stopping = false;
let crashes = 0;
const exit = new Promise<void>((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; if (!stopping) crashes++; resolve(); }));
let peakRssMb = 0;
const status = (): string => { try { return readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'); } catch { return ''; } };
const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())?.[1] ?? 0);
const sampler = setInterval(() => { peakRssMb = Math.max(peakRssMb, kb('VmRSS') / 1024, kb('VmHWM') / 1024); }, 250);

// Draw, time in-process, produce.
const ctx: RecordContext = { namespace: config.namespace, timezone: 'UTC', validate: true, maxRecordBytes: config['pipeline.maxRecordBytes'], keepUnparsed: false, nowMs: Date.now() };
const expectedDead = new Map<string, number>();
const kinds = new Map<string, number>();
// Every record that took over 1 ms is timed again at the end (best of three), so that a GC pause or JIT warm-up is
// not taken for a slow record; at most 20,000 of them are kept, the largest first.
const slowest: { ms: number; kind: string; value: Uint8Array; headers: Readonly<Record<string, string>> }[] = [];
const SLOW_MS = 1;
let expectedEvents = 0;
let bytes = 0;
const producer = kafka.producer();
await producer.connect();
const t0 = performance.now();
const CHUNK = 5000;
for (let i = 0; i < N; i += CHUNK) {
  const recs = fc.sample(fuzzRecordArb(100), { numRuns: Math.min(CHUNK, N - i), seed: SEED + i });
  const messages = recs.map((r, j) => {
    const t = performance.now();
    const out = processRecord({ topic, partition: 0, offset: String(i + j), timestampMs: ctx.nowMs, key: null, value: Buffer.from(r.value), headers: r.headers }, ctx);
    const ms = performance.now() - t;
    if (ms > SLOW_MS) {
      slowest.push({ ms, kind: r.kind, value: r.value, headers: r.headers });
      if (slowest.length > 40_000) {
        slowest.sort((a, b) => b.value.length - a.value.length);
        slowest.length = 20_000;
      }
    }
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    for (const d of out.deadLetters) expectedDead.set(d.reason, (expectedDead.get(d.reason) ?? 0) + 1);
    expectedEvents += out.actions.filter((a) => a.index.startsWith('logs-wireguard.log-')).length;
    bytes += r.value.length;
    return { key: String((i + j) % 64), value: Buffer.from(r.value), headers: r.headers };
  });
  // A produce request carries at most the broker's message.max.bytes (1 MiB) per partition: send by size.
  for (let from = 0; from < messages.length;) {
    let size = 0;
    let to = from;
    while (to < messages.length && (to === from || size + (messages[to]?.value.length ?? 0) < 256 * 1024)) size += messages[to++]?.value.length ?? 0;
    await producer.send({ topic, acks: -1, messages: messages.slice(from, to) });
    from = to;
  }
  if ((i / CHUNK) % 20 === 0) process.stderr.write(`\rproduced ${i + messages.length} / ${N}, pipeline RSS ${Math.round(kb('VmRSS') / 1024)} MB   `);
  if (exited) break;
}
await producer.disconnect();
const producedS = (performance.now() - t0) / 1000;
process.stderr.write('\nwaiting for the pipeline to commit everything\n');
while (!exited && (await groupLag(admin, config['kafka.groupId'], topic)) > 0) await new Promise((r) => setTimeout(r, 1000));
const doneS = (performance.now() - t0) / 1000;
stopping = true;
child.kill('SIGTERM');
await exit;
clearInterval(sampler);

// What landed: dead letters by reason (their headers), event documents.
const dead = new Map<string, number>();
const dlqEnd = (await admin.fetchTopicOffsets(`${topic}.dlq`)).reduce((n, p) => n + Number(p.high), 0);
if (dlqEnd > 0) {
  const consumer = kafka.consumer({ groupId: `fuzz-dlq-${run}`, maxBytes: 64 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [`${topic}.dlq`], fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: ({ message }) => {
        const reason = message.headers?.[DLQ_HEADERS.reason]?.toString() ?? '(none)';
        dead.set(reason, (dead.get(reason) ?? 0) + 1);
        if (++seen >= dlqEnd) resolve();
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
}
await admin.disconnect();
await es.indices.refresh({ index: `logs-wireguard.log-${config.namespace}`, ignore_unavailable: true });
const indexed = (await es.count({ index: `logs-wireguard.log-${config.namespace}`, ignore_unavailable: true })).count;
await es.close();

const retimed = slowest.map((s) => {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    processRecord({ topic, partition: 0, offset: '0', timestampMs: ctx.nowMs, key: null, value: Buffer.from(s.value), headers: s.headers }, ctx);
    best = Math.min(best, performance.now() - t);
  }
  return { ms: Number(best.toFixed(2)), firstMs: Number(s.ms.toFixed(2)), kind: s.kind, bytes: s.value.length };
}).sort((a, b) => b.ms - a.ms);
const sorted = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));
const result = {
  records: N, seed: SEED, megabytes: Math.round(bytes / 1e6), kinds: sorted(kinds),
  crashes, exit: exited, processingErrors: dead.get('processing-error') ?? 0,
  deadLetters: sorted(dead), deadLettersExpected: sorted(expectedDead),
  eventsIndexed: indexed, eventsExpected: expectedEvents,
  peakRssMb: Math.round(peakRssMb),
  slowestRecord: retimed[0],
  slowestRecords: retimed.slice(0, 5),
  producedSeconds: Number(producedS.toFixed(1)), processedSeconds: Number(doneS.toFixed(1)),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/fuzz.json', `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (crashes > 0) process.stderr.write(`the pipeline exited on its own; its last output:\n${stderr}\n`);
const ok = crashes === 0 && (exited as { code: number | null } | null)?.code === 0 && result.processingErrors === 0 && indexed === expectedEvents
  && [...new Set([...dead.keys(), ...expectedDead.keys()])].every((k) => dead.get(k) === expectedDead.get(k));
process.exit(ok ? 0 : 1);
