// An alert's `message`: the rule's title template filled from the alert, so each rule words its own alerts.
import type { Rule } from '../rules/rule-types.ts';
import type { Alert } from '../rules/types.ts';

function windowText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** {count}, {distinct}, {window} and {<group field>}; `display` may replace a group value (a peer's name). */
export function fillTitle(rule: Rule, alert: Alert, display: Readonly<Record<string, string>> = {}): string {
  const values: Record<string, string> = {
    count: alert.count.toLocaleString('en-US'),
    distinct: (alert.distinct ?? alert.count).toLocaleString('en-US'),
    window: windowText(rule.windowMs),
  };
  return rule.title.replace(/\{([^}]*)\}/g, (whole, name: string) => display[name] ?? values[name] ?? alert.group[name] ?? whole);
}
