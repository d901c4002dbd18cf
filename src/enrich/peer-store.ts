// The peer directory's learned state and its bound: entries per scope (host, interface) in one least-recently-used
// order, the full keys learned so far, and which full key a kernel id or key fragment stands for. The rules of what
// to learn from an event or a dump (peer-learning.ts), the questions (peer-lookup.ts) and the snapshot form
// (peer-persistence.ts) all work through it, so the bound and the indexes cannot drift apart.
//
// Scopes are (host, interface): kernel peer ids are counters of one interface, and a fragment only means
// something among the peers of one device. Events without a host or interface fall into the '' scope.
import type { Inventory } from './inventory.ts';
import { keyFragment } from './keys.ts';
import { LruList } from '../shared/util/lru.ts';

export interface Scope {
  readonly host: string;
  readonly iface: string;
  readonly ids: Map<string, PeerEntry>;
  readonly fragments: Map<string, PeerEntry>;
  readonly keys: Map<string, PeerEntry>;
  readonly addresses: Map<string, AddressEntry>;
  /** "ip port" → the dump peer at that endpoint, null when several share it. Ties kernel ids to keys. */
  byEndpoint: Map<string, PeerEntry | null>;
  own: InterfaceEntry | undefined;
  entries: number;
}

interface Base {
  prev: Entry | undefined;
  next: Entry | undefined;
  linked: boolean;
  readonly scope: Scope;
}

export interface PeerEntry extends Base {
  readonly kind: 'peer';
  readonly by: 'id' | 'fragment' | 'key';
  readonly ref: string;
  /** `key`: the key itself; `id`: the key it was tied to; `fragment`: cached resolution, valid for `gen`. */
  publicKey: string | undefined;
  gen: number;
  ip: string | undefined;
  port: number | undefined;
  lastSeen: number | undefined;
  latestHandshake: number | undefined;
  fromDump: boolean;
  /** Its key in `scope.byEndpoint`, so removal need not search that map. */
  endpointKey: string | undefined;
}

export interface InterfaceEntry extends Base {
  readonly kind: 'interface';
  publicKey: string;
  listenPort: number | undefined;
}

export interface AddressEntry extends Base {
  readonly kind: 'address';
  readonly ip: string;
  port: number;
  at: number;
  lastSeen: number | undefined;
  /** The peer entry while it lives; its identity is also copied, since ids outlive nothing. */
  peer: PeerEntry | undefined;
  peerId: string | undefined;
  fragment: string | undefined;
  publicKey: string | undefined;
  fromDump: boolean;
}

export type Entry = PeerEntry | InterfaceEntry | AddressEntry;

const NO_KEYS: ReadonlyMap<string, number> = new Map();
const NO_STRINGS: readonly string[] = Object.freeze([]);

export function endpointKey(ip: string, port: number): string {
  return `${ip} ${port}`;
}

/** The map of a scope that holds peers named this way. */
export function peersBy(scope: Scope, by: PeerEntry['by']): Map<string, PeerEntry> {
  return by === 'id' ? scope.ids : by === 'key' ? scope.keys : scope.fragments;
}

/** Indexes a dump peer under its endpoint; two dump peers at one endpoint tie no kernel id to either. */
export function indexEndpoint(scope: Scope, entry: PeerEntry, ip: string, port: number, into: Map<string, PeerEntry | null> = scope.byEndpoint): void {
  const k = endpointKey(ip, port);
  into.set(k, into.has(k) ? null : entry);
  entry.endpointKey = k;
}

export class PeerStore {
  readonly inventory: Inventory | undefined;
  readonly #max: number;
  readonly #lru = new LruList<Entry>();
  readonly #scopes = new Map<string, Map<string, Scope>>();
  /** Fragment → full keys learned (dumps, printed keys, interface keys) → how many entries hold each. */
  readonly #learnedByFragment = new Map<string, Map<string, number>>();
  /** Interface key → the interfaces (from dumps) that own it. */
  readonly #ownKeys = new Map<string, Set<InterfaceEntry>>();
  /** Bumped whenever the set of known full keys changes, which invalidates cached fragment resolutions. */
  #gen = 0;

  constructor(maxEntries: number, inventory: Inventory | undefined) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a whole number ≥ 1, not ${maxEntries}`);
    this.#max = maxEntries;
    this.inventory = inventory;
  }

  /** Learned entries (the inventory is not counted). */
  get size(): number {
    return this.#lru.size;
  }

  /** Least recently used first. */
  oldestFirst(): Generator<Entry> {
    return this.#lru.oldestFirst();
  }

  touch(e: Entry): void {
    this.#lru.touch(e);
  }

  /** Cached fragment resolutions are stale: the known keys, or the ids tied to them, changed wholesale. */
  invalidate(): void {
    this.#gen++;
  }

  /** Forgets every learned entry. */
  clear(): void {
    for (const e of [...this.#lru.oldestFirst()]) this.remove(e);
    this.#scopes.clear();
  }

  scope(host: string, iface: string): Scope {
    let ifaces = this.#scopes.get(host);
    if (ifaces === undefined) this.#scopes.set(host, (ifaces = new Map<string, Scope>()));
    let s = ifaces.get(iface);
    if (s === undefined) {
      s = {
        host, iface, ids: new Map(), fragments: new Map(), keys: new Map(), addresses: new Map(),
        byEndpoint: new Map(), own: undefined, entries: 0,
      };
      ifaces.set(iface, s);
    }
    return s;
  }

  /** The scope if it exists; for the hot path, which must not create one. */
  existingScope(host: string, iface: string): Scope | undefined {
    return this.#lru.size === 0 ? undefined : this.#scopes.get(host)?.get(iface);
  }

  /** Empty scopes go, so that host and interface names cannot accumulate outside the bound. */
  dropIfEmpty(s: Scope): void {
    if (s.entries > 0) return;
    const ifaces = this.#scopes.get(s.host);
    if (ifaces?.get(s.iface) !== s) return;
    ifaces.delete(s.iface);
    if (ifaces.size === 0) this.#scopes.delete(s.host);
  }

  /** The scopes of one interface of a host, or of all of them when `iface` is undefined. */
  *scopesOf(host: string, iface: string | undefined): Generator<Scope> {
    const ifaces = this.#scopes.get(host);
    if (ifaces === undefined) return;
    if (iface !== undefined) {
      const s = ifaces.get(iface);
      if (s !== undefined) yield s;
      return;
    }
    yield* ifaces.values();
  }

  /** The interfaces (from dumps) whose own key this is. */
  ownersOf(publicKey: string): ReadonlySet<InterfaceEntry> | undefined {
    return this.#ownKeys.get(publicKey);
  }

  addPeer(scope: Scope, by: PeerEntry['by'], ref: string): PeerEntry {
    const entry: PeerEntry = {
      kind: 'peer', by, ref, scope, publicKey: by === 'key' ? ref : undefined, gen: -1, ip: undefined, port: undefined,
      lastSeen: undefined, latestHandshake: undefined, fromDump: false, endpointKey: undefined, prev: undefined, next: undefined, linked: false,
    };
    peersBy(scope, by).set(ref, entry);
    if (by === 'key') this.#learnKey(ref, 1);
    this.#add(entry);
    return entry;
  }

  newAddress(scope: Scope, ip: string, port: number, at: number, lastSeen: number | undefined, peer: PeerEntry | undefined, fromDump: boolean): AddressEntry {
    const a: AddressEntry = {
      kind: 'address', scope, ip, port, at, lastSeen, peer, peerId: undefined, fragment: undefined, publicKey: undefined, fromDump,
      prev: undefined, next: undefined, linked: false,
    };
    scope.addresses.set(ip, a);
    this.#add(a);
    return a;
  }

  /** The most recent sighting wins the address; an older one only refreshes the same peer's time. */
  seenAt(scope: Scope, ip: string, port: number, at: number, lastSeen: number | undefined, peer: PeerEntry, fromDump: boolean): void {
    let a = scope.addresses.get(ip);
    if (a !== undefined && at < a.at) return;
    if (a === undefined) a = this.newAddress(scope, ip, port, at, lastSeen, peer, fromDump);
    else {
      a.port = port;
      a.at = at;
      a.lastSeen = lastSeen;
      a.peer = peer;
      a.fromDump = fromDump;
      this.#lru.touch(a);
    }
    a.peerId = peer.by === 'id' ? peer.ref : undefined;
    a.fragment = peer.by === 'fragment' ? peer.ref : peer.by === 'key' ? keyFragment(peer.ref) : undefined;
    a.publicKey = peer.publicKey;
  }

  setOwnKey(scope: Scope, publicKey: string, listenPort: number | undefined): void {
    const own = scope.own;
    if (own !== undefined && own.publicKey === publicKey) {
      own.listenPort = listenPort;
      this.#lru.touch(own);
      return;
    }
    if (own !== undefined) this.remove(own);
    const entry: InterfaceEntry = { kind: 'interface', scope, publicKey, listenPort, prev: undefined, next: undefined, linked: false };
    scope.own = entry;
    let set = this.#ownKeys.get(publicKey);
    if (set === undefined) this.#ownKeys.set(publicKey, (set = new Set<InterfaceEntry>()));
    set.add(entry);
    this.#learnKey(publicKey, 1);
    this.#add(entry);
  }

  remove(e: Entry): void {
    if (!e.linked) return;
    this.#lru.remove(e);
    const s = e.scope;
    s.entries--;
    if (e.kind === 'address') {
      if (s.addresses.get(e.ip) === e) s.addresses.delete(e.ip);
    } else if (e.kind === 'interface') {
      if (s.own === e) s.own = undefined;
      const set = this.#ownKeys.get(e.publicKey);
      set?.delete(e);
      if (set?.size === 0) this.#ownKeys.delete(e.publicKey);
      this.#learnKey(e.publicKey, -1);
    } else {
      const map = peersBy(s, e.by);
      if (map.get(e.ref) === e) map.delete(e.ref);
      if (e.by === 'key') {
        if (e.endpointKey !== undefined && s.byEndpoint.get(e.endpointKey) === e) s.byEndpoint.delete(e.endpointKey);
        this.#learnKey(e.ref, -1);
      }
    }
  }

  /** Least recently used entries go until the bound holds again. */
  evict(): void {
    while (this.#lru.size > this.#max) {
      const victim = this.#lru.oldest;
      if (victim === undefined) return;
      this.remove(victim);
      this.dropIfEmpty(victim.scope);
    }
  }

  /** The full key a peer entry stands for, if it can be known for sure. */
  resolve(entry: PeerEntry): string | undefined {
    if (entry.by !== 'fragment') return entry.publicKey;
    if (entry.gen !== this.#gen) {
      entry.publicKey = this.resolveFragment(entry.ref);
      entry.gen = this.#gen;
    }
    return entry.publicKey;
  }

  /** The key of the peer last at an address: its live entry's, else the one copied when it was seen. */
  addressKey(a: AddressEntry): string | undefined {
    const live = a.peer?.linked === true ? a.peer : undefined;
    return (live !== undefined ? this.resolve(live) : undefined) ?? a.publicKey;
  }

  /**
   * A fragment stands for a full key only when exactly one key known anywhere (inventory, dumps, printed keys)
   * matches. Even a device whose dump lists a single match is not trusted over that: the dump may predate the
   * peer that printed the line.
   */
  resolveFragment(fragment: string): string | undefined {
    const inv = this.inventory?.byFragment(fragment) ?? NO_STRINGS;
    const learned = this.#learnedByFragment.get(fragment) ?? NO_KEYS;
    let found: string | undefined = inv.length === 1 ? inv[0] : undefined;
    let n = inv.length;
    // Checked first: even an empty map's iterator is an allocation, and this runs per event.
    if (learned.size > 0) {
      for (const k of learned.keys()) {
        if (inv.includes(k)) continue;
        n++;
        found = k;
      }
    }
    return n === 1 ? found : undefined;
  }

  #add(e: Entry): void {
    this.#lru.add(e);
    e.scope.entries++;
  }

  #learnKey(key: string, delta: 1 | -1): void {
    const f = keyFragment(key);
    let keys = this.#learnedByFragment.get(f);
    if (keys === undefined) this.#learnedByFragment.set(f, (keys = new Map<string, number>()));
    const n = (keys.get(key) ?? 0) + delta;
    if (n > 0) keys.set(key, n);
    else {
      keys.delete(key);
      if (keys.size === 0) this.#learnedByFragment.delete(f);
    }
    this.#gen++;
  }
}
