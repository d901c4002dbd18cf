// Prometheus Alertmanager (API v2: POST /api/v2/alerts, a JSON array of alerts). Alertmanager knows an alert by its
// label set, so labels hold only what never changes during the alert's life:
//   alertname = the rule id (wg-siem-storm for an aggregate), alert_id = the alert id (the PagerDuty dedup_key),
//   host, interface (when the rule groups by one), group = the rule's group values ("k=v,k=v"), severity
//   (low|medium|high|critical), service = wireguard.
// Annotations may change from one post to the next: title (the alert's message), summary (the diagnosis'
// summary, else the rule name), cause (the diagnosis' root cause), risk_score, kibana (a Discover link, when
// kibana.url is set; also the generatorURL).
// Alertmanager resolves an alert by itself once its endsAt has passed: open alerts are posted with endsAt a few
// re-post intervals ahead and re-posted every notify.alertmanager.repeatMs ('refresh'); a resolve is the same alert
// with endsAt = now. startsAt is the alert's own start, the same on every post.
import type { StormAggregate } from './aggregate.ts';
import { linkOf, windowDiscoverUrl } from './kibana.ts';
import type { Format, OpenPage } from './outgoing.ts';
import type { PageInfo } from './types.ts';

/** endsAt of an open alert is this many re-post intervals ahead: two re-posts may fail before Alertmanager resolves it. */
export const ENDS_AFTER_REPEATS = 3;
const LABEL_MAX = 1024;

export interface AmAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL?: string;
}

/** The API path alerts are posted to, given Alertmanager's base URL (or that path itself). */
export function alertmanagerAlertsUrl(base: string): string {
  const b = base.replace(/\/+$/, '');
  return b.endsWith('/api/v2/alerts') ? b : `${b}/api/v2/alerts`;
}

const cut = (s: string): string => (s.length <= LABEL_MAX ? s : `${s.slice(0, LABEL_MAX - 1)}…`);

export function groupLabel(group: Readonly<Record<string, string>>): string {
  return Object.keys(group).sort().map((k) => `${k}=${group[k] ?? ''}`).join(',');
}

export function pageAlert(p: PageInfo, endsAtMs: number, kibanaUrl: string | null): AmAlert {
  const link = linkOf(p, kibanaUrl);
  const labels: Record<string, string> = {
    alertname: p.rule.id,
    alert_id: p.alertId,
    host: p.host ?? 'wg-siem',
    severity: p.severity,
    service: 'wireguard',
    ...(p.component ? { interface: p.component } : {}),
    ...(Object.keys(p.group).length > 0 ? { group: cut(groupLabel(p.group)) } : {}),
  };
  const annotations: Record<string, string> = {
    title: p.title || p.rule.name,
    summary: p.summary ?? p.rule.name,
    ...(p.cause ? { cause: p.cause } : {}),
    risk_score: String(p.riskScore),
    ...(link ? { kibana: link } : {}),
  };
  return { labels, annotations, startsAt: p.startsAt, endsAt: new Date(endsAtMs).toISOString(), ...(link ? { generatorURL: link } : {}) };
}

export function aggregateAlert(a: StormAggregate, endsAtMs: number, kibanaUrl: string | null): AmAlert {
  const link = kibanaUrl ? windowDiscoverUrl(kibanaUrl, a.windowStart, a.windowEnd) : undefined;
  return {
    labels: { alertname: 'wg-siem-storm', alert_id: a.dedupKey, host: 'wg-siem', severity: a.severity, service: 'wireguard' },
    annotations: {
      title: a.summary,
      summary: `${a.count} alerts of one storm window paged as one; see the alerts index for each`,
      risk_score: String(a.riskScore),
      ...(link ? { kibana: link } : {}),
    },
    startsAt: new Date(a.windowStart).toISOString(),
    endsAt: new Date(endsAtMs).toISOString(),
    ...(link ? { generatorURL: link } : {}),
  };
}

export function alertmanagerFormat(o: { repeatMs: number; kibanaUrl: string | null; username: string | null; password: string | null }): Format {
  const auth: Record<string, string> = o.username && o.password
    ? { authorization: `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}` }
    : {};
  const open = (x: OpenPage, endsAtMs: number): AmAlert =>
    x.kind === 'alert' ? pageAlert(x.page, endsAtMs, o.kibanaUrl) : aggregateAlert(x.agg, endsAtMs, o.kibanaUrl);
  return (x, sentAtMs) => {
    const ahead = sentAtMs + ENDS_AFTER_REPEATS * o.repeatMs;
    let alerts: AmAlert[];
    switch (x.kind) {
      case 'trigger': alerts = [pageAlert(x.page, ahead, o.kibanaUrl)]; break;
      // endsAt = now: resolved. Never before startsAt, which Alertmanager would refuse.
      case 'resolve': alerts = [pageAlert(x.page, Math.max(sentAtMs, Date.parse(x.page.startsAt) || 0), o.kibanaUrl)]; break;
      case 'aggregate': alerts = [aggregateAlert(x.agg, ahead, o.kibanaUrl)]; break;
      case 'aggregate-resolve': alerts = [aggregateAlert(x.agg, Math.max(sentAtMs, x.agg.windowStart), o.kibanaUrl)]; break;
      case 'refresh': alerts = x.open.map((p) => open(p, ahead)); break;
      case 'digest': throw new Error('Alertmanager has the open alerts already (refresh): the digest goes to the webhook only');
    }
    return { headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(alerts) };
  };
}
