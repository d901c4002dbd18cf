// Dead letters: the original bytes go to the dead-letter topic with the reason and the source coordinates in
// headers (durable, replayable with `wg-siem dlq replay`); a readable copy goes to the dead-letter data stream
// so people see them in Kibana. The topic write must succeed before the source offset is committed; the
// Elasticsearch copy is indexed through the same retrying bulk path.
import { DLQ_HEADERS } from '../source/kafka/dead-letter-headers.ts';
import type { ReliableProducer } from '../source/kafka/reliable-producer.ts';
import { ECS_VERSION } from '../parse/normalize/normalize.ts';
import type { WgDeadLetterDoc } from '../shared/schema/generated/dead_letter.ts';
import type { BulkControl, BulkIndexer } from '../sinks/elasticsearch/bulk.ts';
import { deadLetterIndex, documentId } from './record.ts';
import type { DeadLetter, IndexAction } from './record.ts';

const MAX_TEXT = 32_768;
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

export function deadLetterDoc(l: DeadLetter, namespace: string, nowMs: number): WgDeadLetterDoc {
  const text = l.value.subarray(0, MAX_TEXT * 4).toString('utf8');
  return {
    '@timestamp': new Date(nowMs).toISOString(),
    ecs: { version: ECS_VERSION },
    message: cut(`${l.reason}: ${l.detail}`, 4096),
    event: { kind: 'pipeline_error', dataset: 'wireguard.dead_letter', module: 'wireguard', reason: l.reason, original: cut(text, MAX_TEXT), ingested: new Date(nowMs).toISOString() },
    error: { type: l.reason, message: cut(l.detail, 8192) },
    labels: {
      kafka_topic: l.source.topic,
      kafka_partition: String(l.source.partition),
      kafka_offset: l.source.offset,
      kafka_line: String(l.source.line),
      record_bytes: String(l.value.length),
    },
    data_stream: { type: 'logs', dataset: 'wireguard.dead_letter', namespace },
  };
}

export class DeadLetterSink {
  private readonly producer: ReliableProducer;
  private readonly bulk: BulkIndexer;
  private readonly topic: string;
  private readonly namespace: string;

  constructor(producer: ReliableProducer, bulk: BulkIndexer, topic: string, namespace: string) {
    this.producer = producer;
    this.bulk = bulk;
    this.topic = topic;
    this.namespace = namespace;
  }

  /** Resolves when every letter is in the dead-letter topic (acks=-1) and its copy is indexed or refused. */
  async write(letters: readonly DeadLetter[], control: BulkControl, nowMs: number): Promise<{ indexRejections: number }> {
    if (letters.length === 0) return { indexRejections: 0 };
    // One record per source record: several bad lines of one record share its bytes.
    const seen = new Set<string>();
    const records = [];
    for (const l of letters) {
      const k = `${l.source.topic}:${l.source.partition}:${l.source.offset}`;
      if (seen.has(k)) continue;
      seen.add(k);
      records.push({
        key: l.key,
        value: l.value,
        headers: {
          [DLQ_HEADERS.reason]: l.reason,
          [DLQ_HEADERS.detail]: cut(l.detail, 2048),
          [DLQ_HEADERS.topic]: l.source.topic,
          [DLQ_HEADERS.partition]: String(l.source.partition),
          [DLQ_HEADERS.offset]: l.source.offset,
          [DLQ_HEADERS.line]: String(l.source.line),
          [DLQ_HEADERS.failedAt]: new Date(nowMs).toISOString(),
        },
      });
    }
    await this.producer.send(this.topic, records);
    const actions: IndexAction[] = letters.map((l) => ({
      index: deadLetterIndex(this.namespace),
      id: documentId(l.source),
      doc: deadLetterDoc(l, this.namespace, nowMs),
      action: 'dead-letter',
      source: l.source,
    }));
    const r = await this.bulk.index(actions, control);
    return { indexRejections: r.rejected.length };
  }
}
