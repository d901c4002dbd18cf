// Envelopes written by the WireGuard implementations themselves or by the platform logger that embeds them:
// wireguard-go's stdout, Android logcat (wireguard-android's GoBackend), the wireguard-windows ring log and
// boringtun's tracing output.
import type { TextEnvelope } from './envelopes.ts';
import { DIGITS, head, newOut, pidOf, prefixEnvelope, rest, setLineTime } from './fields.ts';
import type { Ctx, Out } from './fields.ts';
import { APP_LEVELS, LOGCAT_LEVELS } from './names.ts';
import { fieldsToUtc, yearlessToUtc } from './time.ts';
import type { Zone } from './time.ts';

// ---- wireguard-go -------------------------------------------------------------------------------------------

/** "DEBUG: (wg0) 2025/05/22 14:22:07 ": Go's log package with the prefix before the date, local time. */
export const GO_PREFIX_RE = /^(DEBUG|INFO|ERROR): \(([^)\r\n]{0,64})\) (\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ?/;

/** Level, interface and (when `withTime`) the timestamp of a wireguard-go prefix match. */
export function applyGoPrefix(out: Out, m: RegExpExecArray, zone: Zone, withTime: boolean): void {
  out.envelope = 'wireguard-go';
  out.implHint = 'wireguard-go';
  const level = APP_LEVELS.get(m[1] ?? '');
  if (level !== undefined) out.level = level;
  if (m[2] !== undefined && m[2] !== '') out.iface = m[2];
  if (withTime) {
    setLineTime(out, fieldsToUtc(zone, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]),
      Number(m[8]), m[9], undefined));
  }
}

export const WIREGUARD_GO: TextEnvelope = prefixEnvelope(
  { id: 'wireguard-go', variant: 'wireguard-go stdout: DEBUG: (wg0) 2025/05/22 14:22:07 ...', first: 'DEI', re: GO_PREFIX_RE },
  (out, m, ctx) => { applyGoPrefix(out, m, ctx.zone, true); });

/**
 * Go's standard logger without prefix: "2025/05/22 14:22:07 ". wireguard-go's Windows socket code logs this
 * way; so do countless other Go programs, so no implementation is implied.
 */
export const GO_STDLOG: TextEnvelope = {
  id: 'go-stdlog',
  variant: 'Go standard logger: 2025/05/22 14:22:07 ...',
  first: DIGITS,
  re: /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? /,
  extract(m, line, ctx) {
    const out = newOut('go-stdlog', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], undefined));
    return out;
  },
};

/**
 * A Go time.Time printed with its String() method as the line's prefix: "2021-03-04 11:41:41.9625918 -0500 EST: "
 * (the zone abbreviation, or the offset again when the zone has none; a monotonic "m=+1.23" reading may
 * follow). Tailscale's Windows service log writes every line this way; no implementation is implied.
 */
export const GO_TIME_STRING: TextEnvelope = {
  id: 'go-stdlog',
  variant: 'Go time.Time.String() prefix: 2021-03-04 11:41:41.9625918 -0500 EST: ...',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([+-]\d{4}) (?:[A-Za-z]{1,6}|[+-]\d{2,4})(?: m=[+-]\d{1,12}\.\d{1,9})?: /,
  extract(m, line, ctx) {
    const out = newOut('go-stdlog', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], m[8]));
    return out;
  },
};

// ---- Android logcat -----------------------------------------------------------------------------------------

const GO_BACKEND_TAG = 'WireGuard/GoBackend/';

/**
 * Reads "Tag: ", "Tag( 1234): " or the padded "Tag     : " of threadtime, starting at `pos`. GoBackend's tags
 * name the tunnel, and only GoBackend's lines are wireguard-go's own messages (the app's Java side logs under
 * other WireGuard/ tags); applyLogcatTag knows the forks' tags too.
 */
export function logcat(line: string, h: string, pos: number, letter: string | undefined, pid: number | undefined, time: number): Out | undefined {
  const colon = h.indexOf(': ', pos);
  if (colon < 0) return undefined;
  let tag = h.slice(pos, colon);
  let tagPid: number | undefined;
  // Only formats without a pid column put it after the tag; otherwise "(2)" is part of a tunnel name.
  if (pid === undefined && tag.endsWith(')')) {
    const open = tag.lastIndexOf('(');
    const inner = open >= 0 ? pidOf(tag.slice(open + 1, -1).trim()) : undefined;
    if (inner !== undefined) {
      tagPid = inner;
      tag = tag.slice(0, open);
    }
  }
  tag = tag.trimEnd();
  if (tag === '') return undefined;
  const out = newOut('logcat', line, rest(line, colon + 2));
  setLineTime(out, time);
  const p = pid ?? tagPid;
  if (p !== undefined) out.pid = p;
  const level = LOGCAT_LEVELS.get(letter ?? '');
  if (level !== undefined) out.level = level;
  out.logger = tag;
  applyLogcatTag(out, tag);
  return out;
}

// amneziawg-android logs the Go side under "AmneziaWG/<tunnel>" and its own Java / JNI code under these.
const AMNEZIA_TAG = 'AmneziaWG/';
const AMNEZIA_APP_TAGS: ReadonlySet<string> = new Set(['GoBackend', 'BypassSocket', 'TunnelManager', 'VpnService']);
// WG Tunnel (com.zaneschepke.wireguardautotunnel) 4.x logs its tunnels' Go side as "Tun/<iface>".
const WG_TUNNEL_TAG = 'Tun/';

/** The tunnel of a tag whose lines are wireguard-go's own text (and of which fork), from the tag alone. */
export function applyLogcatTag(out: Out, tag: string): void {
  let tunnel: string | undefined;
  if (tag.startsWith(GO_BACKEND_TAG)) tunnel = tag.slice(GO_BACKEND_TAG.length);
  else if (tag.startsWith(AMNEZIA_TAG) && !AMNEZIA_APP_TAGS.has(tag.slice(AMNEZIA_TAG.length))) tunnel = tag.slice(AMNEZIA_TAG.length);
  else if (tag.startsWith(WG_TUNNEL_TAG)) tunnel = tag.slice(WG_TUNNEL_TAG.length);
  if (tunnel !== undefined && tunnel !== '') {
    out.iface = tunnel;
    out.implHint = 'wireguard-go';
  }
}

function yearless(m: RegExpExecArray, ctx: Ctx): number {
  return yearlessToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), m[6], ctx.nowMs);
}

export const LOGCAT_THREADTIME: TextEnvelope = {
  id: 'logcat',
  variant: 'logcat -v threadtime: 05-22 14:22:07.123  1234  1260 I Tag: ...',
  first: DIGITS,
  re: /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3,6}) {1,10}(\d{1,10}) {1,10}\d{1,10} ([VDIWEFA]) /,
  extract: (m, line, ctx) => logcat(line, m.input, m[0].length, m[8], pidOf(m[7]), yearless(m, ctx)),
};

export const LOGCAT_YEAR: TextEnvelope = {
  id: 'logcat',
  variant: 'logcat -v threadtime,year: 2025-05-22 14:22:07.123  1234  1260 I Tag: ...',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3,6}) {1,10}(\d{1,10}) {1,10}\d{1,10} ([VDIWEFA]) /,
  extract: (m, line, ctx) => logcat(line, m.input, m[0].length, m[9], pidOf(m[8]),
    fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], undefined)),
};

export const LOGCAT_TIME: TextEnvelope = {
  id: 'logcat',
  variant: 'logcat -v time: 05-22 14:22:07.123 I/Tag( 1234): ...',
  first: DIGITS,
  re: /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3,6}) ([VDIWEFA])\//,
  extract: (m, line, ctx) => logcat(line, m.input, m[0].length, m[7], undefined, yearless(m, ctx)),
};

export const LOGCAT_BRIEF: TextEnvelope = {
  id: 'logcat',
  variant: 'logcat -v brief / tag: I/Tag( 1234): ...',
  first: 'VDIWEFA',
  re: /^([VDIWEFA])\//,
  extract: (m, line) => logcat(line, m.input, m[0].length, m[1], undefined, NaN),
};

export const LOGCAT_TAG_ONLY: TextEnvelope = {
  id: 'logcat',
  variant: 'logcat priority and WireGuard tag: I WireGuard/GoBackend/wg0: ...',
  first: 'VDIWEFA',
  // Only WireGuard's tags: "X Word: text" alone is too common in ordinary prose to claim as logcat.
  re: /^([VDIWEFA]) (?=WireGuard\/)/,
  extract: (m, line) => logcat(line, m.input, m[0].length, m[1], undefined, NaN),
};

// ---- wireguard-windows ring log -----------------------------------------------------------------------------

export const WINDOWS_RINGLOG: TextEnvelope = {
  id: 'windows-ringlog',
  variant: 'wireguard-windows ring log: 2025-05-22 14:22:07.123456: [TUN] [office] ...',
  first: DIGITS,
  // Tunnel names are limited to [a-zA-Z0-9_=+.-]{1,32} by wireguard-windows; "*" for one masked in a paste.
  re: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{1,9}): \[(TUN|MGR)\] (?:\[([\w=+.*-]{1,64})\] )?/,
  extract(m, line, ctx) {
    const out = newOut('windows-ringlog', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), m[7], undefined));
    out.implHint = 'windows';
    if (m[8] !== undefined) out.logger = m[8];
    if (m[9] !== undefined) out.iface = m[9];
    return out;
  },
};

// ---- boringtun ----------------------------------------------------------------------------------------------

// tracing-subscriber's format, in all its forms (spans, fields, pretty), lives with the other Rust loggers.
export { TRACING_FULL as BORINGTUN } from './rust-logs.ts';

/** Exposed for the nested decoding in syslog and journal messages. */
export function matchGoPrefix(message: string): RegExpExecArray | null {
  const c = message.charCodeAt(0);
  return c === 68 || c === 69 || c === 73 ? GO_PREFIX_RE.exec(head(message)) : null;
}
