// Scores the parser against a corpus of real lines with their expected action and fields (the format of
// test/corpus/real-world/README.md): how many WireGuard lines are recognised with the right action, how many
// expected field values come out right, and whether any look-alike line is taken for WireGuard. Used by the
// corpus test and by `npm run corpus` (the per-class table in docs/).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG } from '../../src/parse/catalog/catalog.ts';
import type { Direction } from '../../src/parse/catalog/types.ts';
import { processLine } from '../../src/parse/normalize/line.ts';
import type { WgEventDoc } from '../../src/shared/schema/generated/event.ts';

export const CORPUS_CLASSES = ['embedders', 'apple-android', 'windows', 'rust', 'platforms', 'pastes', 'lifecycle', 'noise'] as const;
export type CorpusClass = (typeof CORPUS_CLASSES)[number];

export type ExpectedValue = string | number | boolean;

export interface CorpusRecord {
  readonly line: string;
  readonly source: string;
  readonly program: string;
  readonly version?: string;
  readonly format: string;
  readonly class: CorpusClass;
  readonly now?: string;
  readonly timezone?: string;
  /** null: a look-alike that must not become a WireGuard event. */
  readonly expect: { readonly action: string; readonly fields?: Readonly<Record<string, ExpectedValue>> } | null;
  /** Where it was read from (file:line), filled by the loader. */
  readonly at?: string;
}

/** The expected field that is not a document path: the catalog entry's direction. */
export const DIRECTION_FIELD = 'wireguard.direction';

const DEFAULT_NOW = '2026-01-15T12:00:00.000Z';

const DIRECTIONS = new Map<string, Direction>(CATALOG.map((d) => [d.id, d.direction]));

export function loadCorpus(dir: string): CorpusRecord[] {
  const out: CorpusRecord[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      let r: unknown;
      try {
        r = JSON.parse(text);
      } catch (e) {
        throw new Error(`${f}:${i + 1}: not JSON: ${(e as Error).message}`, { cause: e });
      }
      const problem = checkRecord(r);
      if (problem) throw new Error(`${f}:${i + 1}: ${problem}`);
      out.push({ ...(r as CorpusRecord), at: `${f}:${i + 1}` });
    });
  }
  return out;
}

function checkRecord(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null) return 'not an object';
  const o = r as Record<string, unknown>;
  for (const k of ['line', 'source', 'program', 'format', 'class'] as const) {
    if (typeof o[k] !== 'string' || o[k] === '') return `"${k}" must be a non-empty string`;
  }
  if (!(CORPUS_CLASSES as readonly string[]).includes(o['class'] as string)) return `unknown class "${String(o['class'])}"`;
  if (!/^https?:\/\//.test(o['source'] as string)) return '"source" must be the URL of the public thread';
  if (!('expect' in o)) return 'no "expect" (null for a look-alike)';
  const e = o['expect'];
  if (e === null) return undefined;
  if (typeof e !== 'object' || typeof (e as Record<string, unknown>)['action'] !== 'string') return '"expect" must be null or {action, fields}';
  return undefined;
}

/** The value at a dotted path of a document (ECS documents nest; a key may itself hold dots: "@timestamp"). */
export function valueAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export interface LineVerdict {
  readonly record: CorpusRecord;
  /** The document wg-siem made, or undefined when the line was not recognised (or failed validation). */
  readonly doc?: WgEventDoc;
  readonly why?: string;
  readonly actionRight: boolean;
  readonly fieldsRight: number;
  readonly fieldsTotal: number;
  readonly wrongFields: readonly string[];
}

export function judge(record: CorpusRecord): LineVerdict {
  const nowMs = Date.parse(record.now ?? DEFAULT_NOW);
  const r = processLine({ value: record.line, nowMs }, { timezone: record.timezone ?? 'UTC', namespace: 'default', validate: true });
  const doc = r.kind === 'event' ? r.doc : undefined;
  const why = r.kind === 'invalid' ? `schema: ${r.errors.join('; ')}` : r.kind === 'unparsed' ? 'not recognised' : undefined;
  const exp = record.expect;
  if (exp === null) return { record, doc, why, actionRight: doc === undefined, fieldsRight: 0, fieldsTotal: 0, wrongFields: [] };
  const actionRight = doc?.event.action === exp.action;
  const wrong: string[] = [];
  const fields = exp.fields ?? {};
  let right = 0;
  for (const [path, want] of Object.entries(fields)) {
    const got = path === DIRECTION_FIELD ? (doc ? DIRECTIONS.get(String(doc.event.code)) : undefined) : valueAt(doc, path);
    if (got === want) right++;
    else wrong.push(`${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  return { record, doc, why, actionRight, fieldsRight: right, fieldsTotal: Object.keys(fields).length, wrongFields: wrong };
}

export interface ClassScore {
  readonly cls: CorpusClass;
  readonly formats: number;
  readonly wireguard: number;
  readonly recognised: number;
  readonly fieldsRight: number;
  readonly fieldsTotal: number;
  readonly noise: number;
  readonly noiseTaken: number;
}

export interface CorpusScore {
  readonly classes: readonly ClassScore[];
  readonly total: ClassScore & { readonly programs: number };
  readonly verdicts: readonly LineVerdict[];
}

export function score(records: readonly CorpusRecord[]): CorpusScore {
  const verdicts = records.map(judge);
  const classes: ClassScore[] = [];
  const tally = (vs: readonly LineVerdict[], cls: CorpusClass): ClassScore => {
    const wg = vs.filter((v) => v.record.expect !== null);
    const noise = vs.filter((v) => v.record.expect === null);
    return {
      cls,
      formats: new Set(vs.map((v) => v.record.format)).size,
      wireguard: wg.length,
      recognised: wg.filter((v) => v.actionRight).length,
      fieldsRight: wg.reduce((n, v) => n + v.fieldsRight, 0),
      fieldsTotal: wg.reduce((n, v) => n + v.fieldsTotal, 0),
      noise: noise.length,
      noiseTaken: noise.filter((v) => !v.actionRight).length,
    };
  };
  for (const cls of CORPUS_CLASSES) {
    const vs = verdicts.filter((v) => v.record.class === cls);
    if (vs.length > 0) classes.push(tally(vs, cls));
  }
  const total = { ...tally(verdicts, 'noise'), programs: new Set(records.filter((r) => r.expect !== null).map((r) => r.program.toLowerCase())).size };
  return { classes, total, verdicts };
}

const pct = (a: number, b: number): string => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)} %`);

/** The per-class table as Markdown (docs/ and the test's output). */
export function scoreTable(s: CorpusScore): string {
  const rows = [
    '| class | formats | WireGuard lines | right action | fields right | look-alikes | taken for WireGuard |',
    '|---|---|---|---|---|---|---|',
  ];
  const row = (name: string, c: ClassScore): string => `| ${name} | ${c.formats} | ${c.wireguard} | ${c.recognised} (${pct(c.recognised, c.wireguard)}) | ${c.fieldsRight}/${c.fieldsTotal} (${pct(c.fieldsRight, c.fieldsTotal)}) | ${c.noise} | ${c.noiseTaken} |`;
  for (const c of s.classes) rows.push(row(c.cls, c));
  rows.push(row(`**all** (${s.total.programs} programs)`, s.total));
  return rows.join('\n');
}
