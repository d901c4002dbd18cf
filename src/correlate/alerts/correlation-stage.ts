// Stage two of `wg-siem run`: the intermediate topic (recognised events keyed by host) → rules → alert documents
// and pages. Each assigned partition has its own correlator and peer directory, so an instance owns whole hosts.
//
// Progress is the state, not the committed offset: a partition's state (correlator, peer directory, and the
// newest source position seen per raw partition) is saved to Elasticsearch with the offset of the last record it
// includes, and only then is that offset committed. On a restart or a rebalance the owner loads the state and
// skips every record it already includes, so an open window is neither forgotten nor raised (or paged) again.
// Records between the last save and a crash are replayed into the restored state: the same alerts come out with
// the same ids and versions, which Elasticsearch takes as duplicates.
//
// The paging state of a partition (which of its alerts were paged, which folded into a storm aggregate: see
// sinks/notify/ledger.ts) is part of the same saved document, taken in the same synchronous step as the correlator's
// snapshot, so the two always agree: an alert open in the restored correlator is paged in the restored ledger
// exactly when its trigger was decided before the save. Its resolve is then forwarded by whichever instance
// owns the partition when the alert resolves. A partition is restored as soon as it is assigned (not only when
// its next record arrives), so a quiet host's open alerts still resolve on the clock after a kill -9.
//
// This file orchestrates consumer batches, clock ticks and stop; the state and its saves are partition-states.ts,
// writing and paging alerts alert-emission.ts, asking tunnel alerts' root cause again rechecks.ts.
import type { Client } from '@elastic/elasticsearch';
import { schedule, type ScheduledTask } from 'node-cron';
import { scheduleDigest } from '../../sinks/notify/digest.ts';
import type { Logger } from 'pino';
import type { Config } from '../../shared/config/keys.ts';
import type { Rule } from '../rules/rule-types.ts';
import type { AlertTransition } from '../rules/types.ts';
import type { Inventory } from '../../enrich/inventory.ts';
import type { KafkaTarget } from '../../source/kafka/client.ts';
import { GroupConsumer, type BatchControl, type RecordBatch } from '../../source/kafka/group-consumer.ts';
import { ensureTopics } from '../../source/kafka/topics.ts';
import { BulkAborted, EsRefused } from '../../sinks/elasticsearch/bulk.ts';
import { NO_HOST_KEY, feedItems, sourcePosition, type FeedEvent, type FeedSnapshot } from '../../indexing/correlation-feed.ts';
import { ALWAYS, AlertEmitter } from './alert-emission.ts';
import { NO_CORRELATION_HOOKS, pagingScope, type AlertDiagnoser, type CorrelationHooks, type PagingSink } from './correlation-ports.ts';
import { PartitionStates, type PartitionState } from './partition-states.ts';
import { Rechecks } from './rechecks.ts';

export interface CorrelationStageOptions {
  readonly config: Config;
  readonly kafka: KafkaTarget;
  readonly es: Client;
  readonly log: Logger;
  readonly rules: readonly Rule[];
  readonly inventory?: Inventory;
  readonly diagnoser?: AlertDiagnoser;
  readonly pager?: PagingSink;
  readonly hooks?: CorrelationHooks;
  /** kafkajs gave up on the consumer and will not restart it: the process should exit so it is restarted. */
  readonly onFatal?: (error: Error) => void;
}

const YIELD_EVERY = 2000;

export class CorrelationStage {
  private readonly o: CorrelationStageOptions;
  private readonly hooks: CorrelationHooks;
  private readonly consumer: GroupConsumer;
  private readonly states: PartitionStates;
  private readonly emitter: AlertEmitter;
  /** Tunnel alerts whose other end had not been seen yet: asked again a few times. */
  private readonly rechecks = new Rechecks();
  private task: ScheduledTask | undefined;
  private digestTask: ScheduledTask | undefined;
  private running = false;
  private joined = false;
  private stopRequested = false;
  private starting: Promise<void> | undefined;

  constructor(o: CorrelationStageOptions) {
    this.o = o;
    this.hooks = o.hooks ?? NO_CORRELATION_HOOKS;
    const c = o.config;
    const shared = { config: c, es: o.es, log: o.log, rules: o.rules, hooks: this.hooks, ...(o.pager ? { pager: o.pager } : {}) };
    this.states = new PartitionStates({ ...shared, ...(o.inventory ? { inventory: o.inventory } : {}) });
    this.emitter = new AlertEmitter({ ...shared, rechecks: this.rechecks, ...(o.diagnoser ? { diagnoser: o.diagnoser } : {}) });
    this.consumer = new GroupConsumer(o.kafka, {
      groupId: c['kafka.correlationGroupId'],
      topics: [c['kafka.correlationTopic']],
      fromBeginning: true,
      concurrency: c['pipeline.concurrency'],
      maxBytesPerPartition: c['correlate.fetchMaxBytes'],
      sessionTimeoutMs: c['kafka.sessionTimeoutMs'],
      onCrash: (e, restart) => {
        o.log.error({ err: e, restart }, 'correlation consumer crashed');
        if (!restart) o.onFatal?.(e);
      },
      onJoin: (assignment) => this.onJoin(assignment),
    });
  }

  async start(): Promise<void> {
    this.starting = this.startInner();
    await this.starting;
  }

  private async startInner(): Promise<void> {
    const c = this.o.config;
    await ensureTopics(this.o.kafka, [{ topic: c['kafka.correlationTopic'], partitions: c['kafka.correlationPartitions'] }], this.o.log);
    await this.states.ensure();
    if (this.stopRequested) return;
    this.running = true;
    await this.consumer.start((b, ctl) => this.onBatch(b, ctl));
    // Clock-driven rule work (staleness, absences, resolution after a quiet period) on a schedule.
    this.task = schedule(c['correlate.schedule'], () => { void this.tickAll(); }, { noOverlap: true, name: 'wg-siem-correlate' });
    // The digest lists the pages of the partitions this instance owns, which it knows once it correlates.
    const pager = this.o.pager;
    const digestAt = c['notify.digestSchedule'];
    if (digestAt !== null && c['notify.webhook.url'] === null) this.o.log.warn({}, 'notify.digestSchedule is set but notify.webhook.url is not: no digest is sent');
    else if (digestAt !== null && pager?.digest) this.digestTask = scheduleDigest(digestAt, { digest: () => pager.digest?.() ?? 0 }, this.o.log);
    this.o.log.info({ topic: c['kafka.correlationTopic'], groupId: c['kafka.correlationGroupId'], rules: this.o.rules.length }, 'correlation started');
  }

  private onJoin(assignment: readonly { topic: string; partitions: readonly number[] }[]): void {
    this.joined = true;
    const mine = new Set(assignment.filter((a) => a.topic === this.o.config['kafka.correlationTopic']).flatMap((a) => a.partitions));
    this.states.reassign(mine);
    // Restored now rather than at the partition's next record: a quiet host's open alerts must still resolve
    // (on the clock) and be re-posted to Alertmanager by their new owner.
    for (const p of mine) {
      if (this.states.has(p)) continue;
      void this.states.state(p).catch((e: unknown) => {
        this.o.log.warn({ err: e, partition: p }, 'correlation state not restored yet; retried at the partition\'s next record');
      });
    }
  }

  private serial<T>(st: PartitionState, work: () => Promise<T>): Promise<T> {
    const run = st.queue.then(work);
    st.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  private async onBatch(batch: RecordBatch, ctl: BatchControl): Promise<void> {
    const st = await this.states.state(batch.partition);
    await this.serial(st, async () => {
      const out: AlertTransition[] = [];
      let dups = 0;
      let last: string | undefined;
      let n = 0;
      for (const rec of batch.records) {
        last = rec.offset;
        if (rec.timestampMs > st.lastRecordMs) st.lastRecordMs = rec.timestampMs;
        if (BigInt(rec.offset) <= st.applied) continue;
        // A record holds the events of one source batch for this partition (or one event, in the older form): all
        // of them are included under its offset, and nothing is saved in between (saves wait for this batch).
        st.applied = BigInt(rec.offset);
        st.dirty = true;
        for (const ev of this.parse(rec.value, batch.partition, rec.offset)) {
          // A flood batch takes a while: let heartbeats, ticks and /metrics run in between.
          if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
          if (this.isDuplicate(st, ev._id)) { dups++; continue; }
          if ('peer_snapshot' in ev) {
            // The collector's view of the host's peers; its poll time also moves the host's clock on.
            st.peers.observeDump(ev.peer_snapshot);
            st.correlator.heartbeat(ev.host.name, ev.peer_snapshot.atMs, rec.timestampMs);
            continue;
          }
          st.peers.observe(ev);
          // Event time runs per host: one host's delayed shipping must not make another host's lines late.
          for (const t of st.correlator.observe(ev, rec.timestampMs, ev.host?.name ?? NO_HOST_KEY)) out.push(t);
        }
      }
      if (dups) this.hooks.duplicates(dups);
      await this.emitter.emit(st, out, ctl);
      this.report(st);
      if (last === undefined) return;
      st.caughtUp = BigInt(last) + 1n >= BigInt(batch.highWatermark);
      ctl.resolve(last);
      if (Date.now() - st.lastSaveMs >= this.o.config['correlate.snapshotIntervalMs']) {
        await this.states.save(st);
        await ctl.commit(st.applied.toString());
      }
    }).catch((e: unknown) => {
      if (e instanceof BulkAborted) { this.o.log.warn({ partition: batch.partition }, e.message); return; }
      if (e instanceof EsRefused) { this.o.onFatal?.(e); return; }
      throw e;
    });
  }

  private parse(value: Buffer | null, partition: number, offset: string): (FeedEvent | FeedSnapshot)[] {
    let items: unknown[] = [];
    let bad = false;
    try {
      items = feedItems(JSON.parse((value ?? Buffer.alloc(0)).toString('utf8')));
    } catch { bad = true; }
    const out: (FeedEvent | FeedSnapshot)[] = [];
    for (const ev of items) {
      if (typeof ev === 'object' && ev !== null && typeof (ev as FeedEvent)._id === 'string' && typeof (ev as FeedEvent)['@timestamp'] === 'string') out.push(ev as FeedEvent | FeedSnapshot);
      else bad = true;
    }
    // Only wg-siem writes this topic: a bad record is a bug or a foreign producer, not input to dead-letter.
    if (bad) this.o.log.error({ partition, offset }, 'record on the correlation topic is not a wg-siem event (or holds some that are not); skipped');
    return out;
  }

  /** A raw record re-sent by stage one after a crash has a source position at or before the newest one seen. */
  private isDuplicate(st: PartitionState, id: string): boolean {
    const pos = sourcePosition(id);
    if (!pos) return false;
    const prev = st.seen.get(pos.stream);
    if (prev && (pos.offset < prev.offset || (pos.offset === prev.offset && pos.line <= prev.line))) return true;
    st.seen.set(pos.stream, { offset: pos.offset, line: pos.line });
    return false;
  }

  private report(st: PartitionState): void {
    const s = st.correlator.stats();
    if (s.groupsEvicted > st.evictedSeen) { this.hooks.evicted(s.groupsEvicted - st.evictedSeen); st.evictedSeen = s.groupsEvicted; }
    if (s.lateEvents > st.lateSeen) { this.hooks.late(s.lateEvents - st.lateSeen); st.lateSeen = s.lateEvents; }
    this.hooks.groups(st.partition, s.groupsLive);
  }

  private async tickAll(): Promise<void> {
    const now = Date.now();
    await this.rechecks.runDue(now, this.o.diagnoser, (p) => this.states.get(p), this.emitter).catch((e: unknown) => { this.o.log.warn({ err: e }, 're-diagnosis failed'); });
    const topic = this.o.config['kafka.correlationTopic'];
    await Promise.all([...this.states.owned()].map((st) => this.serial(st, async () => {
      const out = st.correlator.tick(st.caughtUp ? now : Math.min(now, st.lastRecordMs));
      if (out.length > 0) {
        st.dirty = true;
        await this.emitter.emit(st, out, ALWAYS);
      }
      // A quiet partition still gets its checkpoint: the last records of a burst must not wait for the next one.
      if (st.dirty && st.applied >= 0n && Date.now() - st.lastSaveMs >= this.o.config['correlate.snapshotIntervalMs']) {
        await this.states.save(st);
        await this.consumer.commitOutside(topic, st.partition, st.applied.toString()).catch((e: unknown) => {
          this.o.log.debug({ err: e, partition: st.partition }, 'checkpoint commit refused (rebalancing); the saved state covers it');
        });
      }
    }).catch((e: unknown) => { this.o.log.error({ err: e, partition: st.partition }, 'clock-driven correlation failed'); })));
  }

  /** For /readyz. */
  readiness(): { ok: boolean; detail: string } {
    if (!this.running) return { ok: false, detail: 'stopped' };
    return this.joined ? { ok: true, detail: `${this.states.size} partition(s) owned` } : { ok: false, detail: 'joining the consumer group' };
  }

  /** Stops consuming (the batch in flight finishes), then saves every owned partition's state. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.starting?.catch(() => undefined);
    if (!this.running) return;
    this.running = false;
    await this.task?.stop();
    await this.digestTask?.stop();
    await this.consumer.stop();
    await Promise.all([...this.states.owned()].map((st) => this.serial(st, async () => {
      // Counts gained since the last tick reach the alert documents before the state that holds them is saved.
      const updates = st.correlator.pendingUpdates();
      if (updates.length > 0) {
        await this.emitter.emit(st, updates, ALWAYS).then(() => { st.correlator.markEmitted(updates); }, (e: unknown) => {
          this.o.log.warn({ err: e, partition: st.partition }, 'alert updates at stop not written; the next run writes them');
        });
      }
      this.o.pager?.flushPaging?.(pagingScope(st.partition));
      // A flushed aggregate changed the paging state: saved even when no record arrived since the last save.
      if (st.applied >= 0n) st.dirty = true;
      return this.states.save(st);
    }).catch((e: unknown) => {
      this.o.log.error({ err: e, partition: st.partition }, 'could not save correlation state; records since the last save will be replayed');
    })));
    this.states.clear();
    this.o.log.info({}, 'correlation stopped');
  }
}
