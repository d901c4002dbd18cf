// What the correlator emits: alert lifecycle transitions, ready to become WgAlertDoc documents later.
import type { Severity } from './rule-types.ts';

export interface Alert {
  /** hex SHA-256 prefix of (rule id, group key, start of the window it opened in): stable across runs. */
  readonly id: string;
  readonly rule: { readonly id: string; readonly name: string; readonly version: number };
  readonly group: Readonly<Record<string, string>>;
  /** Event time (ms) of the oldest counted activity / of the last one. */
  readonly start: number;
  readonly end: number;
  /** Matching events (threshold, distinct), completed sequences, or 0 for a staleness alert. */
  readonly count: number;
  readonly distinct?: number;
  readonly sampleEventIds: readonly string[];
  readonly severity: Severity;
  readonly riskScore: number;
  /** Processing time (ms) the alert opened at. */
  readonly openedAt: number;
  /** The alert document's external version: 2 × (count + 1) while open, one more once resolved. */
  readonly version: number;
}

export interface AlertTransition {
  readonly kind: 'opened' | 'updated' | 'resolved';
  readonly alert: Alert;
}

export interface CorrelatorStats {
  readonly groupsLive: number;
  readonly groupsEvicted: number;
  readonly lateEvents: number;
  readonly invalidTimestamps: number;
  readonly alertsOpen: number;
  readonly perRule: Readonly<Record<string, { readonly groups: number; readonly evicted: number; readonly late: number; readonly open: number }>>;
}
