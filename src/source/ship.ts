// `wg-siem ship`: what a log shipper does, for files and pipes at hand — one Kafka record per line, the line's bytes
// unchanged (a Filebeat, Vector or journald JSON line stays that JSON), keyed by the host its envelope names so
// one host's lines stay in order on one partition.
// Default import: Node's CommonJS export detection does not find ConfigResourceTypes in kafkajs.
import kafkajs from 'kafkajs';
import type { Admin, Kafka } from 'kafkajs';
import { decode } from '../parse/decode/decode.ts';
import { BATCH_OVERHEAD_BYTES, Batcher, RECORD_OVERHEAD_BYTES, recordBytes } from './kafka/batch.ts';
import type { OutRecord } from './kafka/batch.ts';
import { createKafka } from './kafka/client.ts';
import type { KafkaTarget } from './kafka/client.ts';
import type { Compression } from './kafka/codecs.ts';
import { LineSplitter, isBlank } from './kafka/lines.ts';
import { createTopicsReady, replicationFor } from './kafka/topics.ts';
import { ReliableProducer } from './kafka/reliable-producer.ts';
import type { LineEvent } from './kafka/lines.ts';

/** No WireGuard line is this long, and the consumer dead-letters records over it (pipeline.maxRecordBytes). */
export const MAX_LINE_BYTES = 1024 * 1024;
/** Kafka's default max.message.bytes: assumed when the topic's own value cannot be read (no DescribeConfigs ACL). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1048588;
export const DEFAULT_BATCH_RECORDS = 1000;
export const DEFAULT_BATCH_BYTES = 1024 * 1024;
/** A partly filled batch waits at most this long for more lines (a followed file, a slow pipe). */
export const DEFAULT_LINGER_MS = 200;

export interface RefusedLine {
  readonly n: number;
  readonly bytes: number;
  /** The limit it broke: MAX_LINE_BYTES (`line`), or what the topic accepts in one record batch (`topic`). */
  readonly reason: 'line' | 'topic';
  readonly limit: number;
}

export interface ShipOptions {
  readonly target: KafkaTarget;
  readonly topic: string;
  readonly compression: Compression;
  readonly batchRecords?: number;
  readonly batchBytes?: number;
  readonly lingerMs?: number;
  readonly maxLineBytes?: number;
  /** Create the topic when it does not exist, with this many partitions. */
  readonly createTopic?: { readonly partitions: number };
  readonly onRefused?: (r: RefusedLine) => void;
  readonly onNotice?: (message: string) => void;
  /** Rewrites each line before it is sent (e.g. into the syslog framing a file shipper adds). */
  readonly frame?: (line: Buffer) => Buffer;
}

export interface ShipReport {
  /** Every line read, blank and refused ones included. */
  lines: number;
  blank: number;
  refused: number;
  /** Records the broker acknowledged (acks = all). */
  records: number;
  /** Value bytes of those records, before compression. */
  bytes: number;
  batches: number;
  seconds: number;
}

/** Shipping stopped on an error; `report` counts what was acknowledged before it. */
export class ShipError extends Error {
  readonly report: ShipReport;
  constructor(message: string, report: ShipReport, cause: unknown) {
    super(message, { cause });
    this.name = 'ShipError';
    this.report = report;
  }
}

/** The host a line's envelope names (syslog host, journald _HOSTNAME, Filebeat host.name, ...), if any. */
export function keyOf(line: Buffer): string | null {
  return decode(line, { timezone: 'UTC', nowMs: Date.now() }).host || null;
}

async function maxMessageBytes(admin: Admin, topic: string, notice: (m: string) => void): Promise<number> {
  try {
    const r = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
    });
    const v = Number(r.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue);
    if (Number.isInteger(v) && v > 0) return v;
  } catch (e) {
    notice(`could not read max.message.bytes of ${topic} (${(e as Error).message}); assuming Kafka's default ${DEFAULT_MAX_MESSAGE_BYTES}`);
  }
  return DEFAULT_MAX_MESSAGE_BYTES;
}

/** Checks (or creates) the topic and returns the most bytes it takes in one record batch. */
async function prepareTopic(kafka: Kafka, o: ShipOptions, notice: (m: string) => void): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(o.topic)) {
      if (!o.createTopic) throw new Error(`topic "${o.topic}" does not exist (--create-topic creates it)`);
      const r = replicationFor((await admin.describeCluster()).brokers.length);
      await createTopicsReady(admin, [{ topic: o.topic, numPartitions: o.createTopic.partitions, replicationFactor: r.replicationFactor, configEntries: [{ name: 'min.insync.replicas', value: String(r.minInsyncReplicas) }] }]);
      notice(`created topic ${o.topic} with ${o.createTopic.partitions} partition(s)`);
    }
    return await maxMessageBytes(admin, o.topic, notice);
  } finally {
    await admin.disconnect();
  }
}

const LINGER = Symbol('linger');

async function orLinger<T>(p: Promise<T>, ms: number): Promise<T | typeof LINGER> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<typeof LINGER>((resolve) => { timer = setTimeout(resolve, ms, LINGER); })]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends every non-blank line of `source` as one record to `o.topic` and resolves with the counts once all are
 * acknowledged by all in-sync replicas. Lines too long for a record are reported through `onRefused` and skipped.
 * Ends when the source ends (a followed file ends when its signal aborts).
 */
/**
 * The framing rsyslog's imfile (or any file shipper forwarding as syslog) gives a line of a program's log file:
 * the time it was read, the host and the program. A bare wireguard-go log line names no host; this one does.
 */
export function syslogFrame(host: string, tag: string, now: () => number = Date.now): (line: Buffer) => Buffer {
  return (line) => Buffer.concat([Buffer.from(`${new Date(now()).toISOString()} ${host} ${tag}: `), line]);
}

export async function ship(source: AsyncIterable<Buffer>, o: ShipOptions): Promise<ShipReport> {
  const started = performance.now();
  const report: ShipReport = { lines: 0, blank: 0, refused: 0, records: 0, bytes: 0, batches: 0, seconds: 0 };
  const notice = o.onNotice ?? ((): void => undefined);
  const kafka = createKafka(o.target);
  const topicLimit = await prepareTopic(kafka, o, notice);
  // Sized on uncompressed bytes, so a batch fits the topic's limit whatever the codec achieves.
  const room = topicLimit - BATCH_OVERHEAD_BYTES;
  const lineLimit = o.maxLineBytes ?? MAX_LINE_BYTES;
  const splitter = new LineSplitter(Math.max(1, Math.min(lineLimit, room - RECORD_OVERHEAD_BYTES)));
  const batcher = new Batcher({ maxRecords: o.batchRecords ?? DEFAULT_BATCH_RECORDS, maxBytes: Math.max(1, Math.min(o.batchBytes ?? DEFAULT_BATCH_BYTES, room)) });
  const refuse = (n: number, bytes: number): void => {
    report.refused++;
    o.onRefused?.(bytes > lineLimit ? { n, bytes, reason: 'line', limit: lineLimit } : { n, bytes, reason: 'topic', limit: topicLimit });
  };

  // wg-siem's own producer: acks=all, idempotent, one partition per request, every partition's answer checked
  // (source/kafka/reliable-producer.ts says why kafkajs alone can lose records while brokers move).
  const producer = new ReliableProducer(o.target, o.compression);
  const send = async (batch: readonly OutRecord[]): Promise<void> => {
    if (batch.length === 0) return;
    await producer.send(o.topic, batch);
    report.batches++;
    report.records += batch.length;
    for (const r of batch) report.bytes += r.value.length;
  };
  const take = async (events: readonly LineEvent[]): Promise<void> => {
    for (const e of events) {
      report.lines++;
      if (e.kind === 'oversize') { refuse(e.n, e.bytes); continue; }
      if (isBlank(e.bytes)) { report.blank++; continue; }
      const value = o.frame ? o.frame(e.bytes) : e.bytes;
      const r: OutRecord = { key: keyOf(value), value };
      if (recordBytes(r) > room) { refuse(e.n, e.bytes.length); continue; }
      for (const full of batcher.add(r)) await send(full);
    }
  };

  const chunks = source[Symbol.asyncIterator]();
  try {
    await producer.connect();
    const pull = (): Promise<IteratorResult<Buffer>> => {
      const p = chunks.next();
      // A pull can be left pending while a lingering batch is sent; if that send fails, nobody awaits it.
      void p.catch(() => undefined);
      return p;
    };
    let next = pull();
    for (;;) {
      const r = batcher.size > 0 ? await orLinger(next, o.lingerMs ?? DEFAULT_LINGER_MS) : await next;
      if (r === LINGER) { await send(batcher.take()); continue; }
      if (r.done) break;
      await take(splitter.push(r.value));
      next = pull();
    }
    await take(splitter.end());
    await send(batcher.take());
  } catch (e) {
    report.seconds = (performance.now() - started) / 1000;
    // Lets a followed file's reader close its file once its pending read settles.
    void chunks.return?.()?.catch(() => undefined);
    throw new ShipError(`shipping to ${o.topic} failed: ${(e as Error).message}`, report, e);
  } finally {
    await producer.disconnect();
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
