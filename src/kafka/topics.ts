// Creates the topics the pipeline needs when they are missing (a fresh cluster, the local stack, a new DLQ).
import type { Logger } from 'pino';
import { createKafka } from './client.ts';
import type { KafkaTarget } from './client.ts';

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export async function ensureTopics(target: KafkaTarget, specs: readonly TopicSpec[], log?: Pick<Logger, 'info'>): Promise<string[]> {
  const admin = createKafka(target).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: -1,
        configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    for (const s of missing) log?.info({ topic: s.topic, partitions: s.partitions }, 'created missing topic');
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
