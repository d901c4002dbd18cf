// The root-cause table (root-causes.ts) applied to the lines of both ends: each condition is measured on one
// end's view (its tunnel's lines, or all its lines for host-wide signals), and the first entry whose pattern
// holds is the cause.
import type { Condition, Pattern, Role, RootCause } from './root-causes.ts';
import { ROOT_CAUSES } from './root-causes.ts';
import type { Line } from './lines.ts';
import { signalDef } from './signals.ts';
import type { Coincidence } from './timing.ts';
import { coincide, significant } from './timing.ts';
import type { TunnelHints, TunnelQuery } from './types.ts';
import { MOST_SHARE } from './types.ts';

export interface Setting {
  readonly q: TunnelQuery;
  readonly hints: TunnelHints;
  readonly tol: number;
  readonly from: number;
  readonly to: number;
  readonly periodMs: number;
  readonly attempts: readonly number[];
}

/** One end's lines around the alert. */
export interface View {
  readonly host: string;
  readonly iface?: string;
  /** Every line of the interface (and the host's lines without an interface). */
  readonly all: readonly Line[];
  /** The lines of this tunnel. */
  readonly tunnel: readonly Line[];
}

export interface Facts {
  readonly s: Setting;
  readonly views: Readonly<Record<Role, View | undefined>>;
}

export interface Measure {
  readonly lines: readonly Line[];
  /** Attempts scope. */
  readonly match?: Coincidence;
}

export function measure(f: Facts, c: Condition): Measure | undefined {
  const v = f.views[c.end];
  // An end whose log we do not have proves nothing, not even an absence.
  if (!v || v.all.length === 0) return undefined;
  let lines: readonly Line[];
  if (c.signals === 'any') lines = v.all;
  else {
    const signals = c.signals;
    const mine = new Set(v.tunnel);
    lines = v.all.filter((l) => l.signal !== undefined && signals.includes(l.signal) && (mine.has(l) || signalDef(l.signal).hostWide === true));
  }
  if (c.scope === 'period') return { lines };
  return { lines, match: coincide(f.s.attempts, lines.map((l) => l.t), f.s.periodMs, f.s.tol) };
}

export function holds(c: Condition, m: Measure | undefined): boolean {
  if (!m) return false;
  if (c.scope === 'period') return c.test === 'none' ? m.lines.length === 0 : m.lines.length > 0;
  const x = m.match;
  if (!x || x.of === 0) return false;
  if (c.test === 'none') return x.matched === 0;
  if (c.test === 'some') return significant(x);
  return x.matched >= MOST_SHARE * x.of && significant(x);
}

/** The first root cause with a pattern that holds; the table's last entry always does. */
export function chooseRootCause(test: (c: Condition) => boolean, table: readonly RootCause[] = ROOT_CAUSES): { cause: RootCause; pattern: Pattern } {
  for (const cause of table) {
    for (const pattern of cause.patterns) if (pattern.all.every(test)) return { cause, pattern };
  }
  throw new Error('root-cause table has no fallback entry');
}

export interface Verdict {
  readonly f: Facts;
  readonly cause: RootCause;
  readonly pattern: Pattern;
  readonly measured: (c: Condition) => Measure | undefined;
}

/** The cause both views imply, with the measurements behind it (for the evidence). */
export function evaluate(f: Facts): Verdict {
  const measures = new Map<Condition, Measure | undefined>();
  const measured = (c: Condition): Measure | undefined => {
    if (!measures.has(c)) measures.set(c, measure(f, c));
    return measures.get(c);
  };
  const { cause, pattern } = chooseRootCause((c) => holds(c, measured(c)));
  return { f, cause, pattern, measured };
}
