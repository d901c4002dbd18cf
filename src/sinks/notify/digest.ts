// The scheduled digest of open pages (notify.digestSchedule): on a wall-clock schedule (every morning, say) the
// webhook gets one document listing every alert that was paged and is not resolved yet, so that a page lost in
// a busy night is seen again. Only the webhook: a digest is not an incident for PagerDuty, and Alertmanager is
// re-posted the open alerts all the time anyway (notifier.ts). A wall-clock schedule is what a cron expression
// states, so this runs on node-cron, unlike the Alertmanager re-post, whose period is a number of milliseconds.
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { windowDiscoverUrl } from './kibana.ts';
import type { OpenPage, Outgoing } from './outgoing.ts';
import { SEVERITY_RANK } from './types.ts';

/** One line of the digest: an open alert, or an open storm aggregate (the alerts folded into one page). */
export interface DigestEntry {
  readonly alert_id: string;
  readonly rule: { readonly id: string; readonly name: string };
  readonly severity: string;
  readonly risk_score: number;
  readonly title: string;
  readonly host: string | null;
  readonly component: string | null;
  /** When the alert's activity started, and its latest activity when it was paged (ISO). */
  readonly started_at: string;
  readonly timestamp: string;
  readonly cause: string | null;
  readonly url: string | null;
}

/** The webhook document of a digest, without its version (webhook.ts adds it, as to every document it sends). */
export interface DigestBody {
  readonly action: 'digest';
  readonly title: string;
  readonly open: number;
  readonly by_severity: Readonly<Record<string, number>>;
  /** Most severe first, then oldest first. */
  readonly alerts: readonly DigestEntry[];
  readonly scopes: readonly string[];
  readonly generated_at: string;
  readonly sent_at: string;
}

function entry(p: OpenPage, kibanaUrl: string | null): DigestEntry {
  if (p.kind === 'alert') {
    const x = p.page;
    return {
      alert_id: x.alertId, rule: x.rule, severity: x.severity, risk_score: x.riskScore, title: x.title,
      host: x.host ?? null, component: x.component ?? null, started_at: x.startsAt, timestamp: x.timestamp,
      cause: x.cause ?? null, url: x.url ?? null,
    };
  }
  const a = p.agg;
  return {
    alert_id: a.dedupKey, rule: { id: 'wg-siem-storm', name: 'Alert storm' }, severity: a.severity, risk_score: a.riskScore,
    title: a.summary, host: 'wg-siem', component: null, started_at: new Date(a.windowStart).toISOString(),
    timestamp: new Date(a.windowEnd).toISOString(), cause: null, url: kibanaUrl ? windowDiscoverUrl(kibanaUrl, a.windowStart, a.windowEnd) : null,
  };
}

const rank = (s: string): number => (s in SEVERITY_RANK ? SEVERITY_RANK[s as keyof typeof SEVERITY_RANK] : -1);

export function digestBody(x: Outgoing & { kind: 'digest' }, sentAt: string, kibanaUrl: string | null): DigestBody {
  const alerts = x.open.map((p) => entry(p, kibanaUrl))
    .sort((a, b) => rank(b.severity) - rank(a.severity) || a.started_at.localeCompare(b.started_at) || a.alert_id.localeCompare(b.alert_id));
  const bySeverity: Record<string, number> = {};
  for (const a of alerts) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
  return {
    action: 'digest',
    title: `${alerts.length} WireGuard alert${alerts.length === 1 ? '' : 's'} still open`,
    open: alerts.length,
    by_severity: bySeverity,
    alerts,
    scopes: x.scopes,
    generated_at: new Date(x.atMs).toISOString(),
    sent_at: sentAt,
  };
}

/** What the digest is taken from: the notifier (digest() queues it and says how many alerts it lists). */
export interface DigestSource {
  digest(): number;
}

/** Runs the digest on the cron expression until the returned task is stopped. */
export function scheduleDigest(expression: string, source: DigestSource, log: Logger): ScheduledTask {
  return schedule(expression, () => {
    try {
      const n = source.digest();
      log.info({ open: n }, n > 0 ? 'digest of open pages queued for the webhook' : 'no open pages: no digest sent');
    } catch (e) {
      log.error({ err: e }, 'digest of open pages not queued');
    }
  }, { noOverlap: true, name: 'wg-siem-digest' });
}
