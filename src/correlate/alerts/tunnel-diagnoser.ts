// Fetches what both ends of a tunnel logged around an alert and hands it to the pure diagnosis (src/correlate/diagnose).
// Elasticsearch holds every host's events, so an instance that owns only the alerting host's partition can
// still see the other end: that is how cross-host diagnosis works with N instances.
import type { Client } from '@elastic/elasticsearch';
import type { Rule } from '../rules/rule-types.ts';
import type { Alert } from '../rules/types.ts';
import { diagnoseTunnel, type HostAddresses, type KeyFacts, type TunnelHints, type TunnelQuery } from '../diagnose/tunnel.ts';
import { keyFragment } from '../../enrich/keys.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import type { AlertAttribution, AlertDiagnosis } from '../../sinks/elasticsearch/alert-doc.ts';
import { peerRef } from './attribute.ts';
import type { AlertDiagnoser } from './correlation-ports.ts';

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
/** Hosts whose newest poll a peer-state lookup reads (each poll holds all of a host's peers). */
const MAX_SNAPSHOT_HOSTS = 500;
/**
 * One evaluation (a batch of alerts, a round of re-diagnoses) asks the same questions for many alerts of one host:
 * searches are shared for this long, their time ranges widened to whole QUANTUM_MS (the diagnosis keeps only the
 * lines of its own padded period). Shorter than the first re-diagnosis delay, so a re-diagnosis sees new lines.
 */
const CACHE_TTL_MS = 3_000;
const QUANTUM_MS = 5_000;
const MAX_CACHED = 500;

/** A time range widened to whole quanta: alerts a few seconds apart ask the same search. */
function period(from: number, to: number, quantum = QUANTUM_MS): object {
  return { range: { '@timestamp': { gte: Math.floor(from / quantum) * quantum, lte: Math.ceil(to / quantum) * quantum, format: 'epoch_millis' } } };
}

/** One peer's state as a sentence of evidence. */
function stateLine(host: string, h: PeerStateHit): string {
  const p = h.wireguard?.peer;
  const at = h['@timestamp'] !== undefined ? ` at ${h['@timestamp'].slice(11, 19)} UTC` : '';
  const hs = p?.latest_handshake === undefined ? 'no handshake ever completed' : `latest handshake ${p.handshake_age_s ?? '?'} s before`;
  return `${host}'s peer state (wg show dump${at}): peer(${p?.key_fragment ?? '?'})${p?.endpoint !== undefined ? ` at ${p.endpoint}` : ', no endpoint'}, `
    + `${p?.rx_bytes ?? 0} B received and ${p?.tx_bytes ?? 0} B sent, ${hs}${p?.preshared_key_set === true ? '; a preshared key is set' : ''}.`;
}

export interface PeerStateHit {
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
    listen?: { port?: number };
  };
}

type Counterparts = NonNullable<TunnelHints['counterparts']>;

const own = (d: PeerStateHit): string | undefined => d.wireguard?.interface?.public_key;
const peerKey = (d: PeerStateHit): string | undefined => d.wireguard?.peer?.public_key;
const ifaceName = (d: PeerStateHit): string | undefined => d.observer?.ingress?.interface?.name;

/**
 * What the peer-state snapshots of this host (`mine`) and of other hosts (`theirs`) say about an alert's tunnel,
 * as hints for the diagnosis: the other end by key (the host whose own key is this end's peer key, or, for a
 * client, the host that has the client's key as a peer) with what the keys prove; the addresses hosts use (their
 * listen ports, the endpoints other hosts see them at); the other hosts' tunnels known to lead elsewhere. Pure.
 */
export function snapshotHints(q: TunnelQuery, mine: readonly PeerStateHit[], theirs: readonly PeerStateHit[], attributedKey?: string): TunnelHints {
  const local = mine.filter((m) => m.host?.name === q.host && (q.iface === undefined || ifaceName(m) === q.iface));
  const others = theirs.filter((d) => d.host?.name !== undefined && d.host.name !== q.host);
  const myKeys = new Set(local.flatMap((m) => (own(m) !== undefined ? [own(m) ?? ''] : [])));
  const given = attributedKey ?? q.peer?.publicKey;
  // A responder's alert names only the address the failing handshakes came from: the peer with that endpoint
  // pairs the host, not the key that failed (several clients behind one NAT, several interfaces of one host).
  const byAddressOnly = given === undefined && q.peer?.fragment === undefined && q.remoteIp !== undefined;
  const peerDocs = given !== undefined ? local.filter((m) => peerKey(m) === given)
    : q.peer?.fragment !== undefined ? local.filter((m) => m.wireguard?.peer?.key_fragment === q.peer?.fragment)
      : q.remoteIp !== undefined ? local.filter((m) => m.source?.ip === q.remoteIp) : local;
  const myPeerKeys = new Set([...(given !== undefined ? [given] : []), ...peerDocs.flatMap((m) => (peerKey(m) !== undefined ? [peerKey(m) ?? ''] : []))]);

  const at = new Map<string, PeerStateHit[]>();
  for (const d of others) {
    const k = `${d.host?.name ?? ''}\u001f${ifaceName(d) ?? ''}`;
    at.set(k, [...(at.get(k) ?? []), d]);
  }
  const counterparts = new Map<string, Counterparts[number]>();
  for (const [k, ds] of [...at].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [host = '', iface = ''] = k.split('\u001f');
    const theirKeys = new Set(ds.flatMap((d) => (own(d) !== undefined ? [own(d) ?? ''] : [])));
    const theirPeers = new Set(ds.flatMap((d) => (peerKey(d) !== undefined ? [peerKey(d) ?? ''] : [])));
    const forward = [...theirKeys].some((x) => myPeerKeys.has(x));
    // Only a client looks for the servers that know its key: every client of a gateway has the gateway's key.
    const reverse = q.side === 'initiator' && [...myKeys].some((x) => theirPeers.has(x));
    if (!forward && !reverse) continue;
    // Paired by address only, what the keys of that peer prove says nothing of the key whose handshakes failed.
    const keys: KeyFacts | undefined = q.side === 'initiator'
      ? { initiatorHasResponderKey: forward, ...(myKeys.size > 0 ? { responderKnowsInitiator: [...myKeys].some((x) => theirPeers.has(x)) } : {}) }
      : byAddressOnly ? undefined
        : { responderKnowsInitiator: true, ...(myKeys.size > 0 ? { initiatorHasResponderKey: [...myKeys].some((x) => theirPeers.has(x)) } : {}) };
    counterparts.set(k, { host, ...(iface !== '' ? { iface } : {}), source: 'snapshot', ...(keys ? { keys } : {}) });
  }

  // Addresses: listen ports, and the endpoints other hosts have for a host's own keys.
  const all = [...local, ...others];
  const owner = new Map<string, string>();
  for (const d of all) if (own(d) !== undefined && d.host?.name !== undefined && !owner.has(own(d) ?? '')) owner.set(own(d) ?? '', d.host.name);
  const addr = new Map<string, { ips: Set<string>; ports: Set<number> }>();
  const entry = (h: string): { ips: Set<string>; ports: Set<number> } => {
    const e = addr.get(h) ?? { ips: new Set<string>(), ports: new Set<number>() };
    addr.set(h, e);
    return e;
  };
  for (const d of all) {
    const h = d.host?.name;
    if (h !== undefined && d.wireguard?.listen?.port !== undefined) entry(h).ports.add(d.wireguard.listen.port);
    const o = peerKey(d) !== undefined ? owner.get(peerKey(d) ?? '') : undefined;
    if (o !== undefined && o !== h && d.source?.ip !== undefined) entry(o).ips.add(d.source.ip);
  }
  const addresses: HostAddresses[] = [...addr].sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([host, e]) => ({ host, ...(e.ips.size > 0 ? { ips: [...e.ips].sort() } : {}), ...(e.ports.size > 0 ? { ports: [...e.ports].sort((a, b) => a - b) } : {}) }));
  const initiatorAddresses = q.side === 'initiator' ? [...(addr.get(q.host)?.ips ?? [])].sort() : [];

  // Other hosts' tunnels whose other end is known to be a third host.
  const foreign = new Map<string, Set<string>>();
  for (const d of others) {
    const h = d.host?.name ?? '';
    const o = peerKey(d) !== undefined ? owner.get(peerKey(d) ?? '') : undefined;
    if (o === undefined || o === q.host) continue;
    const set = foreign.get(h) ?? new Set<string>();
    set.add(`key:${d.wireguard?.peer?.key_fragment ?? keyFragment(peerKey(d) ?? '')}`);
    if (d.source?.ip !== undefined) set.add(`ip:${d.source.ip}`);
    foreign.set(h, set);
  }
  return {
    ...(counterparts.size > 0 ? { counterparts: [...counterparts.values()] } : {}),
    ...(initiatorAddresses.length > 0 ? { initiatorAddresses } : {}),
    ...(addresses.length > 0 ? { addresses } : {}),
    ...(foreign.size > 0 ? { foreign: [...foreign].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([host, tokens]) => ({ host, tokens: [...tokens].sort() })) } : {}),
  };
}

export class EsTunnelDiagnoser implements AlertDiagnoser {
  private readonly es: Client;
  private readonly index: string;
  private readonly peers: string;
  /** Searches of the current evaluation, shared between its alerts (see CACHE_TTL_MS). */
  private readonly cache = new Map<string, { readonly at: number; readonly result: Promise<readonly unknown[]> }>();

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
    const range = period(alert.start - MARGIN_MS, alert.end + MARGIN_MS);
    // The diagnosis reads only the alert's interface and the host's lines without one: a host with many
    // interfaces (twenty strangers) must not fill the budget with the others' lines.
    const onIface = iface === undefined ? [] : [{ bool: { should: [{ term: { 'observer.ingress.interface.name': iface } }, { bool: { must_not: [{ exists: { field: 'observer.ingress.interface.name' } }] } }], minimum_should_match: 1 } }];
    const [local, others, mine] = await Promise.all([
      this.search({ bool: { filter: [range, { term: { 'host.name': host } }, ...onIface] } }, MAX_LOCAL),
      // Other hosts' events, not their alerts: a server's short failure below any rule's threshold still counts.
      this.search({ bool: { filter: [range, { terms: { 'event.action': TUNNEL_ACTIONS } }], must_not: [{ term: { 'host.name': host } }] } }, MAX_OTHERS),
      this.snapshots(q).catch(() => []),
    ]);
    // A key attributed by the alert's address only (the peer last seen there, port ignored) pairs the host, not
    // the key that failed: the snapshots then pair by address too, and prove nothing about that key.
    const byAddress = attribution?.method === 'address' || attribution?.method === 'dump';
    const fromSnapshots = snapshotHints(q, mine, await this.theirSnapshots(q, mine, others).catch(() => []), byAddress ? undefined : attribution?.publicKey);
    // Given counterparts (inventory, the in-process peer directory) win over the snapshots' pairing by key.
    const hints: TunnelHints = { ...fromSnapshots, ...given, ...((given?.counterparts ?? []).length === 0 && fromSnapshots.counterparts ? { counterparts: fromSnapshots.counterparts } : {}) };
    // A host known to be the other end also shows, by any line at all, that its log is being shipped: its
    // silence during the handshakes then means something (they never arrived).
    const listed = [...new Set((hints.counterparts ?? []).map((c) => c.host))].filter((h) => h !== host).sort();
    const shipped = listed.length === 0 ? []
      : await this.search({ bool: { filter: [range, { terms: { 'host.name': listed } }], must_not: [{ terms: { 'event.action': TUNNEL_ACTIONS } }] } }, MAX_LOCAL);
    const d = diagnoseTunnel(q, local, [...others, ...shipped], hints);
    const states = await this.stateEvidence(q, d.counterpart?.host).catch(() => []);
    return states.length > 0 ? { ...d, evidence: [...d.evidence, ...states] } : d;
  }

  /** The lookback of peer-state snapshots around an alert (whole minutes: shared by the alerts of one evaluation). */
  private recent(q: TunnelQuery): object {
    return period(q.start - SNAPSHOT_LOOKBACK_MS, q.end + MARGIN_MS, 60_000);
  }

  /** This host's newest peer-state snapshot (its own keys, its peers' keys and endpoints). */
  private snapshots(q: TunnelQuery): Promise<PeerStateHit[]> {
    return this.newestPeers({ bool: { filter: [this.recent(q), { term: { 'host.name': q.host } }] } });
  }

  /**
   * Other hosts' snapshots that can pair them with this one: the owners of this host's peer keys, the hosts that
   * have this host's own key as a peer, and the hosts that logged handshake lines around the alert.
   */
  private async theirSnapshots(q: TunnelQuery, mine: readonly PeerStateHit[], others: readonly WgEventDoc[]): Promise<PeerStateHit[]> {
    const recent = this.recent(q);
    const ownKeys = [...new Set(mine.flatMap((m) => (m.wireguard?.interface?.public_key !== undefined ? [m.wireguard.interface.public_key] : [])))].sort();
    const peerKeys = [...new Set(mine.flatMap((m) => (m.wireguard?.peer?.public_key !== undefined ? [m.wireguard.peer.public_key] : [])))].sort();
    const hosts = [...new Set(others.flatMap((d) => (d.host?.name !== undefined ? [d.host.name] : [])))].sort().slice(0, MAX_CANDIDATE_HOSTS);
    const should = [
      ...(peerKeys.length > 0 ? [{ terms: { 'wireguard.interface.public_key': peerKeys } }] : []),
      ...(ownKeys.length > 0 ? [{ terms: { 'wireguard.peer.public_key': ownKeys } }] : []),
      ...(hosts.length > 0 ? [{ terms: { 'host.name': hosts } }] : []),
    ];
    if (should.length === 0) return [];
    const found = await this.newestPeers({ bool: { filter: [recent], should, minimum_should_match: 1, must_not: [{ term: { 'host.name': q.host } }] } });
    // The owners of the keys those hosts have as peers: they tell which of their tunnels lead elsewhere.
    const keys = [...new Set(found.flatMap((d) => (d.wireguard?.peer?.public_key !== undefined ? [d.wireguard.peer.public_key] : [])))].sort();
    const owners = keys.length === 0 ? [] : await this.newestPeers({ bool: { filter: [recent, { terms: { 'wireguard.interface.public_key': keys } }] } });
    return [...found, ...owners.filter((o) => o.host?.name !== q.host)];
  }

  /**
   * What both ends' peer state said about this tunnel at the end of the alert's period: the counters and the
   * latest handshake show what logs cannot (a server whose log looks healthy, yet no handshake ever completed).
   */
  private async stateEvidence(q: TunnelQuery, other: string | undefined): Promise<string[]> {
    const around = period(q.start - MARGIN_MS, q.end + MARGIN_MS);
    const mine = await this.newestPeers({ bool: { filter: [around, { term: { 'host.name': q.host } }, ...(q.iface !== undefined ? [{ term: { 'observer.ingress.interface.name': q.iface } }] : [])] } });
    const out: string[] = [];
    const ownKeys = [...new Set(mine.flatMap((m) => (m.wireguard?.interface?.public_key !== undefined ? [m.wireguard.interface.public_key] : [])))].sort();
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
   * The newest poll of each host among the snapshots a query matches: a collector publishes every peer of its
   * host at each poll, so older polls repeat what the newest says (every 30 s, or 5 s in the lab, for an hour).
   * One aggregation finds each host's newest poll, one search reads those polls only.
   */
  private newestPeers(query: object): Promise<PeerStateHit[]> {
    return this.cached('newest', query, async () => {
      const res = await this.es.search({
        index: this.peers, size: 0, query, ignore_unavailable: true,
        aggs: { hosts: { terms: { field: 'host.name', size: MAX_SNAPSHOT_HOSTS }, aggs: { newest: { max: { field: '@timestamp' } } } } },
      });
      const buckets = (res.aggregations?.['hosts'] as { buckets?: { key: string; newest?: { value: number | null } }[] } | undefined)?.buckets ?? [];
      const polls = buckets.flatMap((b) => (typeof b.newest?.value === 'number'
        ? [{ bool: { filter: [{ term: { 'host.name': b.key } }, { range: { '@timestamp': { gte: b.newest.value, format: 'epoch_millis' } } }] } }] : []));
      if (polls.length === 0) return [];
      return this.searchPeers({ bool: { filter: [query, { bool: { should: polls, minimum_should_match: 1 } }] } }, MAX_SNAPSHOT_PEERS);
    });
  }

  private searchPeers(query: object, size: number): Promise<PeerStateHit[]> {
    return this.cached(`peers ${size}`, query, async () => {
      const res = await this.es.search<PeerStateHit>({
        index: this.peers, size, query, sort: [{ '@timestamp': 'desc' }], ignore_unavailable: true,
        _source: ['@timestamp', 'host.name', 'observer.ingress.interface.name', 'source.ip', 'source.port', 'wireguard.peer', 'wireguard.interface.public_key', 'wireguard.listen.port'],
      });
      return res.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
    });
  }

  private search(query: object, size: number): Promise<WgEventDoc[]> {
    return this.cached(`events ${size}`, query, async () => {
      const res = await this.es.search<WgEventDoc>({
        index: this.index, size, query, sort: [{ '@timestamp': 'asc' }], ignore_unavailable: true,
        _source: { excludes: ['event.original', 'wireguard.diagnosis'] },
      });
      return res.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
    });
  }

  /**
   * One search per evaluation: the alerts of a batch (or of a round of re-diagnoses) on one host ask the same
   * questions; the answer is shared for CACHE_TTL_MS, in flight included. A failed search is not kept.
   */
  private async cached<T>(kind: string, query: object, run: () => Promise<T[]>): Promise<T[]> {
    const key = `${kind} ${JSON.stringify(query)}`;
    const now = Date.now();
    const have = this.cache.get(key);
    if (have && now - have.at < CACHE_TTL_MS) return [...(await have.result) as T[]];
    for (const [k, v] of this.cache) if (now - v.at >= CACHE_TTL_MS) this.cache.delete(k);
    while (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
    const result = run();
    this.cache.set(key, { at: now, result });
    result.catch(() => { if (this.cache.get(key)?.result === result) this.cache.delete(key); });
    return [...await result];
  }
}
