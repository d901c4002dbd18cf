// The correlation core: event-time windows per (rule, group), alert lifecycle, bounded state. Pure and
// deterministic: the caller passes "now" and every event; nothing here reads a clock, a socket or a file.
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import { alertId } from './alert-id.ts';
import { BoundedLru } from '../../shared/util/lru.ts';
import { bucketAdd, bucketOldest, bucketPrune, bucketSum, bucketWidth } from './buckets.ts';
import { DistinctWindow, type DistinctSnapshot } from './distinct.ts';
import { getPath, groupOf, matches } from './fields.ts';
import type { Filter, Rule, SequenceRule } from './rule-types.ts';
import type { Alert, AlertTransition, CorrelatorStats } from './types.ts';
import { Watermarks, type WatermarkSnapshot } from './watermark.ts';

export type CorrelatorEvent = WgEventDoc & { _id?: string };

export interface CorrelatorOptions {
  /**
   * Live groups per rule. Beyond it the least recently updated group is evicted (its open alert, if any, is
   * resolved and counted): a flood of spoofed sources cannot grow memory without bound. Staleness rules need a
   * cap above the number of peers, or evicted peers are forgotten.
   */
  readonly maxGroupsPerRule?: number;
  /** An open alert emits `updated` at most once per this much event time (its state always stays current). */
  readonly updateIntervalMs?: number;
  /** Sample event ids kept per alert. */
  readonly maxSamples?: number;
}

interface OpenAlert {
  id: string; start: number; end: number; count: number; distinct?: number; samples: string[];
  lastMatchEvent: number; lastEmittedEnd: number;
  /** Processing time the alert opened at; the count last emitted (a tick emits what changed since). */
  openedNow: number; lastEmittedCount: number;
}

interface Group {
  values: string[];
  /** Whose event time this group follows (the host): its events are late relative to that host's newest only. */
  source: string;
  lastEvent: number;
  /** Threshold: matching events; sequence: completed sequences. */
  counts: number[];
  distinct?: DistinctWindow;
  seqStep: number;
  seqStart: number;
  /** Event time of the first sequence still waiting for its absence to be confirmed. */
  pendingSince: number;
  samples: string[];
  alert: OpenAlert | null;
}

interface RuleState {
  readonly rule: Rule;
  /** Sequence rules: an event that matches none of these is no step and must not create or touch a group. */
  readonly stepFilters: readonly Filter[] | null;
  readonly bucketMs: number;
  /** Least recently updated first; bounded by maxGroupsPerRule. */
  readonly groups: BoundedLru<string, Group>;
  readonly open: Set<string>;
  readonly pending: Set<string>;
  evicted: number;
  late: number;
}

export interface CorrelatorSnapshot {
  readonly version: 1;
  /** A plain map (newest event per source) in snapshots written before arrival times were kept. */
  readonly watermarks: WatermarkSnapshot | Record<string, number>;
  readonly lateEvents: number;
  readonly invalidTimestamps: number;
  readonly rules: Record<string, {
    evicted: number; late: number;
    groups: [string, Omit<Group, 'distinct'> & { distinct?: DistinctSnapshot }][];
  }>;
}

const NONE = -1;

function newGroup(values: string[], source: string): Group {
  return { values, source, lastEvent: -Infinity, counts: [], seqStep: 0, seqStart: 0, pendingSince: NONE, samples: [], alert: null };
}

function eventIdOf(e: CorrelatorEvent): string | undefined {
  return e._id ?? e.event.id;
}

export class Correlator {
  private readonly states: RuleState[];
  private readonly maxGroups: number;
  private readonly updateIntervalMs: number;
  private readonly maxSamples: number;
  private readonly watermarks = new Watermarks();
  private lateEvents = 0;
  private invalidTimestamps = 0;

  constructor(rules: readonly Rule[], options: CorrelatorOptions = {}) {
    this.maxGroups = options.maxGroupsPerRule ?? 100_000;
    this.updateIntervalMs = options.updateIntervalMs ?? 10_000;
    this.maxSamples = options.maxSamples ?? 10;
    this.states = rules.map((rule) => ({
      rule, stepFilters: rule.type === 'sequence' ? [...rule.steps, ...(rule.endsWithAbsence ? [rule.endsWithAbsence.filter] : [])] : null,
      bucketMs: bucketWidth(rule.windowMs), groups: new BoundedLru(this.maxGroups), open: new Set(), pending: new Set(), evicted: 0, late: 0,
    }));
  }

  /**
   * Feeds one event. `source` is whose clock the event follows (the host that logged it): lateness is measured
   * against that source's newest event, so one host's delayed shipping never makes another host's events late.
   */
  observe(event: CorrelatorEvent, nowMs: number, source = 'default'): AlertTransition[] {
    const t = Date.parse(event['@timestamp']);
    if (Number.isNaN(t)) { this.invalidTimestamps++; return []; }
    this.watermarks.advance(source, t, nowMs);
    const seen = this.watermarks.of(source);
    const out: AlertTransition[] = [];
    let late = false;
    for (const st of this.states) {
      const r = st.rule;
      if (!matches(r.filter, event)) continue;
      // A flood of events that are no step of a sequence (psk-mismatch watches every event with a remote
      // address) must not fill the rule with groups.
      if (st.stepFilters && !st.stepFilters.some((f) => matches(f, event))) continue;
      const g = groupOf(r.groupBy, event);
      if (!g) continue;
      if (t < seen - r.allowedLatenessMs) { st.late++; late = true; continue; }
      const group = this.touch(st, g.key, g.values, source, out);
      if (t > group.lastEvent) group.lastEvent = t;
      const id = eventIdOf(event);
      HANDLERS[r.type](this, st, g.key, group, event, t, nowMs, id, out);
    }
    if (late) this.lateEvents++;
    return out;
  }

  /** Something of `source` at event time t that is no event for the rules (a peer-state poll): only its clock moves. */
  heartbeat(source: string, t: number, nowMs: number): void {
    if (!Number.isNaN(t)) this.watermarks.advance(source, t, nowMs);
  }

  /** Clock-driven work: resolutions after the quiet period, staleness, sequences ending in an absence. */
  tick(nowMs: number): AlertTransition[] {
    const out: AlertTransition[] = [];
    for (const st of this.states) {
      const r = st.rule;
      if (r.type === 'absence') {
        for (const [key, g] of st.groups.entries()) {
          const clock = this.watermarks.clock(g.source, nowMs);
          if (g.alert || clock - g.lastEvent < r.afterMs) continue;
          const silentFrom = g.lastEvent;
          const opensAt = silentFrom + r.afterMs;
          g.alert = {
            id: alertId(r.id, key, Math.floor(opensAt / r.windowMs) * r.windowMs), start: silentFrom, end: clock, count: 0,
            samples: g.samples.slice(), lastMatchEvent: silentFrom, lastEmittedEnd: clock, openedNow: nowMs, lastEmittedCount: 0,
          };
          st.open.add(key);
          out.push({ kind: 'opened', alert: this.view(st, g) });
        }
        continue;
      }
      if (r.type === 'sequence' && r.endsWithAbsence) {
        for (const key of st.pending) {
          const g = st.groups.peek(key);
          if (!g || g.pendingSince === NONE) { st.pending.delete(key); continue; }
          // Late answers are still awaited for the allowed lateness, on the host's clock (see Watermarks.clock).
          const wm = this.watermarks.clock(g.source, nowMs) - r.allowedLatenessMs;
          if (wm >= g.pendingSince + r.endsWithAbsence.withinMs) {
            const at = g.pendingSince;
            g.pendingSince = NONE;
            st.pending.delete(key);
            this.complete(st, key, g, at, nowMs, undefined, out);
          }
        }
      }
      for (const key of st.open) {
        const g = st.groups.peek(key);
        const a = g?.alert;
        if (!g || !a) { st.open.delete(key); continue; }
        const wm = this.watermarks.clock(g.source, nowMs) - r.allowedLatenessMs;
        if (wm - a.lastMatchEvent >= r.quietPeriodMs) { this.resolve(st, key, g, out); continue; }
        // What changed since the last emission reaches the document within one tick, however fast events come.
        if (a.count !== a.lastEmittedCount) { a.lastEmittedCount = a.count; a.lastEmittedEnd = a.end; out.push({ kind: 'updated', alert: this.view(st, g) }); }
      }
    }
    return out;
  }

  /**
   * What open alerts gained since their last emission, as `updated` transitions, without moving any clock or marking
   * them emitted: a stopping stage writes them so the alert document holds the count it had at the stop.
   */
  pendingUpdates(): AlertTransition[] {
    const out: AlertTransition[] = [];
    for (const st of this.states) {
      for (const key of st.open) {
        const g = st.groups.peek(key);
        const a = g?.alert;
        if (!g || !a || a.count === a.lastEmittedCount) continue;
        out.push({ kind: 'updated', alert: this.view(st, g) });
      }
    }
    return out;
  }

  /** Records that the `pendingUpdates()` given were written (a failed write leaves them pending for the next run). */
  markEmitted(updates: readonly AlertTransition[]): void {
    const ids = new Map(updates.map((u) => [u.alert.id, u.alert.count]));
    for (const st of this.states) {
      for (const key of st.open) {
        const a = st.groups.peek(key)?.alert;
        const count = a ? ids.get(a.id) : undefined;
        if (!a || count === undefined) continue;
        a.lastEmittedCount = count;
        a.lastEmittedEnd = a.end;
      }
    }
  }

  stats(): CorrelatorStats {
    const perRule: Record<string, { groups: number; evicted: number; late: number; open: number }> = {};
    let live = 0, evicted = 0, open = 0;
    for (const st of this.states) {
      perRule[st.rule.id] = { groups: st.groups.size, evicted: st.evicted, late: st.late, open: st.open.size };
      live += st.groups.size; evicted += st.evicted; open += st.open.size;
    }
    return { groupsLive: live, groupsEvicted: evicted, lateEvents: this.lateEvents, invalidTimestamps: this.invalidTimestamps, alertsOpen: open, perRule };
  }

  /** Plain JSON of the whole state (Infinity-free), to rebuild after a restart. */
  snapshot(): CorrelatorSnapshot {
    return JSON.parse(this.snapshotJson()) as CorrelatorSnapshot;
  }

  /**
   * The snapshot as JSON text, written straight from the live state without an intermediate copy: under a
   * flood the state is tens of thousands of groups, and copies of it were what set the process's peak memory.
   */
  snapshotJson(): string {
    const parts: string[] = [];
    for (const st of this.states) {
      const groups: string[] = [];
      for (const [k, g] of st.groups.entries()) {
        const { distinct, ...rest } = g;
        const body = JSON.stringify(rest);
        groups.push(`[${JSON.stringify(k)},${distinct ? `${body.slice(0, -1)},"distinct":${JSON.stringify(distinct.snapshot())}}` : body}]`);
      }
      parts.push(`${JSON.stringify(st.rule.id)}:{"evicted":${st.evicted},"late":${st.late},"groups":[${groups.join(',')}]}`);
    }
    return `{"version":1,"watermarks":${JSON.stringify(this.watermarks.snapshot())},"lateEvents":${this.lateEvents},"invalidTimestamps":${this.invalidTimestamps},"rules":{${parts.join(',')}}}`;
  }

  /**
   * Replaces the state with a snapshot's; rules absent from the snapshot start empty, unknown ones are ignored.
   * `nowMs` is the processing time of the restore (see Watermarks.restore).
   */
  restore(s: CorrelatorSnapshot, nowMs: number): void {
    this.watermarks.restore(s.watermarks, nowMs);
    this.lateEvents = s.lateEvents;
    this.invalidTimestamps = s.invalidTimestamps;
    for (const st of this.states) {
      st.groups.clear(); st.open.clear(); st.pending.clear();
      const rs = s.rules[st.rule.id];
      if (!rs) continue;
      st.evicted = rs.evicted; st.late = rs.late;
      st.groups.load(rs.groups.map(([k, raw]): [string, Group] => {
        const { distinct, ...rest } = raw;
        // JSON turned -Infinity into null; a group restored before its first event has no time yet.
        const g: Group = { ...rest, source: rest.source ?? 'default', lastEvent: rest.lastEvent ?? -Infinity };
        if (distinct) g.distinct = DistinctWindow.restore(st.rule.windowMs, distinct);
        if (g.alert) st.open.add(k);
        if (g.pendingSince !== NONE) st.pending.add(k);
        return [k, g];
      }));
    }
  }

  // --- internals shared by the per-type handlers -------------------------------------------------------------

  /** The group, created if new, moved to most-recently-updated; evicts the least recently updated over the cap. */
  touch(st: RuleState, key: string, values: string[], source: string, out: AlertTransition[]): Group {
    const found = st.groups.get(key);
    if (found) return found;
    const g = newGroup(values, source);
    st.groups.set(key, g, (k, victim) => {
      this.resolve(st, k, victim, out);
      st.pending.delete(k);
      st.evicted++;
    });
    return g;
  }

  /** Something that counts happened for the group at t; opens or updates its alert when `holds`. */
  matched(st: RuleState, key: string, g: Group, t: number, nowMs: number, id: string | undefined, holds: boolean, out: AlertTransition[]): void {
    const r = st.rule;
    if (id !== undefined) { g.samples.push(id); if (g.samples.length > this.maxSamples) g.samples.shift(); }
    let a = g.alert;
    if (a && t - a.lastMatchEvent >= r.quietPeriodMs) { this.resolve(st, key, g, out); a = null; }
    const distinct = g.distinct?.count();
    if (a) {
      a.count++;
      if (t > a.end) a.end = t;
      if (distinct !== undefined) a.distinct = distinct;
      if (id !== undefined && a.samples.length < this.maxSamples && !a.samples.includes(id)) a.samples.push(id);
      if (t > a.lastMatchEvent) a.lastMatchEvent = t;
      if (a.end - a.lastEmittedEnd >= this.updateIntervalMs) { a.lastEmittedEnd = a.end; a.lastEmittedCount = a.count; out.push({ kind: 'updated', alert: this.view(st, g) }); }
      return;
    }
    if (!holds) return;
    const windowStart = Math.floor(t / r.windowMs) * r.windowMs;
    const fromIdx = Math.floor((g.lastEvent - r.windowMs) / st.bucketMs) + 1;
    const oldest = bucketOldest(g.counts, fromIdx);
    g.alert = {
      id: alertId(r.id, key, windowStart),
      start: Math.min(t, oldest === undefined ? t : oldest * st.bucketMs),
      end: Math.max(t, g.lastEvent),
      count: windowCount(st, g),
      ...(distinct !== undefined ? { distinct } : {}),
      samples: g.samples.slice(), lastMatchEvent: t, lastEmittedEnd: Math.max(t, g.lastEvent), openedNow: nowMs, lastEmittedCount: 0,
    };
    g.alert.lastEmittedCount = g.alert.count;
    st.open.add(key);
    out.push({ kind: 'opened', alert: this.view(st, g) });
  }

  /** A sequence completed at t: count it, then apply the lifecycle. */
  complete(st: RuleState, key: string, g: Group, t: number, nowMs: number, id: string | undefined, out: AlertTransition[]): void {
    bucketAdd(g.counts, Math.floor(t / st.bucketMs), 1);
    this.prune(st, g);
    const need = (st.rule as SequenceRule).count;
    this.matched(st, key, g, t, nowMs, id, windowCount(st, g) >= need, out);
  }

  prune(st: RuleState, g: Group): void {
    bucketPrune(g.counts, Math.floor((g.lastEvent - st.rule.windowMs - st.rule.allowedLatenessMs) / st.bucketMs));
  }

  resolve(st: RuleState, key: string, g: Group, out: AlertTransition[]): void {
    if (!g.alert) return;
    out.push({ kind: 'resolved', alert: this.view(st, g, true) });
    g.alert = null;
    st.open.delete(key);
  }

  private view(st: RuleState, g: Group, resolved = false): Alert {
    const a = g.alert;
    if (!a) throw new Error('no open alert');
    const r = st.rule;
    const group: Record<string, string> = {};
    r.groupBy.forEach((f, i) => { group[f.name] = g.values[i] ?? ''; });
    return {
      id: a.id, rule: { id: r.id, name: r.name, version: r.version }, group, start: a.start, end: a.end, count: a.count,
      ...(a.distinct !== undefined ? { distinct: a.distinct } : {}),
      sampleEventIds: a.samples.slice(), severity: r.severity, riskScore: r.riskScore, openedAt: a.openedNow,
      // Counts only grow while an alert is open and a replay recomputes the same ones, so the count orders the
      // document's states across restarts and instances; resolution comes after every open state of that count.
      version: 2 * (a.count + 1) + (resolved ? 1 : 0),
    };
  }
}

/** Matching events in the window ending at the group's newest event. */
function windowCount(st: RuleState, g: Group): number {
  const to = Math.floor(g.lastEvent / st.bucketMs);
  return bucketSum(g.counts, Math.floor((g.lastEvent - st.rule.windowMs) / st.bucketMs) + 1, to);
}

type Handler = (c: Correlator, st: RuleState, key: string, g: Group, e: CorrelatorEvent, t: number, nowMs: number, id: string | undefined, out: AlertTransition[]) => void;

// One handler per rule type: the type is data in the rule, the behaviour is looked up here.
const HANDLERS: Readonly<Record<Rule['type'], Handler>> = {
  threshold(c, st, key, g, _e, t, nowMs, id, out) {
    if (st.rule.type !== 'threshold') return;
    bucketAdd(g.counts, Math.floor(t / st.bucketMs), 1);
    c.prune(st, g);
    c.matched(st, key, g, t, nowMs, id, windowCount(st, g) >= st.rule.count, out);
  },
  distinct(c, st, key, g, e, t, nowMs, id, out) {
    const r = st.rule;
    if (r.type !== 'distinct') return;
    const v = getPath(e, r.field);
    if (typeof v !== 'string' && typeof v !== 'number') return;
    g.distinct ??= new DistinctWindow(r.windowMs);
    g.distinct.add(String(v), t);
    bucketAdd(g.counts, Math.floor(t / st.bucketMs), 1);
    c.prune(st, g);
    // Once open, updating needs no estimate check; before, the estimate is O(1) (running HLL sum).
    c.matched(st, key, g, t, nowMs, id, g.alert !== null || g.distinct.count() >= r.count, out);
  },
  sequence(c, st, key, g, e, t, nowMs, id, out) {
    const r = st.rule;
    if (r.type !== 'sequence') return;
    if (g.pendingSince !== NONE && r.endsWithAbsence && matches(r.endsWithAbsence.filter, e)) {
      // What should have been absent happened: this sequence does not count.
      g.pendingSince = NONE;
      st.pending.delete(key);
      g.seqStep = 0;
      return;
    }
    if (g.seqStep > 0 && t - g.seqStart > r.windowMs) g.seqStep = 0;
    const step = r.steps[g.seqStep];
    let advanced = false;
    if (step && matches(step, e)) { if (g.seqStep === 0) g.seqStart = t; g.seqStep++; advanced = true; }
    else if (g.seqStep > 0 && r.steps[0] && matches(r.steps[0], e)) { g.seqStart = t; g.seqStep = 1; advanced = true; }
    if (!advanced || g.seqStep < r.steps.length) return;
    g.seqStep = 0;
    if (r.endsWithAbsence) {
      // The absence is measured from the first unanswered sequence: retries that keep coming must not push it on.
      if (g.pendingSince === NONE) { g.pendingSince = t; st.pending.add(key); }
      return;
    }
    c.complete(st, key, g, t, nowMs, id, out);
  },
  absence(c, st, key, g, _e, _t, _nowMs, id, out) {
    if (id !== undefined) { g.samples.push(id); if (g.samples.length > 10) g.samples.shift(); }
    // The peer spoke again: staleness is over at once, no quiet period needed.
    if (g.alert) c.resolve(st, key, g, out);
  },
};
