// Envelopes of router and firewall platforms that run WireGuard: OPNsense's log view as people copy it out of the
// web GUI, the Keenetic NDMS system log, and the FreeBSD kernel message buffer with kern.msgbuf_show_timestamp.
import type { TextEnvelope } from './envelopes.ts';
import { DIGITS, newOut, rest, setLineTime, setPri } from './fields.ts';
import type { Out } from './fields.ts';
import { anyMonth } from './names.ts';
import { fieldsToUtc, yearlessToUtc } from './time.ts';

// ---- OPNsense GUI log view ----------------------------------------------------------------------------------

/** The severities the log view prints, and the level each is. */
const OPNSENSE_SEVERITY: ReadonlyMap<string, string> = new Map([
  ['Emergency', 'emergency'], ['Alert', 'alert'], ['Critical', 'critical'], ['Error', 'error'],
  ['Warning', 'warning'], ['Notice', 'notice'], ['Informational', 'info'], ['Info', 'info'], ['Debug', 'debug'],
]);

function sepKind(s: string | undefined): string {
  return s === undefined ? '' : s.charCodeAt(0) === 9 ? 'tab' : s === ' | ' ? 'pipe' : 'spaces';
}

// The kernel's own "<6>[3475] " (priority and seconds since boot, kern.msgbuf_show_timestamp) that OPNsense's
// log view keeps at the start of a kernel message.
const KERNEL_PREFIX = /^<(\d{1,3})>(?:\[(\d{1,10})\] )?/;

/**
 * The log view's table copied as text: date and time (the firewall's local time; with an offset in the newer
 * view), severity, process, message. A copy keeps the columns apart with a TAB; after re-spacing (forums, mail)
 * it is two or more spaces; the newer view copies as " | ". The process column has no pid.
 */
export const OPNSENSE_GUI: TextEnvelope = {
  id: 'opnsense-gui',
  variant: 'OPNsense log view copy: 2026-07-02T06:53:13<TAB>Notice<TAB>wireguard<TAB> ... (or 2+ spaces, or " | ")',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)?(\t| {2,8}| \| )(Emergency|Alert|Critical|Error|Warning|Notice|Informational|Info|Debug)(\t| {2,8}| \| )([\w.-]{1,64})(\t ?| {2,8}| \| )/,
  extract(m, line, ctx) {
    // One kind of separator throughout: a TAB copy and a re-spaced copy do not mix.
    const kind = sepKind(m[9]);
    if (sepKind(m[11]) !== kind || sepKind(m[13]) !== kind) return undefined;
    let message = rest(line, m[0].length).trimEnd();
    const out = newOut('opnsense-gui', line, message);
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), m[7], m[8]));
    const program = m[12] as string;
    out.program = program;
    out.level = OPNSENSE_SEVERITY.get(m[10] ?? '');
    if (program === 'kernel') {
      // OPNsense runs FreeBSD: its kernel lines are if_wg's (or ifnet's), never the Linux module's.
      out.implHint = 'freebsd';
      const k = KERNEL_PREFIX.exec(message);
      if (k !== null) {
        setPri(out, Number(k[1]));
        if (k[2] !== undefined) out.uptimeSeconds = Number(k[2]);
        message = message.slice(k[0].length);
      }
    }
    out.message = message;
    return out;
  },
};

// ---- FreeBSD message buffer ---------------------------------------------------------------------------------

/**
 * FreeBSD's dmesg with kern.msgbuf_show_timestamp=1: whole seconds since boot in brackets ("[15] wg1: ...").
 * Linux's dmesg always prints a fraction, so the integer form says FreeBSD (the recogniser still falls back to
 * the Linux module's texts).
 */
export const FREEBSD_MSGBUF: TextEnvelope = {
  id: 'dmesg',
  variant: 'FreeBSD dmesg with kern.msgbuf_show_timestamp: [15] wg1: ...',
  first: '[',
  re: /^\[(\d{1,10})\] /,
  extract(m, line) {
    const out = newOut('dmesg', line, rest(line, m[0].length));
    out.uptimeSeconds = Number(m[1]);
    out.implHint = 'freebsd';
    return out;
  },
};

// ---- Keenetic NDMS ------------------------------------------------------------------------------------------

const KEENETIC_LEVEL: ReadonlyMap<string, string> = new Map([['I', 'info'], ['W', 'warning'], ['E', 'error'], ['C', 'critical'], ['D', 'debug']]);

/**
 * The system log of Keenetic routers (web UI and "show log"): a level letter, the time (the date only in some
 * views), then the program as syslog would: "[I] 14:06:12 kernel: wireguard: Wireguard0: ...". Without a date
 * the line has no usable time.
 */
export const KEENETIC: TextEnvelope = {
  id: 'keenetic',
  variant: 'Keenetic NDMS log: [I] 14:06:12 kernel: ... ([I] Sep 30 14:06:12 ndm: ...)',
  first: '[',
  re: /^\[([IWECD])\] (?:([A-Z][a-z]{2}) {1,2}(\d{1,2}) )?(\d\d):(\d\d):(\d\d) ([^\s:[\]]{1,64})(?:\[(\d{1,10})\])?: /,
  extract(m, line, ctx) {
    const out: Out = newOut('keenetic', line, rest(line, m[0].length));
    out.level = KEENETIC_LEVEL.get(m[1] ?? '');
    if (m[2] !== undefined) {
      const month = anyMonth(m[2]);
      if (month === 0) return undefined;
      setLineTime(out, yearlessToUtc(ctx.zone, month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), undefined, ctx.nowMs));
    }
    out.program = m[7];
    if (m[8] !== undefined) out.pid = Number(m[8]);
    return out;
  },
};
