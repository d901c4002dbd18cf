// Ajv's findings turned into text, for every schema wg-siem checks (configuration, rules, Kibana source,
// snapshots, documents, inventories). The callers word their messages for different readers, so the wording is
// theirs; what is shared is how a location is read from an error, which property an error is about, and what
// happens when a caller has no wording of its own for a keyword.
import type { ErrorObject } from 'ajv';

export type AjvParams = Readonly<Record<string, unknown>>;

/**
 * Keyword → message. A function returning null leaves the error out (an `anyOf` or `if` failure only repeats
 * what its inner errors say); one returning undefined falls back to the default text.
 */
export type AjvWording = Readonly<Record<string, (e: ErrorObject, p: AjvParams, where: string) => string | null | undefined>>;

export interface AjvStyle {
  /**
   * Names the place of an error: `pointer` is ajv's instancePath; `property` is set for the errors about one
   * property of the object there (missing, unknown, badly named, or a discriminator's tag).
   */
  readonly where: (pointer: string, property: string | undefined) => string;
  readonly wording?: AjvWording;
  /** Format name → what a value of that format looks like, for `format` errors. */
  readonly formats?: Readonly<Record<string, string>>;
  /** The text when neither the wording nor ajv has one; default: the keyword. */
  readonly fallback?: string;
  /** At most this many problems (a wrong document can fail hundreds of times over). */
  readonly limit?: number;
}

export interface AjvProblem {
  readonly where: string;
  readonly message: string;
}

/** A JSON pointer's segments, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/peers/3/public_key` → `peers[3].public_key`, the way ECS and YAML readers name fields; `root` when empty. */
export function fieldPath(pointer: string, root: string, property?: string): string {
  const parts = pointerSegments(pointer);
  if (property !== undefined) parts.push(property);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? root : out;
}

/** An `enum` error's allowed values as JSON, comma-separated. */
export function allowedValues(p: AjvParams): string {
  return ((p['allowedValues'] as readonly unknown[] | undefined) ?? []).map((v) => JSON.stringify(v)).join(', ');
}

const PROPERTY_PARAM: Readonly<Record<string, string>> = {
  required: 'missingProperty', additionalProperties: 'additionalProperty', propertyNames: 'propertyName', discriminator: 'tag',
};

/** Every error as a place and a message, in ajv's order, without repeats. */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined, style: AjvStyle): AjvProblem[] {
  const out: AjvProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (style.limit !== undefined && out.length >= style.limit) break;
    const p = e.params as AjvParams;
    const property = p[PROPERTY_PARAM[e.keyword] ?? ''];
    const where = style.where(e.instancePath, typeof property === 'string' ? property : undefined);
    const worded = style.wording?.[e.keyword]?.(e, p, where);
    if (worded === null) continue;
    const message = worded
      ?? (e.keyword === 'format' ? style.formats?.[String(p['format'])] : undefined)
      ?? e.message ?? style.fallback ?? e.keyword;
    const key = `${where}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ where, message });
  }
  return out;
}

/** The problems as lines, `where` and message joined by `separator`. */
export function ajvLines(errors: readonly ErrorObject[] | null | undefined, style: AjvStyle, separator = ': '): string[] {
  return ajvProblems(errors, style).map((x) => `${x.where}${separator}${x.message}`);
}
