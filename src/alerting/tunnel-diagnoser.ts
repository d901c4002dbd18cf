// Fetches what both ends of a tunnel logged around an alert and hands it to the pure diagnosis (src/diagnose).
// Elasticsearch holds every host's events, so an instance that owns only the alerting host's partition can
// still see the other end: that is how cross-host diagnosis works with N instances.
import type { Client } from '@elastic/elasticsearch';
import type { Rule } from '../correlate/rule-types.ts';
import type { Alert } from '../correlate/types.ts';
import { diagnoseTunnel, type TunnelHints, type TunnelQuery } from '../diagnose/tunnel.ts';
import type { WgEventDoc } from '../schema/generated/event.ts';
import type { AlertAttribution, AlertDiagnosis } from './alert-doc.ts';
import { peerRef } from './attribute.ts';
import type { AlertDiagnoser } from './correlation-stage.ts';

/** Margin around the alert's period: the other end's lines may be a little earlier or later. */
const MARGIN_MS = 30_000;
const MAX_LOCAL = 1000;
const MAX_OTHERS = 2000;

/** What the responder or initiator side of a handshake logs; everything else on other hosts is noise here. */
export const TUNNEL_ACTIONS: readonly string[] = [
  'wireguard-handshake-initiation-sent',
  'wireguard-handshake-timeout-retry',
  'wireguard-handshake-timeout-giving-up',
  'wireguard-handshake-initiation-received',
  'wireguard-handshake-initiation-invalid',
  'wireguard-handshake-mac-invalid',
  'wireguard-handshake-initiation-replay',
  'wireguard-handshake-initiation-flood',
  'wireguard-handshake-response-sent',
  'wireguard-handshake-response-received',
  'wireguard-handshake-response-invalid',
  'wireguard-session-established',
  'wireguard-session-keypair-obtained',
  'wireguard-cookie-reply-sent',
  'wireguard-cookie-reply-received',
  'wireguard-handshake-dropped-overload',
  'wireguard-packet-source-not-allowed',
  'wireguard-log-suppressed',
];

const eventsPattern = (ns: string): string => `logs-wireguard.log-${ns}`;
const peersPattern = (ns: string): string => `logs-wireguard.peer-${ns}`;
/** How far back a peer-state snapshot still says who owns a key (a collector polls every 30 s by default). */
const SNAPSHOT_LOOKBACK_MS = 60 * 60_000;
const MAX_SNAPSHOT_PEERS = 200;

interface PeerStateHit { host?: { name?: string }; observer?: { ingress?: { interface?: { name?: string } } }; wireguard?: { peer?: { public_key?: string } } }

export class EsTunnelDiagnoser implements AlertDiagnoser {
  private readonly es: Client;
  private readonly index: string;
  private readonly peers: string;

  constructor(es: Client, namespace: string) {
    this.es = es;
    this.index = eventsPattern(namespace);
    this.peers = peersPattern(namespace);
  }

  async diagnose(rule: Rule, alert: Alert, attribution: AlertAttribution | undefined, given?: TunnelHints): Promise<AlertDiagnosis | undefined> {
    if (!rule.tunnel) return undefined;
    const g = alert.group;
    const host = g['host.name'];
    if (host === undefined) return undefined;
    const iface = g['observer.ingress.interface.name'];
    const peer = g['peer'];
    const remoteIp = g['source.ip'] ?? g['remote'];
    const q: TunnelQuery = {
      side: rule.tunnel, host, start: alert.start, end: alert.end,
      ...(iface !== undefined ? { iface } : {}),
      ...(peer !== undefined ? { peer: peerRef(peer) } : {}),
      ...(remoteIp !== undefined ? { remoteIp } : {}),
    };
    let hints = given;
    if ((given?.counterparts ?? []).length === 0) {
      const found = await this.snapshotCounterparts(q, attribution?.publicKey).catch(() => []);
      if (found.length > 0) hints = { ...given, counterparts: found };
    }
    const range = { range: { '@timestamp': { gte: alert.start - MARGIN_MS, lte: alert.end + MARGIN_MS, format: 'epoch_millis' } } };
    const [local, others] = await Promise.all([
      this.search({ bool: { filter: [range, { term: { 'host.name': host } }] } }, MAX_LOCAL),
      this.search({ bool: { filter: [range, { terms: { 'event.action': TUNNEL_ACTIONS } }], must_not: [{ term: { 'host.name': host } }] } }, MAX_OTHERS),
    ]);
    return diagnoseTunnel(q, local, others, hints);
  }

  /**
   * The other end from peer-state snapshots (`wg-siem collect`): the key this end has for the peer (from the
   * attribution, or from this end's own snapshots by key fragment or endpoint address) is, on the other end,
   * that host's own interface key. Works across instances: the snapshots are in Elasticsearch.
   */
  private async snapshotCounterparts(q: TunnelQuery, attributedKey: string | undefined): Promise<{ host: string; iface?: string; source: 'snapshot' }[]> {
    const recent = { range: { '@timestamp': { gte: q.start - SNAPSHOT_LOOKBACK_MS, lte: q.end + MARGIN_MS, format: 'epoch_millis' } } };
    const given = attributedKey ?? q.peer?.publicKey;
    let keys: string[];
    if (given !== undefined) keys = [given];
    else {
      // By key fragment or endpoint when the alert names the peer; otherwise every peer of the interface (a rule
      // grouped per interface): their owners are candidates, and timing ranks them.
      const which = q.peer?.fragment !== undefined ? [{ term: { 'wireguard.peer.key_fragment': q.peer.fragment } }]
        : q.remoteIp !== undefined ? [{ term: { 'source.ip': q.remoteIp } }] : [];
      const mine = await this.searchPeers({ bool: { filter: [recent, ...which, { term: { 'host.name': q.host } }, ...(q.iface !== undefined ? [{ term: { 'observer.ingress.interface.name': q.iface } }] : [])] } }, MAX_SNAPSHOT_PEERS);
      keys = [...new Set(mine.flatMap((m) => (m.wireguard?.peer?.public_key !== undefined ? [m.wireguard.peer.public_key] : [])))];
      if (keys.length === 0) return [];
    }
    const owners = await this.searchPeers({ bool: { filter: [recent, { terms: { 'wireguard.interface.public_key': keys } }], must_not: [{ term: { 'host.name': q.host } }] } }, MAX_SNAPSHOT_PEERS);
    const out = new Map<string, { host: string; iface?: string; source: 'snapshot' }>();
    for (const o of owners) {
      const host = o.host?.name;
      if (host === undefined) continue;
      const iface = o.observer?.ingress?.interface?.name;
      out.set(`${host}\u001f${iface ?? ''}`, { host, ...(iface !== undefined ? { iface } : {}), source: 'snapshot' });
    }
    return [...out.values()];
  }

  private async searchPeers(query: object, size: number): Promise<PeerStateHit[]> {
    const res = await this.es.search<PeerStateHit>({
      index: this.peers, size, query, sort: [{ '@timestamp': 'desc' }], ignore_unavailable: true,
      _source: ['host.name', 'observer.ingress.interface.name', 'wireguard.peer.public_key'],
    });
    return res.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
  }

  private async search(query: object, size: number): Promise<WgEventDoc[]> {
    const res = await this.es.search<WgEventDoc>({
      index: this.index, size, query, sort: [{ '@timestamp': 'asc' }], ignore_unavailable: true,
      _source: { excludes: ['event.original', 'wireguard.diagnosis'] },
    });
    return res.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
  }
}
