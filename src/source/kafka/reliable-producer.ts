// Producing that the pipeline may rely on before it commits: every send waits for all in-sync replicas
// (acks = -1), the idempotent producer keeps kafkajs's retries from writing a record twice, and a send resolves only
// when the brokers' answers name every partition it wrote to. This is the one producer wg-siem uses for records it
// must not lose: the correlation feed, dead letters, `ship`, `collect`, `dlq replay` and the lab.
//
// Why partitions are chosen here and each request holds one: kafkajs 2.2.4 (producer/sendMessages.js) retries a
// send only towards the brokers that have not answered yet, with the partitions they lead after a metadata refresh.
// The records of a partition whose leader moved to a broker that had already answered are dropped while send()
// resolves — seen in the rolling-restart test on a three-broker cluster (12–30 acknowledged records lost per run,
// idempotent or not). With one partition per request only one broker is ever asked, and the answer check below
// turns any other silent gap into a retry of the same request (same records, same idempotent sequence numbers, so
// a broker that did write them answers "duplicate" instead of writing them twice).
import type { CompressionTypes, Producer, RecordMetadata } from 'kafkajs';
import { backoffDelay } from '../../shared/util/backoff.ts';
import { recordBytes } from './batch.ts';
import { createKafka } from './client.ts';
import { compressionType } from './codecs.ts';
import type { Compression } from './codecs.ts';
import type { KafkaTarget } from './client.ts';
import { keyPartitioner, partitionCount } from './partition.ts';


export interface OutgoingRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set: this partition, whatever the key (see source/kafka/partition.ts); unset: the key's partition, keyless in turn. */
  readonly partition?: number;
}

/** Most bytes of records (recordBytes summed) in one produce request. */
const REQUEST_BYTES = 512 * 1024;
/** Times a request whose answer left its partition out is sent again before the send fails. */
const GAP_RETRIES = 5;

/** A produce answer left out the partition its request wrote to: its records are not acknowledged. */
export class UnacknowledgedError extends Error {
  constructor(topic: string, partition: number, answered: readonly RecordMetadata[]) {
    super(`produce to ${topic}/${partition} resolved without that partition's acknowledgement (answers: ${answered.map((m) => `${m.topicName}/${m.partition} error ${m.errorCode}`).join(', ') || 'none'})`);
    this.name = 'UnacknowledgedError';
  }
}

/** Whether the brokers' answers to a request acknowledge `partition` of `topic` (an offset and no error). */
export function acknowledges(answers: readonly RecordMetadata[], topic: string, partition: number): boolean {
  return answers.some((m) => m.topicName === topic && m.partition === partition && m.errorCode === 0 && m.baseOffset !== undefined);
}

/** Records grouped by partition, each group in the order given; keyless records spread in turn from `turn`. */
export function byPartition(records: readonly OutgoingRecord[], partitionOf: (key: string) => number, count: number, turn: { next: number }): Map<number, OutgoingRecord[]> {
  const out = new Map<number, OutgoingRecord[]>();
  for (const r of records) {
    const p = r.partition ?? (r.key === null ? turn.next++ % count : partitionOf(typeof r.key === 'string' ? r.key : r.key.toString('utf8')));
    const list = out.get(p);
    if (list) list.push(r); else out.set(p, [r]);
  }
  return out;
}

/** Consecutive slices of `records` of at most `maxBytes` (recordBytes summed; a larger record goes alone). */
export function requestSlices(records: readonly OutgoingRecord[], maxBytes: number): OutgoingRecord[][] {
  const out: OutgoingRecord[][] = [];
  let cur: OutgoingRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const b = recordBytes(r);
    if (cur.length > 0 && bytes + b > maxBytes) { out.push(cur); cur = []; bytes = 0; }
    cur.push(r);
    bytes += b;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

interface TopicRoute { readonly count: number; readonly partitionOf: (key: string) => number; readonly turn: { next: number } }

export class ReliableProducer {
  private readonly producer: Producer;
  private readonly compression: CompressionTypes;
  private readonly target: KafkaTarget;
  /** Partition count and key partitioner per topic, read once (a topic's partitions are not expected to change under a running wg-siem). */
  private readonly routes = new Map<string, Promise<TopicRoute>>();

  constructor(target: KafkaTarget, compression: Compression) {
    this.target = target;
    this.producer = createKafka(target).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 8 } });
    this.compression = compressionType(compression);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /**
   * Resolves once every record is acknowledged by all in-sync replicas; `compression` overrides the producer's.
   * Per partition, records go in requests of at most REQUEST_BYTES (before compression), one after the other:
   * kafkajs puts a request's records for one partition into one record batch, and an uncompressed batch larger
   * than the broker's message.max.bytes (1 MB by default) is refused as a whole.
   */
  async send(topic: string, records: readonly OutgoingRecord[], compression?: Compression): Promise<void> {
    if (records.length === 0) return;
    const codec = compression === undefined ? this.compression : compressionType(compression);
    const route = records.every((r) => r.partition !== undefined) ? undefined : await this.route(topic);
    const groups = route ? byPartition(records, route.partitionOf, route.count, route.turn) : byPartition(records, () => 0, 1, { next: 0 });
    for (const [partition, group] of groups) {
      for (const slice of requestSlices(group, REQUEST_BYTES)) await this.request(topic, partition, slice, codec);
    }
  }

  private route(topic: string): Promise<TopicRoute> {
    let r = this.routes.get(topic);
    if (!r) {
      r = partitionCount(this.target, topic).then((count) => ({ count, partitionOf: keyPartitioner(count), turn: { next: 0 } }));
      // A failed lookup (broker down) is asked again on the next send, not remembered.
      r.catch(() => this.routes.delete(topic));
      this.routes.set(topic, r);
    }
    return r;
  }

  private async request(topic: string, partition: number, records: readonly OutgoingRecord[], codec: CompressionTypes): Promise<void> {
    const messages = records.map((r) => ({ key: r.key, value: r.value, partition, headers: r.headers ? { ...r.headers } : undefined }));
    for (let attempt = 1; ; attempt++) {
      const answers = await this.producer.send({ topic, acks: -1, compression: codec, messages });
      if (acknowledges(answers, topic, partition)) return;
      if (attempt > GAP_RETRIES) throw new UnacknowledgedError(topic, partition, answers);
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, { initialMs: 200, maxMs: 5000 })));
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
