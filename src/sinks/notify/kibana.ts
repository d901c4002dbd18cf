// Links from a page to Kibana Discover. They use Discover's ES|QL mode because it names the index pattern in
// the query itself: a classic (KQL) link would need the id of a data view, which wg-siem does not create.
// The alert document's _id is the alert id (its external version counts transitions), hence `WHERE _id == …`.
//   alert:     <kibana>/app/discover#/?_g=(time:(from:'<timestamp - 1 day>',to:now))
//                &_a=(dataSource:(type:esql),query:(esql:'FROM logs-wireguard.alert-* METADATA _id | WHERE _id == "<id>"'))
//   aggregate: the same over the storm window, every alert of it.

export const ALERT_INDEX_PATTERN = 'logs-wireguard.alert-*';
/** The alert document's @timestamp may precede the activity time a page carries, by up to a rule's window. */
const LOOK_BACK_MS = 24 * 3600 * 1000;

/** Rison string literal: `!` and `'` are escaped with `!`. */
const rison = (s: string): string => `'${s.replace(/!/g, '!!').replace(/'/g, "!'")}'`;

function discover(base: string, from: string, to: string, esql: string): string {
  const g = `(time:(from:${rison(from)},to:${to === 'now' ? 'now' : rison(to)}))`;
  const a = `(dataSource:(type:esql),query:(esql:${rison(esql)}))`;
  return `${base.replace(/\/+$/, '')}/app/discover#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(a)}`;
}

export function alertDiscoverUrl(kibanaUrl: string, alertId: string, timestamp: string): string {
  const t = Date.parse(timestamp);
  const from = Number.isNaN(t) ? 'now-30d' : new Date(t - LOOK_BACK_MS).toISOString();
  // JSON string syntax is ES|QL string syntax for anything an id may contain.
  return discover(kibanaUrl, from, 'now', `FROM ${ALERT_INDEX_PATTERN} METADATA _id | WHERE _id == ${JSON.stringify(alertId)}`);
}

export function windowDiscoverUrl(kibanaUrl: string, startMs: number, endMs: number): string {
  return discover(kibanaUrl, new Date(startMs).toISOString(), new Date(endMs).toISOString(),
    `FROM ${ALERT_INDEX_PATTERN} | SORT @timestamp DESC`);
}

export function linkOf(n: { readonly url?: string; readonly alertId: string; readonly timestamp: string }, kibanaUrl: string | null): string | undefined {
  if (n.url) return n.url;
  return kibanaUrl ? alertDiscoverUrl(kibanaUrl, n.alertId, n.timestamp) : undefined;
}
