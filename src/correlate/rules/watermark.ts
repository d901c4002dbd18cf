// Event-time progress. Each source (a host) advances its own maximum, and lateness is judged per source, so a
// lagging host does not make another host's events "late".
//
// Absences (a peer silent, a handshake never answered) also need time to pass when a host logs nothing at all.
// A source's clock is therefore its newest event time plus the processing time elapsed since it last delivered
// anything: a quiet host's clock keeps running, while a host whose backlog is being replayed (it delivers all the
// time) stays at its own event time, so old lines never look like fresh silence.

export interface WatermarkSnapshot {
  readonly max: Record<string, number>;
  /** Processing time each source last delivered an event at. */
  readonly arrived: Record<string, number>;
}

export class Watermarks {
  private readonly max = new Map<string, number>();
  private readonly arrived = new Map<string, number>();

  /** An event of `source` at event time t, delivered at processing time nowMs. */
  advance(source: string, t: number, nowMs: number): void {
    const cur = this.max.get(source);
    if (cur === undefined || t > cur) this.max.set(source, t);
    const a = this.arrived.get(source);
    if (a === undefined || nowMs > a) this.arrived.set(source, nowMs);
  }

  /** Newest event time of one source (-Infinity before its first event). */
  of(source: string): number {
    return this.max.get(source) ?? -Infinity;
  }

  /** The source's event time now: its newest event plus the quiet time since it last delivered one. */
  clock(source: string, nowMs: number): number {
    const m = this.of(source);
    const a = this.arrived.get(source);
    return a === undefined ? m : m + Math.max(0, nowMs - a);
  }

  snapshot(): WatermarkSnapshot { return { max: Object.fromEntries(this.max), arrived: Object.fromEntries(this.arrived) }; }

  /**
   * Replaces the state. A snapshot without arrival times (written before they were kept) counts every source as
   * having delivered at `nowMs`: its silence starts at the restart rather than at some unknown earlier time.
   */
  restore(s: WatermarkSnapshot | Record<string, number>, nowMs: number): void {
    const max = isSnapshot(s) ? s.max : s;
    const arrived = isSnapshot(s) ? s.arrived : {};
    this.max.clear();
    this.arrived.clear();
    for (const [k, v] of Object.entries(max)) {
      this.max.set(k, v);
      this.arrived.set(k, arrived[k] ?? nowMs);
    }
  }
}

function isSnapshot(s: WatermarkSnapshot | Record<string, number>): s is WatermarkSnapshot {
  return typeof (s as { max?: unknown }).max === 'object';
}
