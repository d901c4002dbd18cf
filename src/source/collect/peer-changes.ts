// What changed between two `wg show dump` snapshots of one host, as events worth indexing: peers added or
// removed, an endpoint that moved (roaming, NAT rebinding, or someone else using the key), a handshake that
// went stale, and traffic flowing without any handshake completing (a key or preshared-key mismatch on one of
// the two ends). Each condition is reported once when it starts, not at every poll while it lasts.
import type { DumpPeer, DumpSnapshot } from '../../parse/wg-dump.ts';

export const PEER_CHANGE_KINDS = ['peer-added', 'peer-removed', 'endpoint-changed', 'handshake-stale', 'handshake-failing'] as const;
export type PeerChangeKind = (typeof PEER_CHANGE_KINDS)[number];

export interface PeerChange {
  readonly kind: PeerChangeKind;
  readonly interface: string;
  readonly publicKey: string;
  readonly endpoint: string | null;
  readonly previousEndpoint?: string | null;
  readonly latestHandshakeMs: number | null;
  /** Seconds since the latest handshake at the time of the snapshot (stale, failing). */
  readonly handshakeAgeS?: number;
  /** Bytes received and sent since the previous snapshot (failing). */
  readonly rxDelta?: number;
  readonly txDelta?: number;
}

export interface ChangeOptions {
  /**
   * A handshake older than this is stale. WireGuard discards session keys 180 s after the handshake that made
   * them (REJECT_AFTER_TIME) and an active peer re-handshakes every 120 s, so a live tunnel never gets there.
   */
  readonly staleAfterMs: number;
}

const keyOf = (p: DumpPeer): string => `${p.interface}\u001f${p.publicKey}`;

/** Tracks one host's successive snapshots; the first one only sets the baseline. */
export class PeerChangeTracker {
  private readonly o: ChangeOptions;
  private prev: Map<string, DumpPeer> | undefined;
  /** Peers whose stale or failing condition was already reported. */
  private readonly stale = new Set<string>();
  private readonly failing = new Set<string>();

  constructor(o: ChangeOptions) {
    this.o = o;
  }

  update(s: DumpSnapshot): PeerChange[] {
    const cur = new Map(s.peers.map((p) => [keyOf(p), p]));
    const prev = this.prev;
    this.prev = cur;
    const out: PeerChange[] = [];
    const base = (kind: PeerChangeKind, p: DumpPeer): PeerChange => ({
      kind, interface: p.interface, publicKey: p.publicKey, endpoint: p.endpoint, latestHandshakeMs: p.latestHandshakeMs,
    });
    const age = (p: DumpPeer): number | undefined => (p.latestHandshakeMs === null ? undefined : Math.max(0, s.atMs - p.latestHandshakeMs));
    for (const [k, p] of cur) {
      const before = prev?.get(k);
      if (prev !== undefined && before === undefined) out.push(base('peer-added', p));
      if (before !== undefined && p.endpoint !== null && before.endpoint !== p.endpoint) out.push({ ...base('endpoint-changed', p), previousEndpoint: before.endpoint });

      const a = age(p);
      const isStale = a !== undefined && a > this.o.staleAfterMs;
      if (isStale && !this.stale.has(k)) {
        this.stale.add(k);
        out.push({ ...base('handshake-stale', p), handshakeAgeS: Math.round(a / 1000) });
      } else if (!isStale) this.stale.delete(k);

      // Bytes moving while no handshake completes: initiations and responses that lead nowhere.
      if (before !== undefined) {
        const rxDelta = p.rxBytes - before.rxBytes;
        const txDelta = p.txBytes - before.txBytes;
        const advanced = p.latestHandshakeMs !== null && p.latestHandshakeMs !== before.latestHandshakeMs;
        const isFailing = (rxDelta > 0 || txDelta > 0) && !advanced && (a === undefined || isStale);
        if (isFailing && !this.failing.has(k)) {
          this.failing.add(k);
          out.push({ ...base('handshake-failing', p), ...(a !== undefined ? { handshakeAgeS: Math.round(a / 1000) } : {}), rxDelta, txDelta });
        } else if (advanced) this.failing.delete(k);
      }
    }
    if (prev !== undefined) {
      for (const [k, p] of prev) {
        if (cur.has(k)) continue;
        this.stale.delete(k);
        this.failing.delete(k);
        out.push(base('peer-removed', p));
      }
    }
    return out;
  }
}
