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
// notify/ledger.ts) is part of the same saved document, taken in the same synchronous step as the correlator's
// snapshot, so the two always agree: an alert open in the restored correlator is paged in the restored ledger
// exactly when its trigger was decided before the save. Its resolve is then forwarded by whichever instance
// owns the partition when the alert resolves. A partition is restored as soon as it is assigned (not only when
// its next record arrives), so a quiet host's open alerts still resolve on the clock after a kill -9.
import type { Client } from '@elastic/elasticsearch';
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Config } from '../config/keys.ts';
import { Correlator, type CorrelatorSnapshot } from '../correlate/correlator.ts';
import type { Rule } from '../correlate/rule-types.ts';
import type { Alert, AlertTransition } from '../correlate/types.ts';
import type { TunnelHints } from '../diagnose/tunnel.ts';
import type { Inventory } from '../enrich/inventory.ts';
import { PeerDirectory, type PeerDirectorySnapshot } from '../enrich/peer-directory.ts';
import type { KafkaTarget } from '../kafka/client.ts';
import { GroupConsumer, type BatchControl, type RecordBatch } from '../kafka/group-consumer.ts';
import { ensureTopics } from '../kafka/topics.ts';
import type { AlertNotification } from '../notify/types.ts';
import { BulkAborted, BulkIndexer, EsRefused } from '../pipeline/bulk.ts';
import { NO_HOST_KEY, feedItems, sourcePosition, type FeedEvent, type FeedSnapshot } from '../pipeline/correlation-feed.ts';
import type { IndexAction } from '../pipeline/record.ts';
import { validateAlert } from '../schema/validate.ts';
import { alertsIndex, buildAlertDoc, type AlertAttribution, type AlertDiagnosis } from './alert-doc.ts';
import { attributeAlert, counterpartHints } from './attribute.ts';
import { StateStore } from './state-store.ts';

export interface CorrelationHooks {
  /** An alert document Elasticsearch has acknowledged. */
  transition(rule: string, kind: AlertTransition['kind'], alert: Alert): void;
  late(n: number): void;
  evicted(n: number): void;
  groups(partition: number, n: number): void;
  duplicates(n: number): void;
  stateSaved(seconds: number, bytes: number): void;
  /** Alert documents Elasticsearch refused (a bug: the document broke the mapping). */
  alertRejected(rule: string): void;
}

export const NO_CORRELATION_HOOKS: CorrelationHooks = {
  transition: () => undefined, late: () => undefined, evicted: () => undefined, groups: () => undefined,
  duplicates: () => undefined, stateSaved: () => undefined, alertRejected: () => undefined,
};

/** Names the specific root cause of a tunnel alert from both ends' events (src/diagnose); may return nothing. */
export interface AlertDiagnoser {
  diagnose(rule: Rule, alert: Alert, attribution: AlertAttribution | undefined, hints?: TunnelHints): Promise<AlertDiagnosis | undefined>;
}

export interface PagingSink {
  notify(n: AlertNotification): void;
  /** The paging state of a scope (a partition), saved with the partition's correlation state. */
  pagingState?(scope: string): unknown;
  /** The partition was (re)loaded here: its saved paging state (undefined: none) becomes the scope's. */
  restorePaging?(scope: string, state: unknown): void;
  /** The partition moved to another owner. */
  releasePaging?(scope: string): void;
  /** Graceful stop: send what would otherwise wait (storm aggregates) before the last save. */
  flushPaging?(scope: string): void;
}

/** The paging scope of a correlation partition (also the suffix of its storm aggregates' dedup keys). */
export const pagingScope = (partition: number): string => `p${partition}`;

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

interface StageSnapshot {
  readonly version: 1;
  readonly correlator: CorrelatorSnapshot;
  readonly peers: PeerDirectorySnapshot;
  /** Newest (offset, line) seen per raw stream ("topic:partition"): what a re-sent event is recognised by. */
  readonly seen: readonly (readonly [string, string, number])[];
  readonly saves: number;
  /** The partition's paging ledger (notify/ledger.ts); absent in states saved before it was kept, or without paging. */
  readonly paging?: unknown;
}

interface PartitionState {
  readonly partition: number;
  readonly correlator: Correlator;
  readonly peers: PeerDirectory;
  readonly seen: Map<string, { offset: bigint; line: number }>;
  /** Offset of the last record included; -1 before any. */
  applied: bigint;
  savedApplied: bigint;
  /** Saves at the same offset (clock-driven changes): part of the stored version so they are not refused. */
  saves: number;
  dirty: boolean;
  lastSaveMs: number;
  /** After a rebalance the stored state may be newer than ours (someone else owned the partition meanwhile). */
  verify: boolean;
  /** Batches and clock ticks of one partition run one after the other. */
  queue: Promise<void>;
  evictedSeen: number;
  lateSeen: number;
  /**
   * Append time of the newest record consumed, and whether that left the partition caught up. Clock-driven rules
   * run on the wall clock only when caught up; behind, on the records' own time, so that a backlog (after an
   * outage) does not make answers still waiting in it look absent.
   */
  lastRecordMs: number;
  caughtUp: boolean;
}

const ALWAYS: { heartbeat(): Promise<void>; isRunning(): boolean } = { heartbeat: () => Promise.resolve(), isRunning: () => true };
/** Cross-host diagnoses per emitted batch: beyond it alerts keep their rule's generic diagnosis (alert storms). */
const MAX_DIAGNOSES_PER_BATCH = 20;
const YIELD_EVERY = 2000;
/**
 * When a tunnel alert opens, the other end's lines may still be on their way (another partition, another
 * instance, the index refresh): the diagnosis is asked again after these delays until it is confirmed.
 */
const RECHECK_AFTER_MS = [5_000, 15_000, 45_000];
const MAX_RECHECKS = 1000;
/** Revisions of one alert state's document: its external version is state version × this + revision. */
const REVISIONS = 8;

interface Recheck {
  readonly partition: number;
  readonly t: AlertTransition;
  readonly rule: Rule;
  readonly last: string;
  readonly tries: number;
  readonly dueMs: number;
}

const diagnosisKey = (d: AlertDiagnosis | undefined): string => (d ? `${d.id}/${d.confidence}/${d.counterpart?.host ?? ''}` : '');

export class CorrelationStage {
  private readonly o: CorrelationStageOptions;
  private readonly hooks: CorrelationHooks;
  private readonly consumer: GroupConsumer;
  private readonly store: StateStore;
  private readonly bulk: BulkIndexer;
  private readonly rulesById: ReadonlyMap<string, Rule>;
  private readonly parts = new Map<number, PartitionState>();
  private loading = new Map<number, Promise<PartitionState>>();
  /** Tunnel alerts whose other end had not been seen yet: asked again a few times (RECHECK_AFTER_MS). */
  private readonly rechecks = new Map<string, Recheck>();
  private task: ScheduledTask | undefined;
  private running = false;
  private joined = false;
  private stopRequested = false;
  private starting: Promise<void> | undefined;

  constructor(o: CorrelationStageOptions) {
    this.o = o;
    this.hooks = o.hooks ?? NO_CORRELATION_HOOKS;
    const c = o.config;
    this.rulesById = new Map(o.rules.map((r) => [r.id, r]));
    this.store = new StateStore(o.es, c['namespace']);
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
    this.bulk = new BulkIndexer(o.es, {
      maxBytes: c['pipeline.bulkMaxBytes'], maxDocs: c['pipeline.batchSize'], concurrency: 1, initialBackoffMs: 200, maxBackoffMs: 30_000,
      onRetry: (cause, waitMs, detail) => o.log.warn({ cause, waitMs: Math.round(waitMs), detail }, 'alert bulk failed; retrying'),
    });
  }

  async start(): Promise<void> {
    this.starting = this.startInner();
    await this.starting;
  }

  private async startInner(): Promise<void> {
    const c = this.o.config;
    await ensureTopics(this.o.kafka, [{ topic: c['kafka.correlationTopic'], partitions: c['kafka.correlationPartitions'] }], this.o.log);
    await this.store.ensure();
    if (this.stopRequested) return;
    this.running = true;
    await this.consumer.start((b, ctl) => this.onBatch(b, ctl));
    // Clock-driven rule work (staleness, absences, resolution after a quiet period) on a schedule.
    this.task = schedule(c['correlate.schedule'], () => { void this.tickAll(); }, { noOverlap: true, name: 'wg-siem-correlate' });
    this.o.log.info({ topic: c['kafka.correlationTopic'], groupId: c['kafka.correlationGroupId'], rules: this.o.rules.length }, 'correlation started');
  }

  private onJoin(assignment: readonly { topic: string; partitions: readonly number[] }[]): void {
    this.joined = true;
    const mine = new Set(assignment.filter((a) => a.topic === this.o.config['kafka.correlationTopic']).flatMap((a) => a.partitions));
    for (const [p, st] of this.parts) {
      if (!mine.has(p)) {
        this.parts.delete(p);
        this.o.pager?.releasePaging?.(pagingScope(p));
        continue;
      }
      st.verify = true;
    }
    this.loading = new Map();
    // Restored now rather than at the partition's next record: a quiet host's open alerts must still resolve
    // (on the clock) and be re-posted to Alertmanager by their new owner.
    for (const p of mine) {
      if (this.parts.has(p)) continue;
      void this.partitionState(p).catch((e: unknown) => {
        this.o.log.warn({ err: e, partition: p }, 'correlation state not restored yet; retried at the partition\'s next record');
      });
    }
  }

  private key(partition: number): string {
    const c = this.o.config;
    return `${c['kafka.correlationGroupId']}:${c['kafka.correlationTopic']}:${partition}`;
  }

  private fresh(partition: number): PartitionState {
    const c = this.o.config;
    return {
      partition,
      correlator: new Correlator(this.o.rules, { maxGroupsPerRule: c['correlate.maxGroupsPerRule'] }),
      peers: new PeerDirectory({ maxEntries: c['peers.maxKnown'], ...(this.o.inventory ? { inventory: this.o.inventory } : {}) }),
      seen: new Map(), applied: -1n, savedApplied: -1n, saves: 0, dirty: false, lastSaveMs: Date.now(), verify: false,
      queue: Promise.resolve(), evictedSeen: 0, lateSeen: 0, lastRecordMs: 0, caughtUp: true,
    };
  }

  private async loadState(partition: number): Promise<PartitionState> {
    const st = this.fresh(partition);
    const stored = await this.store.load<StageSnapshot>(this.key(partition));
    this.o.pager?.restorePaging?.(pagingScope(partition), stored?.state.version === 1 ? stored.state.paging ?? undefined : undefined);
    if (stored?.state.version === 1) {
      const s = stored.state;
      st.correlator.restore(s.correlator, Date.now());
      st.peers.restore(s.peers);
      for (const [stream, offset, line] of s.seen) st.seen.set(stream, { offset: BigInt(offset), line });
      st.applied = BigInt(stored.offset);
      st.savedApplied = st.applied;
      st.saves = s.saves;
      const stats = st.correlator.stats();
      st.evictedSeen = stats.groupsEvicted;
      st.lateSeen = stats.lateEvents;
      this.o.log.info({ partition, offset: stored.offset, savedAt: stored.savedAt, groups: stats.groupsLive, open: stats.alertsOpen }, 'correlation state restored');
    }
    return st;
  }

  /** The partition's state: in memory, or restored from the store (once, even if asked concurrently). */
  private async partitionState(partition: number): Promise<PartitionState> {
    const have = this.parts.get(partition);
    if (have && !have.verify) return have;
    if (have?.verify) {
      have.verify = false;
      const stored = await this.store.load<StageSnapshot>(this.key(partition));
      if (!stored || BigInt(stored.offset) <= have.applied) return have;
      this.parts.delete(partition);
    }
    let p = this.loading.get(partition);
    if (!p) {
      p = this.loadState(partition).then((st) => { this.parts.set(partition, st); return st; });
      this.loading.set(partition, p);
    }
    try { return await p; } finally { this.loading.delete(partition); }
  }

  private serial<T>(st: PartitionState, work: () => Promise<T>): Promise<T> {
    const run = st.queue.then(work);
    st.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  private async onBatch(batch: RecordBatch, ctl: BatchControl): Promise<void> {
    const st = await this.partitionState(batch.partition);
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
      await this.emit(st, out, ctl);
      this.report(st);
      if (last === undefined) return;
      st.caughtUp = BigInt(last) + 1n >= BigInt(batch.highWatermark);
      ctl.resolve(last);
      if (Date.now() - st.lastSaveMs >= this.o.config['correlate.snapshotIntervalMs']) {
        await this.save(st);
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

  private async save(st: PartitionState): Promise<void> {
    if (!st.dirty && st.applied === st.savedApplied) { st.lastSaveMs = Date.now(); return; }
    st.saves = st.applied === st.savedApplied ? st.saves + 1 : 0;
    const seen = JSON.stringify([...st.seen].map(([k, v]) => [k, v.offset.toString(), v.line]));
    // Same shape as StageSnapshot, assembled as text to avoid a copy of a large state.
    const paging = JSON.stringify(this.o.pager?.pagingState?.(pagingScope(st.partition)) ?? null);
    const snap = `{"version":1,"correlator":${st.correlator.snapshotJson()},"peers":${JSON.stringify(st.peers.snapshot())},"seen":${seen},"saves":${st.saves},"paging":${paging}}`;
    const t0 = performance.now();
    // Offsets and same-offset saves both order the stored versions (at most 1023 clock-driven saves per offset).
    const bytes = await this.store.save(this.key(st.partition), st.applied.toString(), snap, Math.min(st.saves, 1023));
    this.hooks.stateSaved((performance.now() - t0) / 1000, bytes);
    st.savedApplied = st.applied;
    st.dirty = false;
    st.lastSaveMs = Date.now();
  }

  private async tickAll(): Promise<void> {
    const now = Date.now();
    await this.recheckDue(now).catch((e: unknown) => { this.o.log.warn({ err: e }, 're-diagnosis failed'); });
    const topic = this.o.config['kafka.correlationTopic'];
    await Promise.all([...this.parts.values()].map((st) => this.serial(st, async () => {
      const out = st.correlator.tick(st.caughtUp ? now : Math.min(now, st.lastRecordMs));
      if (out.length > 0) {
        st.dirty = true;
        await this.emit(st, out, ALWAYS);
      }
      // A quiet partition still gets its checkpoint: the last records of a burst must not wait for the next one.
      if (st.dirty && st.applied >= 0n && Date.now() - st.lastSaveMs >= this.o.config['correlate.snapshotIntervalMs']) {
        await this.save(st);
        await this.consumer.commitOutside(topic, st.partition, st.applied.toString()).catch((e: unknown) => {
          this.o.log.debug({ err: e, partition: st.partition }, 'checkpoint commit refused (rebalancing); the saved state covers it');
        });
      }
    }).catch((e: unknown) => { this.o.log.error({ err: e, partition: st.partition }, 'clock-driven correlation failed'); })));
  }

  /** Alert documents to Elasticsearch, then pages: a page never announces an alert Elasticsearch does not have. */
  private async emit(st: PartitionState, transitions: readonly AlertTransition[], ctl: { heartbeat(): Promise<void>; isRunning(): boolean }): Promise<void> {
    if (transitions.length === 0) return;
    const c = this.o.config;
    const nowMs = Date.now();
    let diagnoses = 0;
    // A burst processed in one batch moves an alert through several states at once: only the newest is written
    // (Elasticsearch would keep only it anyway), and an opening among them still pages.
    const latest = new Map<string, AlertTransition>();
    const openedHere = new Set<string>();
    for (const t of transitions) {
      if (t.kind === 'opened') openedHere.add(t.alert.id);
      latest.set(t.alert.id, t);
    }
    const built = await Promise.all([...latest.values()].map(async (t) => {
      const rule = this.rulesById.get(t.alert.rule.id);
      if (!rule) throw new Error(`transition of unknown rule ${t.alert.rule.id}`);
      const attribution = attributeAlert(st.peers, t.alert);
      let diagnosis: AlertDiagnosis | undefined;
      if (rule.tunnel && this.o.diagnoser && diagnoses++ < MAX_DIAGNOSES_PER_BATCH) {
        diagnosis = await this.o.diagnoser.diagnose(rule, t.alert, attribution, counterpartHints(st.peers, t.alert)).catch((e: unknown) => {
          this.o.log.warn({ err: e, rule: rule.id, alert: t.alert.id }, 'cross-host diagnosis failed; the alert keeps its rule\'s diagnosis');
          return undefined;
        });
      }
      const doc = buildAlertDoc(t, rule, { namespace: c['namespace'], nowMs, ...(attribution ? { attribution } : {}), ...(diagnosis ? { diagnosis } : {}) });
      const v = validateAlert(doc);
      if (!v.ok) this.o.log.error({ rule: rule.id, alert: t.alert.id, errors: v.errors }, 'alert document does not match the schema');
      if (rule.tunnel && t.kind !== 'resolved' && diagnosis?.confidence !== 'confirmed') this.scheduleRecheck(st.partition, t, rule, diagnosis, 0, nowMs);
      if (t.kind === 'resolved') this.rechecks.delete(t.alert.id);
      return { t, rule, doc };
    }));
    const actions: IndexAction[] = built.map(({ t, doc }) => ({
      index: alertsIndex(c['namespace']), id: t.alert.id, doc, version: t.alert.version * REVISIONS, action: t.kind,
      source: { topic: c['kafka.correlationTopic'], partition: st.partition, offset: st.applied.toString(), line: 0 },
    }));
    const res = await this.bulk.index(actions, ctl);
    const refused = new Set(res.rejected.map((r) => r.action.id));
    for (const r of res.rejected) {
      this.hooks.alertRejected(r.action.action);
      this.o.log.error({ alert: r.action.id, status: r.status, reason: r.reason }, 'Elasticsearch refused an alert document');
    }
    for (const { t, rule, doc } of built) {
      if (refused.has(t.alert.id)) continue;
      const opened = openedHere.has(t.alert.id);
      if (opened) this.hooks.transition(rule.id, 'opened', t.alert);
      if (t.kind !== 'opened') this.hooks.transition(rule.id, t.kind, t.alert);
      if (!this.o.pager) continue;
      const actions: ('trigger' | 'resolve')[] = [...(opened ? ['trigger' as const] : []), ...(t.kind === 'resolved' ? ['resolve' as const] : [])];
      for (const action of actions) this.o.pager.notify({
        action,
        alertId: t.alert.id,
        rule: { id: rule.id, name: rule.name },
        severity: rule.severity,
        riskScore: rule.riskScore,
        title: doc.message,
        scope: pagingScope(st.partition),
        ...(doc.host?.name !== undefined ? { host: doc.host.name } : {}),
        ...(t.alert.group['observer.ingress.interface.name'] !== undefined ? { component: t.alert.group['observer.ingress.interface.name'] } : {}),
        timestamp: doc['@timestamp'],
        group: t.alert.group,
        details: {
          count: t.alert.count,
          ...(t.alert.distinct !== undefined ? { distinct: t.alert.distinct } : {}),
          start: doc.event.start, end: doc.event.end,
          ...(doc.wireguard?.diagnosis ? { diagnosis: doc.wireguard.diagnosis } : {}),
          ...(doc.wireguard?.attribution ? { attribution: doc.wireguard.attribution } : {}),
        },
      });
    }
  }

  private scheduleRecheck(partition: number, t: AlertTransition, rule: Rule, d: AlertDiagnosis | undefined, tries: number, nowMs: number): void {
    const have = this.rechecks.get(t.alert.id);
    // Only the alert's newest state may be rewritten: an older one would be refused as a lower version.
    if (have && have.t.alert.version > t.alert.version) return;
    const after = RECHECK_AFTER_MS[tries];
    if (after === undefined) { this.rechecks.delete(t.alert.id); return; }
    this.rechecks.delete(t.alert.id);
    if (this.rechecks.size >= MAX_RECHECKS) {
      const oldest = this.rechecks.keys().next();
      if (oldest.done !== true) this.rechecks.delete(oldest.value);
    }
    this.rechecks.set(t.alert.id, { partition, t, rule, last: diagnosisKey(d), tries, dueMs: nowMs + after });
  }

  /** Asks again for the root cause of tunnel alerts whose other end was not seen yet; rewrites them if it changed. */
  private async recheckDue(nowMs: number): Promise<void> {
    const c = this.o.config;
    for (const [id, r] of [...this.rechecks]) {
      if (r.dueMs > nowMs) continue;
      const st = this.parts.get(r.partition);
      if (!st || !this.o.diagnoser) { this.rechecks.delete(id); continue; }
      const attribution = attributeAlert(st.peers, r.t.alert);
      const d = await this.o.diagnoser.diagnose(r.rule, r.t.alert, attribution, counterpartHints(st.peers, r.t.alert)).catch(() => undefined);
      const tries = r.tries + 1;
        if (d && diagnosisKey(d) !== r.last) {
        const doc = buildAlertDoc(r.t, r.rule, { namespace: c['namespace'], nowMs, ...(attribution ? { attribution } : {}), diagnosis: d });
        await this.bulk.index([{
          index: alertsIndex(c['namespace']), id, doc, version: r.t.alert.version * REVISIONS + Math.min(tries, REVISIONS - 1), action: 'rediagnosed',
          source: { topic: c['kafka.correlationTopic'], partition: r.partition, offset: st.applied.toString(), line: 0 },
        }], ALWAYS);
      }
      if (d?.confidence === 'confirmed') this.rechecks.delete(id);
      else this.scheduleRecheck(r.partition, r.t, r.rule, d, tries, nowMs);
    }
  }

  /** For /readyz. */
  readiness(): { ok: boolean; detail: string } {
    if (!this.running) return { ok: false, detail: 'stopped' };
    return this.joined ? { ok: true, detail: `${this.parts.size} partition(s) owned` } : { ok: false, detail: 'joining the consumer group' };
  }

  /** Stops consuming (the batch in flight finishes), then saves every owned partition's state. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.starting?.catch(() => undefined);
    if (!this.running) return;
    this.running = false;
    await this.task?.stop();
    await this.consumer.stop();
    await Promise.all([...this.parts.values()].map((st) => this.serial(st, async () => {
      // Counts gained since the last tick reach the alert documents before the state that holds them is saved.
      const updates = st.correlator.pendingUpdates();
      if (updates.length > 0) {
        await this.emit(st, updates, ALWAYS).then(() => { st.correlator.markEmitted(updates); }, (e: unknown) => {
          this.o.log.warn({ err: e, partition: st.partition }, 'alert updates at stop not written; the next run writes them');
        });
      }
      this.o.pager?.flushPaging?.(pagingScope(st.partition));
      // A flushed aggregate changed the paging state: saved even when no record arrived since the last save.
      if (st.applied >= 0n) st.dirty = true;
      return this.save(st);
    }).catch((e: unknown) => {
      this.o.log.error({ err: e, partition: st.partition }, 'could not save correlation state; records since the last save will be replayed');
    })));
    this.parts.clear();
    this.o.log.info({}, 'correlation stopped');
  }
}
