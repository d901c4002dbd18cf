// The mutable form of a Decoded result that extractors fill in, and the small steps they share.
import { canonicalIp } from '../../shared/net/ip.ts';
import type { TextEnvelope } from './envelopes.ts';
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

/**
 * An envelope whose regex matches its whole prefix: the message is the rest of the line, and `fill` reads the
 * prefix's captures (time, level, logger) into the result.
 */
export function prefixEnvelope(e: Omit<TextEnvelope, 'extract'>, fill: (out: Out, m: RegExpExecArray, ctx: Ctx) => void): TextEnvelope {
  return {
    ...e,
    extract(m, line, ctx) {
      const out = newOut(e.id, line, rest(line, m[0].length));
      fill(out, m, ctx);
      return out;
    },
  };
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

/** At most this many addresses of the logging host are kept from one line or record. */
export const MAX_HOST_IPS = 16;

/** Whether a canonical address can never name one host to another: loopback, link-local, unspecified. */
function isLocalOnly(ip: string): boolean {
  if (ip.indexOf(':') < 0) return ip.startsWith('127.') || ip.startsWith('169.254.') || ip === '0.0.0.0';
  if (ip === '::1' || ip === '::') return true;
  // fe80::/10
  return ip.indexOf(':') === 4 && ip.startsWith('fe') && '89ab'.includes(ip.charAt(2));
}

/**
 * The logging host's address in `s`, canonical (an IPv4-mapped IPv6 address as IPv4), or undefined when `s`
 * is no address or one that pairs no two hosts. With `port`, "192.0.2.10:514" and "[2001:db8::1]:514" count
 * too (a shipper's peer address).
 */
export function hostIpOf(s: string, port = false): string | undefined {
  if (s.length === 0 || s.length > 64) return undefined;
  let a = s;
  if (port) {
    if (a.charCodeAt(0) === 91) {
      const close = a.indexOf(']');
      if (close < 0) return undefined;
      a = a.slice(1, close);
    } else {
      const colon = a.indexOf(':');
      if (colon > 0 && a.indexOf(':', colon + 1) < 0) a = a.slice(0, colon);
    }
  }
  let ip = canonicalIp(a);
  if (ip === null) return undefined;
  if (ip.startsWith('::ffff:') && ip.indexOf(':', 7) > 0 && ip.indexOf('.') < 0) {
    const hi = parseInt(ip.slice(7, ip.indexOf(':', 7)), 16);
    const lo = parseInt(ip.slice(ip.indexOf(':', 7) + 1), 16);
    ip = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return isLocalOnly(ip) ? undefined : ip;
}

/** Adds the address in `s` (see hostIpOf) to the line's host addresses, once, up to MAX_HOST_IPS. */
export function addHostIp(out: Out, s: unknown, port = false): void {
  if (typeof s !== 'string') return;
  const ip = hostIpOf(s, port);
  if (ip === undefined) return;
  const list = out.hostIps;
  if (list === undefined) out.hostIps = [ip];
  else if (list.length < MAX_HOST_IPS && !list.includes(ip)) out.hostIps = [...list, ip];
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
