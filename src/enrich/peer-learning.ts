// What the peer directory learns, and from what: an event ties the peer it names (kernel id, key fragment or full
// key) to the address it was seen at, and its lifecycle lines end what the kernel numbers afresh; a `wg show dump`
// replaces what the host's previous dump said about its interfaces, their peers and their endpoints.
import type { WgEventDoc } from '../shared/schema/generated/event.ts';
import { endpointKey, indexEndpoint, peersBy, type PeerEntry, type PeerStore } from './peer-store.ts';
import type { DumpSnapshot } from '../parse/wg-dump.ts';

const PEER_CREATED = 'wireguard-peer-created';
const PEER_REMOVED = 'wireguard-peer-removed';
// After these, the kernel numbers peers afresh: every id learned before means nothing.
const IFACE_CREATED = 'wireguard-interface-created';
const IFACE_DESTROYED = 'wireguard-interface-destroyed';
const MODULE_LOADED = 'wireguard-module-loaded';
const MODULE_UNLOADED = 'wireguard-module-unloaded';

export function learnFromEvent(store: PeerStore, e: WgEventDoc): void {
  const p = e.wireguard?.peer;
  const id = p?.id;
  const fragment = p?.key_fragment;
  const key = p?.public_key;
  if (id === undefined && fragment === undefined && key === undefined) {
    const a = e.event.action;
    if (a === IFACE_CREATED || a === IFACE_DESTROYED || a === MODULE_LOADED || a === MODULE_UNLOADED) forgetIds(store, e, a);
    return;
  }
  const t = Date.parse(e['@timestamp']);
  const at = Number.isFinite(t) ? t : 0;
  const scope = store.scope(e.host?.name ?? '', e.observer?.ingress?.interface?.name ?? '');
  const action = e.event.action;
  const by = id !== undefined ? 'id' : key !== undefined ? 'key' : 'fragment';
  const ref = (id ?? key ?? fragment) as string;

  let entry = peersBy(scope, by).get(ref);
  // A created peer is a new life: whatever the previous holder of this id had (endpoint, key) is not its.
  // A full-key entry is the same peer whatever its life, so it stays.
  if (action === PEER_CREATED && entry !== undefined && by !== 'key') {
    store.remove(entry);
    entry = undefined;
  }
  entry ??= store.addPeer(scope, by, ref);
  if (by === 'id' && key !== undefined && entry.publicKey === undefined) entry.publicKey = key;

  // The remote end: the source of what was received, the destination of what was sent.
  const src = e.source?.ip;
  const ip = src ?? e.destination?.ip;
  const port = (src !== undefined ? e.source?.port : e.destination?.port) ?? 0;
  if (ip !== undefined) {
    entry.ip = ip;
    entry.port = port;
    if (by === 'id' && entry.publicKey === undefined && scope.byEndpoint.size > 0) tieToDumped(entry, scope.byEndpoint, ip, port);
  }
  if (action !== PEER_CREATED && (entry.lastSeen === undefined || at > entry.lastSeen)) entry.lastSeen = at;
  store.touch(entry);
  if (ip !== undefined) store.seenAt(scope, ip, port, at, at, entry, false);

  if (action === PEER_REMOVED && by !== 'key') store.remove(entry);
  store.evict();
  store.dropIfEmpty(scope);
}

/** Everything the dump shows about the host's interfaces and their peers; it replaces the previous dump. */
export function learnFromDump(store: PeerStore, s: DumpSnapshot): void {
  for (const x of s.interfaces) {
    const scope = store.scope(s.host, x.name);
    if (x.publicKey !== null) store.setOwnKey(scope, x.publicKey, x.listenPort ?? undefined);
    else if (scope.own !== undefined) store.remove(scope.own);
    const present = new Set<string>();
    const byEndpoint = new Map<string, PeerEntry | null>();
    for (const p of s.peers) {
      if (p.interface !== x.name) continue;
      present.add(p.publicKey);
      const entry = scope.keys.get(p.publicKey) ?? store.addPeer(scope, 'key', p.publicKey);
      entry.fromDump = true;
      entry.latestHandshake = p.latestHandshakeMs ?? undefined;
      if (p.latestHandshakeMs !== null && (entry.lastSeen === undefined || p.latestHandshakeMs > entry.lastSeen)) entry.lastSeen = p.latestHandshakeMs;
      if (p.endpointIp !== null && p.endpointPort !== null) {
        entry.ip = p.endpointIp;
        entry.port = p.endpointPort;
        indexEndpoint(scope, entry, p.endpointIp, p.endpointPort, byEndpoint);
      }
      store.touch(entry);
      // A configured endpoint that never completed a handshake orders below anything actually seen.
      if (p.endpointIp !== null) store.seenAt(scope, p.endpointIp, p.endpointPort ?? 0, p.latestHandshakeMs ?? 0, p.latestHandshakeMs ?? undefined, entry, true);
    }
    // Peers gone from the configuration are gone from the device; keys printed by events stay.
    for (const entry of [...scope.keys.values()]) if (entry.fromDump && !present.has(entry.ref)) store.remove(entry);
    scope.byEndpoint = byEndpoint;
    for (const entry of scope.ids.values()) {
      if (entry.publicKey === undefined && entry.ip !== undefined && entry.port !== undefined) tieToDumped(entry, byEndpoint, entry.ip, entry.port);
    }
    store.invalidate();
    store.evict();
    store.dropIfEmpty(scope);
  }
}

/** A kernel id seen at the endpoint of exactly one dump peer is that peer. */
function tieToDumped(entry: PeerEntry, byEndpoint: ReadonlyMap<string, PeerEntry | null>, ip: string, port: number): void {
  const dumped = byEndpoint.get(endpointKey(ip, port));
  if (dumped) entry.publicKey = dumped.publicKey;
}

function forgetIds(store: PeerStore, e: WgEventDoc, action: string): void {
  const host = e.host?.name ?? '';
  const whole = action === MODULE_LOADED || action === MODULE_UNLOADED;
  const iface = whole ? undefined : (e.observer?.ingress?.interface?.name ?? '');
  for (const scope of [...store.scopesOf(host, iface)]) {
    if (scope.ids.size === 0) continue;
    for (const entry of [...scope.ids.values()]) store.remove(entry);
    store.dropIfEmpty(scope);
  }
}
