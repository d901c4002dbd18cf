// PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). summary,
// source and severity are required and summary is cut at 1024 characters; anything PagerDuty would refuse
// with a 400 is a page lost, so the payload is made valid here rather than trusted.
import { aggregateDetails } from './outgoing.ts';
import type { Format, Outgoing } from './outgoing.ts';
import { linkOf, windowDiscoverUrl } from './kibana.ts';
import type { AlertSeverity } from './types.ts';

export const PD_SEVERITY: Readonly<Record<AlertSeverity, 'critical' | 'error' | 'warning' | 'info'>> = {
  critical: 'critical', high: 'error', medium: 'warning', low: 'info',
};
export const SUMMARY_MAX = 1024;
const SOURCE_FALLBACK = 'wg-siem';
/** PagerDuty's limit on one event is 512 KB; past it the details are what gets dropped. */
const MAX_EVENT_BYTES = 500 * 1024;
/** payload.group is the "logical grouping of components": the service every wg-siem page is about. */
const PD_GROUP = 'wireguard';

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  // Never leave half a surrogate pair: PagerDuty would show a replacement character.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

const validTime = (iso: string): string | undefined => (Number.isNaN(Date.parse(iso)) ? undefined : iso);

export function pagerDutyFormat(o: { routingKey: string; kibanaUrl: string | null }): Format {
  const client = { client: 'wg-siem', ...(o.kibanaUrl ? { client_url: o.kibanaUrl } : {}) };
  const encode = (event: Record<string, unknown>, slim: () => Record<string, unknown>): string => {
    const body = JSON.stringify(event);
    return Buffer.byteLength(body) <= MAX_EVENT_BYTES ? body : JSON.stringify(slim());
  };
  const trigger = (x: Outgoing & { kind: 'trigger' | 'aggregate' }): string => {
    if (x.kind === 'aggregate') {
      const a = x.agg;
      const href = o.kibanaUrl ? windowDiscoverUrl(o.kibanaUrl, a.windowStart, a.windowEnd) : undefined;
      const event = {
        routing_key: o.routingKey,
        event_action: 'trigger',
        dedup_key: a.dedupKey,
        payload: {
          summary: truncate(a.summary, SUMMARY_MAX),
          source: SOURCE_FALLBACK,
          severity: PD_SEVERITY[a.severity],
          timestamp: new Date(a.windowEnd).toISOString(),
          group: PD_GROUP,
          class: 'alert-storm',
          custom_details: aggregateDetails(a),
        },
        ...(href ? { links: [{ href, text: 'Open in Kibana' }] } : {}),
        ...client,
      };
      return encode(event, () => ({ ...event, payload: { ...event.payload, custom_details: { suppressed: a.count, truncated: true } } }));
    }
    const n = x.n;
    const href = linkOf(n, o.kibanaUrl);
    const timestamp = validTime(n.timestamp);
    const payload = {
      summary: truncate(n.title.trim() || n.rule.name || n.rule.id, SUMMARY_MAX),
      source: n.host?.trim() || SOURCE_FALLBACK,
      severity: PD_SEVERITY[n.severity],
      ...(timestamp ? { timestamp } : {}),
      ...(n.component ? { component: n.component } : {}),
      group: PD_GROUP,
      class: n.rule.id,
      custom_details: { rule: n.rule, risk_score: n.riskScore, group: n.group, ...n.details },
    };
    const event = {
      routing_key: o.routingKey,
      event_action: 'trigger',
      dedup_key: n.alertId,
      payload,
      ...(href ? { links: [{ href, text: 'Open in Kibana' }] } : {}),
      ...client,
    };
    return encode(event, () => ({
      ...event,
      payload: { ...payload, custom_details: { rule: n.rule, risk_score: n.riskScore, group: n.group, truncated: true } },
    }));
  };
  const resolve = (dedupKey: string): string => JSON.stringify({ routing_key: o.routingKey, event_action: 'resolve', dedup_key: dedupKey });
  return (x) => {
    if (x.kind === 'refresh') throw new Error('PagerDuty incidents stay open without re-sending');
    if (x.kind === 'digest') throw new Error('a digest is not an incident: it goes to the webhook only');
    return {
      headers: { 'content-type': 'application/json' },
      body: x.kind === 'resolve' ? resolve(x.n.alertId) : x.kind === 'aggregate-resolve' ? resolve(x.agg.dedupKey) : trigger(x),
    };
  };
}
