// The newest record of each partition of a topic, read without joining any consumer group: a probe must neither
// trigger a rebalance of the running instances nor need an ACL on a group of its own. kafkajs has no public API
// for a group-less fetch, so this uses its cluster object (kept here, beside the rest of kafkajs's use).
import type { Kafka } from 'kafkajs';
import { createKafka, type KafkaTarget } from './client.ts';

export interface NewestRecord {
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface FetchMessage { offset: string; headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined> }
interface FetchResponse { responses: { topicName: string; partitions: { partition: number; messages: FetchMessage[] }[] }[] }
interface Broker { fetch(r: Record<string, unknown>): Promise<FetchResponse> }
interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(t: string): Promise<void>;
  findLeaderForPartitions(t: string, p: number[]): Record<string, number[]>;
  findBroker(o: { nodeId: string }): Promise<Broker>;
}

function clusterOf(kafka: Kafka): Cluster {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = sym ? (kafka as unknown as Record<symbol, unknown>)[sym] : undefined;
  if (typeof create !== 'function') throw new Error('kafkajs: no cluster factory (an unexpected kafkajs version)');
  return (create as (o: Record<string, unknown>) => Cluster)({ allowAutoTopicCreation: false });
}

const text = (v: Buffer | string | (Buffer | string)[] | undefined): string | undefined => {
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return one === undefined ? undefined : one.toString();
};

/** The newest record of each non-empty partition of `topic`; [] when the topic does not exist. */
export async function newestRecords(target: KafkaTarget, topic: string): Promise<NewestRecord[]> {
  const kafka = createKafka(target);
  const admin = kafka.admin();
  await admin.connect();
  let offsets: { partition: number; high: string; low: string }[];
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    offsets = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const wanted = offsets.filter((o) => BigInt(o.high) > BigInt(o.low));
  if (wanted.length === 0) return [];
  const cluster = clusterOf(kafka);
  await cluster.connect();
  try {
    await cluster.addTargetTopic(topic);
    const byLeader = cluster.findLeaderForPartitions(topic, wanted.map((o) => o.partition));
    const out: NewestRecord[] = [];
    for (const [nodeId, partitions] of Object.entries(byLeader)) {
      const broker = await cluster.findBroker({ nodeId });
      const res = await broker.fetch({
        replicaId: -1, isolationLevel: 1, maxWaitTime: 100, minBytes: 1, maxBytes: 8 * 1024 * 1024,
        topics: [{ topic, partitions: partitions.map((p) => ({ partition: p, fetchOffset: (BigInt(wanted.find((o) => o.partition === p)?.high ?? '1') - 1n).toString(), maxBytes: 2 * 1024 * 1024 })) }],
      });
      for (const t of res.responses) {
        for (const p of t.partitions) {
          // The fetch returns the whole record batch that holds the offset asked for: its last record is the newest.
          const m = p.messages[p.messages.length - 1];
          if (!m) continue;
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) { const s = text(v); if (s !== undefined) headers[k] = s; }
          out.push({ partition: p.partition, offset: m.offset, headers });
        }
      }
    }
    return out.sort((a, b) => a.partition - b.partition);
  } finally {
    await cluster.disconnect();
  }
}
