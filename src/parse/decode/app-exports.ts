// Envelopes of the WireGuard apps' own log views and exports, as users paste them from their phones and
// desktops: wireguard-apple's ring log and log view, Mullvad's iOS log, AmneziaVPN's Apple network extension,
// WG Tunnel's logcat export, `logcat -v epoch`, the wireguard-windows ring log with its time cut short or masked,
// TunSafe's log window, and a plain "date time text" layout (eduVPN's Apple log).
import type { TextEnvelope } from './envelopes.ts';
import { DIGITS, newOut, pidOf, rest, setLineTime } from './fields.ts';
import type { Out } from './fields.ts';
import { applyLogcatTag, logcat } from './app-logs.ts';
import { APP_LEVELS, SEVERITY_BY_NAME, SEVERITY_LEVELS } from './names.ts';
import { fieldsToUtc } from './time.ts';

// ---- wireguard-apple ----------------------------------------------------------------------------------------

/**
 * The app's ring log (shared by the app and its network extension) as "Export log" writes it:
 * "2021-07-18 18:41:56.623005: [NET] …", local time; the in-app log view prints "2019-10-31 17:28:15.589 [NET] …"
 * (milliseconds, no colon). [NET] is the network extension (its own lines and wireguard-go's), [APP] the UI app.
 * Both name the tunnel in the text, if at all, so the apps' entries capture it.
 */
export const APPLE_RINGLOG: TextEnvelope = {
  id: 'apple-ringlog',
  variant: 'wireguard-apple ring log / log view: 2025-05-22 14:22:07.123456: [NET] ...',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{1,9}):? \[(NET|APP)\] /,
  extract(m, line, ctx) {
    const out = newOut('apple-ringlog', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), m[7], undefined));
    return apple(out, m[8]);
  },
};

/** The log view copied without its time column: "[NET] …". */
export const APPLE_UNTIMED: TextEnvelope = {
  id: 'apple-ringlog',
  variant: 'wireguard-apple log view without time: [NET] ...',
  first: '[',
  re: /^\[(NET|APP)\] /,
  extract: (m, line) => apple(newOut('apple-ringlog', line, rest(line, m[0].length)), m[1]),
};

function apple(out: Out, tag: string | undefined): Out {
  if (tag !== undefined) out.logger = tag;
  // The apps' own lines are catalogued with wireguard-go's, whose text the extension also carries.
  out.implHint = 'wireguard-go';
  return out;
}

/**
 * Mullvad VPN for iOS: "[2022-12-28 20:35:38.240][WireGuard][debug] pid=456 …"; the second field is the
 * logger, "WireGuard" for wireguard-go's lines (others are the app's own: PacketTunnelProvider, TunnelMonitor).
 */
export const MULLVAD_IOS: TextEnvelope = {
  id: 'mullvad-ios',
  variant: 'Mullvad iOS log: [2025-05-22 14:22:07.123][WireGuard][debug] pid=456 ...',
  first: '[',
  re: /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\]\[([^\]\n]{1,64})\]\[([a-z]{1,10})\] (?:pid=(\d{1,10}) )?/,
  extract(m, line, ctx) {
    const out = newOut('mullvad-ios', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), m[7], undefined));
    const logger = m[8] ?? '';
    out.logger = logger;
    if (logger === 'WireGuard') out.implHint = 'wireguard-go';
    const level = APP_LEVELS.get((m[9] ?? '').toUpperCase());
    if (level !== undefined) out.level = level;
    const pid = pidOf(m[10]);
    if (pid !== undefined) out.pid = pid;
    return out;
  },
};

/**
 * AmneziaVPN's Apple network extension: "2025-10-21 23:39:42 debug NE: WG: …". "WG: " marks amneziawg-go's
 * lines; the extension's own ("NE: App said: …") have no such marker.
 */
export const AMNEZIAVPN_NE: TextEnvelope = {
  id: 'amneziavpn-ne',
  variant: 'AmneziaVPN Apple network extension: 2025-05-22 14:22:07 debug NE: WG: ...',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) (debug|info|warning|error|critical|fatal) NE: (WG: )?/,
  extract(m, line, ctx) {
    const out = newOut('amneziavpn-ne', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), undefined, undefined));
    const sev = SEVERITY_BY_NAME.get(m[7] === 'fatal' ? 'critical' : m[7] ?? '');
    if (sev !== undefined) out.level = SEVERITY_LEVELS[sev];
    out.logger = m[8] === undefined ? 'NE' : 'NE: WG';
    if (m[8] !== undefined) out.implHint = 'wireguard-go';
    return out;
  },
};

// ---- Android ------------------------------------------------------------------------------------------------

/**
 * WG Tunnel's log export: "2024-04-04T04:44:39.000000611Z 25007 31012 DEBUG <tag> message= <text>". The
 * exporter cut logcat's "tag: text" at its first space, so a tag with spaces ends up split:
 * "WireGuard/GoBackend/home message= (all routes): peer(…) - …" is tag "WireGuard/GoBackend/home (all routes)";
 * a tag without spaces keeps its colon ("WireGuard/GoBackend: message= Bringing tunnel …").
 */
export const WG_TUNNEL_EXPORT: TextEnvelope = {
  id: 'logcat',
  variant: 'WG Tunnel log export: 2024-04-04T04:44:39.000000611Z 25007 31012 DEBUG Tag message= ...',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z (\d{1,10}) \d{1,10} (VERBOSE|DEBUG|INFO|WARN|ERROR|ASSERT) (\S{1,256}) message= /,
  extract(m, line, ctx) {
    let tag = m[10] ?? '';
    let start = m[0].length;
    if (tag.endsWith(':')) {
      tag = tag.slice(0, -1);
    } else {
      // The rest of the tag runs to the first ": " after "message= ".
      const colon = line.indexOf(': ', start);
      if (colon < 0 || colon - start > 128) return undefined;
      tag = `${tag} ${line.slice(start, colon)}`;
      start = colon + 2;
    }
    const out = newOut('logcat', line, rest(line, start));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), m[7], 'Z'));
    const pid = pidOf(m[8]);
    if (pid !== undefined) out.pid = pid;
    const level = APP_LEVELS.get(m[9] === 'VERBOSE' ? 'TRACE' : m[9] === 'ASSERT' ? 'ERROR' : m[9] ?? '');
    if (level !== undefined) out.level = level;
    out.logger = tag;
    applyLogcatTag(out, tag);
    return out;
  },
};

/** `logcat -v epoch`: "  1749713482.921 12448 12990 D Tag: …" (seconds since 1970, right-aligned). */
export const LOGCAT_EPOCH: TextEnvelope = {
  id: 'logcat',
  variant: 'logcat -v epoch: 1749713482.921 12448 12990 D Tag: ...',
  first: ` ${DIGITS}`,
  re: /^ {0,24}(\d{9,11})\.(\d{3,6}) {1,10}(\d{1,10}) {1,10}\d{1,10} ([VDIWEFA]) /,
  extract: (m, line) => logcat(line, m.input, m[0].length, m[4], pidOf(m[3]),
    Number(m[1]) * 1000 + Number((m[2] ?? '').slice(0, 3)) + Number(`0.${(m[2] ?? '').slice(3) || '0'}`)),
};

// ---- Windows ------------------------------------------------------------------------------------------------

/**
 * The wireguard-windows ring log as some clients and pasters print it: the time of day only (AmneziaVPN:
 * "18:06:43.389 [TUN] [AmneziaVPN] …"), the time masked ("xxx: [TUN] [name] …") or damaged
 * ("2021-02-10` 16:05:20.720256: [MGR] …"), or cut off ("[TUN] [name] …"). None gives a usable date, so no time
 * is taken. [TUN] must be followed by the tunnel name, as the service always prints it (a bare "[TUN] " is other
 * VPNs' logging too); [MGR] without a name only after a time part.
 */
export const WINDOWS_RINGLOG_LOOSE: TextEnvelope = {
  id: 'windows-ringlog',
  variant: 'wireguard-windows ring log without a usable date: 18:06:43.389 [TUN] [office] ... / xxx: [TUN] ...',
  first: `${DIGITS}xX*#?[`,
  // Tunnel names as in WINDOWS_RINGLOG, "*" included for a name masked in a paste.
  re: /^(\d\d:\d\d:\d\d\.\d{1,9} |(?:[xX*#?]{1,30}|\d{4}-\d\d-\d\d\S{1,3} {1,3}\d\d:\d\d:\d\d(?:\.\d{1,9})?): )?\[(TUN|MGR)\] (?:\[([\w=+.*-]{1,64})\] )?/,
  extract(m, line) {
    // The service always names the tunnel after [TUN]; only the manager's own lines have no name.
    if (m[3] === undefined && (m[1] === undefined || m[2] === 'TUN')) return undefined;
    const out = newOut('windows-ringlog', line, rest(line, m[0].length));
    out.implHint = 'windows';
    if (m[2] !== undefined) out.logger = m[2];
    if (m[3] !== undefined) out.iface = m[3];
    return out;
  },
};

/**
 * TunSafe's log window: "[08:06:59] Loading file: …". The layout is common, so it implies nothing: the
 * recogniser tries TunSafe's own texts on it and otherwise treats it as unknown.
 */
export const TUNSAFE: TextEnvelope = {
  id: 'tunsafe',
  variant: 'TunSafe log: [14:22:07] ...',
  first: '[',
  re: /^\[([01]\d|2[0-3]):([0-5]\d):([0-5]\d)\] /,
  extract: (m, line) => newOut('tunsafe', line, rest(line, m[0].length)),
};

// ---- generic ------------------------------------------------------------------------------------------------

/**
 * A date and time with milliseconds, then the text (eduVPN's Apple log writes wireguard-go's lines this way).
 * Many programs do, so nothing is implied: the time is taken, the text is judged on its own. Tried after every
 * other ISO-dated layout.
 */
export const DATED_TEXT: TextEnvelope = {
  id: 'dated-text',
  variant: 'date, time, text: 2025-05-22 14:22:07.123 ...',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3,6}) (?=\S)/,
  extract(m, line, ctx) {
    const out = newOut('dated-text', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), m[7], undefined));
    return out;
  },
};
