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

export class EsTunnelDiagnoser implements AlertDiagnoser {
  private readonly es: Client;
  private readonly index: string;

  constructor(es: Client, namespace: string) {
    this.es = es;
    this.index = eventsPattern(namespace);
  }

  async diagnose(rule: Rule, alert: Alert, _attribution: AlertAttribution | undefined, hints?: TunnelHints): Promise<AlertDiagnosis | undefined> {
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
    const range = { range: { '@timestamp': { gte: alert.start - MARGIN_MS, lte: alert.end + MARGIN_MS, format: 'epoch_millis' } } };
    const [local, others] = await Promise.all([
      this.search({ bool: { filter: [range, { term: { 'host.name': host } }] } }, MAX_LOCAL),
      this.search({ bool: { filter: [range, { terms: { 'event.action': TUNNEL_ACTIONS } }], must_not: [{ term: { 'host.name': host } }] } }, MAX_OTHERS),
    ]);
    return diagnoseTunnel(q, local, others, hints);
  }

  private async search(query: object, size: number): Promise<WgEventDoc[]> {
    const res = await this.es.search<WgEventDoc>({
      index: this.index, size, query, sort: [{ '@timestamp': 'asc' }], ignore_unavailable: true,
      _source: { excludes: ['event.original', 'wireguard.diagnosis'] },
    });
    return res.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
  }
}
