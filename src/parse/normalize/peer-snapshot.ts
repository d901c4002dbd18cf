// A `wg-siem collect` record → ECS documents: one state document per peer (logs-wireguard.peer) and one event per
// change (logs-wireguard.log, next to the log lines, so the correlation rules and the alert evidence see them).
// The change events explain themselves like recognised log lines do: what it means, why, what to check.
import { keyFragment } from '../../enrich/keys.ts';
import type { PeerChangeKind } from '../../source/collect/peer-changes.ts';
import type { SnapshotRecord } from '../../source/collect/snapshot-record.ts';
import { parseEndpoint } from './endpoint.ts';
import { ECS_VERSION } from './normalize.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import type { WgPeerDoc } from '../../shared/schema/generated/peer.ts';

/** The collector's name in `event.provider`, `observer.product` and `wireguard.envelope`. */
export const COLLECTOR = 'wg-siem-collect';

interface ChangeDef {
  readonly action: string;
  readonly type: 'change' | 'info' | 'connection';
  readonly outcome: 'success' | 'failure' | 'unknown';
  readonly level: 'info' | 'warning';
  readonly severity: number;
  readonly text: (c: SnapshotRecord['changes'][number], who: string) => string;
  readonly summary: string;
  readonly causes: readonly string[];
  readonly checks: readonly string[];
}

// One row per change kind: the behaviour is data, as for the log catalog.
const CHANGES: Readonly<Record<PeerChangeKind, ChangeDef>> = {
  'peer-added': {
    action: 'wireguard-peer-added', type: 'change', outcome: 'success', level: 'info', severity: 6,
    text: (_c, who) => `${who} added to the configuration`,
    summary: 'A peer appeared in the interface configuration since the previous poll.',
    causes: ['likely: A planned change (new device, key rotation).', 'possible: An unreviewed change on the host: who can run `wg set` here?'],
    checks: ['Match the change against your change log or configuration management.'],
  },
  'peer-removed': {
    action: 'wireguard-peer-removed', type: 'change', outcome: 'success', level: 'info', severity: 6,
    text: (_c, who) => `${who} removed from the configuration`,
    summary: 'A peer disappeared from the interface configuration since the previous poll; its handshakes will now fail on this end.',
    causes: ['likely: A planned removal or key rotation.', 'possible: A configuration reload that lost the peer (a `wg syncconf` from an outdated file).'],
    checks: ['Compare `wg show <iface> peers` with the configuration file and your change log.'],
  },
  'endpoint-changed': {
    action: 'wireguard-peer-endpoint-changed', type: 'change', outcome: 'success', level: 'info', severity: 6,
    text: (c, who) => `${who} endpoint changed from ${c.previous_endpoint ?? '(none)'} to ${c.endpoint ?? '(none)'}`,
    summary: 'The address this peer\'s authenticated packets come from changed: WireGuard follows a roaming peer.',
    causes: [
      'likely: The peer roamed (mobile network, Wi-Fi change) or its NAT mapping changed.',
      'possible: The same private key is in use on two devices, which then take the endpoint from each other in turn.',
    ],
    checks: ['Frequent back-and-forth between two addresses means one key on two devices: give each device its own key.'],
  },
  'handshake-stale': {
    action: 'wireguard-peer-handshake-stale', type: 'info', outcome: 'failure', level: 'warning', severity: 4,
    text: (c, who) => `${who} has had no handshake for ${c.handshake_age_s ?? '?'} s`,
    summary: 'The latest handshake with this peer is older than session keys live (180 s): no traffic can flow until a new one completes.',
    causes: [
      'likely: The peer is offline or idle without PersistentKeepalive, and nothing on this side has sent it traffic.',
      'possible: The path is blocked (firewall, NAT mapping expired) so handshake attempts no longer arrive.',
    ],
    checks: [
      'Is the peer up? Does this side retry (handshake lines in the log)?',
      'Behind NAT, set PersistentKeepalive = 25 on the side behind it.',
    ],
  },
  'handshake-failing': {
    action: 'wireguard-peer-handshake-failing', type: 'connection', outcome: 'failure', level: 'warning', severity: 4,
    text: (c, who) => `${who}: ${c.rx_delta ?? 0} bytes received and ${c.tx_delta ?? 0} sent since the previous poll, yet no handshake completed`,
    summary: 'Handshake messages move between the two ends, but no handshake completes: the keys of the two ends do not fit together.',
    causes: [
      'likely (bytes both ways): The preshared keys differ, or only one end has one: the responder answers and the initiator rejects the answer.',
      'likely (bytes sent only): The other end does not accept this end\'s initiations (wrong public key on either end), or they never arrive.',
      'possible: The other end\'s clock is behind a previous handshake (replay protection rejects its initiations).',
    ],
    checks: [
      'Compare `wg show <iface> preshared-keys` on both ends (the value itself, privately): both set and equal, or both off.',
      'Compare each end\'s PublicKey for the other with `wg show <iface> public-key` on that other end.',
    ],
  },
};

/** The diagnosis id of a change kind's events. */
const changeCode = (kind: PeerChangeKind): string => `collect.peer.${kind.replace(/-/g, '_')}`;

/**
 * The change kinds' diagnoses, for the diagnoses index (src/sinks/elasticsearch/diagnoses.ts): change events carry only
 * the id and the summary (event.reason), like recognised log lines.
 */
export const PEER_CHANGE_DIAGNOSES: ReadonlyArray<{ readonly id: string; readonly summary: string; readonly causes: readonly string[]; readonly checks: readonly string[] }> =
  (Object.entries(CHANGES) as Array<[PeerChangeKind, ChangeDef]>).map(([kind, d]) => ({ id: changeCode(kind), summary: d.summary, causes: d.causes, checks: d.checks }));

const isoOrUndefined = (s: string | null): string | undefined => s ?? undefined;

function remote(endpoint: string | null): { source?: { ip: string; port: number } } {
  const ep = endpoint === null ? null : parseEndpoint(endpoint);
  return ep ? { source: { ip: ep.ip, port: ep.port } } : {};
}

function observer(iface: string): NonNullable<WgEventDoc['observer']> {
  return { vendor: 'WireGuard', product: COLLECTOR, type: 'vpn', ingress: { interface: { name: iface } } };
}

/** One state document per peer of the snapshot. */
export function peerStateDocs(r: SnapshotRecord, namespace: string, nowMs: number): WgPeerDoc[] {
  const at = Date.parse(r.collected_at);
  return r.peers.map((p) => {
    const who = `peer(${keyFragment(p.public_key)})`;
    const hs = p.latest_handshake === null ? undefined : Date.parse(p.latest_handshake);
    const age = hs === undefined ? undefined : Math.max(0, Math.round((at - hs) / 1000));
    const iface = r.interfaces.find((i) => i.name === p.interface);
    return {
      '@timestamp': r.collected_at,
      ecs: { version: ECS_VERSION },
      message: `${who} on ${p.interface}: endpoint ${p.endpoint ?? '(none)'}, ${age === undefined ? 'no handshake yet' : `latest handshake ${age} s ago`}, rx ${p.rx_bytes} B, tx ${p.tx_bytes} B`,
      event: { kind: 'state', category: ['network'], type: ['info'], dataset: 'wireguard.peer', module: 'wireguard', provider: COLLECTOR, ingested: new Date(nowMs).toISOString() },
      data_stream: { type: 'logs', dataset: 'wireguard.peer', namespace },
      host: { name: r.host },
      observer: observer(p.interface),
      ...remote(p.endpoint),
      wireguard: {
        envelope: COLLECTOR,
        ...(iface?.public_key ? { interface: { public_key: iface.public_key } } : {}),
        ...(iface?.listen_port ? { listen: { port: iface.listen_port } } : {}),
        peer: {
          public_key: p.public_key,
          key_fragment: keyFragment(p.public_key),
          ...(p.endpoint !== null ? { endpoint: p.endpoint } : {}),
          allowed_ips: [...p.allowed_ips],
          preshared_key_set: p.preshared_key_set,
          ...(p.latest_handshake !== null ? { latest_handshake: p.latest_handshake } : {}),
          ...(age !== undefined ? { handshake_age_s: age } : {}),
          ...(p.persistent_keepalive !== null ? { persistent_keepalive_s: p.persistent_keepalive } : {}),
          rx_bytes: p.rx_bytes,
          tx_bytes: p.tx_bytes,
        },
      },
    };
  });
}

/** One event per change, shaped like a recognised log line. */
export function changeEvents(r: SnapshotRecord, namespace: string, nowMs: number): WgEventDoc[] {
  return r.changes.map((c) => {
    const d = CHANGES[c.kind];
    const who = `peer(${keyFragment(c.public_key)})`;
    const message = `${c.interface}: ${d.text(c, who)}`;
    const code = changeCode(c.kind);
    const latest = isoOrUndefined(c.latest_handshake);
    return {
      '@timestamp': r.collected_at,
      ecs: { version: ECS_VERSION },
      message,
      event: {
        kind: 'event', category: ['network'], type: [d.type], action: d.action, outcome: d.outcome, code, severity: d.severity,
        dataset: 'wireguard.log', module: 'wireguard', provider: COLLECTOR, ingested: new Date(nowMs).toISOString(), reason: d.summary,
      },
      data_stream: { type: 'logs', dataset: 'wireguard.log', namespace },
      host: { name: r.host },
      observer: observer(c.interface),
      log: { level: d.level },
      ...remote(c.endpoint),
      wireguard: {
        envelope: COLLECTOR,
        message: { id: code, family: 'peer-state' },
        peer: {
          public_key: c.public_key,
          key_fragment: keyFragment(c.public_key),
          ...(c.endpoint !== null ? { endpoint: c.endpoint } : {}),
          ...(c.previous_endpoint != null ? { previous_endpoint: c.previous_endpoint } : {}),
          ...(latest !== undefined ? { latest_handshake: latest } : {}),
          ...(c.handshake_age_s !== undefined ? { handshake_age_s: c.handshake_age_s } : {}),
          ...(c.rx_delta !== undefined ? { rx_delta: c.rx_delta } : {}),
          ...(c.tx_delta !== undefined ? { tx_delta: c.tx_delta } : {}),
        },
        diagnosis: { id: code },
      },
    };
  });
}
