// The peer directory's learned state to its plain-JSON snapshot (snapshot.ts) and back. Entries are written in
// least-recently-used order, so that a restore into a smaller bound keeps the newest.
import type { AddressEntrySnapshot, EntrySnapshot, PeerDirectorySnapshot } from './snapshot.ts';
import { SNAPSHOT_VERSION, checkSnapshot } from './snapshot.ts';
import { indexEndpoint, peersBy, type PeerEntry, type PeerStore, type Scope } from './peer-store.ts';

export function snapshotOf(store: PeerStore): PeerDirectorySnapshot {
  const entries: EntrySnapshot[] = [];
  for (const e of store.oldestFirst()) {
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
      const key = store.addressKey(e);
      const a: AddressEntrySnapshot = {
        kind: 'address', host, iface, ip: e.ip, port: e.port, at: e.at, linked: e.peer?.linked === true, fromDump: e.fromDump,
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
export function restoreSnapshot(store: PeerStore, snapshot: unknown): void {
  const s = checkSnapshot(snapshot);
  store.clear();
  // Oldest first, so that when the snapshot is larger than the directory's bound the newest survive.
  for (const x of s.entries) {
    const scope = store.scope(x.host, x.iface);
    if (x.kind === 'interface') {
      store.setOwnKey(scope, x.publicKey, x.listenPort);
    } else if (x.kind === 'peer') {
      const old = peersBy(scope, x.by).get(x.ref);
      if (old !== undefined) store.remove(old);
      const entry = store.addPeer(scope, x.by, x.ref);
      if (x.by === 'id') entry.publicKey = x.publicKey;
      entry.ip = x.ip;
      entry.port = x.ip !== undefined ? (x.port ?? 0) : undefined;
      entry.lastSeen = x.lastSeen;
      entry.latestHandshake = x.latestHandshake;
      entry.fromDump = x.fromDump === true;
      if (entry.fromDump && entry.ip !== undefined && entry.port !== undefined) indexEndpoint(scope, entry, entry.ip, entry.port);
    } else {
      const peer = x.linked ? linkedPeer(scope, x) : undefined;
      const old = scope.addresses.get(x.ip);
      if (old !== undefined) store.remove(old);
      const a = store.newAddress(scope, x.ip, x.port, x.at, x.lastSeen, peer, x.fromDump);
      a.peerId = x.peerId;
      a.fragment = x.fragment;
      a.publicKey = x.publicKey;
    }
    store.evict();
    store.dropIfEmpty(scope);
  }
  store.invalidate();
}

/** The peer entry an address entry was linked to, if the snapshot restored it before the address. */
function linkedPeer(scope: Scope, a: AddressEntrySnapshot): PeerEntry | undefined {
  if (a.peerId !== undefined) return scope.ids.get(a.peerId);
  if (a.fragment !== undefined) return scope.fragments.get(a.fragment) ?? (a.publicKey !== undefined ? scope.keys.get(a.publicKey) : undefined);
  return a.publicKey !== undefined ? scope.keys.get(a.publicKey) : undefined;
}
