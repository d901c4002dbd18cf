// Envelopes of Rust programs that embed or drive WireGuard, and of ESPHome: tracing-subscriber in all the forms
// people paste it (full, pretty, uptime timer, without time, through macOS' os_log), env_logger and
// pretty_env_logger, gotatun's and defguard's own layouts, innernet's CLI, Cloudflare WARP's Android log, and
// ESPHome's serial log with the ESP-IDF lines it forwards.
//
// tracing prints an event's structured fields after its message (` remote_idx=1234 cid=…`, pretty form
// `, session: 1234`) and the fields of the enclosing spans before its target (`decapsulate{from=… num_bytes=20}:`).
// The envelope splits them off: `message` stays as printed, `text` is the message alone and `fields` the
// key/value pairs, so catalog entries match the text and name the fields they want (MessageDef.fields) instead
// of spelling out every field every embedder may append. The split is from the right: a message may itself
// contain "key=value" words (Firezone's "Failed to decapsulate: cid=… length=92: …"), the fields are the last
// unbroken run of them.
import type { TextEnvelope } from './envelopes.ts';
import { DIGITS, newOut, rest, setLineTime } from './fields.ts';
import type { Out } from './fields.ts';
import { APP_LEVELS } from './names.ts';
import { fieldsToUtc } from './time.ts';
import type { Impl } from './types.ts';

type Field = readonly [string, string];

// ---- structured fields -----------------------------------------------------------------------------------

/** Index after a double-quoted string starting at `i` (backslash escapes), or -1 when it does not close. */
function quotedEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92 /* \ */) j++;
    else if (c === 34 /* " */) return j + 1;
  }
  return -1;
}

/**
 * End of a Debug/Display value starting at `i`: up to a space outside brackets and quotes; a space followed by
 * "{" continues it (a Rust struct, `Os { code: 9, … }`, `Dual { v4: …, v6: … }`). -1 when a bracket or quote
 * never closes; a closing bracket of an enclosing span ends it.
 */
function valueEnd(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) {
      const q = quotedEnd(s, j);
      if (q < 0) return -1;
      j = q - 1;
    } else if (c === 40 || c === 91 || c === 123) {
      depth++;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) return j;
      depth--;
    } else if (c === 32 && depth === 0 && s.charCodeAt(j + 1) !== 123) {
      return j;
    }
  }
  return depth === 0 ? s.length : -1;
}

/** Index after the "}" that closes the "{" at `i` (quotes respected), or -1 before `limit`. */
function braceEnd(s: string, i: number, limit: number): number {
  let depth = 0;
  for (let j = i; j < limit; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) {
      const q = quotedEnd(s, j);
      if (q < 0) return -1;
      j = q - 1;
    } else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return j + 1;
  }
  return -1;
}

/** Index of the "=" when a field key starts at `i` (`remote_idx=`, `log.target=`), else -1. */
function keyEnd(s: string, i: number): number {
  const c0 = s.charCodeAt(i);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) return -1;
  const stop = Math.min(s.length, i + 64);
  for (let j = i + 1; j < stop; j++) {
    const c = s.charCodeAt(j);
    if (c === 61) return j;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46)) return -1;
  }
  return -1;
}

/** A value as the fields give it to captures: a quoted string without its quotes and escapes. */
function unquote(v: string): string {
  if (v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34) return v.slice(1, -1).replace(/\\(["\\])/g, '$1');
  return v;
}

interface Split {
  /** Where the trailing fields start (the text is everything before, spaces trimmed). */
  readonly at: number;
  readonly fields: Field[];
}

/**
 * The last unbroken run of ` key=value` tokens that reaches the end of the message. One pass, left to right:
 * a word that is not a field ends the current run. Undefined when there is none (or a value never closes).
 */
export function splitTrailingFields(msg: string): Split | undefined {
  const n = msg.length;
  let runAt = -1;
  let fields: Field[] = [];
  let i = 0;
  while (i < n) {
    if (msg.charCodeAt(i) === 32) { runAt = -1; i++; continue; }
    const k = keyEnd(msg, i);
    const atWordStart = i === 0 || msg.charCodeAt(i - 1) === 32;
    if (k > 0 && atWordStart) {
      const e = valueEnd(msg, k + 1);
      if (e < 0) return undefined;
      if (e === n || msg.charCodeAt(e) === 32) {
        if (runAt < 0) { runAt = i; fields = []; }
        fields.push([msg.slice(i, k), unquote(msg.slice(k + 1, e))]);
        i = e + 1;
        continue;
      }
    }
    // Not a field: the run is broken; go on after this word.
    runAt = -1;
    const sp = msg.indexOf(' ', i + 1);
    if (sp < 0) break;
    i = sp + 1;
  }
  return runAt < 0 ? undefined : { at: runAt, fields };
}

/** Index of ": " when an identifier key starts at `i` (pretty form `, error: …`), else -1. */
function prettyKeyEnd(s: string, i: number): number {
  const c0 = s.charCodeAt(i);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) return -1;
  const stop = Math.min(s.length, i + 64);
  for (let j = i + 1; j < stop; j++) {
    const c = s.charCodeAt(j);
    if (c === 58) return s.charCodeAt(j + 1) === 32 ? j : -1;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return -1;
  }
  return -1;
}

/**
 * tracing's pretty and compact forms put the fields after the message as `, key: value`: each ", key: " outside
 * brackets and quotes starts one, and the first one ends the text.
 */
export function splitPrettyFields(msg: string): Split | undefined {
  const starts: number[] = [];
  let depth = 0;
  for (let j = 0; j < msg.length; j++) {
    const c = msg.charCodeAt(j);
    if (c === 34) {
      const q = quotedEnd(msg, j);
      if (q < 0) return undefined;
      j = q - 1;
    } else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (c === 44 && depth === 0 && msg.charCodeAt(j + 1) === 32 && prettyKeyEnd(msg, j + 2) > 0) starts.push(j);
  }
  if (starts.length === 0) return undefined;
  const fields: Field[] = [];
  for (let x = 0; x < starts.length; x++) {
    const from = (starts[x] ?? 0) + 2;
    const to = starts[x + 1] ?? msg.length;
    const colon = prettyKeyEnd(msg, from);
    fields.push([msg.slice(from, colon), unquote(msg.slice(colon + 2, to))]);
  }
  return { at: starts[0] ?? 0, fields };
}

/** Every `key=value` inside a span's braces or a tail that may hold other words: words that are not fields are skipped. */
function looseFields(s: string, into: Field[]): void {
  let i = 0;
  while (i < s.length) {
    const k = keyEnd(s, i);
    if (k > 0) {
      const e = valueEnd(s, k + 1);
      if (e < 0) return;
      into.push([s.slice(i, k), unquote(s.slice(k + 1, e))]);
      i = e + 1;
      continue;
    }
    const sp = s.indexOf(' ', i);
    if (sp < 0) return;
    i = sp + 1;
  }
}

/** Sets `text` and `fields` from a split (the span fields come after the event's own). */
function applySplit(out: Out, split: Split | undefined, spanFields: readonly Field[]): void {
  const own = split?.fields ?? [];
  if (own.length === 0 && spanFields.length === 0) return;
  out.fields = own.length === 0 ? spanFields : spanFields.length === 0 ? own : [...own, ...spanFields];
  if (split !== undefined) out.text = out.message.slice(0, split.at).trimEnd();
}

// ---- targets ---------------------------------------------------------------------------------------------

// Crates whose lines are boringtun's or speak about its tunnels: boringtun and boringtun-cli, Mullvad's fork
// gotatun, Firezone's connlib (snownet, firezone_tunnel, …), onetun.
const BORINGTUN_TARGET = /^(?:boringtun|gotatun|firezone_|snownet|connlib|onetun)/;
// Programs that drive WireGuard through a Rust control crate and log their own lifecycle texts.
const WIREGUARD_RS_TARGET = /^(?:defguard|innernet)/;

/** The implementation a tracing / log target names, if any. */
export function implOfTarget(target: string): Impl | undefined {
  if (BORINGTUN_TARGET.test(target)) return 'boringtun';
  if (WIREGUARD_RS_TARGET.test(target)) return 'wireguard-rs';
  return undefined;
}

const IDENT = /[A-Za-z_][\w-]{0,63}/y;
const TARGET = /([\w:]{1,200}): /y;

/** Where span scanning gives up: spans with very long fields are not worth a longer look. */
const SPAN_SCAN_LEN = 1024;

/**
 * tracing's full format after the level: `span{fields}:span2: target: message`. Spans are taken only when they
 * are certain (one has fields, or what follows them is a module path with "::"); otherwise the first
 * `word: ` is the target, as a program without spans prints it. Sets logger, implHint, message, text, fields.
 */
export function tracingBody(out: Out, line: string, pos: number, pretty: boolean): void {
  const spanFields: Field[] = [];
  let at = pos;
  let p = pos;
  let braced = false;
  const limit = Math.min(line.length, pos + SPAN_SCAN_LEN);
  while (p < limit) {
    IDENT.lastIndex = p;
    const id = IDENT.exec(line);
    if (id === null) break;
    let q = p + id[0].length;
    const fieldsFrom = q + 1;
    if (line.charCodeAt(q) === 123) {
      const e = braceEnd(line, q, limit);
      if (e < 0) break;
      looseFields(line.slice(fieldsFrom, e - 1), spanFields);
      braced = true;
      q = e;
    }
    if (line.charCodeAt(q) !== 58 || line.charCodeAt(q + 1) === 58) break;
    p = q + 1;
    if (line.charCodeAt(p) === 32) {
      TARGET.lastIndex = p + 1;
      const t = TARGET.exec(line);
      if (t !== null && (braced || (t[1] ?? '').includes('::'))) at = p + 1;
      break;
    }
  }
  if (at === pos) spanFields.length = 0;
  TARGET.lastIndex = at;
  const t = TARGET.exec(line);
  const target = t?.[1];
  const msgAt = t === null ? at : at + t[0].length;
  out.message = rest(line, msgAt);
  if (target !== undefined) out.logger = target;
  // The format is tracing's, shared by every Rust program; the target names the crate that logged.
  const hint = target === undefined ? 'boringtun' : implOfTarget(target);
  if (hint !== undefined) out.implHint = hint;
  splitMessage(out, pretty, spanFields);
}

/** Splits the fields off out.message, tracing's full (`key=value`) or pretty (`, key: value`) way. */
function splitMessage(out: Out, pretty: boolean, spanFields: readonly Field[]): void {
  const msg = out.message;
  // A `log` record bridged into tracing by some formatters: "message=<text> log.target=… log.module_path=…".
  if (msg.startsWith('message=')) {
    const lt = msg.indexOf(' log.target=');
    const fields: Field[] = [];
    if (lt > 0) looseFields(msg.slice(lt + 1), fields);
    out.text = msg.slice(8, lt > 0 ? lt : msg.length);
    if (fields.length > 0 || spanFields.length > 0) out.fields = [...fields, ...spanFields];
    return;
  }
  applySplit(out, pretty ? splitPrettyFields(msg) : splitTrailingFields(msg), spanFields);
}

// ---- tracing-subscriber ----------------------------------------------------------------------------------

const LEVEL = '(TRACE|DEBUG|INFO|WARN|ERROR)';

export const TRACING_FULL: TextEnvelope = {
  id: 'boringtun',
  variant: 'tracing-subscriber full / pretty format: 2025-05-22T14:22:07.123456Z DEBUG span{a=1}: boringtun::noise: ... key=value',
  first: `${DIGITS} `,
  // The level is right-aligned to five characters, so INFO and WARN follow two spaces. The pretty format
  // indents the line and prints fields as ", key: value".
  re: new RegExp(String.raw`^( {0,4})(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) {1,2}${LEVEL} `),
  extract(m, line, ctx) {
    const out = newOut('boringtun', line, '');
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]),
      Number(m[7]), m[8], m[9]));
    const level = APP_LEVELS.get(m[10] ?? '');
    if (level !== undefined) out.level = level;
    tracingBody(out, line, m[0].length, m[1] !== '');
    return out;
  },
};

export const TRACING_UPTIME: TextEnvelope = {
  id: 'boringtun',
  variant: 'tracing-subscriber with the uptime timer:  73.680s DEBUG client: boringtun::noise::timers: ...',
  first: `${DIGITS} `,
  re: new RegExp(String.raw`^ {0,8}(\d{1,10}\.\d{1,9})s {1,2}${LEVEL} `),
  extract(m, line) {
    const out = newOut('boringtun', line, '');
    out.uptimeSeconds = Number(m[1]);
    const level = APP_LEVELS.get(m[2] ?? '');
    if (level !== undefined) out.level = level;
    tracingBody(out, line, m[0].length, false);
    return out;
  },
};

export const TRACING_TARGET_ONLY: TextEnvelope = {
  id: 'boringtun',
  variant: 'tracing without time and level, WireGuard crates only: firezone_tunnel::client: Failed to decapsulate: ...',
  first: 'bgfscodi',
  // Only the crates that speak about WireGuard: "word: text" alone is everybody's.
  re: /^(?=(?:boringtun|gotatun|firezone|snownet|connlib|onetun|defguard|innernet)\w{0,40}(?:::\w{1,64}){0,8}: )/,
  extract(m, line) {
    const out = newOut('boringtun', line, '');
    tracingBody(out, line, 0, false);
    return out.implHint === undefined ? undefined : out;
  },
};

// ---- macOS (connlib logs through os_log) -------------------------------------------------------------------

export const MACOS_LOG_TARGET: TextEnvelope = {
  id: 'macos-log',
  variant: '`log show` / `log stream` copy of connlib: 10:33:01.242070-0700<TAB>snownet::node: ... (no date)',
  first: DIGITS,
  re: /^\d\d:\d\d:\d\d\.\d{1,6}[+-]\d{4}\t(?=[\w:]{1,200}: )/,
  extract(m, line) {
    const out = newOut('macos-log', line, '');
    tracingBody(out, line, m[0].length, false);
    return out.implHint === undefined ? undefined : out;
  },
};

export const MACOS_CONSOLE_CONNLIB: TextEnvelope = {
  id: 'macos-log',
  variant: 'Console.app copy of Firezone: connlib<TAB>00:12:53.359013-0700<TAB>process<TAB>subsystem<TAB>message',
  first: 'c',
  re: /^connlib\t\d\d:\d\d:\d\d\.\d{1,6}[+-]\d{4}\t([^\t]{1,128})\t([^\t]{1,128})\t/,
  extract(m, line) {
    const out = newOut('macos-log', line, rest(line, m[0].length));
    out.program = m[1];
    out.logger = 'connlib';
    out.implHint = 'boringtun';
    // connlib's os_log layer prints the message (quoted when fields follow), two spaces, then the fields.
    const msg = out.message;
    const gap = msg.indexOf('  ');
    if (gap > 0) {
      const split = splitTrailingFields(msg.slice(gap + 2));
      if (split !== undefined && split.at === 0) {
        out.text = unquote(msg.slice(0, gap));
        out.fields = split.fields;
      }
    }
    return out;
  },
};

// ---- log-crate formats -------------------------------------------------------------------------------------

function setLevel(out: Out, word: string | undefined): void {
  const level = APP_LEVELS.get(word ?? '');
  if (level !== undefined) out.level = level;
}

function setTarget(out: Out, target: string | undefined): void {
  if (target === undefined) return;
  out.logger = target;
  const hint = implOfTarget(target);
  if (hint !== undefined) out.implHint = hint;
}

export const GOTATUN: TextEnvelope = {
  id: 'rust-log',
  variant: 'gotatun (and log4rs-style) layout: [2026-04-09 12:48:37.953] ERROR gotatun::tun::buffer: ...',
  first: '[',
  re: new RegExp(String.raw`^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\] {1,2}${LEVEL} {1,2}`),
  extract(m, line, ctx) {
    const out = newOut('rust-log', line, '');
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], undefined));
    setLevel(out, m[8]);
    tracingBody(out, line, m[0].length, false);
    if (out.logger === undefined || implOfTarget(out.logger) === undefined) delete out.implHint;
    return out;
  },
};

export const ENV_LOGGER: TextEnvelope = {
  id: 'rust-log',
  variant: 'env_logger: [2025-10-28T13:29:12Z ERROR defguard_gateway::gateway] ...',
  first: '[',
  re: new RegExp(String.raw`^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)? {1,2}${LEVEL} {1,2}([\w:-]{1,200})\] `),
  extract(m, line, ctx) {
    const out = newOut('rust-log', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], m[8]));
    setLevel(out, m[9]);
    setTarget(out, m[10]);
    return out;
  },
};

export const PRETTY_ENV_LOGGER: TextEnvelope = {
  id: 'rust-log',
  variant: 'pretty_env_logger: " DEBUG onetun::wg                > ...", "INFO  innernet_server > ..."',
  first: ' TDIWE',
  re: new RegExp(String.raw`^ ?${LEVEL} {1,2}([\w:]{1,200}) {1,80}> `),
  extract(m, line) {
    const out = newOut('rust-log', line, rest(line, m[0].length));
    setLevel(out, m[1]);
    setTarget(out, m[2]);
    return out;
  },
};

/** Cloudflare WARP's Android log: slog records of the old boringtun, "<message>, (<key-values>)" in quotes. */
const WARP_MODULE = /^([\w:]{1,100}): "(.*)"$/;
const SLOG_KV = /, \(([^()]{0,500})\)$/;

export const WARP_ANDROID: TextEnvelope = {
  id: 'rust-log',
  variant: 'Cloudflare WARP for Android: [2022-08-16T07:29:55.249-07:00] INFO "udp": boringtun: "Sending keepalive, ()"',
  first: '[',
  re: new RegExp(String.raw`^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)\] ${LEVEL} "[^"\n]{1,64}": `),
  extract(m, line, ctx) {
    const out = newOut('rust-log', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], m[8]));
    setLevel(out, m[9]);
    const mm = WARP_MODULE.exec(out.message);
    if (mm === null) return out;
    const module = mm[1] ?? '';
    out.logger = module;
    out.message = mm[2] ?? '';
    if (module.startsWith('boringtun')) out.implHint = 'boringtun';
    const kv = SLOG_KV.exec(out.message);
    if (kv !== null) {
      out.text = out.message.slice(0, kv.index);
      const fields: Field[] = [];
      for (const pair of (kv[1] ?? '').split(', ')) {
        const c = pair.indexOf(': ');
        if (c > 0) fields.push([pair.slice(0, c), unquote(pair.slice(c + 2))]);
      }
      if (fields.length > 0) out.fields = fields;
    }
    return out;
  },
};

// defguard's client writes "[<date>, <time>][<LEVEL>][Client|Service] " with the date in the user's locale
// (09.08.2025, 03/12/2024: day first in the pasted ones), local time.
export const DEFGUARD_CLIENT: TextEnvelope = {
  id: 'rust-log',
  variant: 'defguard client: [09.08.2025, 13:11:09][INFO][Service] ...',
  first: '[',
  re: new RegExp(String.raw`^\[(\d\d)([./-])(\d\d)\2(\d{4}), (\d\d):(\d\d):(\d\d)\]\[${LEVEL}\]\[(Client|Service)\] `),
  extract(m, line, ctx) {
    const out = newOut('rust-log', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[4]), Number(m[3]), Number(m[1]), Number(m[5]), Number(m[6]), Number(m[7]), undefined, undefined));
    setLevel(out, m[8]);
    out.program = m[9] === 'Service' ? 'defguard-service' : 'defguard-client';
    out.implHint = 'wireguard-rs';
    return out;
  },
};

// innernet's CLI marks its info lines "[*] ". Only that marker: wg-quick prints "[#] " and "[!] " (its
// commands and warnings), which must stay wg-quick's.
export const INNERNET_CLI: TextEnvelope = {
  id: 'rust-log',
  variant: 'innernet CLI: [*] updated interface office',
  first: '[',
  re: /^\[\*\] (?=\S)/,
  extract(m, line) {
    const out = newOut('rust-log', line, rest(line, m[0].length));
    out.level = 'info';
    out.program = 'innernet';
    out.implHint = 'wireguard-rs';
    return out;
  },
};

// ---- ESPHome and ESP-IDF -----------------------------------------------------------------------------------

const ESPHOME_LEVELS: ReadonlyMap<string, string> = new Map([['E', 'error'], ['W', 'warn'], ['I', 'info'], ['C', 'config'], ['D', 'debug'], ['V', 'verbose'], ['VV', 'very_verbose']]);
const ESP_IDF_LEVELS: ReadonlyMap<string, string> = new Map([['E', 'error'], ['W', 'warn'], ['I', 'info'], ['D', 'debug'], ['V', 'verbose']]);
const ESP_IDF_RE = /^([EWIDV]) \((\d{1,10})\) ([\w-]{1,48}): /;
// ESPHome's wireguard component logs under the tag "wireguard"; esp_wireguard (the lwIP port) under
// "esp_wireguard" and "wireguard" inside ESP-IDF's log.
const WIREGUARD_TAGS: ReadonlySet<string> = new Set(['wireguard', 'esp_wireguard', 'wireguardif']);

/** An ESP-IDF line "E (7533) esp_wireguard: …": level, milliseconds since boot, tag. */
function espIdf(out: Out, m: RegExpExecArray, text: string): void {
  out.message = rest(text, m[0].length);
  const level = ESP_IDF_LEVELS.get(m[1] ?? '');
  if (level !== undefined) out.level = level;
  out.uptimeSeconds = Number(m[2]) / 1000;
  const tag = m[3] ?? '';
  out.logger = tag;
  if (WIREGUARD_TAGS.has(tag)) out.implHint = 'lwip';
}

export const ESPHOME: TextEnvelope = {
  id: 'esphome',
  variant: 'ESPHome serial / API log: [22:34:07][D][wireguard:107]: ... (time optional; ESP-IDF lines inside [esp-idf:000])',
  first: '[',
  re: /^(?:\[\d\d:\d\d:\d\d(?:\.\d{1,3})?\])?\[(VV|[EWICDV])\]\[([\w.-]{1,48}):(\d{1,5})\]: /,
  extract(m, line) {
    const out = newOut('esphome', line, rest(line, m[0].length));
    const level = ESPHOME_LEVELS.get(m[1] ?? '');
    if (level !== undefined) out.level = level;
    const tag = m[2] ?? '';
    out.logger = tag;
    if (WIREGUARD_TAGS.has(tag)) out.implHint = 'lwip';
    else if (tag === 'esp-idf') {
      const e = ESP_IDF_RE.exec(out.message);
      if (e !== null) espIdf(out, e, out.message);
    }
    return out;
  },
};

export const ESP_IDF: TextEnvelope = {
  id: 'esphome',
  variant: 'ESP-IDF console: E (7533) esp_wireguard: ...',
  first: 'EWIDV',
  re: ESP_IDF_RE,
  extract(m, line) {
    const out = newOut('esphome', line, '');
    espIdf(out, m, line);
    return out;
  },
};

/** In the envelope table: the "[" group, the digit group (before the ISO formats), and the letter group. */
export const RUST_BRACKET_ENVELOPES: readonly TextEnvelope[] = [ESPHOME, DEFGUARD_CLIENT, INNERNET_CLI, WARP_ANDROID, GOTATUN, ENV_LOGGER];
export const RUST_DIGIT_ENVELOPES: readonly TextEnvelope[] = [TRACING_UPTIME, MACOS_LOG_TARGET];
export const RUST_LETTER_ENVELOPES: readonly TextEnvelope[] = [MACOS_CONSOLE_CONNLIB, TRACING_TARGET_ONLY, PRETTY_ENV_LOGGER, ESP_IDF];
