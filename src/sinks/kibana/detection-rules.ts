// The shipped correlation rules (alerts/*.yaml) as Elastic Security detection rules, for teams that run Elastic's
// detection engine instead of (or next to) wg-siem's correlator. Threshold and distinct rules whose groups are
// plain fields become Elastic "threshold" rules over a Lucene query; the others, whose groups coalesce several
// fields (a peer is a public key, a key fragment or a kernel peer id) or which need several kinds of lines in a
// window, become ES|QL aggregations. Each runs every window and looks back one window plus the allowed lateness.
// What they cannot do the same way: ES|QL sees no order between lines, so a sequence becomes "both kinds present
// in the window", and the sequence's repetition count becomes a count of its last step.
import type { Condition, Filter, Rule, Scalar } from '../../correlate/rules/rule-types.ts';

export const EVENTS_PATTERN = 'logs-wireguard.log-*';

export interface DetectionRule {
  readonly rule_id: string;
  readonly name: string;
  readonly description: string;
  readonly type: 'threshold' | 'esql';
  readonly language: 'lucene' | 'esql';
  readonly query: string;
  readonly index?: readonly string[];
  readonly threshold?: { readonly field: readonly string[]; readonly value: number; readonly cardinality: readonly { readonly field: string; readonly value: number }[] };
  readonly from: string;
  readonly interval: string;
  readonly risk_score: number;
  readonly severity: Rule['severity'];
  readonly version: number;
  readonly enabled: false;
  readonly tags: readonly string[];
  readonly references: readonly string[];
  readonly false_positives: readonly string[];
  readonly author: readonly string[];
  readonly license: string;
  readonly max_signals: number;
  readonly threat: readonly never[];
  readonly note: string;
}

const seconds = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))}s`;

// ---- Lucene (threshold rules) ----

const LUCENE_SPECIAL = /[+\-=&|><!(){}[\]^"~*?:\\/ ]/g;
const luceneValue = (v: Scalar): string => (typeof v === 'string' ? `"${v.replace(/["\\]/g, '\\$&')}"` : String(v));

function luceneCondition(field: string, c: Condition): string {
  if ('equals' in c) return `${field}:${luceneValue(c.equals)}`;
  if ('in' in c) return `${field}:(${c.in.map(luceneValue).join(' OR ')})`;
  if ('exists' in c) return c.exists ? `_exists_:${field}` : `NOT _exists_:${field}`;
  return `${field}:${c.prefix.replace(LUCENE_SPECIAL, '\\$&')}*`;
}

export const luceneFilter = (f: Filter): string => (f.length === 0 ? '*' : f.map(([field, c]) => luceneCondition(field, c)).join(' AND '));

// ---- ES|QL (the others) ----

const esqlValue = (v: Scalar): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function esqlCondition(field: string, c: Condition): string {
  if ('equals' in c) return `${field} == ${esqlValue(c.equals)}`;
  if ('in' in c) return `${field} IN (${c.in.map(esqlValue).join(', ')})`;
  if ('exists' in c) return c.exists ? `${field} IS NOT NULL` : `${field} IS NULL`;
  return `STARTS_WITH(${field}, ${esqlValue(c.prefix)})`;
}

const esqlFilter = (f: Filter): string => (f.length === 0 ? 'true' : f.map(([field, c]) => esqlCondition(field, c)).join(' AND '));

/** A computed group column (g_<name>); COALESCE takes one type, hence TO_STRING around keyword and ip fields alike. */
const column = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, '_');

function esqlQuery(r: Rule): string {
  const lines = [`FROM ${EVENTS_PATTERN}`];
  const kinds = r.type === 'sequence' ? [...r.steps, ...(r.endsWithAbsence ? [r.endsWithAbsence.filter] : [])] : [];
  const where = [...(r.filter.length > 0 ? [esqlFilter(r.filter)] : []), ...(kinds.length > 0 ? [kinds.map((k) => `(${esqlFilter(k)})`).join(' OR ')] : [])];
  if (where.length > 0) lines.push(`| WHERE ${where.length > 1 ? where.map((w) => `(${w})`).join(' AND ') : where.join('')}`);
  const groups = r.groupBy.map((g) => (g.paths.length === 1 && g.paths[0] === g.name ? g.name : column(`g_${g.name}`)));
  const evals = r.groupBy.flatMap((g, i) => (groups[i] === g.name ? [] : [`${groups[i] ?? ''} = COALESCE(${g.paths.map((x) => `TO_STRING(${x})`).join(', ')})`]));
  if (evals.length > 0) lines.push(`| EVAL ${evals.join(', ')}`);
  const by = ` BY ${groups.join(', ')}`;
  switch (r.type) {
    case 'threshold':
      lines.push(`| STATS events = COUNT(*), first = MIN(@timestamp), last = MAX(@timestamp)${by}`, `| WHERE events >= ${r.count}`);
      break;
    case 'distinct':
      lines.push(`| STATS distinct = COUNT_DISTINCT(${r.field}), events = COUNT(*)${by}`, `| WHERE distinct >= ${r.count}`);
      break;
    case 'sequence': {
      const stats = r.steps.map((s, i) => `step${i + 1} = COUNT(CASE(${esqlFilter(s)}, 1, null))`);
      if (r.endsWithAbsence) stats.push(`answered = COUNT(CASE(${esqlFilter(r.endsWithAbsence.filter)}, 1, null))`);
      const cond = [...r.steps.map((_, i) => `step${i + 1} >= ${i === r.steps.length - 1 ? r.count : 1}`), ...(r.endsWithAbsence ? ['answered == 0'] : [])];
      lines.push(`| STATS ${stats.join(', ')}${by}`, `| WHERE ${cond.join(' AND ')}`);
      break;
    }
    case 'absence':
      lines.push(`| STATS last = MAX(@timestamp)${by}`, `| WHERE last < NOW() - ${Math.round(r.afterMs / 60_000)} minutes`);
      break;
  }
  return lines.join('\n');
}

/** A threshold rule can carry the group only when every group is one plain field (Elastic allows up to 3). */
const plainGroups = (r: Rule): string[] | undefined =>
  r.groupBy.every((g) => g.paths.length === 1) && r.groupBy.length <= 3 ? r.groupBy.map((g) => g.paths[0] ?? g.name) : undefined;

function lookbackMs(r: Rule): number {
  // An absence rule needs to have seen the peer before it went quiet: look back over several silences.
  return r.type === 'absence' ? 6 * r.afterMs : r.windowMs + r.allowedLatenessMs;
}

export function toDetectionRule(r: Rule): DetectionRule {
  const groups = plainGroups(r);
  const common = {
    rule_id: `wg-siem-${r.id}`,
    name: `${r.name} (wg-siem)`,
    description: r.description,
    from: `now-${seconds(lookbackMs(r))}`,
    interval: seconds(r.type === 'absence' ? 60_000 : r.windowMs),
    risk_score: r.riskScore,
    severity: r.severity,
    version: r.version,
    enabled: false as const,
    tags: ['WireGuard', 'wg-siem', `wg-siem rule: ${r.id}`],
    references: [...r.references],
    false_positives: [...r.falsePositives],
    author: ['wg-siem'],
    license: 'Apache-2.0',
    max_signals: 100,
    threat: [] as never[],
    note: `Generated from wg-siem's correlation rule \`${r.id}\` (alerts/${r.file.split('/').pop() ?? r.id}). wg-siem's own alerts add the peer attribution and the diagnosis from both ends of the tunnel, which this rule cannot.`,
  };
  if ((r.type === 'threshold' || r.type === 'distinct') && groups) {
    return {
      ...common,
      type: 'threshold', language: 'lucene', index: [EVENTS_PATTERN], query: luceneFilter(r.filter),
      threshold: r.type === 'threshold'
        ? { field: groups, value: r.count, cardinality: [] }
        : { field: groups, value: 1, cardinality: [{ field: r.field, value: r.count }] },
    };
  }
  return { ...common, type: 'esql', language: 'esql', query: esqlQuery(r) };
}

export const detectionRulesNdjson = (rules: readonly Rule[]): string =>
  [...rules].sort((a, b) => a.id.localeCompare(b.id)).map((r) => JSON.stringify(toDetectionRule(r))).join('\n') + '\n';
