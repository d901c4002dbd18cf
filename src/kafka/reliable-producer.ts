// Producing that the pipeline may rely on before it commits: every send waits for all in-sync replicas
// (acks = -1) and the idempotent producer keeps retries from writing a record twice.
import type { CompressionTypes, Producer } from 'kafkajs';
import { recordBytes } from './batch.ts';
import { createKafka } from './client.ts';
import { compressionType } from './codecs.ts';
import type { Compression } from './codecs.ts';
import type { KafkaTarget } from './client.ts';


export interface OutgoingRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set: this partition, whatever the key (see kafka/partition.ts); unset: the key's partition. */
  readonly partition?: number;
}

/** Most bytes of records (recordBytes summed) in one produce request. */
const REQUEST_BYTES = 512 * 1024;


export class ReliableProducer {
  private readonly producer: Producer;
  private readonly compression: CompressionTypes;

  constructor(target: KafkaTarget, compression: Compression) {
    this.producer = createKafka(target).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 8 } });
    this.compression = compressionType(compression);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /**
   * Resolves once every record is acknowledged by all in-sync replicas; `compression` overrides the producer's.
   * Records go in requests of at most REQUEST_BYTES (before compression), one after the other: kafkajs puts a
   * request's records for one partition into one record batch, and an uncompressed batch larger than the
   * broker's message.max.bytes (1 MB by default) is refused as a whole.
   */
  async send(topic: string, records: readonly OutgoingRecord[], compression?: Compression): Promise<void> {
    const codec = compression === undefined ? this.compression : compressionType(compression);
    // One partition per request where the caller named them. kafkajs 2.2.4 retries a send only towards the brokers
    // that have not answered yet, with the partitions they lead after a metadata refresh: records of a partition
    // whose leader moved to a broker that had already answered are dropped while send() resolves (seen in the
    // rolling-restart test on a three-broker cluster). With one partition per send() the moved partition's new
    // leader has not answered, so its records go there.
    const byPartition = new Map<number | undefined, OutgoingRecord[]>();
    for (const r of records) {
      const list = byPartition.get(r.partition);
      if (list) list.push(r); else byPartition.set(r.partition, [r]);
    }
    for (const group of byPartition.values()) await this.sendRequests(topic, group, codec);
  }

  private async sendRequests(topic: string, records: readonly OutgoingRecord[], codec: CompressionTypes): Promise<void> {
    let start = 0;
    while (start < records.length) {
      let bytes = 0;
      let end = start;
      while (end < records.length) {
        const r = records[end];
        const b = r === undefined ? 0 : recordBytes(r);
        if (end > start && bytes + b > REQUEST_BYTES) break;
        bytes += b;
        end++;
      }
      await this.producer.send({
        topic,
        acks: -1,
        compression: codec,
        messages: records.slice(start, end).map((r) => ({ key: r.key, value: r.value, headers: r.headers ? { ...r.headers } : undefined, ...(r.partition !== undefined ? { partition: r.partition } : {}) })),
      });
      start = end;
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
