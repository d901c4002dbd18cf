// Creates the topics the pipeline needs when they are missing (a fresh cluster, the local stack, a new DLQ).
import type { Admin, ITopicConfig } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafka } from './client.ts';
import type { KafkaTarget } from './client.ts';
import { pollUntil } from '../../shared/util/poll.ts';

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly configs?: Readonly<Record<string, string>>;
}

/**
 * Creates topics and resolves once every partition has a leader. Not kafkajs's `waitForLeaders`: it retries only
 * "leader not available", while a broker that has not applied the new topic's metadata yet answers "unknown topic
 * or partition" (seen on a three-broker cluster and under load), which it throws as a failure of the creation.
 */
export async function createTopicsReady(admin: Admin, topics: ITopicConfig[], timeoutMs = 60_000): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics });
  const names = topics.map((t) => t.topic);
  const last = await pollUntil(async () => {
    const meta = await admin.fetchTopicMetadata({ topics: names });
    const leaderless = meta.topics.flatMap((t) => t.partitions.filter((p) => p.leader < 0).map((p) => `${t.name}/${p.partitionId}`));
    return (leaderless.length === 0 && meta.topics.length === names.length) || `no leader yet for ${leaderless.join(', ')}`;
  }, timeoutMs, 200);
  if (last !== undefined) throw new Error(`created ${names.join(', ')} but not every partition had a leader within ${timeoutMs} ms (${last})`);
}

/**
 * How wg-siem's topics are replicated on a cluster of `brokers`: three copies, of which two must have every
 * acknowledged record (acks=all), once there are three brokers, so that one broker may fail without losing a
 * record or stopping writes; on one or two brokers, one copy per broker and min.insync.replicas 1.
 */
export function replicationFor(brokers: number): { readonly replicationFactor: number; readonly minInsyncReplicas: number } {
  const replicationFactor = Math.max(1, Math.min(3, brokers));
  return { replicationFactor, minInsyncReplicas: replicationFactor >= 3 ? 2 : 1 };
}

export async function ensureTopics(target: KafkaTarget, specs: readonly TopicSpec[], log?: Pick<Logger, 'info'>): Promise<string[]> {
  const admin = createKafka(target).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return [];
    // The broker count comes from the cluster's metadata, not from a setting: the same configuration works on
    // the single-node local stack and on a production cluster.
    const { replicationFactor, minInsyncReplicas } = replicationFor((await admin.describeCluster()).brokers.length);
    await createTopicsReady(admin, missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions,
      replicationFactor,
      configEntries: Object.entries({ 'min.insync.replicas': String(minInsyncReplicas), ...s.configs }).map(([name, value]) => ({ name, value })),
    })));
    for (const s of missing) log?.info({ topic: s.topic, partitions: s.partitions, replicationFactor, minInsyncReplicas }, 'created missing topic');
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
