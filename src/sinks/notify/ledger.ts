// The paging state of one scope (one correlation partition): which of its open alerts were paged, which were
// folded into a storm aggregate, and those aggregates. It is saved inside the partition's correlation state
// (correlate/alerts/partition-states.ts) — in the same document, before the offset is committed — so it moves with the
// partition: after a kill -9, a restart or a rebalance the next owner restores it together with the open alerts,
// and the resolve of every trigger is forwarded wherever the trigger went.
//
// Storm aggregates are resolved too. An aggregate is one page per (storm window, scope, target) standing for the
// triggers folded into it; its members are remembered here. It is sent when its window has ended (or at a graceful
// shutdown), and resolved once it has been sent and every member has resolved — so when the window has passed and
// all the alerts it stood for are over, which is when the storm is over as far as that page is concerned. Members
// are bounded with everything else by ALERT_MEMORY: one forgotten (pushed out by newer alerts) no longer holds its
// aggregate open, since its resolve could not be recognised anyway.
import { BoundedLru } from '../../shared/util/lru.ts';
import { StormStats } from './aggregate.ts';
import type { FoldReason, StormAggregate, StormStatsJson } from './aggregate.ts';
import type { OpenPage } from './outgoing.ts';
import { windowStart } from './storm.ts';
import { ALERT_MEMORY } from './types.ts';
import type { AlertNotification, NotifyTarget, PageInfo } from './types.ts';

/** paged: its trigger went to the targets; stormed: it is in the aggregates, so its own resolve goes nowhere. */
export type LedgerEntry = { readonly s: 'paged'; readonly page: PageInfo } | { readonly s: 'stormed' };

interface AggState {
  /** Until sent. */
  stats: StormStats | undefined;
  /** Once sent: what was sent, so that its resolve (and Alertmanager's re-posts) name the same incident. */
  sealed: StormAggregate | undefined;
  readonly members: Set<string>;
}

export interface SealedAggregate {
  readonly target: NotifyTarget;
  readonly agg: StormAggregate;
}

/** The ledger as saved (JSON). */
export interface LedgerJson {
  readonly v: 1;
  readonly closedThrough: number | null;
  /** Least recently used first. */
  readonly alerts: readonly (readonly [string, LedgerEntry])[];
  readonly aggs: readonly {
    readonly start: number;
    readonly target: NotifyTarget;
    readonly stats?: StormStatsJson;
    readonly sealed?: StormAggregate;
    readonly members: readonly string[];
  }[];
}

export class PagingLedger {
  readonly scope: string;
  private readonly windowMs: number;
  private readonly alerts: BoundedLru<string, LedgerEntry>;
  /** Folds never go into a window before this (a sealed window is never reopened, even if the clock steps back). */
  private closedThrough = Number.NEGATIVE_INFINITY;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** window start → target → aggregate; insertion order is start order, because starts only grow. */
  private readonly aggs = new Map<number, Map<NotifyTarget, AggState>>();

  constructor(scope: string, windowMs: number) {
    this.scope = scope;
    this.windowMs = windowMs;
    this.alerts = new BoundedLru(ALERT_MEMORY, (id) => { this.forgetMember(id); });
  }

  get(alertId: string): LedgerEntry | undefined {
    return this.alerts.get(alertId);
  }

  set(alertId: string, e: LedgerEntry): void {
    this.alerts.set(alertId, e);
  }

  /** Forgets the alert (it resolved) and takes it out of every aggregate it was folded into. */
  remove(alertId: string): LedgerEntry | undefined {
    const e = this.alerts.get(alertId);
    this.alerts.delete(alertId);
    this.forgetMember(alertId);
    return e;
  }

  /** Adds a trigger to the current window's aggregate of each of the targets. */
  fold(n: AlertNotification, reason: FoldReason, targets: readonly NotifyTarget[], nowMs: number): void {
    if (targets.length === 0) return;
    // Never before the newest window already holding folds: a clock stepping back must not break start order.
    const start = Math.max(windowStart(nowMs, this.windowMs), this.closedThrough, this.lastStart);
    this.lastStart = start;
    let w = this.aggs.get(start);
    if (!w) {
      w = new Map();
      this.aggs.set(start, w);
    }
    for (const t of targets) {
      let a = w.get(t);
      if (!a) {
        a = { stats: new StormStats(), sealed: undefined, members: new Set() };
        w.set(t, a);
      }
      a.stats?.add(n, reason);
      if (this.alerts.has(n.alertId)) a.members.add(n.alertId);
    }
  }

  /** End of the earliest window with an aggregate not sent yet. */
  nextEnd(): number | undefined {
    for (const [start, w] of this.aggs) for (const a of w.values()) if (a.sealed === undefined) return start + this.windowMs;
    return undefined;
  }

  /** Seals the aggregates of the windows that have ended (every one when `all`); each is returned once, ever. */
  seal(nowMs: number, all: boolean): SealedAggregate[] {
    const out: SealedAggregate[] = [];
    for (const [start, w] of this.aggs) {
      if (!all && start + this.windowMs > nowMs) break;
      for (const [target, a] of w) {
        if (a.sealed !== undefined || a.stats === undefined) continue;
        a.sealed = a.stats.seal(start, this.windowMs, this.scope);
        a.stats = undefined;
        this.closedThrough = Math.max(this.closedThrough, start + this.windowMs);
        out.push({ target, agg: a.sealed });
      }
    }
    return out;
  }

  /** Sent aggregates none of whose members is open any more: to be resolved now; each is returned once, ever. */
  resolvable(): SealedAggregate[] {
    const out: SealedAggregate[] = [];
    for (const [start, w] of this.aggs) {
      for (const [target, a] of w) {
        if (a.sealed === undefined || a.members.size > 0) continue;
        out.push({ target, agg: a.sealed });
        w.delete(target);
      }
      if (w.size === 0) this.aggs.delete(start);
    }
    return out;
  }

  /** What is open for a target: its paged alerts and its sent, unresolved aggregates (for Alertmanager's re-post). */
  openPages(target: NotifyTarget, skip: (alertId: string) => boolean): OpenPage[] {
    const out: OpenPage[] = [];
    for (const [id, e] of this.alerts.entries()) if (e.s === 'paged' && !skip(id)) out.push({ kind: 'alert', page: e.page });
    for (const w of this.aggs.values()) {
      const a = w.get(target);
      if (a?.sealed) out.push({ kind: 'aggregate', agg: a.sealed });
    }
    return out;
  }

  get size(): number {
    return this.alerts.size;
  }

  toJSON(): LedgerJson {
    const aggs: LedgerJson['aggs'][number][] = [];
    for (const [start, w] of this.aggs) {
      for (const [target, a] of w) {
        aggs.push({
          start, target, members: [...a.members],
          ...(a.stats ? { stats: a.stats.toJSON() } : {}), ...(a.sealed ? { sealed: a.sealed } : {}),
        });
      }
    }
    return {
      v: 1,
      closedThrough: Number.isFinite(this.closedThrough) ? this.closedThrough : null,
      alerts: [...this.alerts.entries()],
      aggs,
    };
  }

  static fromJSON(scope: string, windowMs: number, j: LedgerJson): PagingLedger {
    const l = new PagingLedger(scope, windowMs);
    if (j.v !== 1) return l;
    l.closedThrough = j.closedThrough ?? Number.NEGATIVE_INFINITY;
    for (const [id, e] of j.alerts) l.alerts.set(id, e);
    for (const a of j.aggs) {
      l.lastStart = Math.max(l.lastStart, a.start);
      let w = l.aggs.get(a.start);
      if (!w) {
        w = new Map();
        l.aggs.set(a.start, w);
      }
      w.set(a.target, {
        stats: a.stats ? StormStats.fromJSON(a.stats) : undefined,
        sealed: a.sealed,
        members: new Set(a.members.filter((id) => l.alerts.has(id))),
      });
    }
    return l;
  }

  private forgetMember(alertId: string): void {
    for (const w of this.aggs.values()) for (const a of w.values()) a.members.delete(alertId);
  }
}
