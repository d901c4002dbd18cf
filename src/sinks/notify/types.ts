// The paging notifier's public vocabulary. The alerting stage builds AlertNotification from its alert
// transitions; the run command binds NotifierHooks to Prometheus, as it does for the pipeline.
import type { Config } from '../../shared/config/keys.ts';

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface AlertNotification {
  readonly action: 'trigger' | 'resolve';
  /** 32 hex chars; the PagerDuty dedup_key, so a trigger and its resolve address the same incident. */
  readonly alertId: string;
  readonly rule: { readonly id: string; readonly name: string };
  readonly severity: AlertSeverity;
  /** 0..100 */
  readonly riskScore: number;
  /** The alert's message (PagerDuty summary, cut to 1024 characters). */
  readonly title: string;
  /** PagerDuty payload.source; 'wg-siem' when absent. */
  readonly host?: string;
  /** e.g. the interface name. */
  readonly component?: string;
  /** ISO time of the activity (event.end). */
  readonly timestamp: string;
  readonly group: Readonly<Record<string, string>>;
  /** count, diagnosis, attribution, … (PagerDuty custom_details). */
  readonly details: Readonly<Record<string, unknown>>;
  /** Link to the alert; when absent and kibana.url is set, a Discover link is built (see kibana.ts). */
  readonly url?: string;
  /**
   * Whose paging state the alert belongs to: the correlation partition ("p3"), whose state is saved with the
   * partition's correlation state and moves with it. Absent: the notifier's own in-memory scope.
   */
  readonly scope?: string;
}

/**
 * What is remembered of a paged alert while it is open: enough to re-post it to Alertmanager (after a restart
 * too) and to resolve it with the same labels it was triggered with. Saved with the partition's state.
 */
export interface PageInfo
  extends Pick<AlertNotification, 'alertId' | 'rule' | 'severity' | 'riskScore' | 'title' | 'host' | 'component' | 'group' | 'timestamp' | 'url'> {
  /** When the alert's activity started (ISO): Alertmanager's startsAt, the same on every re-post. */
  readonly startsAt: string;
  /** The diagnosis' root cause (its title) and its one-paragraph summary, when the alert has one. */
  readonly cause?: string;
  readonly summary?: string;
}

export type NotifyTarget = 'pagerduty' | 'webhook' | 'alertmanager';

/**
 * rejected: a 4xx other than 429; exhausted: notify.maxAttempts used up; shutdown: not delivered when drain()
 * gave up; invalid: the notification could not be serialised. (Triggers dropped from a full queue are not
 * failures: they are suppressed 'queue-full' and folded into the aggregate.)
 */
export type FailReason = 'rejected' | 'exhausted' | 'shutdown' | 'invalid';

export type SuppressReason = 'severity' | 'storm' | 'duplicate' | 'queue-full' | 'not-triggered';

/** What the notifier reports as it goes; it knows nothing of Prometheus. */
export interface NotifierHooks {
  /**
   * action: 'trigger', 'resolve', 'aggregate' (the one page summarising a storm window), 'aggregate-resolve', or
   * 'refresh' (Alertmanager: the open alerts re-posted).
   */
  sent(target: NotifyTarget, action: string): void;
  /** A request given up on; reason is one of FailReason (few values: fit for a metric label, details go to the log). */
  failed(target: NotifyTarget, reason: string): void;
  /** A notification that will not be sent on its own (storm and queue-full ones end up in the aggregate). */
  suppressed(reason: SuppressReason): void;
  /** Requests waiting (not in flight), summed over the targets. */
  queueDepth(n: number): void;
}

export const NO_NOTIFIER_HOOKS: NotifierHooks = {
  sent: () => undefined, failed: () => undefined, suppressed: () => undefined, queueDepth: () => undefined,
};

export type NotifierConfig = Pick<Config,
  | 'notify.pagerduty.routingKey'
  | 'notify.pagerduty.url'
  | 'notify.webhook.url'
  | 'notify.webhook.token'
  | 'notify.minSeverity'
  | 'notify.stormMaxPages'
  | 'notify.stormWindowMs'
  | 'notify.maxAttempts'
  | 'notify.timeoutMs'
  | 'notify.queueSize'
  | 'notify.alertmanager.url'
  | 'notify.alertmanager.repeatMs'
  | 'notify.alertmanager.username'
  | 'notify.alertmanager.password'
  | 'kibana.url'>;

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Alert ids remembered per paging scope (partition) for dedup and resolve matching; older ones are forgotten (their
 * resolve is then not sent). Pages are capped by notify.stormMaxPages, so only folded storm members come near it.
 */
export const ALERT_MEMORY = 10_000;
