// The mutable form of a Decoded result that extractors fill in, and the small steps they share.
import { SEVERITY_LEVELS } from './names.ts';
import type { Zone } from './time.ts';
import type { Decoded, EnvelopeId } from './types.ts';

export type Out = { -readonly [K in keyof Decoded]: Decoded[K] };

/** The decode context resolved once per line: the zone object instead of its name, a usable "now". */
export interface Ctx {
  readonly zone: Zone;
  readonly nowMs: number;
}

/** How many leading characters envelope regexes look at, so a 1 MB line costs no more than a short one. */
export const HEAD_LEN = 512;

export function head(s: string): string {
  return s.length > HEAD_LEN ? s.slice(0, HEAD_LEN) : s;
}

/** The text from `start` to the end of the line, without the trailing CR/LF the line may still carry. */
export function rest(line: string, start: number): string {
  let end = line.length;
  while (end > start) {
    const c = line.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  return start === 0 && end === line.length ? line : line.slice(start, end);
}

export function newOut(envelope: EnvelopeId, original: string, message: string): Out {
  return { envelope, original, message, timestampSource: 'none' };
}

/** Records a timestamp the line itself gave; NaN (an impossible date) leaves the result without one. */
export function setLineTime(out: Out, ms: number): void {
  if (Number.isFinite(ms)) {
    out.timestampMs = ms;
    out.timestampSource = 'line';
  }
}

/** Facility, severity and level from a syslog PRI value (facility × 8 + severity). */
export function setPri(out: Out, pri: number): void {
  if (!(pri >= 0 && pri <= 191)) return;
  setSyslog(out, pri >> 3, pri & 7);
}

/**
 * Either part may be unknown. The severity also gives the level, unless a level was already stated (a wrapped
 * wireguard-go line's own DEBUG/ERROR, a shipper's log.level): the more specific source wins.
 */
export function setSyslog(out: Out, facility: number | undefined, severity: number | undefined): void {
  const f = facility !== undefined && Number.isInteger(facility) && facility >= 0 && facility <= 23 ? facility : undefined;
  const s = severity !== undefined && Number.isInteger(severity) && severity >= 0 && severity <= 7 ? severity : undefined;
  if (f === undefined && s === undefined) return;
  out.syslog = f === undefined ? { severity: s } : s === undefined ? { facility: f } : { facility: f, severity: s };
  if (s !== undefined && out.level === undefined) out.level = SEVERITY_LEVELS[s];
}

/** A process id as printed; anything but a plain non-negative integer is not one. */
export function pidOf(s: string | undefined): number | undefined {
  if (s === undefined || s.length === 0 || s.length > 10) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(s);
}

/** A syslog NILVALUE ("-") or an empty field means the sender did not say. */
export function nonNil(s: string | undefined): string | undefined {
  return s === undefined || s === '-' || s === '' ? undefined : s;
}

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LETTERS = `${UPPER}abcdefghijklmnopqrstuvwxyz`;
