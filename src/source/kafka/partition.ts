// The partition kafkajs's default partitioner gives a key (Java-compatible murmur2, the same as every Kafka client's
// default), computed here so that a producer can put records of several keys that share a partition into one
// record and still land exactly where the keyed records would have landed.
import { Partitioners } from 'kafkajs';
import { createKafka } from './client.ts';
import type { KafkaTarget } from './client.ts';

/** key → partition among `count`, as a keyed kafkajs record would be partitioned; cached per key. */
export function keyPartitioner(count: number): (key: string) => number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`partition count must be a whole number ≥ 1, not ${count}`);
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: count }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const cache = new Map<string, number>();
  return (key) => {
    let p = cache.get(key);
    if (p === undefined) {
      p = partitioner({ topic: '', partitionMetadata, message: { key, value: null } });
      // Host names are few; a flood of distinct keys must not grow the cache without bound.
      if (cache.size >= 100_000) cache.clear();
      cache.set(key, p);
    }
    return p;
  };
}

/** How many partitions the topic has now (it must exist). */
export async function partitionCount(target: KafkaTarget, topic: string): Promise<number> {
  const admin = createKafka(target).admin();
  await admin.connect();
  try {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    const n = md.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
    if (n < 1) throw new Error(`topic ${topic} has no partitions`);
    return n;
  } finally {
    await admin.disconnect();
  }
}
