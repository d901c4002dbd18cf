// Which configured peer an alert is about: from the alert's group (a peer reference, or a remote address) and
// what the partition's peer directory learned from the events and the inventory.
import type { Alert } from '../rules/types.ts';
import type { Attribution, PeerDirectory } from '../../enrich/peer-directory.ts';
import type { TunnelHints } from '../diagnose/tunnel.ts';
import type { AlertAttribution } from '../../sinks/elasticsearch/alert-doc.ts';

/** A peer group value as printed: a key fragment (wireguard-go), a kernel peer number, or a full key. */
export function peerRef(value: string): { fragment: string } | { id: string } | { publicKey: string } {
  if (value.includes('…')) return { fragment: value };
  if (/^\d+$/.test(value)) return { id: value };
  return { publicKey: value };
}

function toAlertAttribution(a: Attribution): AlertAttribution {
  return {
    method: a.method,
    ...(a.publicKey !== undefined ? { publicKey: a.publicKey } : {}),
    ...(a.fragment !== undefined ? { fragment: a.fragment } : {}),
    ...(a.peerId !== undefined ? { peerId: a.peerId } : {}),
    ...(a.name !== undefined ? { name: a.name } : {}),
    ...(a.owner !== undefined ? { owner: a.owner } : {}),
    ...(a.device !== undefined ? { device: a.device } : {}),
    ...(a.endpoint !== undefined ? { endpoint: a.endpoint } : {}),
    ...(a.lastSeen !== undefined ? { lastSeen: a.lastSeen } : {}),
  };
}

export function attributeAlert(peers: PeerDirectory, alert: Alert): AlertAttribution | undefined {
  const g = alert.group;
  const host = g['host.name'];
  if (host === undefined) return undefined;
  const iface = g['observer.ingress.interface.name'];
  const peer = g['peer'];
  if (peer !== undefined) {
    const found = peers.byPeer({ host, ...(iface !== undefined ? { iface } : {}), ...peerRef(peer) });
    return found ? toAlertAttribution(found) : undefined;
  }
  const ip = g['source.ip'] ?? g['remote'];
  if (ip === undefined) return undefined;
  const found = peers.byAddress(host, iface, ip);
  return found ? toAlertAttribution(found) : undefined;
}

/** The other end of the alert's tunnel, when the inventory or a dump says which host it is. */
export function counterpartHints(peers: PeerDirectory, alert: Alert): TunnelHints {
  const g = alert.group;
  const host = g['host.name'];
  const peer = g['peer'];
  if (host === undefined || peer === undefined) return {};
  const iface = g['observer.ingress.interface.name'];
  const found = peers.counterparts({ host, ...(iface !== undefined ? { iface } : {}), ...peerRef(peer) });
  return found.length > 0 ? { counterparts: found.map((c) => ({ host: c.host, iface: c.iface, source: c.source === 'dump' ? 'snapshot' as const : 'inventory' as const })) } : {};
}
