// Envelopes of programs that embed wireguard-go and print its messages through their own logger: sing-box,
// Xray (and v2rayNG / 3x-ui around it), warp-plus (slog logfmt), wireproxy and Mysterium (wireguard-go's logger
// with an empty or bracketed prefix), Coder (cdr.dev/slog around Tailscale's wgengine), Mullvad (daemon and iOS
// logs), NetBird (logrus), macOS Console exports of Tailscale's IPNExtension, and Tailscale's logtail JSON.
// Each decodes the envelope only: whether the message is WireGuard's is the recogniser's call, helped by the
// logger name the envelope reports (d.logger) or, where the envelope alone says so, implHint.
import type { JsonEnvelope, TextEnvelope } from './envelopes.ts';
import { DIGITS, head, newOut, pidOf, prefixEnvelope, rest, setLineTime } from './fields.ts';
import type { Ctx, Out } from './fields.ts';
import { str, text } from './json-fields.ts';
import { jsonPath } from './json-scan.ts';
import { fieldsToUtc, parseIso, yearlessToUtc } from './time.ts';

/** Level words of these loggers, lower-cased to the names the other envelopes use. */
const LEVELS: ReadonlyMap<string, string> = new Map([
  ['TRACE', 'trace'], ['TRAC', 'trace'], ['DEBUG', 'debug'], ['DEBG', 'debug'], ['debu', 'debug'], ['Debug', 'debug'],
  ['VERBOSE', 'debug'], ['verbose', 'debug'], ['debug', 'debug'], ['trace', 'trace'],
  ['INFO', 'info'], ['info', 'info'], ['Info', 'info'],
  ['WARN', 'warn'], ['WARNING', 'warn'], ['warn', 'warn'], ['warning', 'warn'], ['Warning', 'warn'],
  ['ERROR', 'error'], ['ERRO', 'error'], ['erro', 'error'], ['error', 'error'], ['Error', 'error'],
  ['CRITICAL', 'critical'], ['crit', 'critical'], ['FATAL', 'fatal'], ['FATA', 'fatal'], ['fata', 'fatal'],
  ['PANIC', 'panic'], ['PANI', 'panic'],
]);

function setLevel(out: Out, word: string | undefined): void {
  const l = LEVELS.get(word ?? '');
  if (l !== undefined) out.level = l;
}

// ---- Xray: "[Debug] text" ----------------------------------------------------------------------------------

// Xray's own messages name their package ("app/log: ", "core: ") or a connection ("[4200229106] "); its
// WireGuard outbound hands wireguard-go's logger straight to Xray's log, so wireguard-go's text follows the
// level bare.
const XRAY_OWN = /^(?:\[\d{1,12}\] |[a-z][\w./-]{0,127}: )/;

function xrayMessage(out: Out): void {
  if (!XRAY_OWN.test(out.message)) out.implHint = 'wireguard-go';
}

export const XRAY: TextEnvelope = {
  id: 'xray',
  variant: 'Xray error log: 2025/05/25 16:20:43.084629 [Debug] ...',
  first: DIGITS,
  re: /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? \[(Debug|Info|Warning|Error)\] /,
  extract(m, line, ctx) {
    const out = newOut('xray', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], undefined));
    setLevel(out, m[8]);
    xrayMessage(out);
    return out;
  },
};

/** v2rayNG: libv2ray's Go log in logcat under the tag GoLog, carrying Xray's "[Level] text". */
export const LOGCAT_GOLOG: TextEnvelope = {
  id: 'logcat',
  variant: 'logcat -v time, v2rayNG GoLog: 04-13 22:14:19.399 I/GoLog   ( 2611): [Debug] ...',
  first: DIGITS,
  re: /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3,6}) [VDIWEFA]\/GoLog {0,8}\( {0,8}(\d{1,10})\): \[(Debug|Info|Warning|Error)\] /,
  extract(m, line, ctx) {
    const out = newOut('logcat', line, rest(line, m[0].length));
    setLineTime(out, yearlessToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), m[6], ctx.nowMs));
    const pid = pidOf(m[7]);
    if (pid !== undefined) out.pid = pid;
    out.logger = 'GoLog';
    setLevel(out, m[8]);
    xrayMessage(out);
    return out;
  },
};

// ---- sing-box ---------------------------------------------------------------------------------------------

// "[connid dur] " marks a line about one routed connection: sing-box's router talking, never wireguard-go.
const SING_BOX_TAIL = String.raw`(TRACE|DEBUG|INFO|WARN|ERROR|FATAL|PANIC)(?:\[\d{1,10}\])? (\[\d{1,10}(?: [\w.]{1,16})?\] )?(?:([a-z][\w-]{0,31}\/[\w-]{1,32}(?:\[[^\]\r\n]{1,64}\])?|[a-z][\w-]{0,31}): )?`;

function singBox(out: Out, m: RegExpExecArray, at: number): Out {
  setLevel(out, m[at]);
  // The logger ("outbound/wireguard[wg-out]", "endpoint/warp[warp]") says which component spoke; the [tag] is a
  // name from the configuration, not an interface.
  if (m[at + 1] === undefined && m[at + 2] !== undefined) out.logger = m[at + 2];
  return out;
}

export const SING_BOX: TextEnvelope = {
  id: 'sing-box',
  variant: 'sing-box console: +0800 2025-03-12 23:08:13 DEBUG endpoint/wireguard[warp]: ...',
  first: `+-${DIGITS}`,
  re: new RegExp(String.raw`^(?:([+-]?\d{4}) )?(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) ` + SING_BOX_TAIL),
  extract(m, line, ctx) {
    // Without sing-box's zone in front, "date time LEVEL" is too common a layout: only a component logger
    // ("outbound/wireguard[...]") says it is sing-box.
    if (m[1] === undefined && !(m[10] ?? '').includes('/')) return undefined;
    const out = newOut('sing-box', line, rest(line, m[0].length));
    // The zone is printed as Go's "-0700", also as a bare "0000".
    const zone = m[1] === undefined ? undefined : /^\d/.test(m[1]) ? `+${m[1]}` : m[1];
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), undefined, zone));
    return singBox(out, m, 8);
  },
};

export const SING_BOX_NOTIME: TextEnvelope = {
  id: 'sing-box',
  variant: 'sing-box console without time: DEBUG[0000] endpoint/wireguard[proxy]: ...',
  first: 'TDIWEFP',
  re: new RegExp(String.raw`^(?=[A-Z]{4,5}\[\d)` + SING_BOX_TAIL),
  extract: (m, line) => singBox(newOut('sing-box', line, rest(line, m[0].length)), m, 1),
};

// ---- wireguard-go's logger with another prefix -------------------------------------------------------------

/**
 * wireguard-go's logger as embedders create it: an empty prefix (wireproxy: "DEBUG: 2023/08/17 11:45:00 ") or
 * their own tag glued to the date (Mysterium: "DEBUG: [userspace-wg]2022/03/18 14:32:45 "). The tag is not an
 * interface name.
 */
const GO_PREPEND_RE = /^(DEBUG|INFO|ERROR): (?:\[([^\]\r\n]{1,64})\] ?)?(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? /;

function goPrepend(out: Out, m: RegExpExecArray, ctx: Ctx, withTime: boolean): void {
  out.envelope = 'wireguard-go';
  out.implHint = 'wireguard-go';
  setLevel(out, m[1]);
  if (m[2] !== undefined) out.logger = m[2];
  if (withTime) {
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), Number(m[8]), m[9], undefined));
  }
}

export const WIREGUARD_GO_PREPEND: TextEnvelope = prefixEnvelope({
  id: 'wireguard-go',
  variant: 'wireguard-go logger without "(iface)": DEBUG: 2023/08/17 11:45:00 ..., ERROR: [userspace-wg]2026/03/23 20:06:38 ...',
  first: 'DEI',
  re: GO_PREPEND_RE,
}, (out, m, ctx) => { goPrepend(out, m, ctx, true); });

// ---- slog / logrus logfmt (warp-plus) ----------------------------------------------------------------------

const LOGFMT_RE = /^time=("?)(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)\1 level=([A-Za-z]{3,8}) msg=/;

/** The value at `i` of a logfmt pair: a quoted string with Go's escapes, or a bare token; and where it ends. */
function logfmtValue(s: string, i: number): [string, number] {
  if (s.charCodeAt(i) !== 34) {
    let j = i;
    while (j < s.length && s.charCodeAt(j) !== 32) j++;
    return [s.slice(i, j), j];
  }
  let v = '';
  let from = i + 1;
  for (let j = from; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) return [v + s.slice(from, j), j + 1];
    if (c === 92 && j + 1 < s.length) {
      const e = s[j + 1];
      v += s.slice(from, j) + (e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e);
      j++;
      from = j + 1;
    }
  }
  return [v + s.slice(from), s.length];
}

/**
 * The message of a logfmt record, and its "subsystem" (warp-plus names wireguard-go's logger
 * subsystem=wireguard-go) as the logger. Other attributes stay in the original.
 */
function logfmt(out: Out, m: RegExpExecArray, s: string, ctx: Ctx, withTime: boolean): void {
  if (withTime) setLineTime(out, parseIso(m[2] ?? '', ctx.zone));
  setLevel(out, (m[3] ?? '').toUpperCase());
  const [msg, end] = logfmtValue(s, m[0].length);
  out.message = msg;
  const at = s.indexOf(' subsystem=', end - 1);
  if (at >= 0) {
    const [sub] = logfmtValue(s, at + 11);
    if (sub !== '') out.logger = sub;
  }
}

// The message is a pair among the others: logfmt() replaces the rest of the line with its value.
export const LOGFMT: TextEnvelope = prefixEnvelope({
  id: 'logfmt',
  variant: 'Go slog TextHandler / logfmt: time=2024-06-05T14:35:56.145+03:30 level=DEBUG msg="..." subsystem=wireguard-go',
  first: 't',
  re: LOGFMT_RE,
}, (out, m, ctx) => { logfmt(out, m, rest(out.original, 0), ctx, true); });

// ---- Coder (cdr.dev/slog) ----------------------------------------------------------------------------------

const SLOG_TIME = String.raw`(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3,9})`;

function slogTime(out: Out, m: RegExpExecArray, ctx: Ctx): void {
  setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], undefined));
}

/** Both slog layouts: the time, the level (group 8) and the logger name (group 9). */
function coderSlog(m: RegExpExecArray, line: string, ctx: Ctx): Out {
  const out = newOut('coder-slog', line, rest(line, m[0].length));
  slogTime(out, m, ctx);
  setLevel(out, m[8]);
  if (m[9] !== undefined) out.logger = m[9];
  return out;
}

export const CODER_SLOG: TextEnvelope = {
  id: 'coder-slog',
  variant: 'cdr.dev/slog human format (Coder), also inside go test output: 2023-05-18 05:11:07.640 [debu]  coderd.tailnet.wgengine: ...',
  first: ` ${DIGITS}`,
  re: new RegExp(String.raw`^(?: {1,8}[\w.-]{1,64}\.go:\d{1,6}: )?` + SLOG_TIME + String.raw` \[(debu|info|warn|erro|crit|fata)\]  ([\w.-]{1,128}): `),
  extract: coderSlog,
};

export const CODER_SLOG_VERBOSE: TextEnvelope = {
  id: 'coder-slog',
  variant: 'cdr.dev/slog verbose format (Coder): 2023-02-18 08:45:57.151 [DEBUG]\t(tailnet.wgengine)\t<./tailnet/conn.go:779>\tLogger.func1\t...',
  first: DIGITS,
  re: new RegExp('^' + SLOG_TIME + String.raw` \[(DEBUG|INFO|WARN|ERROR|CRITICAL|FATAL)\][\t ]{1,8}\(([^)\s]{1,128})\)[\t ]{1,16}<[^>\s]{1,256}>[\t ]{1,16}[^\t ]{1,128}[\t ]{1,16}`),
  extract: coderSlog,
};

// ---- Mullvad ------------------------------------------------------------------------------------------------

/**
 * "[2023-12-19 17:58:26.736][wireguard-go][VERBOSE] ..." (daemon, fern) and "[...][WireGuard][debug] pid=456 ..."
 * (iOS). The module names the logger: only wireguard-go's, and WireGuardKit's "WireGuard" on iOS, are
 * WireGuard itself; talpid_* are Mullvad's own code around it.
 */
export const MULLVAD: TextEnvelope = {
  id: 'mullvad',
  variant: 'Mullvad VPN daemon / iOS log: [2023-12-19 17:58:26.736][wireguard-go][VERBOSE] ...',
  first: '[',
  re: /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\]\[([^\]\s]{1,128})\]\[([A-Za-z]{3,8})\] (?:pid=(\d{1,10}) )?/,
  extract(m, line, ctx) {
    const out = newOut('mullvad', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], undefined));
    const module = m[8] ?? '';
    out.logger = module;
    setLevel(out, m[9]);
    const pid = pidOf(m[10]);
    if (pid !== undefined) out.pid = pid;
    if (module === 'wireguard-go' || module === 'WireGuard') out.implHint = 'wireguard-go';
    return out;
  },
};

// ---- NetBird (logrus) --------------------------------------------------------------------------------------

/**
 * "2026-01-29T13:28:44+01:00 WARN [peer: <key>] client/internal/peer/wg_watcher.go:127: ...". The context
 * ("[peer: <key>]") and the source location stay in the message: the catalog entry reads the peer from them.
 */
export const NETBIRD: TextEnvelope = {
  id: 'netbird',
  variant: 'NetBird client log: 2026-01-29T13:28:44+01:00 WARN [peer: <key>] client/internal/peer/wg_watcher.go:127: ...',
  first: DIGITS,
  re: /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (TRAC|DEBG|INFO|WARN|ERRO|FATA|PANI) (?=(?:\[[^\]\r\n]{1,200}\] )?[\w./-]{1,200}\.go:\d{1,6}: )/,
  extract(m, line, ctx) {
    const out = newOut('netbird', line, rest(line, m[0].length));
    setLineTime(out, parseIso(m[1] ?? '', ctx.zone));
    setLevel(out, m[2]);
    return out;
  },
};

// ---- macOS Console export -----------------------------------------------------------------------------------

/**
 * Console.app / `log show` rows copied as tab-separated text: "pid \t type \t HH:MM:SS.ffffff±hhmm \t process \t
 * message". The row has no date, so the line gives no timestamp.
 */
export const MACOS_CONSOLE: TextEnvelope = {
  id: 'macos-console',
  variant: 'macOS Console tab-separated row: 53457\tdefault\t19:54:36.810715-0800\tIPNExtension\t...',
  first: DIGITS,
  re: /^(\d{1,10})\t([A-Za-z]{1,16})\t\d\d:\d\d:\d\d\.\d{1,9}[+-]\d{4}\t([^\t\r\n]{1,128})\t/,
  extract(m, line) {
    const out = newOut('macos-console', line, rest(line, m[0].length));
    const pid = pidOf(m[1]);
    if (pid !== undefined) out.pid = pid;
    const type = m[2];
    if (type !== undefined && type !== 'default') setLevel(out, type.toLowerCase());
    if (m[3] !== undefined) out.program = m[3];
    return out;
  },
};

// ---- Tailscale ----------------------------------------------------------------------------------------------

/** Tailscale's logger with memory statistics in front of every line: "73.5M/305.5M ...". No time. */
export const TAILSCALE_MEMSTATS: TextEnvelope = {
  id: 'go-stdlog',
  variant: 'Tailscale logger with memory statistics: 73.5M/305.5M ...',
  first: DIGITS,
  re: /^\d{1,6}(?:\.\d{1,3})?[KMG]\/\d{1,6}(?:\.\d{1,3})?[KMG] /,
  extract: (m, line) => newOut('go-stdlog', line, rest(line, m[0].length)),
};

const LT = {
  clientTime: jsonPath('logtail.client_time'),
  text: jsonPath('text'),
};

/**
 * Tailscale's logtail records: {"logtail": {"client_time": "..."}, "v": 2, "text": "[K/lGG] - Received handshake
 * initiation\n"}. The text is the logger's line without its time.
 */
export const LOGTAIL_JSON: JsonEnvelope = {
  id: 'logtail-json',
  variant: 'Tailscale logtail JSON: {"logtail": {"client_time": ...}, "text": ...}',
  detect: (o) => str(o, LT.clientTime) !== undefined && str(o, LT.text) !== undefined,
  extract(o, line, ctx) {
    const out = newOut('logtail-json', line, rest(text(o, LT.text) ?? '', 0));
    setLineTime(out, parseIso(str(o, LT.clientTime) ?? '', ctx.zone));
    return out;
  },
};

// ---- inside syslog -----------------------------------------------------------------------------------------

const XUI_RE = /^(DEBUG|INFO|WARNING|ERROR) - XRAY: /;

/**
 * The embedders' envelopes found at the start of a syslog or journal message (warp-plus, wireproxy, Mysterium
 * and 3x-ui run as systemd services). Returns whether one was taken over; the outer envelope id stays.
 */
export function unwrapEmbedded(out: Out, ctx: Ctx, useInnerTime: boolean): boolean {
  const msg = out.message;
  const c = msg.charCodeAt(0);
  if (c === 116 /* t */) {
    const m = LOGFMT_RE.exec(head(msg));
    if (m === null) return false;
    logfmt(out, m, msg, ctx, useInnerTime);
    return true;
  }
  if (c === 43 || c === 45 /* + - */) {
    // sing-box under systemd: its own zoned time (the sing-box zone comes first) beats syslog's zone-less one.
    const m = SING_BOX.re.exec(head(msg));
    const inner = m === null ? undefined : SING_BOX.extract(m, msg, ctx);
    if (inner === undefined) return false;
    out.message = inner.message;
    if (inner.level !== undefined) out.level = inner.level;
    if (inner.logger !== undefined) out.logger = inner.logger;
    if (useInnerTime && inner.timestampMs !== undefined) { out.timestampMs = inner.timestampMs; out.timestampSource = 'line'; }
    return true;
  }
  if (c !== 68 && c !== 69 && c !== 73 && c !== 87) return false;
  const h = head(msg);
  const g = GO_PREPEND_RE.exec(h);
  if (g !== null) {
    const envelope = out.envelope;
    goPrepend(out, g, ctx, useInnerTime);
    out.envelope = envelope;
    out.message = rest(msg, g[0].length);
    return true;
  }
  const x = XUI_RE.exec(h);
  if (x !== null) {
    setLevel(out, x[1]);
    out.logger = 'XRAY';
    out.message = rest(msg, x[0].length);
    xrayMessage(out);
    return true;
  }
  return false;
}

/** Text envelopes in the order they are tried (within one first character). */
export const EMBEDDER_TEXT_ENVELOPES: readonly TextEnvelope[] = [
  SING_BOX, CODER_SLOG, CODER_SLOG_VERBOSE, NETBIRD, XRAY, LOGCAT_GOLOG, MACOS_CONSOLE, TAILSCALE_MEMSTATS,
];

/** Tried after the envelopes of the same first characters ("DEBUG: (wg0) ", syslog, logcat, dmesg). */
export const EMBEDDER_LATE_ENVELOPES: readonly TextEnvelope[] = [WIREGUARD_GO_PREPEND, SING_BOX_NOTIME, LOGFMT, MULLVAD];
