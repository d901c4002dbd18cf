// `wg-siem dlq replay`: after a fix (a larger record limit, a catalog entry, a mapping change), the dead
// letters go back to the topics they came from and through the pipeline again. A replay reads the dead-letter
// topic up to where it ended when the replay started, in its own consumer group, and commits only what it has
// re-produced, so an interrupted replay continues where it stopped and replays nothing twice.
import { createKafka } from './kafka/client.ts';
import { groupProgress } from './kafka/group-lag.ts';
import { DLQ_HEADERS } from './kafka/dead-letter-headers.ts';
import type { KafkaTarget } from './kafka/client.ts';
import type { Compression } from './kafka/codecs.ts';
import { ReliableProducer } from './kafka/reliable-producer.ts';
import type { OutgoingRecord } from './kafka/reliable-producer.ts';


export interface ReplayOptions {
  readonly dlqTopic: string;
  readonly groupId: string;
  /** Send everything here instead of each record's source topic. */
  readonly toTopic?: string;
  /** Only dead letters with one of these reasons; the others are skipped (and committed). */
  readonly reasons?: readonly string[];
  readonly dryRun: boolean;
  readonly compression: Compression;
}

export interface ReplayReport {
  readonly read: number;
  readonly replayed: number;
  readonly skipped: number;
  readonly byTopic: Record<string, number>;
}

export async function replayDeadLetters(target: KafkaTarget, o: ReplayOptions): Promise<ReplayReport> {
  const kafka = createKafka(target);
  const admin = kafka.admin();
  await admin.connect();
  const progress = await groupProgress(admin, o.groupId, o.dlqTopic);
  await admin.disconnect();
  const ends = new Map(progress.map((p) => [p.partition, p.end]));
  const pending = new Set(progress.filter((p) => p.end > p.committed).map((p) => p.partition));
  const report = { read: 0, replayed: 0, skipped: 0, byTopic: {} as Record<string, number> };
  if (pending.size === 0) return report;

  const producer = new ReliableProducer(target, o.compression);
  if (!o.dryRun) await producer.connect();
  const consumer = kafka.consumer({ groupId: o.groupId, maxWaitTimeInMs: 500, maxBytes: 64 * 1024 * 1024, maxBytesPerPartition: 64 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [o.dlqTopic], fromBeginning: true });
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => { finish = r; });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const end = ends.get(batch.partition) ?? 0n;
      const out = new Map<string, OutgoingRecord[]>();
      let last: string | undefined;
      for (const m of batch.messages) {
        if (BigInt(m.offset) >= end) break;
        last = m.offset;
        report.read++;
        const header = (k: string): string | undefined => { const v = m.headers?.[k]; const f = Array.isArray(v) ? v[0] : v; return f === undefined ? undefined : f.toString(); };
        const reason = header(DLQ_HEADERS.reason) ?? 'unknown';
        const topic = o.toTopic ?? header(DLQ_HEADERS.topic);
        if (!topic || !m.value || (o.reasons && !o.reasons.includes(reason))) { report.skipped++; continue; }
        const list = out.get(topic) ?? [];
        list.push({ key: m.key ?? null, value: m.value, headers: { [DLQ_HEADERS.replayedFrom]: `${o.dlqTopic}:${batch.partition}:${m.offset}` } });
        out.set(topic, list);
      }
      for (const [topic, records] of out) {
        if (!o.dryRun) await producer.send(topic, records);
        report.replayed += records.length;
        report.byTopic[topic] = (report.byTopic[topic] ?? 0) + records.length;
      }
      if (last !== undefined) {
        payload.resolveOffset(last);
        if (!o.dryRun) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        if (BigInt(last) + 1n >= end) pending.delete(batch.partition);
      }
      if (pending.size === 0) finish();
    },
  });
  await done;
  await consumer.stop();
  await consumer.disconnect();
  if (!o.dryRun) await producer.disconnect();
  return report;
}
