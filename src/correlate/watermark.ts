// Event-time progress. Each source (a host) advances its own maximum, and lateness is judged per source, so a
// lagging host does not make another host's events "late".

export class Watermarks {
  private readonly max = new Map<string, number>();

  advance(source: string, t: number): void {
    const cur = this.max.get(source);
    if (cur === undefined || t > cur) this.max.set(source, t);
  }

  /** Newest event time of one source (-Infinity before its first event). */
  of(source: string): number {
    return this.max.get(source) ?? -Infinity;
  }

  /** Newest event time every source has reached (-Infinity before any event). */
  current(): number {
    let m = Infinity;
    for (const v of this.max.values()) if (v < m) m = v;
    return m === Infinity ? -Infinity : m;
  }

  snapshot(): Record<string, number> { return Object.fromEntries(this.max); }

  restore(s: Record<string, number>): void {
    this.max.clear();
    for (const [k, v] of Object.entries(s)) this.max.set(k, v);
  }
}
