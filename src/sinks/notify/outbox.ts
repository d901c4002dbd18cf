// A target's bounded FIFO of waiting requests. When full, room is made by dropping the oldest waiting trigger:
// it can be lost without losing information, since the caller folds it into the storm aggregate. Resolves and
// aggregates are never dropped — losing one would leave an incident open forever or a storm unreported. A
// resolve still makes room by dropping a trigger when there is one, else it is queued past the bound; an
// aggregate always is, so it cannot drop a trigger into a new aggregate (at shutdown there is no window left to
// fold into). The overshoot is bounded: a resolve is queued only for an alert remembered as paged (at most
// ALERT_MEMORY of them, each resolved once), an aggregate and its resolve at most once per storm window and scope.
// Alertmanager's periodic re-post ('refresh') is queued only when there is room and none is waiting already.
import type { Outgoing } from './outgoing.ts';

export class Outbox {
  private items: (Outgoing | undefined)[] = [];
  private head = 0;
  private live = 0;
  private holes = 0;
  /** Waiting triggers: when none, a full queue need not be searched for one. */
  private triggers = 0;
  /**
   * No waiting trigger sits before this index: triggers are only ever appended, so the search for the oldest one
   * resumes where the last one stopped instead of walking past the same resolves again on every push (a box
   * holding thousands of resolves ahead of its triggers would otherwise cost thousands of steps per push).
   */
  private noTriggerBefore = 0;
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
  }

  get length(): number {
    return this.live;
  }

  /**
   * Appends; returns the trigger dropped to stay within capacity (possibly `o` itself). The dropped one leaves a
   * hole rather than being spliced out, so a drop costs O(1) once found; compact() sweeps the holes.
   */
  push(o: Outgoing): (Outgoing & { kind: 'trigger' }) | undefined {
    if (this.live >= this.capacity && (o.kind === 'trigger' || o.kind === 'resolve')) {
      const i = this.triggers > 0 ? this.oldestTrigger() : undefined;
      const dropped = i === undefined ? undefined : this.items[i];
      if (i !== undefined && dropped?.kind === 'trigger') {
        this.items[i] = undefined;
        this.holes++;
        this.triggers--;
        this.append(o);
        this.live--;
        this.compact();
        return dropped;
      }
      if (o.kind === 'trigger') return o;
    }
    this.append(o);
    return undefined;
  }

  /** Waiting requests of one kind (a linear scan). */
  count(kind: Outgoing['kind']): number {
    let n = 0;
    for (let i = this.head; i < this.items.length; i++) if (this.items[i]?.kind === kind) n++;
    return n;
  }

  shift(): Outgoing | undefined {
    this.compact();
    const o = this.items[this.head];
    if (o === undefined) return undefined;
    this.items[this.head++] = undefined;
    this.live--;
    if (o.kind === 'trigger') this.triggers--;
    this.compact();
    return o;
  }

  clear(): Outgoing[] {
    const out = this.items.slice(this.head).filter((x): x is Outgoing => x !== undefined);
    this.items = [];
    this.head = 0;
    this.live = 0;
    this.holes = 0;
    this.triggers = 0;
    this.noTriggerBefore = 0;
    return out;
  }

  private append(o: Outgoing): void {
    this.items.push(o);
    this.live++;
    if (o.kind === 'trigger') this.triggers++;
  }

  private oldestTrigger(): number | undefined {
    for (let i = Math.max(this.head, this.noTriggerBefore); i < this.items.length; i++) {
      if (this.items[i]?.kind === 'trigger') { this.noTriggerBefore = i; return i; }
    }
    this.noTriggerBefore = this.items.length;
    return undefined;
  }

  private compact(): void {
    while (this.head < this.items.length && this.items[this.head] === undefined) {
      this.head++;
      if (this.holes > 0) this.holes--;
    }
    // Linear sweeps amortise to O(1) per operation: each follows a number of drops or shifts proportional to its cost.
    if (this.holes > 64 && this.holes * 4 > this.live) {
      this.items = this.items.slice(this.head).filter((x) => x !== undefined);
      this.head = 0;
      this.holes = 0;
      this.noTriggerBefore = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.noTriggerBefore = Math.max(0, this.noTriggerBefore - this.head);
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
