// Least-recently-used order, the one implementation behind every bounded memory in wg-siem: the peer directory's
// entries, the correlator's groups per rule, the notifier's alerts. An intrusive doubly-linked list: entries carry
// their own links, so marking one used on the hot path moves a few pointers and allocates nothing (a Map
// re-insertion per event would). BoundedLru puts keys in front of it for callers that look entries up by key.

export interface Linked<T extends Linked<T>> {
  prev: T | undefined;
  next: T | undefined;
  /** False once unlinked, so stale references held elsewhere can tell. */
  linked: boolean;
}

export class LruList<T extends Linked<T>> {
  #head: T | undefined;
  #tail: T | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Least recently used first. Safe while the entry yielded last is removed or touched. */
  *oldestFirst(): Generator<T> {
    for (let e = this.#tail; e !== undefined;) {
      const newer = e.prev;
      yield e;
      e = newer;
    }
  }

  get oldest(): T | undefined {
    return this.#tail;
  }

  /** Adds an entry as the most recently used. */
  add(e: T): void {
    e.prev = undefined;
    e.next = this.#head;
    if (this.#head) this.#head.prev = e;
    this.#head = e;
    this.#tail ??= e;
    e.linked = true;
    this.#size++;
  }

  /** Marks a linked entry the most recently used. */
  touch(e: T): void {
    if (this.#head === e || !e.linked) return;
    this.#unlink(e);
    this.add(e);
  }

  remove(e: T): void {
    if (!e.linked) return;
    this.#unlink(e);
    e.linked = false;
  }

  clear(): void {
    for (const e of this.oldestFirst()) this.remove(e);
  }

  #unlink(e: T): void {
    if (e.prev) e.prev.next = e.next;
    else this.#head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.#tail = e.prev;
    e.prev = undefined;
    e.next = undefined;
    this.#size--;
  }
}

interface Node<K, V> extends Linked<Node<K, V>> {
  readonly key: K;
  value: V;
}

/** Told about an entry pushed out by the bound (not about deletes). */
export type OnEvict<K, V> = (key: K, value: V) => void;

/** A map bounded to `capacity` entries; over it, the least recently used entry goes. */
export class BoundedLru<K, V> {
  readonly #nodes = new Map<K, Node<K, V>>();
  readonly #order = new LruList<Node<K, V>>();
  readonly #capacity: number;
  readonly #onEvict: OnEvict<K, V> | undefined;

  constructor(capacity: number, onEvict?: OnEvict<K, V>) {
    this.#capacity = capacity;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** The value, marked used. */
  get(k: K): V | undefined {
    const n = this.#nodes.get(k);
    if (n === undefined) return undefined;
    this.#order.touch(n);
    return n.value;
  }

  /** The value, its place in the order left as it is. */
  peek(k: K): V | undefined {
    return this.#nodes.get(k)?.value;
  }

  has(k: K): boolean {
    return this.#nodes.has(k);
  }

  /**
   * Sets the value, marked used; then evicts least recently used entries while over the bound, telling `onEvict`
   * (this call's, or the constructor's). A bound of 0 evicts the entry just set.
   */
  set(k: K, v: V, onEvict: OnEvict<K, V> | undefined = this.#onEvict): void {
    this.#put(k, v);
    while (this.#nodes.size > this.#capacity) {
      const oldest = this.#order.oldest;
      if (oldest === undefined) break;
      this.#order.remove(oldest);
      this.#nodes.delete(oldest.key);
      onEvict?.(oldest.key, oldest.value);
    }
  }

  /**
   * Adds entries given least recently used first (as entries() gave them) without evicting: a bound lowered since
   * they were saved takes effect at the next set(), whose caller can act on what it evicts.
   */
  load(entries: Iterable<readonly [K, V]>): void {
    for (const [k, v] of entries) this.#put(k, v);
  }

  delete(k: K): boolean {
    const n = this.#nodes.get(k);
    if (n === undefined) return false;
    this.#order.remove(n);
    return this.#nodes.delete(k);
  }

  clear(): void {
    this.#order.clear();
    this.#nodes.clear();
  }

  /** Least recently used first. */
  *entries(): Generator<[K, V]> {
    for (const n of this.#order.oldestFirst()) yield [n.key, n.value];
  }

  #put(k: K, v: V): void {
    const n = this.#nodes.get(k);
    if (n !== undefined) {
      n.value = v;
      this.#order.touch(n);
      return;
    }
    const added: Node<K, V> = { key: k, value: v, prev: undefined, next: undefined, linked: false };
    this.#nodes.set(k, added);
    this.#order.add(added);
  }
}
