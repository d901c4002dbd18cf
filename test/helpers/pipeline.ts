// Runs the real pipeline against the real local stack, in-process, with its own topic, group and namespace.
import { Client } from '@elastic/elasticsearch';
import pino from 'pino';
import { loadConfig } from '../../src/shared/config/load.ts';
import type { Config } from '../../src/shared/config/keys.ts';
import { applySetup, planSetup } from '../../src/sinks/elasticsearch/setup.ts';
import { detectCapabilities } from '../../src/sinks/elasticsearch/capabilities.ts';
import { createKafka } from '../../src/source/kafka/client.ts';
import { groupLag } from '../../src/source/kafka/group-lag.ts';
import type { KafkaTarget } from '../../src/source/kafka/client.ts';
import { Pipeline } from '../../src/indexing/pipeline.ts';
import type { PipelineHooks } from '../../src/indexing/pipeline.ts';
import { testStack, uniqueName } from './stack.ts';
import type { TestStack } from './stack.ts';
import { waitFor } from './wait.ts';
import { createTopicsReady } from '../../src/source/kafka/topics.ts';

export interface PipelineFixture {
  readonly topic: string;
  readonly dlqTopic: string;
  readonly groupId: string;
  readonly namespace: string;
  readonly env: Record<string, string>;
  readonly config: Config;
  readonly kafka: KafkaTarget;
  readonly es: Client;
}

const templates = new Map<string, Promise<void>>();

/** Installs the index templates once per test process and cluster (idempotent on the server). */
export function ensureTemplates(es: Client, config: Config, url: string): Promise<void> {
  let p = templates.get(url);
  if (!p) {
    p = (async () => { await applySetup(es, planSetup(await detectCapabilities(es), config)); })();
    templates.set(url, p);
  }
  return p;
}

export async function pipelineFixture(prefix: string, extraEnv: Record<string, string> = {}, onStack?: TestStack): Promise<PipelineFixture> {
  const stack = onStack ?? await testStack();
  const topic = uniqueName(`${prefix}-in`);
  const namespace = uniqueName(prefix).replace(/-/g, '_');
  const env = {
    WG_SIEM_KAFKA_BROKERS: stack.brokers.join(','),
    WG_SIEM_ES_NODES: stack.esUrl,
    WG_SIEM_KAFKA_TOPICS: topic,
    WG_SIEM_KAFKA_DLQ_TOPIC: `${topic}.dlq`,
    WG_SIEM_KAFKA_GROUP_ID: uniqueName(`${prefix}-group`),
    WG_SIEM_NAMESPACE: namespace,
    WG_SIEM_KAFKA_CORRELATION_TOPIC: `${topic}.correlate`,
    WG_SIEM_KAFKA_CORRELATION_GROUP_ID: uniqueName(`${prefix}-correlate`),
    WG_SIEM_HTTP_PORT: '0',
    ...extraEnv,
  };
  const config = loadConfig(env);
  const kafka: KafkaTarget = { brokers: stack.brokers, clientId: 'wg-siem-test' };
  const es = new Client({ node: stack.esUrl });
  await ensureTemplates(es, config, stack.esUrl);
  return { topic, dlqTopic: `${topic}.dlq`, groupId: config['kafka.groupId'], namespace, env, config, kafka, es };
}

export function quietLogger(): pino.Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export function startPipeline(f: PipelineFixture, hooks?: PipelineHooks): Pipeline {
  return new Pipeline({ config: f.config, kafka: f.kafka, es: f.es, log: quietLogger(), hooks });
}

/** Produces lines (or raw buffers) to the fixture's topic, spread over its partitions by key. */
export async function produce(f: PipelineFixture, values: readonly (string | Buffer)[], partitions = 3, topicConfig: Record<string, string> = {}): Promise<void> {
  const kafka = createKafka(f.kafka);
  const admin = kafka.admin();
  await admin.connect();
  const topics = await admin.listTopics();
  if (!topics.includes(f.topic)) {
    await createTopicsReady(admin, [{ topic: f.topic, numPartitions: partitions, replicationFactor: 1, configEntries: Object.entries(topicConfig).map(([name, value]) => ({ name, value })) }]);
  }
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < values.length; i += 5000) {
    await producer.send({ topic: f.topic, acks: -1, messages: values.slice(i, i + 5000).map((v, j) => ({ key: `k${(i + j) % 97}`, value: v })) });
  }
  await producer.disconnect();
}

/** Sum over partitions of (end offset - committed offset of the group): 0 when everything is committed. */
export function remainingLag(f: PipelineFixture): Promise<number> {
  return groupLagOf(f.kafka, f.topic, f.groupId);
}

/** Records of `topic` that `groupId` has not committed yet; with `missingIsEmpty`, a topic not created yet has none. */
export async function groupLagOf(kafka: KafkaTarget, topic: string, groupId: string, missingIsEmpty = false): Promise<number> {
  const admin = createKafka(kafka).admin();
  await admin.connect();
  try {
    if (missingIsEmpty && !(await admin.listTopics()).includes(topic)) return 0;
    return await groupLag(admin, groupId, topic);
  } finally {
    await admin.disconnect();
  }
}

export async function countDocs(es: Client, index: string): Promise<number> {
  await es.indices.refresh({ index, ignore_unavailable: true });
  try {
    return (await es.count({ index })).count;
  } catch (e) {
    if ((e as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return 0;
    throw e;
  }
}

/** Runs the pipeline in-process until the group has committed everything in the topic, then stops it. */
export async function runUntilCommitted(f: PipelineFixture, hooks: PipelineHooks | undefined, timeoutMs: number): Promise<void> {
  const p = startPipeline(f, hooks);
  await p.start();
  try {
    await waitFor('all records committed', timeoutMs, async () => (await remainingLag(f)) === 0);
  } finally {
    await p.stop();
  }
}
