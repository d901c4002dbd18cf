// What wg-siem knows about peers, learned from the events themselves and from `wg show dump`: which kernel peer id
// or wireguard-go key fragment is which full key, at which address each peer was last seen, and which host is
// the other end of a tunnel. Bounded: at most `maxEntries` learned entries, least recently used evicted first.
//
// Scopes are (host, interface): kernel peer ids are counters of one interface, and a fragment only means
// something among the peers of one device. Events without a host or interface fall into the '' scope.
import { canonicalIp } from '../net/ip.ts';
import type { WgEventDoc } from '../schema/generated/event.ts';
import type { Inventory } from './inventory.ts';
import { keyFragment } from './keys.ts';
import { LruList } from './lru.ts';
import { SNAPSHOT_VERSION, checkSnapshot } from './snapshot.ts';
import type { AddressEntrySnapshot, EntrySnapshot, PeerDirectorySnapshot } from './snapshot.ts';
import type { Attribution, AttributionMethod, Counterpart, PeerRef } from './types.ts';
import type { DumpSnapshot } from './wg-dump.ts';

export type { Attribution, AttributionMethod, Counterpart, PeerDirectorySnapshot, PeerRef };

const PEER_CREATED = 'wireguard-peer-created';
const PEER_REMOVED = 'wireguard-peer-removed';
// After these, the kernel numbers peers afresh: every id learned before means nothing.
const IFACE_CREATED = 'wireguard-interface-created';
const IFACE_DESTROYED = 'wireguard-interface-destroyed';
const MODULE_LOADED = 'wireguard-module-loaded';
const MODULE_UNLOADED = 'wireguard-module-unloaded';

interface Scope {
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

interface PeerEntry extends Base {
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

interface InterfaceEntry extends Base {
  readonly kind: 'interface';
  publicKey: string;
  listenPort: number | undefined;
}

interface AddressEntry extends Base {
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

type Entry = PeerEntry | InterfaceEntry | AddressEntry;

export interface PeerDirectoryOptions {
  readonly maxEntries: number;
  readonly inventory?: Inventory;
}

const NO_KEYS: ReadonlyMap<string, number> = new Map();
const NO_STRINGS: readonly string[] = Object.freeze([]);

function formatEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function endpointKey(ip: string, port: number): string {
  return `${ip} ${port}`;
}

export class PeerDirectory {
  readonly #max: number;
  readonly #inventory: Inventory | undefined;
  readonly #lru = new LruList<Entry>();
  readonly #scopes = new Map<string, Map<string, Scope>>();
  /** Fragment → full keys learned (dumps, printed keys, interface keys) → how many entries hold each. */
  readonly #learnedByFragment = new Map<string, Map<string, number>>();
  /** Interface key → the interfaces (from dumps) that own it. */
  readonly #ownKeys = new Map<string, Set<InterfaceEntry>>();
  /** Bumped whenever the set of known full keys changes, which invalidates cached fragment resolutions. */
  #gen = 0;

  constructor(opts: PeerDirectoryOptions) {
    if (!Number.isInteger(opts.maxEntries) || opts.maxEntries < 1) throw new RangeError(`maxEntries must be a whole number ≥ 1, not ${opts.maxEntries}`);
    this.#max = opts.maxEntries;
    this.#inventory = opts.inventory;
  }

  /** Learned entries (the inventory is not counted). */
  get size(): number {
    return this.#lru.size;
  }

  // ---- learning from events -------------------------------------------------------------------------------

  observe(e: WgEventDoc): void {
    const p = e.wireguard?.peer;
    const id = p?.id;
    const fragment = p?.key_fragment;
    const key = p?.public_key;
    if (id === undefined && fragment === undefined && key === undefined) {
      const a = e.event.action;
      if (a === IFACE_CREATED || a === IFACE_DESTROYED || a === MODULE_LOADED || a === MODULE_UNLOADED) this.#forgetIds(e, a);
      return;
    }
    const t = Date.parse(e['@timestamp']);
    const at = Number.isFinite(t) ? t : 0;
    const scope = this.#scope(e.host?.name ?? '', e.observer?.ingress?.interface?.name ?? '');
    const action = e.event.action;
    const by = id !== undefined ? 'id' : key !== undefined ? 'key' : 'fragment';
    const ref = (id ?? key ?? fragment) as string;
    const map = by === 'id' ? scope.ids : by === 'key' ? scope.keys : scope.fragments;

    let entry = map.get(ref);
    // A created peer is a new life: whatever the previous holder of this id had (endpoint, key) is not its.
    // A full-key entry is the same peer whatever its life, so it stays.
    if (action === PEER_CREATED && entry !== undefined && by !== 'key') {
      this.#remove(entry);
      entry = undefined;
    }
    entry ??= this.#addPeer(scope, by, ref);
    if (by === 'id' && key !== undefined && entry.publicKey === undefined) entry.publicKey = key;

    // The remote end: the source of what was received, the destination of what was sent.
    const src = e.source?.ip;
    const ip = src ?? e.destination?.ip;
    const port = (src !== undefined ? e.source?.port : e.destination?.port) ?? 0;
    if (ip !== undefined) {
      entry.ip = ip;
      entry.port = port;
      if (by === 'id' && entry.publicKey === undefined && scope.byEndpoint.size > 0) {
        const dumped = scope.byEndpoint.get(endpointKey(ip, port));
        if (dumped) entry.publicKey = dumped.publicKey;
      }
    }
    if (action !== PEER_CREATED && (entry.lastSeen === undefined || at > entry.lastSeen)) entry.lastSeen = at;
    this.#lru.touch(entry);
    if (ip !== undefined) this.#seenAt(scope, ip, port, at, at, entry, false);

    if (action === PEER_REMOVED && by !== 'key') this.#remove(entry);
    this.#evict();
    this.#dropIfEmpty(scope);
  }

  /** Everything the dump shows about the host's interfaces and their peers; it replaces the previous dump. */
  observeDump(s: DumpSnapshot): void {
    for (const x of s.interfaces) {
      const scope = this.#scope(s.host, x.name);
      if (x.publicKey !== null) this.#setOwnKey(scope, x.publicKey, x.listenPort ?? undefined);
      else if (scope.own !== undefined) this.#remove(scope.own);
      const present = new Set<string>();
      const byEndpoint = new Map<string, PeerEntry | null>();
      for (const p of s.peers) {
        if (p.interface !== x.name) continue;
        present.add(p.publicKey);
        const entry = scope.keys.get(p.publicKey) ?? this.#addPeer(scope, 'key', p.publicKey);
        entry.fromDump = true;
        entry.latestHandshake = p.latestHandshakeMs ?? undefined;
        if (p.latestHandshakeMs !== null && (entry.lastSeen === undefined || p.latestHandshakeMs > entry.lastSeen)) entry.lastSeen = p.latestHandshakeMs;
        if (p.endpointIp !== null && p.endpointPort !== null) {
          entry.ip = p.endpointIp;
          entry.port = p.endpointPort;
          const k = endpointKey(p.endpointIp, p.endpointPort);
          byEndpoint.set(k, byEndpoint.has(k) ? null : entry);
          entry.endpointKey = k;
        }
        this.#lru.touch(entry);
        // A configured endpoint that never completed a handshake orders below anything actually seen.
        if (p.endpointIp !== null) this.#seenAt(scope, p.endpointIp, p.endpointPort ?? 0, p.latestHandshakeMs ?? 0, p.latestHandshakeMs ?? undefined, entry, true);
      }
      // Peers gone from the configuration are gone from the device; keys printed by events stay.
      for (const entry of [...scope.keys.values()]) if (entry.fromDump && !present.has(entry.ref)) this.#remove(entry);
      scope.byEndpoint = byEndpoint;
      for (const entry of scope.ids.values()) {
        if (entry.publicKey !== undefined || entry.ip === undefined || entry.port === undefined) continue;
        const dumped = byEndpoint.get(endpointKey(entry.ip, entry.port));
        if (dumped) entry.publicKey = dumped.publicKey;
      }
      this.#gen++;
      this.#evict();
      this.#dropIfEmpty(scope);
    }
  }

  // ---- the hot path -----------------------------------------------------------------------------------------

  /** Fills wireguard.peer.public_key / name / owner / device when they can be known for sure. */
  enrich(e: WgEventDoc): void {
    const p = e.wireguard?.peer;
    if (p === undefined) return;
    let key = p.public_key;
    if (key === undefined) {
      const id = p.id;
      const fragment = p.key_fragment;
      if (id === undefined && fragment === undefined) return;
      const scope = this.#lru.size === 0 ? undefined : this.#scopes.get(e.host?.name ?? '')?.get(e.observer?.ingress?.interface?.name ?? '');
      if (id !== undefined) {
        const entry = scope?.ids.get(id);
        key = entry?.publicKey;
      } else if (fragment !== undefined) {
        const entry = scope?.fragments.get(fragment);
        key = entry !== undefined ? this.#resolve(entry) : this.#resolveFragment(fragment);
      }
      if (key === undefined) return;
      p.public_key = key;
    }
    const inv = this.#inventory?.peer(key);
    if (inv === undefined) return;
    if (inv.name !== undefined) p.name = inv.name;
    if (inv.owner !== undefined) p.owner = inv.owner;
    if (inv.device !== undefined) p.device = inv.device;
  }

  // ---- questions ------------------------------------------------------------------------------------------

  /** Which peer was last seen at this address (port ignored: NAT changes it), and when. */
  byAddress(host: string, iface: string | undefined, ip: string): Attribution | undefined {
    const addr = canonicalIp(ip) ?? ip;
    let best: AddressEntry | undefined;
    for (const scope of this.#scopesOf(host, iface)) {
      const a = scope.addresses.get(addr);
      if (a !== undefined && (best === undefined || a.at > best.at)) best = a;
    }
    if (best === undefined) return undefined;
    const live = best.peer?.linked === true ? best.peer : undefined;
    const key = (live !== undefined ? this.#resolve(live) : undefined) ?? best.publicKey
      ?? (best.fragment !== undefined ? this.#resolveFragment(best.fragment) : undefined);
    return this.#attribution(best.fromDump ? 'dump' : 'address', key, {
      peerId: best.peerId, fragment: best.fragment, endpoint: formatEndpoint(best.ip, best.port), lastSeen: best.lastSeen,
    });
  }

  byPeer(ref: PeerRef): Attribution | undefined {
    if (ref.id !== undefined) {
      const entry = this.#latest(ref, (s) => s.ids.get(ref.id as string));
      return entry && this.#fromEntry('kernel-peer-id', entry);
    }
    if (ref.fragment !== undefined) {
      const fragment = ref.fragment;
      const entry = this.#latest(ref, (s) => s.fragments.get(fragment));
      if (entry !== undefined) return this.#fromEntry('key-fragment', entry);
      const key = this.#resolveFragment(fragment);
      return key === undefined ? undefined : this.#attribution('key-fragment', key, { fragment });
    }
    if (ref.publicKey !== undefined) return this.#byKey(ref, ref.publicKey);
    return undefined;
  }

  /** The host interfaces whose own key is this peer's key: the other end of its tunnel. */
  counterparts(ref: PeerRef): Counterpart[] {
    const key = ref.publicKey ?? this.byPeer(ref)?.publicKey;
    if (key === undefined) return [];
    const out: Counterpart[] = [];
    for (const x of this.#inventory?.interfacesWithKey(key) ?? []) {
      out.push({ host: x.host, iface: x.interface, ...(x.endpoint !== undefined ? { endpoint: x.endpoint } : {}), source: 'inventory' });
    }
    for (const own of this.#ownKeys.get(key) ?? []) {
      if (!out.some((c) => c.host === own.scope.host && c.iface === own.scope.iface)) out.push({ host: own.scope.host, iface: own.scope.iface, source: 'dump' });
    }
    return out;
  }

  /** Host names under which this peer's own logs arrive (inventory `hosts`). */
  peerHosts(publicKey: string): readonly string[] {
    return this.#inventory?.hostsOf(publicKey) ?? [];
  }

  // ---- persistence ----------------------------------------------------------------------------------------

  snapshot(): PeerDirectorySnapshot {
    const entries: EntrySnapshot[] = [];
    for (const e of this.#lru.oldestFirst()) {
      const { host, iface } = e.scope;
      if (e.kind === 'interface') {
        entries.push({ kind: 'interface', host, iface, publicKey: e.publicKey, ...(e.listenPort !== undefined ? { listenPort: e.listenPort } : {}) });
      } else if (e.kind === 'peer') {
        entries.push({
          kind: 'peer', host, iface, by: e.by, ref: e.ref,
          // A fragment's resolution is recomputed from the keys; only a tie is a fact of its own.
          ...(e.by === 'id' && e.publicKey !== undefined ? { publicKey: e.publicKey } : {}),
          ...(e.ip !== undefined ? { ip: e.ip, port: e.port ?? 0 } : {}),
          ...(e.lastSeen !== undefined ? { lastSeen: e.lastSeen } : {}),
          ...(e.latestHandshake !== undefined ? { latestHandshake: e.latestHandshake } : {}),
          ...(e.fromDump ? { fromDump: true } : {}),
        });
      } else {
        const live = e.peer?.linked === true ? e.peer : undefined;
        const key = (live !== undefined ? this.#resolve(live) : undefined) ?? e.publicKey;
        const a: AddressEntrySnapshot = {
          kind: 'address', host, iface, ip: e.ip, port: e.port, at: e.at, linked: live !== undefined, fromDump: e.fromDump,
          ...(e.lastSeen !== undefined ? { lastSeen: e.lastSeen } : {}),
          ...(e.peerId !== undefined ? { peerId: e.peerId } : {}),
          ...(e.fragment !== undefined ? { fragment: e.fragment } : {}),
          ...(key !== undefined ? { publicKey: key } : {}),
        };
        entries.push(a);
      }
    }
    return { version: SNAPSHOT_VERSION, entries };
  }

  /** Replaces the learned state with a snapshot's (checked first; throws SnapshotError listing every problem). */
  restore(snapshot: unknown): void {
    const s = checkSnapshot(snapshot);
    for (const e of [...this.#lru.oldestFirst()]) this.#remove(e);
    this.#scopes.clear();
    // Oldest first, so that when the snapshot is larger than this directory's bound the newest survive.
    for (const x of s.entries) {
      const scope = this.#scope(x.host, x.iface);
      if (x.kind === 'interface') {
        this.#setOwnKey(scope, x.publicKey, x.listenPort);
      } else if (x.kind === 'peer') {
        const map = x.by === 'id' ? scope.ids : x.by === 'key' ? scope.keys : scope.fragments;
        const old = map.get(x.ref);
        if (old !== undefined) this.#remove(old);
        const entry = this.#addPeer(scope, x.by, x.ref);
        if (x.by === 'id') entry.publicKey = x.publicKey;
        entry.ip = x.ip;
        entry.port = x.ip !== undefined ? (x.port ?? 0) : undefined;
        entry.lastSeen = x.lastSeen;
        entry.latestHandshake = x.latestHandshake;
        entry.fromDump = x.fromDump === true;
        if (entry.fromDump && entry.ip !== undefined && entry.port !== undefined) {
          const k = endpointKey(entry.ip, entry.port);
          scope.byEndpoint.set(k, scope.byEndpoint.has(k) ? null : entry);
          entry.endpointKey = k;
        }
      } else {
        const peer = x.linked ? this.#peerFor(scope, x) : undefined;
        const old = scope.addresses.get(x.ip);
        if (old !== undefined) this.#remove(old);
        const a = this.#newAddress(scope, x.ip, x.port, x.at, x.lastSeen, peer, x.fromDump);
        a.peerId = x.peerId;
        a.fragment = x.fragment;
        a.publicKey = x.publicKey;
      }
      this.#evict();
      this.#dropIfEmpty(scope);
    }
    this.#gen++;
  }

  // ---- internals ------------------------------------------------------------------------------------------

  #scope(host: string, iface: string): Scope {
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

  /** Empty scopes go, so that host and interface names cannot accumulate outside the bound. */
  #dropIfEmpty(s: Scope): void {
    if (s.entries > 0) return;
    const ifaces = this.#scopes.get(s.host);
    if (ifaces?.get(s.iface) !== s) return;
    ifaces.delete(s.iface);
    if (ifaces.size === 0) this.#scopes.delete(s.host);
  }

  *#scopesOf(host: string, iface: string | undefined): Generator<Scope> {
    const ifaces = this.#scopes.get(host);
    if (ifaces === undefined) return;
    if (iface !== undefined) {
      const s = ifaces.get(iface);
      if (s !== undefined) yield s;
      return;
    }
    yield* ifaces.values();
  }

  #latest(ref: PeerRef, pick: (s: Scope) => PeerEntry | undefined): PeerEntry | undefined {
    let best: PeerEntry | undefined;
    for (const s of this.#scopesOf(ref.host, ref.iface)) {
      const e = pick(s);
      if (e !== undefined && (best === undefined || (e.lastSeen ?? -1) > (best.lastSeen ?? -1))) best = e;
    }
    return best;
  }

  #add(e: Entry): void {
    this.#lru.add(e);
    e.scope.entries++;
  }

  #addPeer(scope: Scope, by: PeerEntry['by'], ref: string): PeerEntry {
    const entry: PeerEntry = {
      kind: 'peer', by, ref, scope, publicKey: by === 'key' ? ref : undefined, gen: -1, ip: undefined, port: undefined,
      lastSeen: undefined, latestHandshake: undefined, fromDump: false, endpointKey: undefined, prev: undefined, next: undefined, linked: false,
    };
    (by === 'id' ? scope.ids : by === 'key' ? scope.keys : scope.fragments).set(ref, entry);
    if (by === 'key') this.#learnKey(ref, 1);
    this.#add(entry);
    return entry;
  }

  #newAddress(scope: Scope, ip: string, port: number, at: number, lastSeen: number | undefined, peer: PeerEntry | undefined, fromDump: boolean): AddressEntry {
    const a: AddressEntry = {
      kind: 'address', scope, ip, port, at, lastSeen, peer, peerId: undefined, fragment: undefined, publicKey: undefined, fromDump,
      prev: undefined, next: undefined, linked: false,
    };
    scope.addresses.set(ip, a);
    this.#add(a);
    return a;
  }

  /** The most recent sighting wins the address; an older one only refreshes the same peer's time. */
  #seenAt(scope: Scope, ip: string, port: number, at: number, lastSeen: number | undefined, peer: PeerEntry, fromDump: boolean): void {
    let a = scope.addresses.get(ip);
    if (a !== undefined && at < a.at) return;
    if (a === undefined) a = this.#newAddress(scope, ip, port, at, lastSeen, peer, fromDump);
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

  #setOwnKey(scope: Scope, publicKey: string, listenPort: number | undefined): void {
    const own = scope.own;
    if (own !== undefined && own.publicKey === publicKey) {
      own.listenPort = listenPort;
      this.#lru.touch(own);
      return;
    }
    if (own !== undefined) this.#remove(own);
    const entry: InterfaceEntry = { kind: 'interface', scope, publicKey, listenPort, prev: undefined, next: undefined, linked: false };
    scope.own = entry;
    let set = this.#ownKeys.get(publicKey);
    if (set === undefined) this.#ownKeys.set(publicKey, (set = new Set<InterfaceEntry>()));
    set.add(entry);
    this.#learnKey(publicKey, 1);
    this.#add(entry);
  }

  #peerFor(scope: Scope, a: AddressEntrySnapshot): PeerEntry | undefined {
    if (a.peerId !== undefined) return scope.ids.get(a.peerId);
    if (a.fragment !== undefined) return scope.fragments.get(a.fragment) ?? (a.publicKey !== undefined ? scope.keys.get(a.publicKey) : undefined);
    return a.publicKey !== undefined ? scope.keys.get(a.publicKey) : undefined;
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

  #remove(e: Entry): void {
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
      const map = e.by === 'id' ? s.ids : e.by === 'key' ? s.keys : s.fragments;
      if (map.get(e.ref) === e) map.delete(e.ref);
      if (e.by === 'key') {
        if (e.endpointKey !== undefined && s.byEndpoint.get(e.endpointKey) === e) s.byEndpoint.delete(e.endpointKey);
        this.#learnKey(e.ref, -1);
      }
    }
  }

  #evict(): void {
    while (this.#lru.size > this.#max) {
      const victim = this.#lru.oldest;
      if (victim === undefined) return;
      this.#remove(victim);
      this.#dropIfEmpty(victim.scope);
    }
  }

  #forgetIds(e: WgEventDoc, action: string): void {
    const host = e.host?.name ?? '';
    const whole = action === MODULE_LOADED || action === MODULE_UNLOADED;
    const iface = whole ? undefined : (e.observer?.ingress?.interface?.name ?? '');
    for (const scope of [...this.#scopesOf(host, iface)]) {
      if (scope.ids.size === 0) continue;
      for (const entry of [...scope.ids.values()]) this.#remove(entry);
      this.#dropIfEmpty(scope);
    }
  }

  #resolve(entry: PeerEntry): string | undefined {
    if (entry.by !== 'fragment') return entry.publicKey;
    if (entry.gen !== this.#gen) {
      entry.publicKey = this.#resolveFragment(entry.ref);
      entry.gen = this.#gen;
    }
    return entry.publicKey;
  }

  /**
   * A fragment stands for a full key only when exactly one key known anywhere (inventory, dumps, printed keys)
   * matches. Even a device whose dump lists a single match is not trusted over that: the dump may predate the
   * peer that printed the line.
   */
  #resolveFragment(fragment: string): string | undefined {
    const inv = this.#inventory?.byFragment(fragment) ?? NO_STRINGS;
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

  #byKey(ref: PeerRef, key: string): Attribution | undefined {
    const fragment = keyFragment(key);
    let lastSeen: number | undefined;
    let endpointAt = -1;
    let endpoint: string | undefined;
    let peerId: string | undefined;
    let found = false;
    const consider = (e: PeerEntry | undefined): void => {
      if (e === undefined || this.#resolve(e) !== key) return;
      found = true;
      const seen = e.lastSeen ?? -1;
      if (e.lastSeen !== undefined && (lastSeen === undefined || e.lastSeen > lastSeen)) lastSeen = e.lastSeen;
      if (e.ip !== undefined && seen >= endpointAt) { endpoint = formatEndpoint(e.ip, e.port ?? 0); endpointAt = seen; }
      if (e.by === 'id') peerId = e.ref;
    };
    for (const s of this.#scopesOf(ref.host, ref.iface)) {
      consider(s.keys.get(key));
      consider(s.fragments.get(fragment));
      for (const e of s.ids.values()) consider(e);
    }
    if (!found) return this.#inventory?.peer(key) !== undefined ? this.#attribution('inventory', key, {}) : undefined;
    return this.#attribution('public-key', key, { peerId, endpoint, lastSeen });
  }

  #fromEntry(method: AttributionMethod, e: PeerEntry): Attribution {
    return this.#attribution(method, this.#resolve(e), {
      peerId: e.by === 'id' ? e.ref : undefined,
      fragment: e.by === 'fragment' ? e.ref : undefined,
      endpoint: e.ip !== undefined ? formatEndpoint(e.ip, e.port ?? 0) : undefined,
      lastSeen: e.lastSeen,
    });
  }

  #attribution(method: AttributionMethod, key: string | undefined, o: { peerId?: string | undefined; fragment?: string | undefined; endpoint?: string | undefined; lastSeen?: number | undefined }): Attribution {
    const out: Attribution = { method };
    if (key !== undefined) out.publicKey = key;
    const fragment = key !== undefined ? keyFragment(key) : o.fragment;
    if (fragment !== undefined) out.fragment = fragment;
    if (o.peerId !== undefined) out.peerId = o.peerId;
    const inv = key !== undefined ? this.#inventory?.peer(key) : undefined;
    if (inv?.name !== undefined) out.name = inv.name;
    if (inv?.owner !== undefined) out.owner = inv.owner;
    if (inv?.device !== undefined) out.device = inv.device;
    if (o.endpoint !== undefined) out.endpoint = o.endpoint;
    if (o.lastSeen !== undefined) out.lastSeen = o.lastSeen;
    return out;
  }
}
