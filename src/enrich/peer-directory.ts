// What wg-siem knows about peers, learned from the events themselves and from `wg show dump`: which kernel peer id
// or wireguard-go key fragment is which full key, at which address each peer was last seen, and which host is
// the other end of a tunnel. Bounded: at most `maxEntries` learned entries, least recently used evicted first.
//
// This is the one face the pipeline and the alerting see; the work is done by the learned state and its bound
// (peer-store.ts), what is learned from events and dumps (peer-learning.ts), the answers (peer-lookup.ts) and
// the snapshot form (peer-persistence.ts).
import type { WgEventDoc } from '../shared/schema/generated/event.ts';
import type { Inventory } from './inventory.ts';
import { learnFromDump, learnFromEvent } from './peer-learning.ts';
import { counterpartsOf, enrichEvent, peerAtAddress, peerByRef } from './peer-lookup.ts';
import { restoreSnapshot, snapshotOf } from './peer-persistence.ts';
import { PeerStore } from './peer-store.ts';
import type { PeerDirectorySnapshot } from './snapshot.ts';
import type { Attribution, AttributionMethod, Counterpart, PeerRef } from './types.ts';
import type { DumpSnapshot } from '../parse/wg-dump.ts';

export type { Attribution, AttributionMethod, Counterpart, PeerDirectorySnapshot, PeerRef };

export interface PeerDirectoryOptions {
  readonly maxEntries: number;
  readonly inventory?: Inventory;
}

export class PeerDirectory {
  readonly #store: PeerStore;

  constructor(opts: PeerDirectoryOptions) {
    this.#store = new PeerStore(opts.maxEntries, opts.inventory);
  }

  /** Learned entries (the inventory is not counted). */
  get size(): number {
    return this.#store.size;
  }

  observe(e: WgEventDoc): void {
    learnFromEvent(this.#store, e);
  }

  /** Everything the dump shows about the host's interfaces and their peers; it replaces the previous dump. */
  observeDump(s: DumpSnapshot): void {
    learnFromDump(this.#store, s);
  }

  /** Fills wireguard.peer.public_key / name / owner / device when they can be known for sure. */
  enrich(e: WgEventDoc): void {
    enrichEvent(this.#store, e);
  }

  /** Which peer was last seen at this address (port ignored: NAT changes it), and when. */
  byAddress(host: string, iface: string | undefined, ip: string): Attribution | undefined {
    return peerAtAddress(this.#store, host, iface, ip);
  }

  byPeer(ref: PeerRef): Attribution | undefined {
    return peerByRef(this.#store, ref);
  }

  /** The host interfaces whose own key is this peer's key: the other end of its tunnel. */
  counterparts(ref: PeerRef): Counterpart[] {
    return counterpartsOf(this.#store, ref);
  }

  /** Host names under which this peer's own logs arrive (inventory `hosts`). */
  peerHosts(publicKey: string): readonly string[] {
    return this.#store.inventory?.hostsOf(publicKey) ?? [];
  }

  snapshot(): PeerDirectorySnapshot {
    return snapshotOf(this.#store);
  }

  /** Replaces the learned state with a snapshot's (checked first; throws SnapshotError listing every problem). */
  restore(snapshot: unknown): void {
    restoreSnapshot(this.#store, snapshot);
  }
}
