// Producing that the pipeline may rely on before it commits: every send waits for all in-sync replicas
// (acks = -1) and the idempotent producer keeps retries from writing a record twice.
import type { CompressionTypes, Producer } from 'kafkajs';
import { createKafka } from './client.ts';
import { compressionType } from './codecs.ts';
import type { Compression } from './codecs.ts';
import type { KafkaTarget } from './client.ts';


export interface OutgoingRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
}

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

  /** Resolves once every record is acknowledged by all in-sync replicas; `compression` overrides the producer's. */
  async send(topic: string, records: readonly OutgoingRecord[], compression?: Compression): Promise<void> {
    if (records.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      compression: compression === undefined ? this.compression : compressionType(compression),
      messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ? { ...r.headers } : undefined })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
