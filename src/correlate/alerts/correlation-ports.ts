// What the correlation stage reports to and asks of the rest of wg-siem: its metrics hooks, the cross-host
// diagnoser of tunnel alerts, and the pager. Kept apart from the stage so that its parts (partition-states.ts,
// alert-emission.ts, rechecks.ts) and the code that plugs into it need not import the stage itself.
import type { Rule } from '../rules/rule-types.ts';
import type { Alert, AlertTransition } from '../rules/types.ts';
import type { TunnelHints } from '../diagnose/tunnel.ts';
import type { AlertNotification } from '../../sinks/notify/types.ts';
import type { AlertAttribution, AlertDiagnosis } from '../../sinks/elasticsearch/alert-doc.ts';

export interface CorrelationHooks {
  /** An alert document Elasticsearch has acknowledged. */
  transition(rule: string, kind: AlertTransition['kind'], alert: Alert): void;
  late(n: number): void;
  evicted(n: number): void;
  groups(partition: number, n: number): void;
  duplicates(n: number): void;
  stateSaved(seconds: number, bytes: number): void;
  /** Alert documents Elasticsearch refused (a bug: the document broke the mapping). */
  alertRejected(rule: string): void;
  /** The partition moved to another instance: its per-partition figures are that instance's to report now. */
  released(partition: number): void;
}

export const NO_CORRELATION_HOOKS: CorrelationHooks = {
  transition: () => undefined, late: () => undefined, evicted: () => undefined, groups: () => undefined,
  duplicates: () => undefined, stateSaved: () => undefined, alertRejected: () => undefined, released: () => undefined,
};

/** Names the specific root cause of a tunnel alert from both ends' events (src/correlate/diagnose); may return nothing. */
export interface AlertDiagnoser {
  diagnose(rule: Rule, alert: Alert, attribution: AlertAttribution | undefined, hints?: TunnelHints): Promise<AlertDiagnosis | undefined>;
}

export interface PagingSink {
  notify(n: AlertNotification): void;
  /** The paging state of a scope (a partition), saved with the partition's correlation state. */
  pagingState?(scope: string): unknown;
  /** The partition was (re)loaded here: its saved paging state (undefined: none) becomes the scope's. */
  restorePaging?(scope: string, state: unknown): void;
  /** The partition moved to another owner. */
  releasePaging?(scope: string): void;
  /** Graceful stop: send what would otherwise wait (storm aggregates) before the last save. */
  flushPaging?(scope: string): void;
  /** Queues the digest of the pages still open (notify.digestSchedule); returns how many it lists. */
  digest?(): number;
}

/** The paging scope of a correlation partition (also the suffix of its storm aggregates' dedup keys). */
export const pagingScope = (partition: number): string => `p${partition}`;
