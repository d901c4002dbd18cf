// What `wg-siem doctor` says about the Kafka cluster: its brokers, and for each of wg-siem's topics the replication
// factor, min.insync.replicas and the in-sync replicas of every partition (under-replicated and offline ones flagged).
import kafkajs from 'kafkajs';
import { createKafka, type KafkaTarget } from './client.ts';
import { replicationFor } from './topics.ts';

export interface PartitionReport { readonly partition: number; readonly leader: number; readonly replicas: readonly number[]; readonly isr: readonly number[] }
export interface TopicReport {
  readonly topic: string;
  readonly exists: boolean;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number | null;
  readonly partitions: readonly PartitionReport[];
}
export interface KafkaClusterReport {
  readonly brokers: readonly { readonly nodeId: number; readonly host: string; readonly port: number }[];
  readonly controller: number | null;
  readonly topics: readonly TopicReport[];
}

export async function kafkaClusterReport(target: KafkaTarget, topics: readonly string[]): Promise<KafkaClusterReport> {
  const admin = createKafka(target, { retry: { retries: 2 } }).admin();
  await admin.connect();
  try {
    const d = await admin.describeCluster();
    const existing = new Set(await admin.listTopics());
    const present = [...new Set(topics)].filter((t) => existing.has(t));
    const meta = present.length ? (await admin.fetchTopicMetadata({ topics: present })).topics : [];
    const configs = present.length
      ? (await admin.describeConfigs({ includeSynonyms: false, resources: present.map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name, configNames: ['min.insync.replicas'] })) })).resources
      : [];
    const report = [...new Set(topics)].map((topic): TopicReport => {
      const m = meta.find((t) => t.name === topic);
      const isr = configs.find((r) => r.resourceName === topic)?.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue;
      const partitions = (m?.partitions ?? []).map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr })).sort((a, b) => a.partition - b.partition);
      return { topic, exists: !!m, replicationFactor: partitions[0]?.replicas.length ?? 0, minInsyncReplicas: isr === undefined ? null : Number(isr), partitions };
    });
    return { brokers: d.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.nodeId - b.nodeId), controller: d.controller, topics: report };
  } finally {
    await admin.disconnect();
  }
}

export interface ReportLines { readonly lines: string[]; readonly problems: string[]; readonly warnings: string[] }

/** The pure part: the report as doctor's lines, with what needs attention. */
export function describeKafkaCluster(r: KafkaClusterReport): ReportLines {
  const lines = [`kafka brokers  ${r.brokers.length}: ${r.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}${b.nodeId === r.controller ? ' (controller)' : ''}`).join(', ')}`];
  const problems: string[] = [];
  const warnings: string[] = [];
  const want = replicationFor(r.brokers.length);
  for (const t of r.topics) {
    if (!t.exists) { lines.push(`topic          ${t.topic}: not created yet (run creates it)`); continue; }
    const offline = t.partitions.filter((p) => p.leader < 0 || !r.brokers.some((b) => b.nodeId === p.leader));
    const under = t.partitions.filter((p) => p.isr.length < p.replicas.length);
    const belowMin = t.partitions.filter((p) => t.minInsyncReplicas !== null && p.isr.length < t.minInsyncReplicas);
    const flags = [
      under.length ? `UNDER-REPLICATED ${under.map((p) => `p${p.partition} isr [${p.isr.join(',')}] of [${p.replicas.join(',')}]`).join('; ')}` : '',
      offline.length ? `OFFLINE ${offline.map((p) => `p${p.partition}`).join(',')}` : '',
    ].filter(Boolean);
    lines.push(`topic          ${t.topic}: ${t.partitions.length} partition(s), replication factor ${t.replicationFactor}, min.insync.replicas ${t.minInsyncReplicas ?? '?'}, `
      + `${flags.length ? flags.join(', ') : 'all replicas in sync'}`);
    if (offline.length) problems.push(`kafka: ${t.topic}: partition(s) ${offline.map((p) => p.partition).join(', ')} have no leader: nothing is read or written there until a replica's broker returns`);
    else if (belowMin.length) problems.push(`kafka: ${t.topic}: partition(s) ${belowMin.map((p) => p.partition).join(', ')} have fewer in-sync replicas than min.insync.replicas: writes (acks=all) are refused until a broker returns`);
    else if (under.length) warnings.push(`kafka: ${t.topic}: ${under.length} under-replicated partition(s): a broker is down or behind; writes go on while min.insync.replicas replicas are in sync`);
    if (t.replicationFactor < want.replicationFactor) {
      warnings.push(`kafka: ${t.topic} has replication factor ${t.replicationFactor} on a cluster of ${r.brokers.length} brokers (wg-siem creates its topics with ${want.replicationFactor}): `
        + 'one broker\'s loss loses its partitions; raise it with kafka-reassign-partitions.sh, or recreate the topic while it is empty');
    }
  }
  return { lines, problems, warnings };
}
