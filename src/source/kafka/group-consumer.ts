// A consumer-group member that hands whole per-partition batches to the pipeline and commits only what the
// pipeline says is done. Offsets are never committed automatically: kafkajs's auto-commit would commit records
// that are still only in memory.
import type { Consumer, KafkaMessage } from 'kafkajs';
import { createKafka } from './client.ts';
import type { KafkaTarget } from './client.ts';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestampMs: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RecordBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** Offset of the next record the broker will append: high watermark - next offset = lag. */
  readonly highWatermark: string;
}

export interface BatchControl {
  /** Keeps the group membership alive during a long retry. */
  heartbeat(): Promise<void>;
  /** False once stop() was called or the partition was revoked: abandon the batch without committing. */
  isRunning(): boolean;
  /** Marks the batch done and commits `lastOffset + 1` for its partition. */
  commit(lastOffset: string): Promise<void>;
  /**
   * Marks records up to `lastOffset` processed so the next fetch starts after them, without committing: for
   * consumers that commit only at their own checkpoints.
   */
  resolve(lastOffset: string): void;
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  /** Partitions processed at once. */
  readonly concurrency: number;
  readonly maxBytesPerPartition: number;
  /** Most bytes of one fetch response, all partitions together (default: maxBytesPerPartition × max(2, 2 × concurrency)). */
  readonly maxBytes?: number;
  /** The broker answers a fetch once it has this many bytes or maxWaitTimeInMs passed (default 1). */
  readonly minBytes?: number;
  /** Longest a fetch waits on a quiet topic (default 500 ms): bounds both latency and how long stop() takes. */
  readonly maxWaitTimeInMs?: number;
  readonly sessionTimeoutMs?: number;
  /** Called when kafkajs gives up on the consumer (it restarts by itself otherwise). */
  readonly onCrash?: (error: Error, willRestart: boolean) => void;
  /** Called when the member (re)joins the group, e.g. after a crash and restart, with its new assignment. */
  readonly onJoin?: (assignment: readonly { topic: string; partitions: readonly number[] }[]) => void;
}

/** Shared by every record without headers (most log lines): nothing to allocate per record. */
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

function toRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  let any = false;
  for (const _ in m.headers) { any = true; break; }
  if (!any) return { topic, partition, offset: m.offset, timestampMs: Number(m.timestamp), key: m.key ?? null, value: m.value ?? null, headers: NO_HEADERS };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) headers[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return { topic, partition, offset: m.offset, timestampMs: Number(m.timestamp), key: m.key ?? null, value: m.value ?? null, headers };
}

export class GroupConsumer {
  private readonly consumer: Consumer;
  private readonly opts: GroupConsumerOptions;
  private assigned: { topic: string; partitions: number[] }[] = [];
  private pausedAll = false;

  constructor(target: KafkaTarget, opts: GroupConsumerOptions) {
    this.opts = opts;
    this.consumer = createKafka(target).consumer({
      groupId: opts.groupId,
      maxBytesPerPartition: opts.maxBytesPerPartition,
      // kafkajs fetches once for every assigned partition of a broker and fetches again only after every batch of
      // the response was handled: one response (≤ maxBytes, plus a first record batch larger than the limit)
      // is all the consumer holds.
      maxBytes: opts.maxBytes ?? opts.maxBytesPerPartition * Math.max(2, opts.concurrency * 2),
      minBytes: opts.minBytes ?? 1,
      sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      // Short fetch waits: a quiet topic answers within this, which bounds both latency and the time stop() takes.
      maxWaitTimeInMs: opts.maxWaitTimeInMs ?? 500,
      allowAutoTopicCreation: false,
      retry: { retries: 10, restartOnFailure: () => Promise.resolve(true) },
    });
    const { GROUP_JOIN, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (e) => {
      this.assigned = Object.entries(e.payload.memberAssignment).map(([topic, partitions]) => ({ topic, partitions }));
      if (this.pausedAll) this.consumer.pause(this.assigned);
      opts.onJoin?.(this.assigned);
    });
    this.consumer.on(CRASH, (e) => opts.onCrash?.(e.payload.error, e.payload.restart));
  }

  async start(handler: (batch: RecordBatch, control: BatchControl) => Promise<void>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.opts.topics], fromBeginning: this.opts.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.concurrency,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (batch.messages.length === 0) return;
        const records = batch.messages.map((m) => toRecord(batch.topic, batch.partition, m));
        await handler({ topic: batch.topic, partition: batch.partition, records, highWatermark: batch.highWatermark }, {
          heartbeat: () => payload.heartbeat(),
          isRunning: () => payload.isRunning() && !payload.isStale(),
          resolve: (lastOffset) => { payload.resolveOffset(lastOffset); },
          commit: async (lastOffset) => {
            payload.resolveOffset(lastOffset);
            const next = (BigInt(lastOffset) + 1n).toString();
            // Not consumer.commitOffsets(): kafkajs silently drops that once stop() was called, which would lose
            // the commit of the very batch a graceful stop waits for. The batch's own commit goes through.
            await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
          },
        });
      },
    });
  }

  /**
   * Commits `lastOffset + 1` outside a batch (a periodic checkpoint). Fails if the partition is no longer this
   * member's; the next owner then starts from the previous commit, which is safe. After stop() kafkajs drops it
   * silently: callers checkpoint their state before stopping and rely on it, not on this commit.
   */
  async commitOutside(topic: string, partition: number, lastOffset: string): Promise<void> {
    await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(lastOffset) + 1n).toString() }]);
  }

  /** Stops fetching for every assigned partition (back-pressure while Elasticsearch is unavailable). */
  pauseAll(): void {
    this.pausedAll = true;
    if (this.assigned.length) this.consumer.pause(this.assigned);
  }

  resumeAll(): void {
    this.pausedAll = false;
    if (this.assigned.length) this.consumer.resume(this.assigned);
  }

  isPaused(): boolean {
    return this.pausedAll;
  }

  /** Partitions kafkajs has paused right now (for the wg_siem_partitions_paused gauge). */
  pausedPartitions(): number {
    let n = 0;
    for (const t of this.consumer.paused()) n += t.partitions.length;
    return n;
  }

  /** Stops fetching, waits for the batch in progress (which commits if it finishes), leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.consumer.disconnect();
  }
}
