// One request a target is to receive, before it is put into the target's wire format.
import type { StormAggregate } from './aggregate.ts';
import type { AlertNotification, PageInfo } from './types.ts';

/** One open page as Alertmanager is told again that it is still firing. */
export type OpenPage = { readonly kind: 'alert'; readonly page: PageInfo } | { readonly kind: 'aggregate'; readonly agg: StormAggregate };

export type Outgoing =
  | { readonly kind: 'trigger'; readonly n: AlertNotification; readonly page: PageInfo }
  | { readonly kind: 'resolve'; readonly n: AlertNotification; readonly page: PageInfo }
  | { readonly kind: 'aggregate'; readonly agg: StormAggregate }
  | { readonly kind: 'aggregate-resolve'; readonly agg: StormAggregate }
  /** Alertmanager only: every open page re-posted, so Alertmanager does not let them expire. */
  | { readonly kind: 'refresh'; readonly open: readonly OpenPage[] }
  /** Webhook only: the scheduled digest (notify.digestSchedule) of the pages still open in the scopes listed. */
  | { readonly kind: 'digest'; readonly open: readonly OpenPage[]; readonly scopes: readonly string[]; readonly atMs: number };

export interface PreparedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Builds the request; called once, at the first attempt, so retries send identical bytes. */
export type Format = (o: Outgoing, sentAtMs: number) => PreparedRequest;

export const keyOf = (o: Outgoing): string =>
  o.kind === 'aggregate' || o.kind === 'aggregate-resolve' ? o.agg.dedupKey : o.kind === 'refresh' ? `refresh:${o.open.length}`
    : o.kind === 'digest' ? digestKey(o) : o.n.alertId;

/** Instances own disjoint scopes, so their digests of the same moment never share an Idempotency-Key. */
export const digestKey = (o: Outgoing & { kind: 'digest' }): string => `digest:${new Date(o.atMs).toISOString()}:${o.scopes.join(',')}`;

export function aggregateDetails(agg: StormAggregate): Record<string, unknown> {
  return {
    aggregate: true,
    window_start: new Date(agg.windowStart).toISOString(),
    window_end: new Date(agg.windowEnd).toISOString(),
    suppressed: agg.count,
    suppressed_by_reason: agg.byReason,
    alerts_by_rule: Object.fromEntries(agg.byRule.map((r) => [r.id, r.count])),
    top_hosts: Object.fromEntries(agg.topHosts.map((h) => [h.host, h.count])),
    sample_alert_ids: agg.sampleAlertIds,
  };
}
