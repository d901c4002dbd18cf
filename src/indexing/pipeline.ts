// `wg-siem run`: Kafka → decode/recognise/normalise → Elasticsearch, committing a partition's offset only after
// Elasticsearch acknowledged every document of the batch (created, or already there) and every refused one is
// safely in the dead-letter topic. A crash or kill at any moment therefore redelivers, never loses; redelivered
// records get the same _id and the `create` op makes them no-ops.
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import type { Config } from '../shared/config/keys.ts';
import type { KafkaTarget } from '../source/kafka/client.ts';
import { GroupConsumer } from '../source/kafka/group-consumer.ts';
import type { BatchControl, RecordBatch } from '../source/kafka/group-consumer.ts';
import { ReliableProducer } from '../source/kafka/reliable-producer.ts';
import { ensureTopics } from '../source/kafka/topics.ts';
import { NAMESPACE_HEADER } from '../correlate/alerts/ownership.ts';
import { BulkAborted, BulkIndexer, EsRefused } from '../sinks/elasticsearch/bulk.ts';
import type { RetryCause } from '../sinks/elasticsearch/bulk.ts';
import { DeadLetterSink } from './dead-letter.ts';
import { FeedBatch, feedEncoder, rulePaths } from './correlation-feed.ts';
import { eventsIndex, processRecord } from './record.ts';
import type { DeadLetter, IndexAction, PeerSnapshot } from './record.ts';
import { keyPartitioner, partitionCount } from '../source/kafka/partition.ts';
import { loadRules, SHIPPED_RULES_DIR } from '../correlate/rules/load-rules.ts';

/** What the pipeline reports as it goes; the run command binds it to Prometheus metrics. */
export interface PipelineHooks {
  recordsIn(topic: string, n: number): void;
  indexed(action: string, n: number): void;
  duplicates(n: number): void;
  deadLettered(reason: string, n: number): void;
  unparsed(n: number): void;
  bulkRequest(seconds: number, docs: number): void;
  batchSize(records: number): void;
  retry(cause: RetryCause): void;
  /** Partitions now paused for back-pressure (0 once resumed); reported again when a rebalance changes them. */
  paused(partitions: number): void;
  /** Documents that failed schema validation (dead-lettered as schema-invalid), by document kind. */
  invalid(document: string, n: number): void;
  lag(topic: string, partition: number, lag: number): void;
  /** A rebalance took the partition away: its lag is the new owner's to report. */
  released(topic: string, partition: number): void;
  committed(): void;
}

export const NO_HOOKS: PipelineHooks = {
  recordsIn: () => undefined, indexed: () => undefined, duplicates: () => undefined, deadLettered: () => undefined,
  unparsed: () => undefined, bulkRequest: () => undefined, batchSize: () => undefined, retry: () => undefined,
  paused: () => undefined, invalid: () => undefined, lag: () => undefined, released: () => undefined, committed: () => undefined,
};

export interface PipelineOptions {
  readonly config: Config;
  readonly kafka: KafkaTarget;
  readonly es: Client;
  readonly log: Logger;
  readonly hooks?: PipelineHooks;
  /** Start from the earliest offset when the group has none (default true: a new deployment reads the backlog). */
  readonly fromBeginning?: boolean;
  /** Partitions of topics the pipeline creates because they are missing. */
  readonly partitions?: number;
  /** kafkajs gave up on the consumer and will not restart it: the process should exit so it is restarted. */
  readonly onFatal?: (error: Error) => void;
}

export interface Readiness {
  readonly ok: boolean;
  readonly checks: Record<string, { ok: boolean; detail?: string }>;
}

export class Pipeline {
  private readonly o: PipelineOptions;
  private readonly hooks: PipelineHooks;
  private readonly consumer: GroupConsumer;
  private readonly producer: ReliableProducer;
  private readonly bulk: BulkIndexer;
  private readonly deadLetters: DeadLetterSink;
  private esUnavailable = false;
  private lastProgressMs = Date.now();
  private lastLag = 0;
  /** `topic\0partition` of the current assignment, to tell which partitions a rebalance took away. */
  private owned = new Set<string>();
  private running = false;
  private kafkaError: string | undefined;
  /** Ready means consuming: the member has joined its group at least once (an assignment may still be empty). */
  private joined = false;
  private stopRequested = false;
  private starting: Promise<void> | undefined;
  /** The hand-over to correlation: host → partition of the intermediate topic, and an event's feed JSON. */
  private feed: { partitionOf: (host: string) => number; encode: (id: string, doc: object) => string } | undefined;

  constructor(o: PipelineOptions) {
    this.o = o;
    this.hooks = o.hooks ?? NO_HOOKS;
    const c = o.config;
    this.consumer = new GroupConsumer(o.kafka, {
      groupId: c['kafka.groupId'],
      topics: c['kafka.topics'],
      fromBeginning: o.fromBeginning ?? true,
      concurrency: c['pipeline.concurrency'],
      maxBytesPerPartition: c['pipeline.fetchMaxBytesPerPartition'],
      maxBytes: Math.max(c['pipeline.fetchMaxBytes'], c['pipeline.fetchMaxBytesPerPartition']),
      minBytes: c['pipeline.fetchMinBytes'],
      maxWaitTimeInMs: c['pipeline.fetchMaxWaitMs'],
      sessionTimeoutMs: c['kafka.sessionTimeoutMs'],
      onCrash: (e, restart) => {
        this.kafkaError = e.message;
        o.log.error({ err: e, restart }, 'Kafka consumer crashed');
        if (!restart) o.onFatal?.(e);
      },
      onJoin: (assignment) => {
        this.kafkaError = undefined;
        this.joined = true;
        const now = new Set(assignment.flatMap((a) => a.partitions.map((p) => `${a.topic}\u0000${p}`)));
        for (const k of this.owned) {
          if (now.has(k)) continue;
          const [topic = '', p = ''] = k.split('\u0000');
          this.hooks.released(topic, Number(p));
        }
        this.owned = now;
        // A rebalance while paused pauses the new assignment too: the count of paused partitions changes.
        if (this.esUnavailable) this.hooks.paused(this.consumer.pausedPartitions());
      },
    });
    this.producer = new ReliableProducer(o.kafka, c['kafka.compression']);
    this.bulk = new BulkIndexer(o.es, {
      maxBytes: c['pipeline.bulkMaxBytes'],
      maxDocs: c['pipeline.batchSize'],
      concurrency: c['pipeline.bulkConcurrency'],
      initialBackoffMs: 200,
      maxBackoffMs: 30_000,
      onRetry: (cause, waitMs, detail) => {
        this.hooks.retry(cause);
        o.log.warn({ cause, waitMs: Math.round(waitMs), detail }, 'Elasticsearch bulk failed; retrying');
      },
      onAvailability: (unavailable) => this.setEsUnavailable(unavailable),
      onRequest: (s, n) => this.hooks.bulkRequest(s, n),
    });
    this.deadLetters = new DeadLetterSink(this.producer, this.bulk, c['kafka.dlqTopic'], c['namespace']);
  }

  private setEsUnavailable(v: boolean): void {
    if (v === this.esUnavailable) return;
    this.esUnavailable = v;
    // Back-pressure: stop fetching while Elasticsearch cannot take documents, so memory stays bounded.
    if (v) this.consumer.pauseAll();
    else this.consumer.resumeAll();
    this.hooks.paused(this.consumer.pausedPartitions());
    this.o.log[v ? 'warn' : 'info']({}, v ? 'Elasticsearch unavailable: partitions paused' : 'Elasticsearch available again: partitions resumed');
  }

  async start(): Promise<void> {
    this.starting = this.startInner();
    await this.starting;
  }

  private async startInner(): Promise<void> {
    const c = this.o.config;
    await ensureTopics(this.o.kafka, [
      ...c['kafka.topics'].map((t) => ({ topic: t, partitions: this.o.partitions ?? 3 })),
      // Dead letters carry whole records, which may be larger than the broker's default limit.
      { topic: c['kafka.dlqTopic'], partitions: 1, configs: { 'max.message.bytes': String(c['pipeline.maxRecordBytes'] * 2 + 65_536) } },
      ...(c['correlate.enabled'] ? [{ topic: c['kafka.correlationTopic'], partitions: c['kafka.correlationPartitions'] }] : []),
    ], this.o.log);
    if (this.stopRequested) return;
    if (c['correlate.enabled']) this.feed = { partitionOf: keyPartitioner(await partitionCount(this.o.kafka, c['kafka.correlationTopic'])), encode: this.feedEncoder() };
    await this.producer.connect();
    this.running = true;
    await this.consumer.start((b, ctl) => this.handle(b, ctl));
    this.o.log.info({ topics: c['kafka.topics'], groupId: c['kafka.groupId'] }, 'pipeline started');
  }

  /** Only the fields the configured rules and the correlation stage read travel; all of them if the rules do not load. */
  private feedEncoder(): (id: string, doc: object) => string {
    const dir = this.o.config['correlate.rulesDir'] ?? SHIPPED_RULES_DIR;
    try {
      const r = loadRules(dir);
      if (r.ok) return feedEncoder(rulePaths(r.rules));
      this.o.log.warn({ dir, errors: r.errors.length }, 'rules do not load: whole events go to the correlation stage');
    } catch (e) {
      this.o.log.warn({ dir, err: e }, 'rules do not load: whole events go to the correlation stage');
    }
    return feedEncoder(undefined);
  }

  /**
   * A fetched batch is worked through in slices of as many records as the bulk requests take at once (batchSize ×
   * bulkConcurrency), each slice parsed, indexed, dead-lettered, handed over and committed before the next is
   * parsed: only one slice's documents are alive at a time, whatever the fetch brought (a 2 MiB fetch of short
   * lines is 14,000 records, and their documents were most of the index stage's memory).
   */
  private async handle(batch: RecordBatch, ctl: BatchControl): Promise<void> {
    const c = this.o.config;
    this.hooks.recordsIn(batch.topic, batch.records.length);
    this.hooks.batchSize(batch.records.length);
    const slice = Math.max(1, c['pipeline.batchSize'] * c['pipeline.bulkConcurrency']);
    try {
      for (let from = 0; from < batch.records.length; from += slice) {
        await this.handleSlice(batch, batch.records.slice(from, from + slice), ctl);
      }
    } catch (e) {
      if (e instanceof BulkAborted) {
        this.o.log.warn({ topic: batch.topic, partition: batch.partition, records: batch.records.length }, e.message);
        return;
      }
      if (e instanceof EsRefused) {
        // Nothing of this slice or after it committed: those records wait in Kafka until wg-siem runs with what
        // Elasticsearch needs.
        this.esUnavailable = true;
        this.o.onFatal?.(e);
        return;
      }
      throw e;
    }
  }

  /** One slice of a batch: parsed, indexed, dead letters written, handed over, committed. */
  private async handleSlice(batch: RecordBatch, records: RecordBatch['records'], ctl: BatchControl): Promise<void> {
    const c = this.o.config;
    const nowMs = Date.now();
    const ctx = {
      namespace: c['namespace'], timezone: c['parse.timezone'], validate: true, maxRecordBytes: c['pipeline.maxRecordBytes'],
      keepUnparsed: c['pipeline.unparsed'] === 'index', nowMs, preserveOriginal: c['pipeline.preserveOriginalEvent'],
    };
    const actions: IndexAction[] = [];
    const letters: DeadLetter[] = [];
    // In source order: the correlation stage drops anything at or before a position it has seen.
    const snapshots: { after: number; snapshot: PeerSnapshot }[] = [];
    let unparsed = 0;
    for (const rec of records) {
      const out = processRecord(rec, ctx);
      for (const a of out.actions) actions.push(a);
      for (const l of out.deadLetters) letters.push(l);
      if (out.snapshots) for (const snapshot of out.snapshots) snapshots.push({ after: actions.length, snapshot });
      unparsed += out.unparsed;
    }
    const res = await this.bulk.index(actions, ctl);
    const rejectedIds = res.rejected.length ? new Set(res.rejected.map((r) => r.action.id)) : undefined;
    if (res.rejected.length) {
      const byOffset = new Map(records.map((r) => [r.offset, r]));
      for (const r of res.rejected) {
        const rec = byOffset.get(r.action.source.offset);
        letters.push({ source: r.action.source, reason: 'rejected-by-elasticsearch', detail: `${r.status} ${r.reason}`, key: rec?.key ?? null, value: rec?.value ?? Buffer.alloc(0) });
      }
    }
    const dl = await this.deadLetters.write(letters, ctl, nowMs);
    if (this.feed) {
      // After Elasticsearch has the events (a diagnosis may search for them) and before the commit (a crash
      // re-sends them; the correlation stage drops what it has already seen by source position). One record
      // per intermediate partition (or a few, see FeedBatch), not one per event.
      const events = eventsIndex(c['namespace']);
      const feed = new FeedBatch(this.feed.partitionOf, this.feed.encode);
      let next = 0;
      for (let i = 0; i <= actions.length; i++) {
        while (next < snapshots.length && snapshots[next]?.after === i) feed.snapshot(snapshots[next++]?.snapshot as PeerSnapshot);
        const a = actions[i];
        if (a && a.index === events && !rejectedIds?.has(a.id)) feed.event(a);
      }
      const out = feed.records();
      // Each record names its deployment, so that a deployment set to another's topic refuses to start (correlate/alerts/ownership.ts).
      if (out.length) await this.producer.send(c['kafka.correlationTopic'], out.map((r) => ({ ...r, headers: { ...r.headers, [NAMESPACE_HEADER]: c['namespace'] } })), c['kafka.correlationCompression']);
    }
    if (dl.indexRejections) this.o.log.error({ count: dl.indexRejections }, 'dead letters refused by Elasticsearch (they are in the dead-letter topic)');
    const perAction = new Map<string, number>();
    for (const a of actions) if (!rejectedIds?.has(a.id)) perAction.set(a.action, (perAction.get(a.action) ?? 0) + 1);
    for (const [a, n] of perAction) this.hooks.indexed(a, n);
    this.hooks.duplicates(res.duplicates);
    const reasons = new Map<string, number>();
    for (const l of letters) reasons.set(l.reason, (reasons.get(l.reason) ?? 0) + 1);
    for (const [r, n] of reasons) this.hooks.deadLettered(r, n);
    const invalid = new Map<string, number>();
    for (const l of letters) if (l.document) invalid.set(l.document, (invalid.get(l.document) ?? 0) + 1);
    for (const [d, n] of invalid) this.hooks.invalid(d, n);
    this.hooks.unparsed(unparsed);
    const last = records[records.length - 1];
    if (!last) return;
    await ctl.commit(last.offset);
    this.hooks.committed();
    this.kafkaError = undefined;
    this.lastProgressMs = Date.now();
    const lag = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
    this.lastLag = lag;
    this.hooks.lag(batch.topic, batch.partition, Math.max(0, lag));
  }

  /** For /readyz: Kafka group running, Elasticsearch taking documents, and progress when there is lag. */
  readiness(): Readiness {
    const stalled = this.lastLag > 0 && Date.now() - this.lastProgressMs > 120_000;
    const checks = {
      consumer: { ok: this.running, detail: this.running ? 'running' : 'stopped' },
      kafka: { ok: this.joined && this.kafkaError === undefined, detail: this.kafkaError ?? (this.joined ? 'in the consumer group' : 'joining the consumer group') },
      elasticsearch: { ok: !this.esUnavailable, detail: this.esUnavailable ? 'bulk requests failing; partitions paused' : 'accepting documents' },
      progress: { ok: !stalled, detail: stalled ? `no commit for ${Math.round((Date.now() - this.lastProgressMs) / 1000)} s with ${this.lastLag} records waiting` : 'ok' },
    };
    return { ok: Object.values(checks).every((x) => x.ok), checks };
  }

  /** Stops fetching, lets the in-flight batch finish and commit (or abandons it if Elasticsearch is down). */
  async stop(): Promise<void> {
    this.stopRequested = true;
    // A stop during start-up waits for it, so the consumer it starts is stopped too.
    await this.starting?.catch(() => undefined);
    if (!this.running) return;
    this.running = false;
    await this.consumer.stop();
    await this.producer.disconnect();
    this.o.log.info({}, 'pipeline stopped');
  }
}
