// The generic JSON webhook: one flat document per trigger or resolve. Idempotency-Key lets the receiver drop
// the copies a retry after a lost answer produces; the body is built once, so every copy is byte-identical.
import { digestBody } from './digest.ts';
import { aggregateDetails, digestKey } from './outgoing.ts';
import type { Format } from './outgoing.ts';
import { linkOf, windowDiscoverUrl } from './kibana.ts';

export const WEBHOOK_VERSION = 1;

export function webhookFormat(o: { token: string | null; kibanaUrl: string | null }): Format {
  const auth: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
  return (x, sentAtMs) => {
    const sentAt = new Date(sentAtMs).toISOString();
    if (x.kind === 'refresh') throw new Error('the webhook gets each trigger and resolve once, no re-posts');
    if (x.kind === 'digest') {
      return { headers: { 'content-type': 'application/json', 'idempotency-key': digestKey(x), ...auth }, body: JSON.stringify({ version: WEBHOOK_VERSION, ...digestBody(x, sentAt, o.kibanaUrl) }) };
    }
    if (x.kind === 'aggregate' || x.kind === 'aggregate-resolve') {
      const a = x.agg;
      const resolve = x.kind === 'aggregate-resolve';
      return {
        headers: { 'content-type': 'application/json', 'idempotency-key': resolve ? `${a.dedupKey}:resolve` : a.dedupKey, ...auth },
        body: JSON.stringify({
          version: WEBHOOK_VERSION,
          action: resolve ? 'resolve' : 'trigger',
          alert_id: a.dedupKey,
          rule: { id: 'wg-siem-storm', name: 'Alert storm' },
          severity: a.severity,
          risk_score: a.riskScore,
          title: a.summary,
          host: 'wg-siem',
          component: null,
          timestamp: new Date(a.windowEnd).toISOString(),
          group: {},
          details: aggregateDetails(a),
          url: o.kibanaUrl ? windowDiscoverUrl(o.kibanaUrl, a.windowStart, a.windowEnd) : null,
          sent_at: sentAt,
        }),
      };
    }
    const n = x.n;
    return {
      headers: { 'content-type': 'application/json', 'idempotency-key': `${n.alertId}:${x.kind}`, ...auth },
      body: JSON.stringify({
        version: WEBHOOK_VERSION,
        action: x.kind,
        alert_id: n.alertId,
        rule: n.rule,
        severity: n.severity,
        risk_score: n.riskScore,
        title: n.title,
        host: n.host ?? null,
        component: n.component ?? null,
        timestamp: n.timestamp,
        group: n.group,
        details: n.details,
        url: linkOf(n, o.kibanaUrl) ?? null,
        sent_at: sentAt,
      }),
    };
  };
}
