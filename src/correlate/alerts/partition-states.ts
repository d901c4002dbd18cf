// The correlation state of the partitions this instance owns, and its round trip through Elasticsearch (the
// state store). A partition's saved document holds its correlator, its peer directory, the newest source position
// seen per raw stream and its paging ledger, all taken in one synchronous step so that they agree; it is stored
// with the offset of the last record it includes, which is what a new owner skips up to.
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import type { Config } from '../../shared/config/keys.ts';
import { Correlator, type CorrelatorSnapshot } from '../rules/correlator.ts';
import type { Rule } from '../rules/rule-types.ts';
import type { Inventory } from '../../enrich/inventory.ts';
import { PeerDirectory, type PeerDirectorySnapshot } from '../../enrich/peer-directory.ts';
import { pagingScope, type CorrelationHooks, type PagingSink } from './correlation-ports.ts';
import { StateStore } from './state-store.ts';

interface StageSnapshot {
  readonly version: 1;
  readonly correlator: CorrelatorSnapshot;
  readonly peers: PeerDirectorySnapshot;
  /** Newest (offset, line) seen per raw stream ("topic:partition"): what a re-sent event is recognised by. */
  readonly seen: readonly (readonly [string, string, number])[];
  readonly saves: number;
  /** The partition's paging ledger (sinks/notify/ledger.ts); absent in states saved before it was kept, or without paging. */
  readonly paging?: unknown;
}

export interface PartitionState {
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

export interface PartitionStatesOptions {
  readonly config: Config;
  readonly es: Client;
  readonly log: Logger;
  readonly rules: readonly Rule[];
  readonly inventory?: Inventory;
  readonly pager?: PagingSink;
  readonly hooks: CorrelationHooks;
}

export class PartitionStates {
  readonly #o: PartitionStatesOptions;
  readonly #store: StateStore;
  readonly #parts = new Map<number, PartitionState>();
  #loading = new Map<number, Promise<PartitionState>>();

  constructor(o: PartitionStatesOptions) {
    this.#o = o;
    this.#store = new StateStore(o.es, o.config['namespace']);
  }

  /** Creates the state index if it is missing. */
  ensure(): Promise<void> {
    return this.#store.ensure();
  }

  get size(): number {
    return this.#parts.size;
  }

  has(partition: number): boolean {
    return this.#parts.has(partition);
  }

  /** The partition's state if it is in memory (owned and loaded). */
  get(partition: number): PartitionState | undefined {
    return this.#parts.get(partition);
  }

  owned(): IterableIterator<PartitionState> {
    return this.#parts.values();
  }

  /** After a rebalance: partitions no longer ours are dropped, and the kept ones checked against the store at their next use. */
  reassign(mine: ReadonlySet<number>): void {
    for (const [p, st] of this.#parts) {
      if (!mine.has(p)) {
        this.#parts.delete(p);
        this.#o.pager?.releasePaging?.(pagingScope(p));
        this.#o.hooks.released(p);
        continue;
      }
      st.verify = true;
    }
    this.#loading = new Map();
  }

  /** The partition's state: in memory, or restored from the store (once, even if asked concurrently). */
  async state(partition: number): Promise<PartitionState> {
    const have = this.#parts.get(partition);
    if (have && !have.verify) return have;
    if (have?.verify) {
      have.verify = false;
      const stored = await this.#store.load<StageSnapshot>(this.#key(partition));
      if (!stored || BigInt(stored.offset) <= have.applied) return have;
      this.#parts.delete(partition);
    }
    let p = this.#loading.get(partition);
    if (!p) {
      p = this.#load(partition).then((st) => { this.#parts.set(partition, st); return st; });
      this.#loading.set(partition, p);
    }
    try { return await p; } finally { this.#loading.delete(partition); }
  }

  async save(st: PartitionState): Promise<void> {
    if (!st.dirty && st.applied === st.savedApplied) { st.lastSaveMs = Date.now(); return; }
    st.saves = st.applied === st.savedApplied ? st.saves + 1 : 0;
    const seen = JSON.stringify([...st.seen].map(([k, v]) => [k, v.offset.toString(), v.line]));
    // Same shape as StageSnapshot, assembled as text to avoid a copy of a large state.
    const paging = JSON.stringify(this.#o.pager?.pagingState?.(pagingScope(st.partition)) ?? null);
    const snap = `{"version":1,"correlator":${st.correlator.snapshotJson()},"peers":${JSON.stringify(st.peers.snapshot())},"seen":${seen},"saves":${st.saves},"paging":${paging}}`;
    const t0 = performance.now();
    // Offsets and same-offset saves both order the stored versions (at most 1023 clock-driven saves per offset).
    const bytes = await this.#store.save(this.#key(st.partition), st.applied.toString(), snap, Math.min(st.saves, 1023));
    this.#o.hooks.stateSaved((performance.now() - t0) / 1000, bytes);
    st.savedApplied = st.applied;
    st.dirty = false;
    st.lastSaveMs = Date.now();
  }

  /** Forgets every partition (after the last save at stop). */
  clear(): void {
    this.#parts.clear();
  }

  #key(partition: number): string {
    const c = this.#o.config;
    return `${c['kafka.correlationGroupId']}:${c['kafka.correlationTopic']}:${partition}`;
  }

  #fresh(partition: number): PartitionState {
    const c = this.#o.config;
    return {
      partition,
      correlator: new Correlator(this.#o.rules, { maxGroupsPerRule: c['correlate.maxGroupsPerRule'] }),
      peers: new PeerDirectory({ maxEntries: c['peers.maxKnown'], ...(this.#o.inventory ? { inventory: this.#o.inventory } : {}) }),
      seen: new Map(), applied: -1n, savedApplied: -1n, saves: 0, dirty: false, lastSaveMs: Date.now(), verify: false,
      queue: Promise.resolve(), evictedSeen: 0, lateSeen: 0, lastRecordMs: 0, caughtUp: true,
    };
  }

  async #load(partition: number): Promise<PartitionState> {
    const st = this.#fresh(partition);
    const stored = await this.#store.load<StageSnapshot>(this.#key(partition));
    this.#o.pager?.restorePaging?.(pagingScope(partition), stored?.state.version === 1 ? stored.state.paging ?? undefined : undefined);
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
      this.#o.log.info({ partition, offset: stored.offset, savedAt: stored.savedAt, groups: stats.groupsLive, open: stats.alertsOpen }, 'correlation state restored');
    }
    return st;
  }
}
