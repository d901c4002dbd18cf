// Event-time progress. Each source (a Kafka partition later) advances its own maximum; the watermark of the
// whole correlator is the slowest source's, so a lagging partition does not make its events "late".

export class Watermarks {
  private readonly max = new Map<string, number>();

  advance(source: string, t: number): void {
    const cur = this.max.get(source);
    if (cur === undefined || t > cur) this.max.set(source, t);
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
