// The envelope table: every log-line format the decoder knows, in the order it tries them. Text envelopes are
// picked by their first character (the cheap pre-check) and then one anchored regex each; JSON envelopes by
// which keys the record has. Each definition lives with its extractor in the module of its family.
import { BORINGTUN, GO_STDLOG, GO_TIME_STRING, LOGCAT_BRIEF, LOGCAT_TAG_ONLY, LOGCAT_THREADTIME, LOGCAT_TIME, LOGCAT_YEAR, WINDOWS_RINGLOG, WIREGUARD_GO } from './app-logs.ts';
import { DMESG, DMESG_CTIME, DMESG_DECODED, DMESG_DELTA, DMESG_ISO, DMESG_KMSG, DMESG_RAW, DMESG_RELTIME } from './dmesg.ts';
import type { Ctx, Out } from './fields.ts';
import { FILEBEAT, FILEBEAT_BY_MESSAGE, JOURNALD, VECTOR, VECTOR_BY_TIMESTAMP } from './json-envelopes.ts';
import type { JsonRecord } from './json-scan.ts';
import { LOGREAD, SYSLOG_3164, SYSLOG_3164_ISO, SYSLOG_5424 } from './syslog.ts';
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
  // "<": syslog with a PRI, or dmesg -r
  SYSLOG_5424, DMESG_RAW,
  // letters: wireguard-go stdout, syslog, OpenWrt, logcat without a date, dmesg -x
  WIREGUARD_GO, SYSLOG_3164, LOGREAD, LOGCAT_BRIEF, LOGCAT_TAG_ONLY, DMESG_DECODED,
  // digits: the ISO-dated formats (most specific first: boringtun's level word would pass for a syslog host)
  WINDOWS_RINGLOG, BORINGTUN, GO_TIME_STRING, SYSLOG_3164_ISO, DMESG_ISO, LOGCAT_YEAR, LOGCAT_THREADTIME, LOGCAT_TIME, DMESG_KMSG, GO_STDLOG,
];

export const JSON_ENVELOPES: readonly JsonEnvelope[] = [
  VECTOR, JOURNALD, FILEBEAT, VECTOR_BY_TIMESTAMP, FILEBEAT_BY_MESSAGE,
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
