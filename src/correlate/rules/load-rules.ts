// Reading alerts/*.yaml into typed rules, or into a list of errors that say file, path and what is wrong.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { DIAGNOSES } from '../../parse/catalog/catalog.ts';
import { ajvProblems, type AjvStyle } from '../../shared/schema/ajv-errors.ts';
import { parseDuration } from './duration.ts';
import { RULE_SCHEMA } from './rule-schema.ts';
import { RISK_BANDS, type Condition, type Filter, type GroupField, type Rule, type Severity } from './rule-types.ts';

export interface RuleError {
  readonly file: string;
  /** JSON pointer inside the rule ('' for the whole file). */
  readonly path: string;
  readonly message: string;
}

export type LoadResult = { readonly ok: true; readonly rules: Rule[] } | { readonly ok: false; readonly errors: RuleError[]; readonly rules: Rule[] };

/** The rules shipped with the package. */
export const SHIPPED_RULES_DIR = fileURLToPath(new URL('../../../alerts/', import.meta.url));

/** Which files of a rule directory are rules. */
export const RULE_FILE = /\.(ya?ml|json)$/;

/** Placeholders every title may use besides the rule's group field names. */
export const TITLE_VALUES: readonly string[] = ['count', 'distinct', 'window'];

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(RULE_SCHEMA);

type RawFilter = Record<string, Condition>;
type RawGroupField = string | { name: string; coalesce: string[] };
interface RawRule {
  id: string; name: string; title: string; diagnosis?: string; tunnel?: 'initiator' | 'responder'; description: string; version: number; severity: Severity; risk_score: number;
  references?: string[]; false_positives?: string[]; filter: RawFilter; group_by: RawGroupField[];
  window: string; allowed_lateness: string; quiet_period: string; type: Rule['type'];
  threshold?: { count: number };
  distinct?: { field: string; count: number };
  sequence?: { steps: { name?: string; filter: RawFilter }[]; count?: number; ends_with_absence?: { filter: RawFilter; within: string } };
  absence?: { after: string };
}

const RULE_STYLE: AjvStyle = {
  where: (pointer) => pointer || '/',
  wording: {
    // `if`/`then` and `oneOf` failures only repeat what the inner errors say.
    if: () => null,
    oneOf: () => null,
    additionalProperties: (_e, p) => `unknown field "${String(p['additionalProperty'])}"`,
    required: (_e, p) => `missing field "${String(p['missingProperty'])}"`,
    enum: (e, p) => `${e.message ?? 'invalid'}: ${JSON.stringify(p['allowedValues'])}`,
    pattern: (e, p) => (e.instancePath.endsWith('/id') ? 'must be kebab-case (a-z, 0-9, single dashes)' : `must match ${String(p['pattern'])} (durations: 30s, 2m, 1h)`),
    not: () => 'has the parameters of another rule type',
  },
};

function toFilter(raw: RawFilter): Filter {
  return Object.entries(raw);
}

function toGroupField(raw: RawGroupField): GroupField {
  return typeof raw === 'string' ? { name: raw, paths: [raw] } : { name: raw.name, paths: raw.coalesce };
}

function ms(text: string): number {
  // The schema already checked the pattern, so this cannot fail; keep a loud failure should they ever diverge.
  const v = parseDuration(text);
  if (v === undefined) throw new Error(`unparsed duration ${text}`);
  return v;
}

/** Checks one parsed YAML document; returns the rule or its errors. */
export function compileRule(doc: unknown, file: string): { rule?: Rule; errors: RuleError[] } {
  if (!validate(doc)) {
    return { errors: ajvProblems(validate.errors, RULE_STYLE).map((x) => ({ file, path: x.where, message: x.message })) };
  }
  const r = doc as RawRule;
  const errors: RuleError[] = [];
  const [lo, hi] = RISK_BANDS[r.severity];
  if (r.risk_score < lo || r.risk_score > hi) {
    errors.push({ file, path: '/risk_score', message: `${r.risk_score} is outside ${lo}–${hi}, the band Elastic Security uses for severity ${r.severity}` });
  }
  if (r.diagnosis !== undefined && !DIAGNOSES.has(r.diagnosis)) {
    errors.push({ file, path: '/diagnosis', message: `unknown diagnosis "${r.diagnosis}"; known: ${[...DIAGNOSES.keys()].sort().join(', ')}` });
  }
  for (const m of r.title.matchAll(/\{([^}]*)\}/g)) {
    const name = m[1] ?? '';
    const groupNames = r.group_by.map((g) => (typeof g === 'string' ? g : g.name));
    if (!TITLE_VALUES.includes(name) && !groupNames.includes(name)) {
      errors.push({ file, path: '/title', message: `unknown placeholder {${name}}: use ${[...TITLE_VALUES, ...groupNames].map((n) => `{${n}}`).join(', ')}` });
    }
  }
  const windowMs = ms(r.window);
  if (windowMs < 1000) errors.push({ file, path: '/window', message: 'must be at least 1s' });
  if (errors.length > 0) return { errors };
  const base = {
    id: r.id, name: r.name, title: r.title, ...(r.diagnosis !== undefined ? { diagnosis: r.diagnosis } : {}),
    ...(r.tunnel !== undefined ? { tunnel: r.tunnel } : {}), description: r.description, version: r.version, severity: r.severity, riskScore: r.risk_score,
    references: r.references ?? [], falsePositives: r.false_positives ?? [], filter: toFilter(r.filter),
    groupBy: r.group_by.map(toGroupField), windowMs, allowedLatenessMs: ms(r.allowed_lateness), quietPeriodMs: ms(r.quiet_period), file,
  };
  // The schema guarantees the block named by `type` is present.
  if (r.type === 'threshold' && r.threshold) return { rule: { ...base, type: 'threshold', count: r.threshold.count }, errors };
  if (r.type === 'distinct' && r.distinct) return { rule: { ...base, type: 'distinct', field: r.distinct.field, count: r.distinct.count }, errors };
  if (r.type === 'absence' && r.absence) return { rule: { ...base, type: 'absence', afterMs: ms(r.absence.after) }, errors };
  if (r.type === 'sequence' && r.sequence) {
    const s = r.sequence;
    const end = s.ends_with_absence;
    return {
      rule: {
        ...base, type: 'sequence', steps: s.steps.map((st) => toFilter(st.filter)), count: s.count ?? 1,
        ...(end ? { endsWithAbsence: { filter: toFilter(end.filter), withinMs: ms(end.within) } } : {}),
      },
      errors,
    };
  }
  return { errors: [{ file, path: '/type', message: `no parameters for type ${r.type}` }] };
}

/** Every `*.yaml` / `*.yml` / `*.json` of a directory, one rule per file, ids unique. */
export function loadRules(dir: string): LoadResult {
  const files = readdirSync(dir).filter((f) => RULE_FILE.test(f)).sort();
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const file = join(dir, f);
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(file, 'utf8'), { uniqueKeys: true });
    } catch (e) {
      errors.push({ file, path: '', message: `not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}` });
      continue;
    }
    const res = compileRule(doc, file);
    errors.push(...res.errors);
    if (!res.rule) continue;
    const other = seen.get(res.rule.id);
    if (other !== undefined) { errors.push({ file, path: '/id', message: `duplicate id "${res.rule.id}" (also in ${other})` }); continue; }
    seen.set(res.rule.id, file);
    rules.push(res.rule);
  }
  if (files.length === 0) errors.push({ file: dir, path: '', message: 'no rule files (*.yaml, *.yml, *.json)' });
  return errors.length > 0 ? { ok: false, errors, rules } : { ok: true, rules };
}
