// wg-siem on a cluster: the local stack brought up as three KRaft brokers (combined broker+controller, a three-voter
// quorum) and two Elasticsearch nodes, in a folder of its own and on ports of its own (the single-node stack the
// other tests use keeps running). Checks status, the topics wg-siem creates (replication factor 3,
// min.insync.replicas 2), the templates (one replica), doctor's report, the namespace header on the intermediate
// topic and the refusal of another deployment's topic, and the pipeline end to end with an exact document count.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createCorrelation } from '../../src/alerting/assemble.ts';
import { judgeOwnership, NAMESPACE_HEADER, sampleOwnership } from '../../src/alerting/ownership.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/keys.ts';
import { detectCapabilities } from '../../src/elasticsearch/capabilities.ts';
import { createEsClient } from '../../src/elasticsearch/client.ts';
import { applySetup, planSetup } from '../../src/elasticsearch/setup.ts';
import { createKafka, kafkaTarget } from '../../src/kafka/client.ts';
import { kafkaClusterReport } from '../../src/kafka/cluster-report.ts';
import { newestRecords } from '../../src/kafka/newest-records.ts';
import { ensureTopics } from '../../src/kafka/topics.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { stackDown, stackStatus, stackUp } from '../../src/stack/stack.ts';
import { quietLogger, waitFor } from '../helpers/pipeline.ts';
import { uniqueName } from '../helpers/stack.ts';

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
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WG_SIEM_') && k !== 'NODE_TEST_CONTEXT'));
  const child = spawn('bin/wg-siem', ['doctor'], { env: { ...base, ...env, WG_SIEM_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
