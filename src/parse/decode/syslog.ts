// syslog as files and journalctl print it: RFC 3164 ("BSD", kern.log, /var/log/syslog, journalctl short, also
// rsyslog's ISO RSYSLOG_FileFormat), RFC 5424, and OpenWrt's logread, which is its own variant with the facility
// and severity spelled out.
import type { TextEnvelope } from './envelopes.ts';
import { DIGITS, LETTERS, addHostIp, newOut, nonNil, pidOf, rest, setLineTime, setPri, setSyslog } from './fields.ts';
import type { Out } from './fields.ts';
import { unwrapMessage } from './inner.ts';
import { FACILITY_BY_NAME, SEVERITY_BY_NAME, anyMonth, englishMonth } from './names.ts';
import { fieldsToUtc, yearlessToUtc } from './time.ts';

// Host, then "tag[pid]: " — each optional, since RFC 3164 senders may omit the host and lines without a tag
// exist ("-- MARK --"). A host never ends in ":", which is how "gw1 kernel:" and a host-less "kernel:" differ;
// it may contain colons inside (an IPv6 address).
const HOST_TAG = String.raw`(?:([^\s[\]]{0,254}[^\s[\]:]) )?(?:([^\s[\]:]{1,128})(?:\[(\d{1,10})\])?: ?)?`;

// The kernel's "[ 8312.401877] " that imklog keeps, read by the same regex on the hot kern.log path.
const UPTIME = String.raw`(?:\[ {0,12}(\d{1,10}\.\d{1,9})\] ?)?`;

/** Host, program, pid and uptime from the HOST_TAG and UPTIME groups starting at index `i`. */
function hostTag(out: Out, m: RegExpExecArray, i: number): void {
  const host = m[i];
  const program = m[i + 1];
  const pid = pidOf(m[i + 2]);
  const uptime = m[i + 3];
  if (host !== undefined) {
    out.host = host;
    // rsyslog writes the sender's address when it has no name for it.
    addHostIp(out, host);
  }
  if (program !== undefined) out.program = program;
  if (pid !== undefined) out.pid = pid;
  if (uptime !== undefined) out.uptimeSeconds = Number(uptime);
}

export const SYSLOG_3164: TextEnvelope = {
  id: 'syslog-rfc3164',
  variant: 'RFC 3164 / journalctl short: [<PRI>]May 22 14:22:07[.123456] gw1 kernel: ...',
  first: `<${LETTERS}`,
  nonAscii: true,
  // The month is any word the name table knows: journalctl prints it in the reader's locale.
  re: new RegExp(String.raw`^(?:<(\d{1,3})>)?([^\s\d[\]<>:]{2,12}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ` + HOST_TAG + UPTIME),
  extract(m, line, ctx) {
    const month = anyMonth(m[2]);
    if (month === 0) return undefined;
    const out = newOut('syslog-rfc3164', line, rest(line, m[0].length));
    if (m[1] !== undefined) setPri(out, Number(m[1]));
    setLineTime(out, yearlessToUtc(ctx.zone, month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7], ctx.nowMs));
    hostTag(out, m, 8);
    return unwrapMessage(out, ctx, false);
  },
};

export const SYSLOG_3164_ISO: TextEnvelope = {
  id: 'syslog-rfc3164',
  variant: 'rsyslog RSYSLOG_FileFormat / journalctl short-iso: 2025-05-22T14:22:07.123456+02:00 gw1 kernel: ...',
  first: `<${DIGITS}`,
  re: new RegExp(String.raw`^(?:<(\d{1,3})>)?(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)? ` + HOST_TAG + UPTIME),
  extract(m, line, ctx) {
    const out = newOut('syslog-rfc3164', line, rest(line, m[0].length));
    if (m[1] !== undefined) setPri(out, Number(m[1]));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]),
      Number(m[7]), m[8], m[9]));
    hostTag(out, m, 10);
    return unwrapMessage(out, ctx, m[9] !== undefined);
  },
};

// The originator's addresses in RFC 5424's "origin" element (§7.2.1): [origin ip="192.0.2.10" ...].
const ORIGIN_IP = / ip="([^"\\\]]{1,64})"/g;

/**
 * The index just past RFC 5424 STRUCTURED-DATA ("[id k=\"v\"]..." elements) starting at `i`, or -1 when an
 * element is not closed. Quoted values may contain "]" and escaped quotes. The addresses of "origin"
 * elements go to `out`.
 */
function skipStructuredData(line: string, i: number, out: Out): number {
  const n = line.length;
  while (i < n && line.charCodeAt(i) === 91) {
    const start = i;
    let inQuotes = false;
    for (i++; i < n; i++) {
      const c = line.charCodeAt(i);
      if (inQuotes && c === 92) i++;
      else if (c === 34) inQuotes = !inQuotes;
      else if (c === 93 && !inQuotes) break;
    }
    if (i >= n) return -1;
    i++;
    if (line.startsWith('[origin ', start)) {
      for (const m of line.slice(start, i).matchAll(ORIGIN_IP)) addHostIp(out, m[1]);
    }
  }
  return i;
}

export const SYSLOG_5424: TextEnvelope = {
  id: 'syslog-rfc5424',
  variant: 'RFC 5424: <7>1 2025-05-22T14:22:07.123456+02:00 gw1 kernel - - - ...',
  first: '<',
  re: /^<(\d{1,3})>\d{1,2} (?:-|(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?) (\S{1,255}) (\S{1,48}) (\S{1,128}) \S{1,32} /,
  extract(m, line, ctx) {
    let pos = m[0].length;
    // The message is set once the structured data (which may give addresses) has been skipped.
    const out = newOut('syslog-rfc5424', line, '');
    const host = nonNil(m[10]);
    if (host !== undefined) addHostIp(out, host);
    if (line.charCodeAt(pos) === 45) pos++;
    else {
      const end = skipStructuredData(line, pos, out);
      if (end >= 0) pos = end;
    }
    if (line.charCodeAt(pos) === 32) pos++;
    if (line.charCodeAt(pos) === 0xfeff) pos++;
    out.message = rest(line, pos);
    setPri(out, Number(m[1]));
    if (m[2] !== undefined) {
      setLineTime(out, fieldsToUtc(ctx.zone, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]),
        Number(m[7]), m[8], m[9]));
    }
    const app = nonNil(m[11]);
    const pid = pidOf(m[12]);
    if (host !== undefined) out.host = host;
    if (app !== undefined) out.program = app;
    if (pid !== undefined) out.pid = pid;
    return unwrapMessage(out, ctx, m[9] !== undefined);
  },
};

export const LOGREAD: TextEnvelope = {
  id: 'logread',
  variant: 'OpenWrt logread: Thu May 22 14:22:07 2025 kern.debug kernel: ...',
  first: 'SMTWF',
  re: new RegExp(String.raw`^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4}) ([a-z]{2,8}\d?)\.([a-z]{3,7}) ` +
    String.raw`(?:([^\s[\]:]{1,128})(?:\[(\d{1,10})\])?: ?)?`),
  extract(m, line, ctx) {
    const month = englishMonth(m[1]);
    const facility = FACILITY_BY_NAME.get(m[7] ?? '');
    const severity = SEVERITY_BY_NAME.get(m[8] ?? '');
    if (month === 0 || facility === undefined || severity === undefined) return undefined;
    const out = newOut('logread', line, rest(line, m[0].length));
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]),
      Number(m[5]), undefined, undefined));
    setSyslog(out, facility, severity);
    const pid = pidOf(m[10]);
    if (m[9] !== undefined) out.program = m[9];
    if (pid !== undefined) out.pid = pid;
    return unwrapMessage(out, ctx, false);
  },
};
