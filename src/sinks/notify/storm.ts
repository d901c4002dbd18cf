// The global page cap: at most maxPages individual pages per window. Windows are fixed and aligned to the clock
// (start = floor(now / window) * window), so every instance and every restart agrees on where a window starts and
// an aggregate's dedup key is stable. Window starts only move forward: a clock stepping back must not reopen a
// window. The cap itself is a rate limit kept in memory (a restart starts a fresh count); what it decided is kept
// in the paging ledger of each scope (ledger.ts), which is what must survive restarts.

export const windowStart = (nowMs: number, windowMs: number): number => Math.floor(nowMs / windowMs) * windowMs;

export class PageCap {
  private readonly windowMs: number;
  private readonly maxPages: number;
  private readonly now: () => number;
  private current = Number.NEGATIVE_INFINITY;
  private paged = 0;

  constructor(o: { windowMs: number; maxPages: number; now: () => number }) {
    this.windowMs = o.windowMs;
    this.maxPages = o.maxPages;
    this.now = o.now;
  }

  /** Whether one more trigger may be paged on its own in the current window; counts it when so. */
  admit(): boolean {
    const start = windowStart(this.now(), this.windowMs);
    if (start > this.current) {
      this.current = start;
      this.paged = 0;
    }
    if (this.paged >= this.maxPages) return false;
    this.paged++;
    return true;
  }
}
