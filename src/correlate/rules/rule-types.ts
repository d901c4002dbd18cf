// The typed form of a rule, after validation and duration parsing (see alerts/*.yaml and rule-schema.ts).

export type Scalar = string | number | boolean;
export type Condition =
  | { readonly equals: Scalar }
  | { readonly in: readonly Scalar[] }
  | { readonly exists: boolean }
  | { readonly prefix: string };
/** Conditions on dotted paths, all of which must hold; kept as entries so matching needs no object walk. */
export type Filter = readonly (readonly [string, Condition])[];

/** A group_by entry: a name and the paths tried in order (coalesce), e.g. remote = [source.ip, destination.ip]. */
export interface GroupField {
  readonly name: string;
  readonly paths: readonly string[];
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';

interface RuleBase {
  readonly id: string;
  readonly name: string;
  /**
   * The alert's `message`: text with {count}, {distinct}, {window} and {<group field name>} placeholders, filled
   * from the alert (see alert-title.ts).
   */
  readonly title: string;
  /** Catalog diagnosis (src/parse/catalog/diagnoses) explaining the pattern when nothing more specific is known. */
  readonly diagnosis?: string;
  /** Which end of a tunnel the rule watches, when both ends' logs can name the root cause (src/correlate/diagnose). */
  readonly tunnel?: 'initiator' | 'responder';
  readonly description: string;
  readonly version: number;
  readonly severity: Severity;
  readonly riskScore: number;
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  readonly filter: Filter;
  readonly groupBy: readonly GroupField[];
  readonly windowMs: number;
  readonly allowedLatenessMs: number;
  readonly quietPeriodMs: number;
  /** File the rule came from (error messages, `rules check`). */
  readonly file: string;
}

export interface ThresholdRule extends RuleBase { readonly type: 'threshold'; readonly count: number }
export interface DistinctRule extends RuleBase { readonly type: 'distinct'; readonly field: string; readonly count: number }
export interface SequenceRule extends RuleBase {
  readonly type: 'sequence';
  readonly steps: readonly Filter[];
  /** Completed sequences within the window needed to fire. */
  readonly count: number;
  readonly endsWithAbsence?: { readonly filter: Filter; readonly withinMs: number };
}
export interface AbsenceRule extends RuleBase { readonly type: 'absence'; readonly afterMs: number }

export type Rule = ThresholdRule | DistinctRule | SequenceRule | AbsenceRule;

/** Elastic Security's risk-score bands per severity (external alerts): defaults 21, 47, 73, 99. */
export const RISK_BANDS: Readonly<Record<Severity, readonly [number, number]>> = {
  low: [0, 21], medium: [22, 47], high: [48, 73], critical: [74, 100],
};
