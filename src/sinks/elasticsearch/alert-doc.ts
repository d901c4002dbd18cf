// One alert transition → the ECS document stored under the alert's id (updated in place through its lifecycle).
// Severity and risk score follow Elastic Security's conventions for external alerts: event.kind "alert",
// event.severity on the 21/47/73/99 scale its "External Alerts" rule maps to low/medium/high/critical, and
// event.risk_score from the rule.
import { diagnosis as catalogDiagnosis } from '../../parse/catalog/catalog.ts';
import type { Rule, Severity } from '../../correlate/rules/rule-types.ts';
import type { AlertTransition } from '../../correlate/rules/types.ts';
import { ECS_VERSION } from '../../parse/normalize/normalize.ts';
import type { WgAlertDoc } from '../../shared/schema/generated/alert.ts';
import { fillTitle } from '../../correlate/alerts/title.ts';

export const alertsIndex = (ns: string): string => `logs-wireguard.alert-${ns}`;

export const SEVERITY_SCORE: Readonly<Record<Severity, number>> = { low: 21, medium: 47, high: 73, critical: 99 };

/** Which configured peer the alert is about, as far as wg-siem could tell. */
export interface AlertAttribution {
  readonly publicKey?: string;
  readonly fragment?: string;
  readonly peerId?: string;
  readonly name?: string;
  readonly owner?: string;
  readonly device?: string;
  readonly endpoint?: string;
  readonly lastSeen?: number;
  readonly method: string;
}

/** The specific root cause found from both ends of the tunnel (src/correlate/diagnose). */
export interface AlertDiagnosis {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly checks: readonly string[];
  readonly confidence: 'confirmed' | 'probable' | 'possible';
  readonly counterpart?: { readonly host: string; readonly iface?: string; readonly method: string };
  readonly evidence: readonly string[];
  /** Several other ends fit: each with the cause it implies (src/correlate/diagnose TunnelAlternative). */
  readonly alternatives?: readonly { readonly id: string; readonly host?: string; readonly text: string }[];
  /** The single fact that would settle an ambiguous diagnosis. */
  readonly settle?: string;
}

export interface AlertDocContext {
  readonly namespace: string;
  readonly nowMs: number;
  readonly attribution?: AlertAttribution;
  readonly diagnosis?: AlertDiagnosis;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The name a person knows the peer by, for the title. */
function peerLabel(a: AlertAttribution): string | undefined {
  const who = a.name ?? a.fragment ?? (a.peerId !== undefined ? `peer ${a.peerId}` : undefined);
  if (who === undefined) return undefined;
  return a.owner !== undefined ? `${who} (${a.owner})` : who;
}

function attributionText(a: AlertAttribution): string | undefined {
  const label = peerLabel(a);
  if (label === undefined) return undefined;
  const when = a.lastSeen !== undefined ? ` at ${iso(a.lastSeen).replace('T', ' ').slice(0, 19)} UTC` : '';
  const where = a.endpoint !== undefined ? ` from ${a.endpoint}` : '';
  return `last seen as ${label}${where}${when}`;
}

export function buildAlertDoc(t: AlertTransition, rule: Rule, ctx: AlertDocContext): WgAlertDoc {
  const a = t.alert;
  const att = ctx.attribution;
  const display: Record<string, string> = {};
  // A peer group value is a key fragment or kernel id: show the person's name for it when the inventory has one.
  if (att?.name !== undefined && a.group['peer'] !== undefined) display['peer'] = `${a.group['peer']} (${att.name})`;
  let message = fillTitle(rule, a, display);
  const seen = att && a.group['peer'] === undefined ? attributionText(att) : undefined;
  if (seen !== undefined) message += `; ${seen}`;
  if (ctx.diagnosis && ctx.diagnosis.confidence !== 'possible') message += ` — ${ctx.diagnosis.title}`;
  if (t.kind === 'resolved') message = `Resolved: ${message}`;

  const host = a.group['host.name'];
  const iface = a.group['observer.ingress.interface.name'];
  const sourceIp = a.group['source.ip'];
  const wg: NonNullable<WgAlertDoc['wireguard']> = {};
  const doc: WgAlertDoc = {
    '@timestamp': iso(a.end),
    ecs: { version: ECS_VERSION },
    message,
    tags: ['wireguard', 'wg-siem', `rule:${rule.id}`],
    event: {
      kind: 'alert',
      category: ['network', 'intrusion_detection'],
      type: ['info'],
      action: rule.id,
      outcome: 'unknown',
      dataset: 'wireguard.alert',
      module: 'wireguard',
      provider: 'wg-siem',
      id: a.id,
      severity: SEVERITY_SCORE[rule.severity],
      risk_score: rule.riskScore,
      start: iso(a.start),
      end: iso(a.end),
      duration: Math.max(0, a.end - a.start) * 1_000_000,
      created: iso(a.openedAt),
      ingested: iso(ctx.nowMs),
    },
    data_stream: { type: 'logs', dataset: 'wireguard.alert', namespace: ctx.namespace },
    rule: {
      id: rule.id,
      name: rule.name,
      description: rule.description,
      version: String(rule.version),
      category: 'WireGuard',
      ruleset: 'wg-siem',
      ...(rule.references[0] !== undefined ? { reference: rule.references[0] } : {}),
    },
    wireguard: wg,
  };
  wg.alert = {
    count: a.count,
    ...(a.distinct !== undefined ? { distinct: a.distinct } : {}),
    status: t.kind === 'resolved' ? 'resolved' : 'open',
    group_key: Object.values(a.group).join(' / '),
    sample_event_ids: [...a.sampleEventIds],
    version: a.version,
    opened_at: iso(a.openedAt),
    ...(t.kind === 'resolved' ? { resolved_at: iso(ctx.nowMs) } : {}),
  };
  if (host !== undefined) doc.host = { name: host };
  if (iface !== undefined) doc.observer = { vendor: 'WireGuard', type: 'vpn', ingress: { interface: { name: iface } } };
  if (sourceIp !== undefined) { doc.source = { ip: sourceIp }; doc.related = { ip: [sourceIp] }; }
  const remote = a.group['remote'];
  if (remote !== undefined && sourceIp === undefined) doc.related = { ip: [remote] };
  const peerKey = a.group['peer'];
  if (att) {
    wg.attribution = {
      method: att.method,
      ...(att.publicKey !== undefined ? { peer_key: att.publicKey } : {}),
      ...(att.name !== undefined ? { peer_name: att.name } : {}),
      ...(att.peerId !== undefined ? { peer_id: att.peerId } : {}),
      ...(att.fragment !== undefined ? { key_fragment: att.fragment } : {}),
      ...(att.endpoint !== undefined ? { endpoint: att.endpoint } : {}),
      ...(att.lastSeen !== undefined ? { last_seen: iso(att.lastSeen) } : {}),
    };
    wg.peer = {
      ...(att.publicKey !== undefined ? { public_key: att.publicKey } : {}),
      ...(att.fragment !== undefined ? { key_fragment: att.fragment } : {}),
      ...(att.peerId !== undefined ? { id: att.peerId } : {}),
      ...(att.name !== undefined ? { name: att.name } : {}),
      ...(att.owner !== undefined ? { owner: att.owner } : {}),
      ...(att.device !== undefined ? { device: att.device } : {}),
    };
  } else if (peerKey !== undefined) {
    wg.peer = peerKey.includes('…') ? { key_fragment: peerKey } : /^\d+$/.test(peerKey) ? { id: peerKey } : { public_key: peerKey };
  }
  const d = ctx.diagnosis;
  const base = rule.diagnosis !== undefined ? catalogDiagnosis(rule.diagnosis) : undefined;
  if (d) {
    wg.diagnosis = {
      id: d.id, title: d.title, summary: d.summary, checks: [...d.checks], confidence: d.confidence, evidence: [...d.evidence],
      ...(base ? { causes: base.causes.map((c) => `${c.likelihood}: ${c.text}`) } : {}),
      ...(d.counterpart ? { counterpart: { host: d.counterpart.host, method: d.counterpart.method, ...(d.counterpart.iface !== undefined ? { interface: d.counterpart.iface } : {}) } } : {}),
      ...(d.alternatives && d.alternatives.length > 0 ? { alternatives: d.alternatives.map((a) => ({ id: a.id, ...(a.host !== undefined ? { host: a.host } : {}), text: a.text })) } : {}),
      ...(d.settle !== undefined ? { settle: d.settle } : {}),
    };
  } else if (base) {
    wg.diagnosis = { id: base.id, summary: base.summary, causes: base.causes.map((c) => `${c.likelihood}: ${c.text}`), checks: [...base.checks] };
  }
  return doc;
}
