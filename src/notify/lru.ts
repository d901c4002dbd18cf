// A Map remembers insertion order, so re-inserting on use keeps the least recently used entry first: the one to
// evict. Bounded because alert ids are unbounded over time and a flood must not grow memory.
export class BoundedLru<K, V> {
  private readonly map = new Map<K, V>();
  private readonly capacity: number;
  private readonly onEvict: ((k: K, v: V) => void) | undefined;

  /** onEvict: told about an entry pushed out by the bound (not about deletes). */
  constructor(capacity: number, onEvict?: (k: K, v: V) => void) {
    this.capacity = Math.max(1, capacity);
    this.onEvict = onEvict;
  }

  /** Least recently used first. */
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  get size(): number {
    return this.map.size;
  }

  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }

  has(k: K): boolean {
    return this.map.has(k);
  }

  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.capacity) {
      const oldest = this.map.entries().next();
      if (!oldest.done) {
        this.map.delete(oldest.value[0]);
        this.onEvict?.(oldest.value[0], oldest.value[1]);
      }
    }
  }

  delete(k: K): boolean {
    return this.map.delete(k);
  }
}
