// The peer directory's answers: the full key, name and owner of the peer an event names (the hot path, per event),
// and for alerts which peer was at an address or behind an id, fragment or key, and which host is its tunnel's other
// end. An answer says how the peer was identified; the inventory adds who it is once its key is known.
import { canonicalIp } from '../shared/net/ip.ts';
import type { WgEventDoc } from '../shared/schema/generated/event.ts';
import { keyFragment } from './keys.ts';
import type { AddressEntry, PeerEntry, PeerStore, Scope } from './peer-store.ts';
import type { Attribution, AttributionMethod, Counterpart, PeerRef } from './types.ts';

interface AttributionFacts {
  peerId?: string | undefined;
  fragment?: string | undefined;
  endpoint?: string | undefined;
  lastSeen?: number | undefined;
}

function formatEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Fills wireguard.peer.public_key / name / owner / device when they can be known for sure. */
export function enrichEvent(store: PeerStore, e: WgEventDoc): void {
  const p = e.wireguard?.peer;
  if (p === undefined) return;
  let key = p.public_key;
  if (key === undefined) {
    const id = p.id;
    const fragment = p.key_fragment;
    if (id === undefined && fragment === undefined) return;
    const scope = store.existingScope(e.host?.name ?? '', e.observer?.ingress?.interface?.name ?? '');
    if (id !== undefined) {
      const entry = scope?.ids.get(id);
      key = entry?.publicKey;
    } else if (fragment !== undefined) {
      const entry = scope?.fragments.get(fragment);
      key = entry !== undefined ? store.resolve(entry) : store.resolveFragment(fragment);
    }
    if (key === undefined) return;
    p.public_key = key;
  }
  const inv = store.inventory?.peer(key);
  if (inv === undefined) return;
  if (inv.name !== undefined) p.name = inv.name;
  if (inv.owner !== undefined) p.owner = inv.owner;
  if (inv.device !== undefined) p.device = inv.device;
}

/** Which peer was last seen at this address (port ignored: NAT changes it), and when. */
export function peerAtAddress(store: PeerStore, host: string, iface: string | undefined, ip: string): Attribution | undefined {
  const addr = canonicalIp(ip) ?? ip;
  let best: AddressEntry | undefined;
  for (const scope of store.scopesOf(host, iface)) {
    const a = scope.addresses.get(addr);
    if (a !== undefined && (best === undefined || a.at > best.at)) best = a;
  }
  if (best === undefined) return undefined;
  const key = store.addressKey(best) ?? (best.fragment !== undefined ? store.resolveFragment(best.fragment) : undefined);
  return attribution(store, best.fromDump ? 'dump' : 'address', key, {
    peerId: best.peerId, fragment: best.fragment, endpoint: formatEndpoint(best.ip, best.port), lastSeen: best.lastSeen,
  });
}

export function peerByRef(store: PeerStore, ref: PeerRef): Attribution | undefined {
  if (ref.id !== undefined) {
    const entry = latest(store, ref, (s) => s.ids.get(ref.id as string));
    return entry && fromEntry(store, 'kernel-peer-id', entry);
  }
  if (ref.fragment !== undefined) {
    const fragment = ref.fragment;
    const entry = latest(store, ref, (s) => s.fragments.get(fragment));
    if (entry !== undefined) return fromEntry(store, 'key-fragment', entry);
    const key = store.resolveFragment(fragment);
    return key === undefined ? undefined : attribution(store, 'key-fragment', key, { fragment });
  }
  if (ref.publicKey !== undefined) return byKey(store, ref, ref.publicKey);
  return undefined;
}

/** The host interfaces whose own key is this peer's key: the other end of its tunnel. */
export function counterpartsOf(store: PeerStore, ref: PeerRef): Counterpart[] {
  const key = ref.publicKey ?? peerByRef(store, ref)?.publicKey;
  if (key === undefined) return [];
  const out: Counterpart[] = [];
  for (const x of store.inventory?.interfacesWithKey(key) ?? []) {
    out.push({ host: x.host, iface: x.interface, ...(x.endpoint !== undefined ? { endpoint: x.endpoint } : {}), source: 'inventory' });
  }
  for (const own of store.ownersOf(key) ?? []) {
    if (!out.some((c) => c.host === own.scope.host && c.iface === own.scope.iface)) out.push({ host: own.scope.host, iface: own.scope.iface, source: 'dump' });
  }
  return out;
}

function latest(store: PeerStore, ref: PeerRef, pick: (s: Scope) => PeerEntry | undefined): PeerEntry | undefined {
  let best: PeerEntry | undefined;
  for (const s of store.scopesOf(ref.host, ref.iface)) {
    const e = pick(s);
    if (e !== undefined && (best === undefined || (e.lastSeen ?? -1) > (best.lastSeen ?? -1))) best = e;
  }
  return best;
}

function byKey(store: PeerStore, ref: PeerRef, key: string): Attribution | undefined {
  const fragment = keyFragment(key);
  let lastSeen: number | undefined;
  let endpointAt = -1;
  let endpoint: string | undefined;
  let peerId: string | undefined;
  let found = false;
  const consider = (e: PeerEntry | undefined): void => {
    if (e === undefined || store.resolve(e) !== key) return;
    found = true;
    const seen = e.lastSeen ?? -1;
    if (e.lastSeen !== undefined && (lastSeen === undefined || e.lastSeen > lastSeen)) lastSeen = e.lastSeen;
    if (e.ip !== undefined && seen >= endpointAt) { endpoint = formatEndpoint(e.ip, e.port ?? 0); endpointAt = seen; }
    if (e.by === 'id') peerId = e.ref;
  };
  for (const s of store.scopesOf(ref.host, ref.iface)) {
    consider(s.keys.get(key));
    consider(s.fragments.get(fragment));
    for (const e of s.ids.values()) consider(e);
  }
  if (!found) return store.inventory?.peer(key) !== undefined ? attribution(store, 'inventory', key, {}) : undefined;
  return attribution(store, 'public-key', key, { peerId, endpoint, lastSeen });
}

function fromEntry(store: PeerStore, method: AttributionMethod, e: PeerEntry): Attribution {
  return attribution(store, method, store.resolve(e), {
    peerId: e.by === 'id' ? e.ref : undefined,
    fragment: e.by === 'fragment' ? e.ref : undefined,
    endpoint: e.ip !== undefined ? formatEndpoint(e.ip, e.port ?? 0) : undefined,
    lastSeen: e.lastSeen,
  });
}

function attribution(store: PeerStore, method: AttributionMethod, key: string | undefined, o: AttributionFacts): Attribution {
  const out: Attribution = { method };
  if (key !== undefined) out.publicKey = key;
  const fragment = key !== undefined ? keyFragment(key) : o.fragment;
  if (fragment !== undefined) out.fragment = fragment;
  if (o.peerId !== undefined) out.peerId = o.peerId;
  const inv = key !== undefined ? store.inventory?.peer(key) : undefined;
  if (inv?.name !== undefined) out.name = inv.name;
  if (inv?.owner !== undefined) out.owner = inv.owner;
  if (inv?.device !== undefined) out.device = inv.device;
  if (o.endpoint !== undefined) out.endpoint = o.endpoint;
  if (o.lastSeen !== undefined) out.lastSeen = o.lastSeen;
  return out;
}
