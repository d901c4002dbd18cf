// wg-siem on a cluster: the local stack brought up as three KRaft brokers (combined broker+controller, a three-voter
// quorum) and two Elasticsearch nodes, in a folder of its own and on ports of its own (the single-node stack the
// other tests use keeps running). Checks status, the topics wg-siem creates (replication factor 3,
// min.insync.replicas 2), the templates (one replica), doctor's report, the namespace header on the intermediate
// topic and the refusal of another deployment's topic, and the pipeline end to end with an exact document count; then
// four faults of the cluster under one running wg-siem (see "Faults" below).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCorrelation } from '../../src/correlate/alerts/assemble.ts';
import { judgeOwnership, NAMESPACE_HEADER, sampleOwnership } from '../../src/correlate/alerts/ownership.ts';
import { loadConfig } from '../../src/shared/config/load.ts';
import type { Config } from '../../src/shared/config/keys.ts';
import { detectCapabilities } from '../../src/sinks/elasticsearch/capabilities.ts';
import { createEsClient } from '../../src/sinks/elasticsearch/client.ts';
import { applySetup, planSetup } from '../../src/sinks/elasticsearch/setup.ts';
import { createKafka, kafkaTarget } from '../../src/source/kafka/client.ts';
import { kafkaClusterReport } from '../../src/source/kafka/cluster-report.ts';
import { newestRecords } from '../../src/source/kafka/newest-records.ts';
import { ensureTopics } from '../../src/source/kafka/topics.ts';
import { ReliableProducer } from '../../src/source/kafka/reliable-producer.ts';
import { Pipeline } from '../../src/indexing/pipeline.ts';
import { hasExited } from '../../src/dev/stack/proc.ts';
import { kafkaQuorum, stackDown, stackStatus, stackUp } from '../../src/dev/stack/stack.ts';
import { feedItems } from '../../src/indexing/correlation-feed.ts';
import { alertHits, FAST_CORRELATION_ENV, kernelLine, startBoth, type Running } from '../helpers/alerts.ts';
import { HttpRecorder } from '../helpers/http-recorder.ts';
import { groupLagOf, pipelineFixture, quietLogger, type PipelineFixture } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';
import { uniqueName, within } from '../helpers/stack.ts';
import { childEnv } from '../helpers/env.ts';

const root = mkdtempSync(join(tmpdir(), 'wg-siem-cluster-'));
// Elasticsearch runs as its own user (as root), which must reach its folders below this one.
chmodSync(root, 0o755);
const stackConfig = { ...loadConfig({}), 'stack.dir': join(root, 'stack'), 'stack.elasticsearchHeapMb': 512 };
let env: Record<string, string> = {};
let config: Config;
const t0 = Date.now();
const seconds = (): string => ((Date.now() - t0) / 1000).toFixed(1);

const N = 3000;
const LINES = Array.from({ length: N }, (_, i) => `${new Date(Date.now() - 120_000 + i * 10).toISOString()} gw-${i % 7} kernel: wireguard: wg0: Invalid handshake initiation from 203.0.113.${i % 200}:51820`);

before(async () => {
  const up = await stackUp(stackConfig, { readyTimeoutMs: 240_000, kafkaNodes: 3, esNodes: 2 });
  process.stderr.write(`cluster up in ${up.seconds.total} s (Kafka ${up.seconds.kafka} s, Elasticsearch ${up.seconds.elasticsearch} s)\n`);
  const topic = uniqueName('cluster-in');
  env = {
    WG_SIEM_STACK_DIR: stackConfig['stack.dir'], WG_SIEM_KAFKA_TOPICS: topic,
    WG_SIEM_NAMESPACE: uniqueName('cluster').replace(/-/g, '_'), WG_SIEM_HTTP_PORT: '0', WG_SIEM_CORRELATE_SNAPSHOT_MS: '1000',
  };
  config = loadConfig(env);
}, { timeout: 300_000 });

after(async () => {
  await stopFaults();
  const down = await stackDown(stackConfig, { purge: true });
  process.stderr.write(`cluster down (kafka ${down.kafka}, elasticsearch ${down.elasticsearch}) at ${seconds()} s\n`);
  rmSync(root, { recursive: true, force: true });
});

test('status lists every node; the names of this deployment derive from its namespace', async () => {
  const s = await stackStatus(stackConfig);
  assert.deepEqual(s.shape, { kafkaNodes: 3, esNodes: 2 });
  assert.equal(s.kafka.nodes.length, 3);
  assert.ok(s.kafka.nodes.every((n) => n.running && n.pid !== null), JSON.stringify(s.kafka.nodes));
  assert.equal(s.kafka.brokers.length, 3);
  assert.equal(s.elasticsearch.nodes.length, 2);
  assert.ok(s.elasticsearch.nodes.every((n) => n.running), JSON.stringify(s.elasticsearch.nodes));
  assert.equal(s.elasticsearch.health, 'green');
  // Nothing collides with the single-node stack (19092/19200) or the secured one (+200).
  for (const b of s.kafka.brokers) assert.ok(![19092, 19093, 19292, 19293].includes(Number(b.split(':')[1])), b);
  const ns = config['namespace'];
  assert.equal(config['kafka.correlationTopic'], `wireguard.correlate.${ns}`);
  assert.equal(config['kafka.correlationGroupId'], `wg-siem-correlate-${ns}`);
  assert.equal(config['kafka.groupId'], `wg-siem-${ns}`);
  assert.equal(config['kafka.dlqTopic'], `wireguard.logs.dlq.${ns}`);
});

test('setup: the templates ask for one replica on two data nodes', { timeout: 120_000 }, async () => {
  const es = createEsClient(config, s(await stackStatus(stackConfig)));
  try {
    const caps = await detectCapabilities(es);
    assert.equal(caps.dataNodes, 2);
    const plan = planSetup(caps, config);
    await applySetup(es, plan);
    const t = await es.indices.getIndexTemplate({ name: 'logs-wireguard.log' });
    const settings = t.index_templates[0]?.index_template.template?.settings as { index?: { number_of_replicas?: string | number } } | undefined;
    assert.equal(String(settings?.index?.number_of_replicas), '1');
    // A second run finds everything in place.
    assert.ok((await applySetup(es, plan)).every((o) => o.status === 'unchanged'));
  } finally { await es.close(); }
});

function s(st: Awaited<ReturnType<typeof stackStatus>>): string {
  assert.ok(st.elasticsearch.url);
  return st.elasticsearch.url;
}

test('the pipeline end to end: topics of replication factor 3 and min.insync.replicas 2, every line indexed exactly once, intermediate records carry the namespace', { timeout: 180_000 }, async () => {
  const st = await stackStatus(stackConfig);
  const kafka = kafkaTarget(config, st.kafka.brokers);
  const es = createEsClient(config, s(st));
  const topic = config['kafka.topics'][0] ?? '';
  await ensureTopics(kafka, [{ topic, partitions: 3 }]);
  const producer = createKafka(kafka).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < N; i += 500) await producer.send({ topic, acks: -1, messages: LINES.slice(i, i + 500).map((value, j) => ({ key: `gw-${(i + j) % 7}`, value })) });
  await producer.disconnect();

  const log = quietLogger();
  const pipeline = new Pipeline({ config, kafka, es, log });
  const correlation = createCorrelation({ config, kafka, es, log });
  const index = `logs-wireguard.log-${config.namespace}`;
  const t = Date.now();
  await Promise.all([pipeline.start(), correlation.stage.start()]);
  try {
    await waitFor('every line indexed', 120_000, async () => {
      await es.indices.refresh({ index, ignore_unavailable: true });
      return (await es.count({ index, ignore_unavailable: true })).count >= N;
    });
    process.stderr.write(`${N} lines indexed in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    await es.indices.refresh({ index });
    assert.equal((await es.count({ index })).count, N, 'exactly N documents');
    await waitFor('intermediate records', 30_000, async () => (await newestRecords(kafka, config['kafka.correlationTopic'])).length > 0);
  } finally {
    await Promise.all([pipeline.stop(), correlation.stage.stop()]);
    await correlation.notifier.drain(2000);
  }
  const r = await kafkaClusterReport(kafka, [topic, config['kafka.dlqTopic'], config['kafka.correlationTopic']]);
  assert.equal(r.brokers.length, 3);
  for (const tr of r.topics) {
    assert.equal(tr.replicationFactor, 3, tr.topic);
    assert.equal(tr.minInsyncReplicas, 2, tr.topic);
    for (const p of tr.partitions) assert.equal(p.isr.length, 3, `${tr.topic}/${p.partition}`);
  }
  const newest = await newestRecords(kafka, config['kafka.correlationTopic']);
  assert.ok(newest.every((n) => n.headers[NAMESPACE_HEADER] === config.namespace), JSON.stringify(newest));
  // Another deployment set to this one's intermediate topic refuses to start, naming the setting.
  const other = loadConfig({ ...env, WG_SIEM_NAMESPACE: 'staging', WG_SIEM_KAFKA_CORRELATION_TOPIC: config['kafka.correlationTopic'] });
  const verdict = judgeOwnership(other, await sampleOwnership(other, kafka, es));
  assert.equal(verdict.problems.length, 1);
  assert.match(verdict.problems[0] ?? '', /what to fix: .*kafka\.correlationTopic/);
  assert.deepEqual(judgeOwnership(config, await sampleOwnership(config, kafka, es)).problems, []);
  await es.close();
});

test('doctor reports the brokers, the ISR of wg-siem\'s topics, the nodes and the shard health', { timeout: 60_000 }, async () => {
  const child = spawn('bin/wg-siem', ['doctor'], { env: childEnv(env, { WG_SIEM_LOG_LEVEL: 'warn' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 0, out);
  assert.match(out, /kafka brokers {2}3: 1@127\.0\.0\.1:\d+/);
  assert.match(out, new RegExp(`topic {10}${config['kafka.topics'][0]}: 3 partition\\(s\\), replication factor 3, min\\.insync\\.replicas 2, all replicas in sync`));
  assert.match(out, /es nodes {7}2: wg-siem-local-1 \([a-z]+, elected master\), wg-siem-local-2/);
  assert.match(out, /es shards {6}health green/);
});

// ── Faults ──────────────────────────────────────────────────────────────────────────────────────────────────────
// One wg-siem (both stages and the notifier, in-process, as `wg-siem run` assembles them) runs through the four
// faults below and is never restarted. Every fault has lines of its own: background lines that raise nothing
// (keepalives sent) and two bursts of twelve invalid initiations from two sources on the fault's own host, i.e.
// exactly two problems: two alert documents and two pages. After each fault the totals so far must be exact.

interface PdEvent { event_action: string; dedup_key: string; payload?: { source?: string } }
interface Sample { readonly t: number; readonly n: number }

const BURST = 12;
let faults: {
  f: PipelineFixture; running: Running; pd: HttpRecorder; producer: ReliableProducer; index: string;
  expected: number; phases: number; samples: Sample[]; sampler: NodeJS.Timeout;
  /** Lines acknowledged by the brokers, per host (the record key). */
  perHost: Map<string, number>;
} | undefined;
const report: string[] = [];

const BASE_T = Date.now() - 90_000;

/** Background lines that raise nothing (keepalives sent), numbered from `from`, keyed by host. */
function background(name: string, from: number, n: number): { key: string; value: string }[] {
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    const host = `bg-${name}-${i % 5}`;
    return { key: host, value: kernelLine(BASE_T + (i % 60_000), host, `wg0: Sending keepalive packet to peer ${i % 50} (192.0.2.${i % 50}:51820)`) };
  });
}

/** The fault's two problems: twelve invalid initiations from each of two sources on the fault's own host. */
function bursts(name: string): { key: string; value: string }[] {
  const host = `fault-${name}`;
  return [1, 2].flatMap((src) => Array.from({ length: BURST }, (_, i) => ({
    key: host, value: kernelLine(Date.now() - 60_000 + i * 1000, host, `wg0: Invalid handshake initiation from 198.51.100.${src}:51820`),
  })));
}

/** A backlog: background lines with the two bursts at fraction `at` of it. */
function faultLines(name: string, n: number, at: number): { key: string; value: string }[] {
  const out = background(name, 0, n);
  out.splice(Math.floor(n * at), 0, ...bursts(name));
  return out;
}

async function send(messages: readonly { key: string; value: string }[]): Promise<void> {
  const s = faults;
  assert.ok(s);
  for (let i = 0; i < messages.length; i += 2000) {
    await s.producer.send(s.f.topic, messages.slice(i, i + 2000));
  }
  s.expected += messages.length;
  for (const m of messages) s.perHost.set(m.key, (s.perHost.get(m.key) ?? 0) + 1);
}

const faultSeconds = (t: number): string => ((performance.now() - t) / 1000).toFixed(1);

/** The longest time without a new document between two moments (the pause a fault caused). */
function longestStall(samples: readonly Sample[], from: number, to: number): number {
  let worst = 0;
  let since = from;
  let last = samples.filter((x) => x.t <= from).at(-1)?.n ?? 0;
  for (const x of samples) {
    if (x.t <= from || x.t > to) continue;
    if (x.n > last) { worst = Math.max(worst, x.t - since); since = x.t; last = x.n; }
  }
  return Math.max(worst, to - since) / 1000;
}

const latest = (): number => faults?.samples.at(-1)?.n ?? 0;

async function nodePid(kind: 'kafka' | 'elasticsearch', id: number): Promise<number> {
  const st = await stackStatus(stackConfig);
  const pid = st[kind].nodes.find((n) => n.id === id)?.pid;
  assert.ok(pid, `${kind} node ${id} runs`);
  return pid;
}

/**
 * Waits until the node's process has exited, not only its port: a broker stopping gracefully closes its listener
 * long before its JVM ends, and `stack up` rightly leaves a node whose process still runs alone.
 */
async function waitNodeDown(pid: number, what: string, timeoutMs: number): Promise<void> {
  await waitFor(`${what} (pid ${pid}) exited`, timeoutMs, () => hasExited(pid));
}

/** Every record of `topic`, read from its beginning by a consumer of the test's own: what Kafka holds. */
async function readTopic(topic: string, onRecord: (key: string, value: Buffer) => void): Promise<void> {
  const s = faults;
  assert.ok(s);
  const kafka = createKafka(s.f.kafka);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
  if (pending.size === 0) return;
  const consumer = kafka.consumer({ groupId: uniqueName('faults-audit') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await within(90_000, () => `reading ${topic} back (partitions left: ${[...pending].join(', ')})`, new Promise<void>((resolve, reject) => {
    consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) if (BigInt(m.offset) < (ends.get(batch.partition) ?? 0n)) onRecord(m.key?.toString('utf8') ?? '', m.value ?? Buffer.alloc(0));
        const last = batch.messages.at(-1);
        if (last && BigInt(last.offset) + 1n >= (ends.get(batch.partition) ?? 0n)) pending.delete(batch.partition);
        if (pending.size === 0) resolve();
        await Promise.resolve();
      },
    }).catch(reject);
  })).finally(() => consumer.disconnect());
}

/** Records per key (host) in the raw topic. */
async function topicContent(): Promise<Map<string, number>> {
  const perKey = new Map<string, number>();
  await readTopic(faults?.f.topic ?? '', (k) => perKey.set(k, (perKey.get(k) ?? 0) + 1));
  return perKey;
}

/**
 * The correlation feed as the intermediate topic holds it: distinct events per host, and how many were sent more
 * than once (a batch re-sent after a failure; the correlation stage drops those by source position).
 */
async function feedContent(): Promise<{ perHost: Map<string, number>; repeated: number }> {
  const ids = new Map<string, Set<string>>();
  let repeated = 0;
  await readTopic(faults?.f.config['kafka.correlationTopic'] ?? '', (_k, value) => {
    for (const item of feedItems(JSON.parse(value.toString('utf8')))) {
      const e = item as { _id?: string; host?: { name?: string }; peer_snapshot?: unknown };
      if (e.peer_snapshot !== undefined || e._id === undefined) continue;
      const host = e.host?.name ?? '-';
      let set = ids.get(host);
      if (!set) ids.set(host, set = new Set());
      if (set.has(e._id)) repeated++; else set.add(e._id);
    }
  });
  return { perHost: new Map([...ids].map(([h, set]) => [h, set.size])), repeated };
}

async function restartNodes(): Promise<number> {
  const t = performance.now();
  await stackUp(stackConfig, { readyTimeoutMs: 180_000, kafkaNodes: 3, esNodes: 2 });
  return (performance.now() - t) / 1000;
}

/** Every partition of wg-siem's topics replicated on all three brokers again, and the Elasticsearch cluster green. */
async function healthy(): Promise<void> {
  const s = faults;
  assert.ok(s);
  const topics = [s.f.topic, s.f.config['kafka.dlqTopic'], s.f.config['kafka.correlationTopic']];
  await waitFor('all replicas in sync', 120_000, async () => {
    const r = await kafkaClusterReport(s.f.kafka, topics).catch(() => undefined);
    return !!r && r.topics.length === 3 && r.topics.every((t) => t.partitions.every((p) => p.isr.length === 3));
  });
  await s.f.es.cluster.health({ wait_for_status: 'green', timeout: '120s' });
}

/** What a stuck fault test needs to be understood: counts, lags, nodes. */
async function situation(): Promise<string> {
  const s = faults;
  if (!s) return 'no fault fixture';
  const st = await stackStatus(stackConfig);
  const lag = await groupLagOf(s.f.kafka, s.f.topic, s.f.groupId).catch((e: unknown) => `? (${(e as Error).message})`);
  const clag = await groupLagOf(s.f.kafka, s.f.config['kafka.correlationTopic'], s.f.config['kafka.correlationGroupId'], true).catch((e: unknown) => `? (${(e as Error).message})`);
  // Where the lines are: in the raw topic (the producer's side), dead-lettered, or indexed per host.
  const admin = createKafka(s.f.kafka).admin();
  await admin.connect();
  const total = async (topic: string): Promise<string> => {
    const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
    return String(offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0));
  };
  const raw = await total(s.f.topic);
  const dlq = await total(s.f.config['kafka.dlqTopic']);
  await admin.disconnect();
  await s.f.es.indices.refresh({ index: s.index }).catch(() => undefined);
  const agg = await s.f.es.search({ index: s.index, size: 0, aggs: { h: { terms: { field: 'host.name', size: 500 } } } }).catch(() => undefined);
  const docs = new Map(((agg?.aggregations?.['h'] as { buckets?: { key: string; doc_count: number }[] } | undefined)?.buckets ?? []).map((b) => [b.key, b.doc_count]));
  const off = [...s.perHost].filter(([h, n]) => docs.get(h) !== n).map(([h, n]) => `${h} ${docs.get(h) ?? 0}/${n}`);
  return `${latest()} of ${s.expected} documents counted; raw topic holds ${raw} records, dead letters ${dlq}; hosts off (indexed/produced): ${off.join(', ') || 'none'}; raw lag ${lag}, correlation lag ${clag}; `
    + `kafka nodes ${st.kafka.nodes.map((n) => `${n.id}:${n.running ? 'up' : 'down'}`).join(' ')}, es nodes ${st.elasticsearch.nodes.map((n) => `${n.id}:${n.running ? 'up' : 'down'}`).join(' ')} (${st.elasticsearch.health ?? '?'}); `
    + `pipeline ${JSON.stringify(s.running.pipeline.readiness?.() ?? null)}`;
}

/** Exact totals so far, two alert documents and two pages for this fault's host; prints the fault's report line. */
async function settle(name: string, what: string, faultAt: number, restoredAt: number, before: number, producedAt: number): Promise<void> {
  const s = faults;
  assert.ok(s);
  const host = `fault-${name}`;
  // Counted before anything can fail: a fault whose checks fail still raised its two problems, and the later faults'
  // totals must not depend on whether it passed.
  s.phases++;
  // wg-siem answers for what Kafka holds: the records of the raw topic, read back by a consumer of the test's own.
  const held = await topicContent();
  const inTopic = [...held.values()].reduce((a, b) => a + b, 0);
  await waitFor(() => `${inTopic} documents (${latest()})`, 180_000, () => latest() >= inTopic).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}: ${await situation()}`, { cause: e });
  });
  const doneAt = performance.now();
  const burstHeld = held.get(host) ?? 0;
  let alertsAt = 0;
  await waitFor(`two alerts for ${host} counting its ${burstHeld} lines`, 60_000, async () => {
    const mine = (await alertHits(s.f.es, s.f.namespace).catch(() => [])).filter((h) => h.host?.name === host);
    const done = mine.length === 2 && mine.reduce((n, h) => n + (h.wireguard?.alert?.count ?? 0), 0) === burstHeld;
    if (done && !alertsAt) alertsAt = performance.now();
    return done;
  });
  const pages = (): PdEvent[] => s.pd.bodies<PdEvent>().filter((p) => p.payload?.source === host);
  await waitFor(`two pages for ${host}`, 60_000, () => pages().length >= 2);
  const pageAt = Math.max(...s.pd.requests.filter((r) => (r.body as PdEvent | undefined)?.payload?.source === host).map((r) => r.at));
  // Exact: every record of the raw topic indexed once, host by host, nothing else; one alert per problem so far.
  await s.f.es.indices.refresh({ index: s.index });
  const counted = await s.f.es.count({ index: s.index });
  assert.equal(counted._shards.failed, 0);
  assert.equal(counted.count, inTopic, `${name}: every record exactly once`);
  const agg = await s.f.es.search({ index: s.index, size: 0, aggs: { h: { terms: { field: 'host.name', size: 500 } } } });
  const docs = new Map(((agg.aggregations?.['h'] as { buckets?: { key: string; doc_count: number }[] } | undefined)?.buckets ?? []).map((b) => [b.key, b.doc_count]));
  assert.deepEqual(new Map([...docs].sort()), new Map([...held].sort()), `${name}: documents per host are the records per key`);
  const all = await alertHits(s.f.es, s.f.namespace);
  assert.equal(all.length, 2 * s.phases, `${name}: one alert document per problem: ${all.map((a) => `${a.rule?.id}/${a.host?.name}`).join(', ')}`);
  const mine = all.filter((h) => h.host?.name === host);
  assert.deepEqual(mine.map((h) => h.source?.ip).sort(), ['198.51.100.1', '198.51.100.2']);
  assert.ok(mine.every((h) => h.rule?.id === 'invalid-initiation-burst'));
  const triggers = s.pd.bodies<PdEvent>().filter((p) => p.event_action === 'trigger');
  assert.equal(triggers.length, 2 * s.phases, `${name}: one page per incident`);
  assert.deepEqual(pages().map((p) => p.event_action), ['trigger', 'trigger']);
  assert.deepEqual(new Set(pages().map((p) => p.dedup_key)), new Set(mine.map((h) => h._id)));
  // The shipper's side: every record wg-siem's producer had acknowledged is in the topic. kafkajs alone loses a
  // moved partition's records on retry (docs/cluster.md); sending one partition per request must not.
  const missing = [...s.perHost].filter(([k, n]) => (held.get(k) ?? 0) !== n).map(([k, n]) => `${k} ${held.get(k) ?? 0}/${n}`);
  assert.deepEqual(missing, [], `${name}: records acknowledged to the shipper but not in the topic`);
  // The hand-over: every indexed event is on the intermediate topic, host by host (the alerts above could be right
  // with events missing from it, as long as the bursts arrived; this checks the background lines too).
  const feed = await feedContent();
  assert.deepEqual(new Map([...feed.perHost].sort()), new Map([...held].sort()), `${name}: events on the correlation feed per host are the records per key`);
  const line = `${name}: ${what}; fault at ${faultSeconds(faultAt)} s ago with ${before} documents indexed, restored ${((restoredAt - faultAt) / 1000).toFixed(1)} s after it; `
    + `longest pause without a new document ${longestStall(s.samples, faultAt, doneAt).toFixed(1)} s; all ${inTopic} records indexed at +${((doneAt - producedAt) / 1000).toFixed(1)} s, `
    + `alerts ${((alertsAt - producedAt) / 1000).toFixed(1)} s and pages ${((pageAt - producedAt) / 1000).toFixed(1)} s after the lines were produced; `
    + `acknowledged to the shipper but not in the topic: ${s.expected - inTopic}; correlation feed complete (${feed.repeated} events sent twice)`;
  report.push(line);
  process.stderr.write(`fault ${line}\n`);
}

test('faults: wg-siem starts on the cluster once and runs through all of them', { timeout: 120_000 }, async () => {
  const st = await stackStatus(stackConfig);
  const pd = await HttpRecorder.start();
  const f = await pipelineFixture('faults', {
    ...FAST_CORRELATION_ENV, WG_SIEM_STACK_DIR: stackConfig['stack.dir'],
    WG_SIEM_PAGERDUTY_ROUTING_KEY: 'rk', WG_SIEM_PAGERDUTY_URL: pd.url('/v2/enqueue'),
  }, { brokers: st.kafka.brokers, esUrl: s(st) });
  await ensureTopics(f.kafka, [{ topic: f.topic, partitions: 3 }]);
  // The shipper is wg-siem's own producer (acks=all, idempotent, one partition per request, every answer checked),
  // partitioning by host as kafkajs would: it must not lose or repeat a line while brokers come and go.
  const producer = new ReliableProducer(f.kafka, 'none');
  await producer.connect();
  const running = await startBoth(f);
  const index = `logs-wireguard.log-${f.namespace}`;
  const samples: Sample[] = [];
  // The document count four times a second: the pauses faults cause are read from it afterwards.
  const sampler = setInterval(() => {
    void f.es.count({ index, ignore_unavailable: true }).then((r) => { samples.push({ t: performance.now(), n: r.count }); }, () => undefined);
  }, 250);
  faults = { f, running, pd, producer, index, expected: 0, phases: 0, samples, sampler, perHost: new Map() };
  // The data stream's refresh interval decides when a count sees a document: 1 s is what the default is.
  await send(faultLines('warmup', 200, 0.5));
  const t = performance.now();
  await settle('warmup', 'no fault (the reference)', t, t, 0, t);
});

test('fault: kill -9 of the broker that leads most raw partitions while a backlog drains, restarted after 20 s', { timeout: 300_000 }, async () => {
  const s = faults;
  assert.ok(s);
  const admin = createKafka(s.f.kafka).admin();
  await admin.connect();
  const meta = await admin.fetchTopicMetadata({ topics: [s.f.topic] }).finally(() => admin.disconnect());
  const leads = new Map<number, number>();
  for (const p of meta.topics[0]?.partitions ?? []) leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
  const victim = [...leads].sort((a, b) => b[1] - a[1])[0]?.[0];
  assert.ok(victim !== undefined);
  const pid = await nodePid('kafka', victim);
  const from = latest();
  const producedAt = performance.now();
  await send(faultLines('leader', 15_000, 0.5));
  await waitFor('the backlog draining', 60_000, () => Promise.resolve(latest() > from + 1000));
  const before = latest();
  const at = performance.now();
  process.kill(pid, 'SIGKILL');
  await waitNodeDown(pid, `broker ${victim}`, 30_000);
  await sleep(Math.max(0, 20_000 - (performance.now() - at)));
  const took = await restartNodes();
  const restored = performance.now();
  await settle('leader', `broker ${victim} (leader of ${leads.get(victim)} of 3 raw partitions) killed, restart took ${took.toFixed(1)} s`, at, restored, before - from, producedAt);
  await healthy();
});

test('fault: rolling restart of the three brokers, one at a time, under load', { timeout: 420_000 }, async () => {
  const s = faults;
  assert.ok(s);
  let sent = 0;
  let step = 0;
  let burstSent = false;
  let stop = false;
  let producedAt = 0;
  // A steady load while brokers restart (30 lines every 100 ms); the two problems arrive while the second restarts.
  const load = (async () => {
    while (!stop) {
      const batch = background('rolling', sent, 30);
      sent += 30;
      if (step === 2 && !burstSent) { batch.push(...bursts('rolling')); burstSent = true; producedAt = performance.now(); }
      await send(batch);
      await sleep(100);
    }
  })();
  const before = latest();
  const at = performance.now();
  const steps: string[] = [];
  try {
    for (const id of [1, 2, 3]) {
      step = id;
      const t = performance.now();
      const pid = await nodePid('kafka', id);
      process.kill(pid, 'SIGTERM');
      await waitNodeDown(pid, `broker ${id}`, 90_000);
      const took = await restartNodes();
      await healthy();
      steps.push(`broker ${id} down and back in sync in ${faultSeconds(t)} s (start ${took.toFixed(1)} s)`);
    }
  } finally {
    stop = true;
    await load;
  }
  assert.ok(burstSent);
  const restored = performance.now();
  await settle('rolling', `${steps.join(', ')}; ${sent} background lines sent meanwhile`, at, restored, before, producedAt);
});

test('fault: kill -9 of an Elasticsearch data node mid-bulk, restarted after 20 s', { timeout: 300_000 }, async () => {
  const s = faults;
  assert.ok(s);
  const shards = await s.f.es.cat.shards({ index: s.index, format: 'json', h: ['prirep', 'node'] }) as unknown as { prirep: string; node: string }[];
  const primaryOn = shards.find((x) => x.prirep === 'p')?.node ?? '?';
  const pid = await nodePid('elasticsearch', 2);
  const from = latest();
  const producedAt = performance.now();
  await send(faultLines('es-node', 15_000, 0.5));
  await waitFor('bulk requests in flight', 60_000, () => Promise.resolve(latest() > from + 1000));
  const before = latest();
  const at = performance.now();
  process.kill(pid, 'SIGKILL');
  await waitNodeDown(pid, 'Elasticsearch node 2', 30_000);
  await sleep(Math.max(0, 20_000 - (performance.now() - at)));
  const took = await restartNodes();
  const restored = performance.now();
  await settle('es-node', `data node 2 killed (the events index's primary was on ${primaryOn}), restart took ${took.toFixed(1)} s`, at, restored, before - from, producedAt);
  await healthy();
});

test('fault: the controller quorum leader lost (kill -9) and restored', { timeout: 300_000 }, async () => {
  const s = faults;
  assert.ok(s);
  const q = await kafkaQuorum(stackConfig);
  assert.deepEqual([...q.voters].sort(), [1, 2, 3]);
  const pid = await nodePid('kafka', q.leaderId);
  const lines = faultLines('quorum', 10_000, 0.5);
  const producedAt = performance.now();
  await send(lines.slice(0, 2000));
  const before = latest();
  const at = performance.now();
  process.kill(pid, 'SIGKILL');
  await waitNodeDown(pid, `broker ${q.leaderId}`, 30_000);
  // The rest arrives while the quorum is without its old leader.
  await send(lines.slice(2000));
  let elected = q;
  await waitFor('a new quorum leader', 60_000, async () => {
    elected = await kafkaQuorum(stackConfig).catch(() => q);
    return elected.leaderId !== q.leaderId && elected.leaderId >= 1;
  });
  const electedIn = faultSeconds(at);
  await sleep(Math.max(0, 20_000 - (performance.now() - at)));
  const took = await restartNodes();
  await healthy();
  const back = await kafkaQuorum(stackConfig);
  assert.deepEqual([...back.voters].sort(), [1, 2, 3], 'the old leader is a voter again');
  const restored = performance.now();
  await settle('quorum', `quorum leader ${q.leaderId} (epoch ${q.leaderEpoch}) killed, node ${elected.leaderId} elected within ${electedIn} s (epoch ${elected.leaderEpoch}), restart took ${took.toFixed(1)} s`, at, restored, before, producedAt);
});

/** Stops the faults' wg-siem before the cluster goes down (the stack's `after` calls it first). */
async function stopFaults(): Promise<void> {
  const s = faults;
  if (!s) return;
  faults = undefined;
  clearInterval(s.sampler);
  await s.running.stop();
  await s.producer.disconnect();
  await s.pd.close();
  await s.f.es.close();
  process.stderr.write(`cluster faults (wg-siem never restarted):\n${report.map((l) => `  ${l}`).join('\n')}\n`);
}
