// What a storm window's aggregated page says about the triggers it stands for. Every map is capped: a storm is
// exactly when inputs are many, and the summary of it must not grow with them.
import { SEVERITY_RANK } from './types.ts';
import type { AlertNotification, AlertSeverity } from './types.ts';

const MAX_KEYS = 1000;
const OTHER = '(other)';
export const TOP_HOSTS = 10;
export const SAMPLE_IDS = 20;
const RULES_IN_SUMMARY = 5;

export type FoldReason = 'storm' | 'queue-full';

export interface StormAggregate {
  /**
   * `wg-siem-storm-<window start ISO>[-<scope>]`: one incident per window (and paging scope, i.e. correlation
   * partition, whose state holds it), however often it is delivered.
   */
  readonly dedupKey: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number;
  readonly byReason: Readonly<Record<FoldReason, number>>;
  /** Most frequent first. */
  readonly byRule: readonly { readonly id: string; readonly name: string; readonly count: number }[];
  readonly topHosts: readonly { readonly host: string; readonly count: number }[];
  readonly sampleAlertIds: readonly string[];
  /** The highest of the folded alerts: a storm of critical alerts pages as critical. */
  readonly severity: AlertSeverity;
  readonly riskScore: number;
  readonly summary: string;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${(ms / 1000).toFixed(1)} s`;
}

function bump<V>(m: Map<string, V>, key: string, init: () => V, inc: (v: V) => void): void {
  let v = m.get(key);
  if (v === undefined) {
    const k = m.size >= MAX_KEYS ? OTHER : key;
    v = m.get(k);
    if (v === undefined) {
      v = init();
      m.set(k, v);
    }
  }
  inc(v);
}

/** StormStats as saved with a partition's paging state. */
export interface StormStatsJson {
  readonly count: number;
  readonly byReason: Readonly<Record<FoldReason, number>>;
  readonly rules: readonly (readonly [string, string, number])[];
  readonly hosts: readonly (readonly [string, number])[];
  readonly samples: readonly string[];
  readonly severity: AlertSeverity;
  readonly riskScore: number;
}

export const stormDedupKey = (windowStart: number, scope: string): string =>
  `wg-siem-storm-${new Date(windowStart).toISOString()}${scope ? `-${scope}` : ''}`;

export class StormStats {
  private count = 0;
  private readonly byReason: Record<FoldReason, number> = { storm: 0, 'queue-full': 0 };
  private readonly rules = new Map<string, { name: string; count: number }>();
  private readonly hosts = new Map<string, { count: number }>();
  private readonly samples: string[] = [];
  private severity: AlertSeverity = 'low';
  private riskScore = 0;

  add(n: AlertNotification, reason: FoldReason): void {
    this.count++;
    this.byReason[reason]++;
    bump(this.rules, n.rule.id, () => ({ name: n.rule.name, count: 0 }), (v) => { v.count++; });
    bump(this.hosts, n.host ?? 'wg-siem', () => ({ count: 0 }), (v) => { v.count++; });
    if (this.samples.length < SAMPLE_IDS) this.samples.push(n.alertId);
    if (SEVERITY_RANK[n.severity] > SEVERITY_RANK[this.severity]) this.severity = n.severity;
    if (n.riskScore > this.riskScore) this.riskScore = n.riskScore;
  }

  toJSON(): StormStatsJson {
    return {
      count: this.count, byReason: { ...this.byReason },
      rules: [...this.rules].map(([id, r]) => [id, r.name, r.count] as const),
      hosts: [...this.hosts].map(([h, v]) => [h, v.count] as const),
      samples: [...this.samples], severity: this.severity, riskScore: this.riskScore,
    };
  }

  static fromJSON(j: StormStatsJson): StormStats {
    const s = new StormStats();
    s.count = j.count;
    s.byReason.storm = j.byReason.storm;
    s.byReason['queue-full'] = j.byReason['queue-full'];
    for (const [id, name, count] of j.rules) s.rules.set(id, { name, count });
    for (const [h, count] of j.hosts) s.hosts.set(h, { count });
    s.samples.push(...j.samples);
    s.severity = j.severity;
    s.riskScore = j.riskScore;
    return s;
  }

  seal(windowStart: number, windowMs: number, scope = ''): StormAggregate {
    const byRule = [...this.rules]
      .map(([id, r]) => ({ id, name: r.name, count: r.count }))
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
    const topHosts = [...this.hosts]
      .map(([host, h]) => ({ host, count: h.count }))
      .sort((a, b) => b.count - a.count || a.host.localeCompare(b.host))
      .slice(0, TOP_HOSTS);
    const shown = byRule.slice(0, RULES_IN_SUMMARY).map((r) => `${r.id} ${fmt(r.count)}`);
    if (byRule.length > RULES_IN_SUMMARY) shown.push('…');
    return {
      dedupKey: stormDedupKey(windowStart, scope),
      windowStart,
      windowEnd: windowStart + windowMs,
      count: this.count,
      byReason: { ...this.byReason },
      byRule,
      topHosts,
      sampleAlertIds: [...this.samples],
      severity: this.severity,
      riskScore: this.riskScore,
      summary: `Alert storm: ${fmt(this.count)} more WireGuard alerts in ${formatDuration(windowMs)} (${shown.join(', ')})`,
    };
  }
}
