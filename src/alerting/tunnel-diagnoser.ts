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
const MAX_SNAPSHOT_PEERS = 1000;
const MAX_CANDIDATE_HOSTS = 50;

/** One peer's state as a sentence of evidence. */
function stateLine(host: string, h: PeerStateHit): string {
  const p = h.wireguard?.peer;
  const at = h['@timestamp'] !== undefined ? ` at ${h['@timestamp'].slice(11, 19)} UTC` : '';
  const hs = p?.latest_handshake === undefined ? 'no handshake ever completed' : `latest handshake ${p.handshake_age_s ?? '?'} s before`;
  return `${host}'s peer state (wg show dump${at}): peer(${p?.key_fragment ?? '?'})${p?.endpoint !== undefined ? ` at ${p.endpoint}` : ', no endpoint'}, `
    + `${p?.rx_bytes ?? 0} B received and ${p?.tx_bytes ?? 0} B sent, ${hs}${p?.preshared_key_set === true ? '; a preshared key is set' : ''}.`;
}

interface PeerStateHit {
  '@timestamp'?: string;
  host?: { name?: string };
  observer?: { ingress?: { interface?: { name?: string } } };
  source?: { ip?: string };
  wireguard?: {
    peer?: {
      public_key?: string; key_fragment?: string; endpoint?: string; rx_bytes?: number; tx_bytes?: number;
      latest_handshake?: string; handshake_age_s?: number; preshared_key_set?: boolean;
    };
    interface?: { public_key?: string };
  };
}

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
    // A host known to be the other end also shows, by any line at all, that its log is being shipped: its
    // silence during the handshakes then means something (they never arrived).
    const listed = [...new Set((hints?.counterparts ?? []).map((c) => c.host))].filter((h) => h !== host);
    const [local, others, listedLines] = await Promise.all([
      this.search({ bool: { filter: [range, { term: { 'host.name': host } }] } }, MAX_LOCAL),
      this.search({ bool: { filter: [range, { terms: { 'event.action': TUNNEL_ACTIONS } }], must_not: [{ term: { 'host.name': host } }] } }, MAX_OTHERS),
      listed.length === 0 ? Promise.resolve([])
        : this.search({ bool: { filter: [range, { terms: { 'host.name': listed } }], must_not: [{ terms: { 'event.action': TUNNEL_ACTIONS } }] } }, MAX_LOCAL),
    ]);
    others.push(...listedLines);
    const foreign = await this.foreignTunnels(q, others).catch(() => []);
    const d = diagnoseTunnel(q, local, others, foreign.length > 0 ? { ...hints, foreign } : hints);
    const states = await this.stateEvidence(q, d.counterpart?.host).catch(() => []);
    return states.length > 0 ? { ...d, evidence: [...d.evidence, ...states] } : d;
  }

  /**
   * What both ends' peer state said about this tunnel at the end of the alert's period: the counters and the
   * latest handshake show what logs cannot (a server whose log looks healthy, yet no handshake ever completed).
   */
  private async stateEvidence(q: TunnelQuery, other: string | undefined): Promise<string[]> {
    const around = { range: { '@timestamp': { gte: q.start - MARGIN_MS, lte: q.end + MARGIN_MS, format: 'epoch_millis' } } };
    const mine = await this.searchPeers({ bool: { filter: [around, { term: { 'host.name': q.host } }, ...(q.iface !== undefined ? [{ term: { 'observer.ingress.interface.name': q.iface } }] : [])] } }, MAX_SNAPSHOT_PEERS);
    const out: string[] = [];
    const ownKeys = [...new Set(mine.flatMap((m) => (m.wireguard?.interface?.public_key !== undefined ? [m.wireguard.interface.public_key] : [])))];
    let theirs: PeerStateHit | undefined;
    if (other !== undefined && ownKeys.length > 0) {
      theirs = (await this.searchPeers({ bool: { filter: [around, { term: { 'host.name': other } }, { terms: { 'wireguard.peer.public_key': ownKeys } }] } }, 1))[0];
    }
    const peerKeyOnOther = theirs?.wireguard?.interface?.public_key;
    // This end's peer: the other end's own key, else the alert's key fragment, else the interface's only peer.
    const local = mine.find((m) => peerKeyOnOther !== undefined && m.wireguard?.peer?.public_key === peerKeyOnOther)
      ?? mine.find((m) => q.peer?.fragment !== undefined && m.wireguard?.peer?.key_fragment === q.peer.fragment)
      ?? (new Set(mine.map((m) => m.wireguard?.peer?.public_key)).size === 1 ? mine[0] : undefined);
    if (local) out.push(stateLine(q.host, local));
    if (theirs && other !== undefined) out.push(stateLine(other, theirs));
    return out;
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

  /**
   * The other hosts' tunnels that are known to lead elsewhere: a peer of host H whose key is, in the snapshots,
   * the own key of a host other than the alerting one. H's lines about that peer belong to that tunnel, so they
   * must not tie H to this one by timing (several tunnels failing in the same rhythm at once).
   */
  private async foreignTunnels(q: TunnelQuery, others: readonly WgEventDoc[]): Promise<{ host: string; tokens: string[] }[]> {
    const hosts = [...new Set(others.flatMap((d) => (d.host?.name !== undefined ? [d.host.name] : [])))].slice(0, MAX_CANDIDATE_HOSTS);
    if (hosts.length === 0) return [];
    const recent = { range: { '@timestamp': { gte: q.start - SNAPSHOT_LOOKBACK_MS, lte: q.end + MARGIN_MS, format: 'epoch_millis' } } };
    const theirs = await this.searchPeers({ bool: { filter: [recent, { terms: { 'host.name': hosts } }] } }, MAX_SNAPSHOT_PEERS);
    const keys = [...new Set(theirs.flatMap((d) => (d.wireguard?.peer?.public_key !== undefined ? [d.wireguard.peer.public_key] : [])))];
    if (keys.length === 0) return [];
    const owners = new Map<string, string>();
    for (const o of await this.searchPeers({ bool: { filter: [recent, { terms: { 'wireguard.interface.public_key': keys } }] } }, MAX_SNAPSHOT_PEERS)) {
      const k = o.wireguard?.interface?.public_key;
      if (k !== undefined && o.host?.name !== undefined && !owners.has(k)) owners.set(k, o.host.name);
    }
    const out = new Map<string, Set<string>>();
    for (const d of theirs) {
      const host = d.host?.name;
      const key = d.wireguard?.peer?.public_key;
      const owner = key !== undefined ? owners.get(key) : undefined;
      if (host === undefined || owner === undefined || owner === q.host) continue;
      const set = out.get(host) ?? new Set<string>();
      if (d.wireguard?.peer?.key_fragment !== undefined) set.add(`key:${d.wireguard.peer.key_fragment}`);
      if (d.source?.ip !== undefined) set.add(`ip:${d.source.ip}`);
      out.set(host, set);
    }
    return [...out].map(([host, tokens]) => ({ host, tokens: [...tokens] }));
  }

  private async searchPeers(query: object, size: number): Promise<PeerStateHit[]> {
    const res = await this.es.search<PeerStateHit>({
      index: this.peers, size, query, sort: [{ '@timestamp': 'desc' }], ignore_unavailable: true,
      _source: ['@timestamp', 'host.name', 'observer.ingress.interface.name', 'source.ip', 'wireguard.peer', 'wireguard.interface.public_key'],
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
