// The envelope table: every log-line format the decoder knows, in the order it tries them. Text envelopes are
// picked by their first character (the cheap pre-check) and then one anchored regex each; JSON envelopes by
// which keys the record has. Each definition lives with its extractor in the module of its family.
import { EMBEDDER_LATE_ENVELOPES, EMBEDDER_TEXT_ENVELOPES, LOGTAIL_JSON } from './embedder-logs.ts';
import { AMNEZIAVPN_NE, APPLE_RINGLOG, APPLE_UNTIMED, DATED_TEXT, LOGCAT_EPOCH, MULLVAD_IOS, TUNSAFE, WG_TUNNEL_EXPORT, WINDOWS_RINGLOG_LOOSE } from './app-exports.ts';
import { BORINGTUN, GO_STDLOG, GO_TIME_STRING, LOGCAT_BRIEF, LOGCAT_TAG_ONLY, LOGCAT_THREADTIME, LOGCAT_TIME, LOGCAT_YEAR, WINDOWS_RINGLOG, WIREGUARD_GO } from './app-logs.ts';
import { DMESG, DMESG_CTIME, DMESG_DECODED, DMESG_DELTA, DMESG_ISO, DMESG_KMSG, DMESG_RAW, DMESG_RELTIME } from './dmesg.ts';
import type { Ctx, Out } from './fields.ts';
import { FILEBEAT, FILEBEAT_BY_MESSAGE, JOURNALD, VECTOR, VECTOR_BY_TIMESTAMP } from './json-envelopes.ts';
import type { JsonRecord } from './json-scan.ts';
import { TIME_ONLY } from './pasted.ts';
import { FREEBSD_MSGBUF, KEENETIC, OPNSENSE_GUI } from './platform-logs.ts';
import { LOGREAD, SYSLOG_3164, SYSLOG_3164_ISO, SYSLOG_5424 } from './syslog.ts';
import { RUST_BRACKET_ENVELOPES, RUST_DIGIT_ENVELOPES, RUST_LETTER_ENVELOPES } from './rust-logs.ts';
import type { EnvelopeId } from './types.ts';

export interface TextEnvelope {
  /** The envelope a match produces (an extractor may refine it: syslog wrapping wireguard-go). */
  readonly id: EnvelopeId;
  /** Which form of the envelope, for tests and for reading the table. */
  readonly variant: string;
  /** The characters a matching line can start with. */
  readonly first: string;
  /** Also a candidate for lines starting with a non-ASCII character (localised month names). */
  readonly nonAscii?: boolean;
  /** Anchored, and matching the envelope prefix only: it never has to scan the message. */
  readonly re: RegExp;
  /** Undefined when the match turns out not to be this envelope (an unknown month name, ...). */
  readonly extract: (m: RegExpExecArray, line: string, ctx: Ctx) => Out | undefined;
}

/** Decodes the message of a JSON record with the text envelopes (one level, never JSON again). */
export type InnerDecoder = (text: string, ctx: Ctx) => Out;

export interface JsonEnvelope {
  readonly id: EnvelopeId;
  readonly variant: string;
  readonly detect: (r: JsonRecord) => boolean;
  readonly extract: (r: JsonRecord, line: string, ctx: Ctx, inner: InnerDecoder) => Out;
}

export const TEXT_ENVELOPES: readonly TextEnvelope[] = [
  // "[": kernel ring buffer
  DMESG, DMESG_DELTA, DMESG_CTIME, DMESG_RELTIME,
  // FreeBSD's dmesg with whole seconds, Keenetic's system log (platform-logs.ts)
  FREEBSD_MSGBUF, KEENETIC,
  // "<": syslog with a PRI, or dmesg -r
  SYSLOG_5424, DMESG_RAW,
  // "[" too: the apps' exports (Mullvad iOS, wireguard-apple and wireguard-windows without time, TunSafe)
  // Rust programs' loggers and ESPHome (rust-logs.ts): anchored on their own layouts
  ...RUST_BRACKET_ENVELOPES,
  MULLVAD_IOS, APPLE_UNTIMED, TUNSAFE,
  // letters: wireguard-go stdout, syslog, OpenWrt, logcat without a date, dmesg -x
  WIREGUARD_GO, SYSLOG_3164, LOGREAD, LOGCAT_BRIEF, LOGCAT_TAG_ONLY, DMESG_DECODED,
  // connlib's macOS copies, tracing without time (WireGuard crates only), pretty_env_logger, ESP-IDF
  ...RUST_LETTER_ENVELOPES,
  // digits: the ISO-dated formats (most specific first: boringtun's level word would pass for a syslog host)
  // The apps' exports (app-exports.ts) go before syslog, which would take a pid or a level word for a host; the
  // loose ring log and plain "date time text" come last: they claim the least.
  // The embedders' formats (embedder-logs.ts) go first too: Xray's or v2rayNG's lines would pass for Go's
  // standard logger or plain logcat.
  // OPNsense's log view copied from the GUI: its severity column would pass for a syslog host
  OPNSENSE_GUI,
  ...EMBEDDER_TEXT_ENVELOPES,
  WINDOWS_RINGLOG, APPLE_RINGLOG, AMNEZIAVPN_NE, WG_TUNNEL_EXPORT, LOGCAT_EPOCH,
  BORINGTUN, ...RUST_DIGIT_ENVELOPES, GO_TIME_STRING, SYSLOG_3164_ISO, DMESG_ISO, LOGCAT_YEAR, LOGCAT_THREADTIME, LOGCAT_TIME, DMESG_KMSG, GO_STDLOG,
  WINDOWS_RINGLOG_LOOSE, DATED_TEXT,
  // programs embedding wireguard-go, after the formats of the same first characters: wireproxy / Mysterium,
  // sing-box without time, warp-plus's logfmt, Mullvad's daemon
  ...EMBEDDER_LATE_ENVELOPES,
  // a time of day alone (panels' log views, pasted): the least any digit-first layout claims
  TIME_ONLY,
];

export const JSON_ENVELOPES: readonly JsonEnvelope[] = [
  VECTOR, JOURNALD, FILEBEAT, VECTOR_BY_TIMESTAMP, FILEBEAT_BY_MESSAGE, LOGTAIL_JSON,
];

/** Candidate lists per first character code; index 128 holds the candidates for non-ASCII first characters. */
export const BY_FIRST_CHAR: readonly (readonly TextEnvelope[])[] = (() => {
  const table: TextEnvelope[][] = Array.from({ length: 129 }, () => []);
  for (const e of TEXT_ENVELOPES) {
    for (let i = 0; i < e.first.length; i++) {
      const list = table[e.first.charCodeAt(i)];
      if (list !== undefined && !list.includes(e)) list.push(e);
    }
    if (e.nonAscii === true) table[128]?.push(e);
  }
  return table;
})();
