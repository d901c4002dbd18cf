// Entry point: one log record or line in, its envelope decoded out. Never throws: whatever goes wrong, the line
// comes back as "raw" with its text intact, and a decoder that threw is reported (failure.ts) and named on it.
import { JSON_ENVELOPES } from './envelopes.ts';
import { decoderFailure, failureReport, reportDecoderFailure } from './failure.ts';
import type { Ctx, Out } from './fields.ts';
import { scanJson } from './json-scan.ts';
import { decodeText, rawOut, stripAnsi } from './text-envelopes.ts';
import { zoneOf } from './time.ts';
import type { DecodeContext, Decoded } from './types.ts';

// Not fatal: invalid UTF-8 becomes U+FFFD instead of an exception. The BOM is kept so `original` is the bytes' text.
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

let lastContext: DecodeContext | undefined;
let lastTimezone = '';
let lastNow = NaN;
let lastCtx: Ctx | undefined;

/** The zone object and a usable "now" for a context, reused while the caller passes the same values. */
function resolve(context: DecodeContext): Ctx {
  if (lastCtx !== undefined && context === lastContext && context.timezone === lastTimezone && context.nowMs === lastNow) {
    return lastCtx;
  }
  const nowMs = typeof context.nowMs === 'number' && Math.abs(context.nowMs) <= 8.64e15 ? context.nowMs : Date.now();
  lastContext = context;
  lastTimezone = context.timezone;
  lastNow = context.nowMs;
  lastCtx = { zone: zoneOf(context.timezone), nowMs };
  return lastCtx;
}

/**
 * Without a byte-order mark, without colours when the line starts with an escape sequence, and without the
 * markdown quote marker ("> ", ">>") of a line copied from a quoted reply: no log format starts with ">".
 */
function plain(line: string): string {
  let text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  if (text.charCodeAt(0) === 62) text = text.replace(QUOTE_MARK, '');
  // Console output that indents its lines with TABs (router add-on scripts such as wireguard_manager): no log
  // format starts with a TAB either.
  if (text.charCodeAt(0) === 9) text = text.replace(LEADING_TABS, '');
  return text.charCodeAt(0) === 0x1b ? stripAnsi(text) : text;
}

const QUOTE_MARK = /^(?:> ?){1,8}/;
const LEADING_TABS = /^\t{1,16}/;

/** A shipper's message: a text line, never JSON again. */
function decodeInner(message: string, ctx: Ctx): Out {
  return decodeText(plain(message), ctx);
}

function decodeJson(text: string, ctx: Ctx): Out | undefined {
  const r = scanJson(text);
  if (r === undefined) return undefined;
  for (const e of JSON_ENVELOPES) {
    try {
      if (e.detect(r)) return e.extract(r, text, ctx, decodeInner);
    } catch (err) {
      throw decoderFailure(e.id, err);
    }
  }
  return undefined;
}

function decodeLine(line: string, ctx: Ctx): Out {
  const text = plain(line);
  if (text.charCodeAt(0) === 123) {
    const j = decodeJson(text, ctx);
    if (j !== undefined) return j;
  }
  return decodeText(text, ctx);
}

/** Falls back to the record's time, and names the kernel as the implementation when the envelope says "kernel". */
function finish(out: Out, line: string, context: DecodeContext): Decoded {
  out.original = line;
  if (out.timestampSource === 'none') {
    const r = context.recordTimestampMs;
    if (typeof r === 'number' && Number.isFinite(r)) {
      out.timestampMs = r;
      out.timestampSource = 'record';
    }
  }
  if (out.implHint === undefined && out.program === 'kernel') out.implHint = 'linux-kernel';
  return out;
}

function asText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    return utf8.decode(input);
  } catch {
    // Not bytes after all (a caller outside the type system); its string form is the best text there is.
  }
  try {
    return String(input);
  } catch {
    return '';
  }
}

/** One line of text to its envelope's fields (decodeLine); a test passes one that throws, for the failure path. */
export type LineDecoder = (line: string, ctx: Ctx) => Out;

export type Decode = (input: string | Uint8Array, ctx: DecodeContext) => Decoded;

/** decode() around a line decoder: the seam through which a test injects a decoder that throws. */
export function createDecode(decodeLine: LineDecoder): Decode {
  return (input, ctx) => {
    const line = asText(input);
    try {
      return finish(decodeLine(line, resolve(ctx)), line, ctx);
    } catch (e) {
      // A bug in an extractor must cost one line its fields, never the pipeline, and never silently.
      const failure = failureReport(e);
      reportDecoderFailure(failure);
      try {
        const out = rawOut(line);
        out.failure = failure;
        return finish(out, line, ctx);
      } catch {
        return { envelope: 'raw', original: line, message: line, timestampSource: 'none', failure };
      }
    }
  };
}

/**
 * Detects the envelope of one log line or record (syslog, dmesg, journal JSON, Filebeat, ...) and returns the
 * message inside it with everything the envelope says. `original` is always the input text unchanged.
 */
export const decode: Decode = createDecode(decodeLine);
