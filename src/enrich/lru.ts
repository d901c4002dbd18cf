// An intrusive least-recently-used list: entries carry their own links, so touching one on the hot path moves two
// pointers and allocates nothing (a Map re-insertion per event would).

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

  /** Least recently used first. */
  *oldestFirst(): Generator<T> {
    for (let e = this.#tail; e !== undefined; e = e.prev) yield e;
  }

  get oldest(): T | undefined {
    return this.#tail;
  }

  add(e: T): void {
    e.prev = undefined;
    e.next = this.#head;
    if (this.#head) this.#head.prev = e;
    this.#head = e;
    this.#tail ??= e;
    e.linked = true;
    this.#size++;
  }

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
