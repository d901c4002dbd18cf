// The global page cap. Windows are fixed and aligned to the clock (start = floor(now / window) * window), so every
// instance and every restart agrees on where a window starts and the aggregate's dedup key is stable. Window
// starts only move forward: a clock stepping back must not reopen a window whose aggregate was already sent.
import { StormStats } from './aggregate.ts';
import type { FoldReason, StormAggregate } from './aggregate.ts';
import type { AlertNotification, NotifyTarget } from './types.ts';

export interface ClosedWindow {
  readonly target: NotifyTarget;
  readonly aggregate: StormAggregate;
}

export class StormWindows {
  private readonly windowMs: number;
  private readonly maxPages: number;
  private readonly now: () => number;
  private current = Number.NEGATIVE_INFINITY;
  private paged = 0;
  private closedThrough = Number.NEGATIVE_INFINITY;
  /** Insertion order is start order, because starts only grow. */
  private readonly open = new Map<number, Map<NotifyTarget, StormStats>>();

  constructor(o: { windowMs: number; maxPages: number; now: () => number }) {
    this.windowMs = o.windowMs;
    this.maxPages = o.maxPages;
    this.now = o.now;
  }

  private roll(): number {
    const start = Math.max(Math.floor(this.now() / this.windowMs) * this.windowMs, this.closedThrough);
    if (start > this.current) {
      this.current = start;
      this.paged = 0;
    }
    return this.current;
  }

  /** Whether one more trigger may be paged on its own in the current window; counts it when so. */
  admit(): boolean {
    this.roll();
    if (this.paged >= this.maxPages) return false;
    this.paged++;
    return true;
  }

  /** Adds a trigger to the current window's aggregate of each of the targets. */
  fold(n: AlertNotification, reason: FoldReason, targets: readonly NotifyTarget[]): void {
    if (targets.length === 0) return;
    const start = this.roll();
    let w = this.open.get(start);
    if (!w) {
      w = new Map();
      this.open.set(start, w);
    }
    for (const t of targets) {
      let s = w.get(t);
      if (!s) {
        s = new StormStats();
        w.set(t, s);
      }
      s.add(n, reason);
    }
  }

  /** End of the earliest window holding folded triggers. */
  nextEnd(): number | undefined {
    for (const start of this.open.keys()) return start + this.windowMs;
    return undefined;
  }

  /** Seals the windows that have ended (every one when `all`, at shutdown); each is returned once, ever. */
  close(all: boolean): ClosedWindow[] {
    const out: ClosedWindow[] = [];
    const now = this.now();
    for (const [start, w] of this.open) {
      if (!all && start + this.windowMs > now) break;
      this.open.delete(start);
      this.closedThrough = Math.max(this.closedThrough, start + this.windowMs);
      for (const [target, stats] of w) out.push({ target, aggregate: stats.seal(start, this.windowMs) });
    }
    return out;
  }
}
