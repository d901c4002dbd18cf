// The kernel ring buffer as dmesg prints it: seconds since boot by default, wall-clock forms with -T/-H (in the
// reader's locale) and --time-format=iso, plus the raw forms (-r, /dev/kmsg) and -x's decoded level prefix.
// Every one of them is Linux kernel output.
import type { TextEnvelope } from './envelopes.ts';
import { DIGITS, newOut, rest, setLineTime, setPri, setSyslog } from './fields.ts';
import type { Out } from './fields.ts';
import { takeUptime } from './inner.ts';
import { FACILITY_BY_NAME, SEVERITY_BY_NAME, anyMonth } from './names.ts';
import { fieldsToUtc, yearlessToUtc } from './time.ts';
import type { EnvelopeId } from './types.ts';

function kernelOut(id: EnvelopeId, line: string, start: number): Out {
  const out = newOut(id, line, rest(line, start));
  out.implHint = 'linux-kernel';
  return out;
}

export const DMESG: TextEnvelope = {
  id: 'dmesg',
  variant: 'dmesg: [ 8312.401877] ... (also -d: [ 8312.401877 <    0.000030>])',
  first: '[',
  re: /^\[ {0,12}(\d{1,10}\.\d{1,9})(?: <[ \d.]{1,24}>)?\] ?/,
  extract(m, line) {
    const out = kernelOut('dmesg', line, m[0].length);
    out.uptimeSeconds = Number(m[1]);
    return out;
  },
};

export const DMESG_RAW: TextEnvelope = {
  id: 'dmesg',
  variant: 'dmesg -r: <7>[ 8312.401877] ...',
  first: '<',
  re: /^<(\d{1,3})>\[ {0,12}(\d{1,10}\.\d{1,9})\] ?/,
  extract(m, line) {
    const out = kernelOut('dmesg', line, m[0].length);
    setPri(out, Number(m[1]));
    out.uptimeSeconds = Number(m[2]);
    return out;
  },
};

export const DMESG_KMSG: TextEnvelope = {
  id: 'dmesg',
  variant: '/dev/kmsg: 7,1234,8312401877,-;...',
  first: DIGITS,
  re: /^(\d{1,3}),\d{1,20},(\d{1,20}),[^;\s]{0,16};/,
  extract(m, line) {
    const out = kernelOut('dmesg', line, m[0].length);
    setPri(out, Number(m[1]));
    out.uptimeSeconds = Number(m[2]) / 1e6;
    return out;
  },
};

export const DMESG_DECODED: TextEnvelope = {
  id: 'dmesg',
  variant: 'dmesg -x: kern  :debug : [ 8312.401877] ...',
  first: 'abcdefghijklmnopqrstuvwxyz',
  re: /^([a-z]{2,8}\d?) {0,6}:([a-z]{3,7}) {0,6}: /,
  extract(m, line) {
    const facility = FACILITY_BY_NAME.get(m[1] ?? '');
    const severity = SEVERITY_BY_NAME.get(m[2] ?? '');
    if (facility === undefined || severity === undefined) return undefined;
    const out = kernelOut('dmesg', line, m[0].length);
    setSyslog(out, facility, severity);
    takeUptime(out);
    return out;
  },
};

export const DMESG_DELTA: TextEnvelope = {
  id: 'dmesg-human',
  variant: 'dmesg -H, later lines of the same minute: [  +0.000123] ... (a decimal comma in some locales: [  +7,696954])',
  first: '[',
  re: /^\[ {0,12}[+-]\d{1,10}[.,]\d{1,9}\] ?/,
  extract: (m, line) => kernelOut('dmesg-human', line, m[0].length),
};

export const DMESG_CTIME: TextEnvelope = {
  id: 'dmesg-human',
  variant: 'dmesg -T (any locale): [Thu May 22 14:22:07 2025] ..., [Do Mai 22 14:22:07 2025] ...',
  first: '[',
  // Weekdays are not checked (any locale's word will do); the month must be one the name table knows.
  // The month may hold digits for the CJK forms ("5月").
  re: /^\[[^\s\d[\]]{1,24} ([^\s[\]]{1,24}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?/,
  extract(m, line, ctx) {
    const month = anyMonth(m[1]);
    if (month === 0) return undefined;
    const out = kernelOut('dmesg-human', line, m[0].length);
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]),
      Number(m[5]), undefined, undefined));
    return out;
  },
};

export const DMESG_RELTIME: TextEnvelope = {
  id: 'dmesg-human',
  variant: 'dmesg -H, first line of a minute (any locale): [May22 14:22] ...',
  first: '[',
  re: /^\[([^\s\d[\]]{1,24}) ?(\d{1,2}) (\d\d):(\d\d)\] ?/,
  extract(m, line, ctx) {
    const month = anyMonth(m[1]);
    if (month === 0) return undefined;
    const out = kernelOut('dmesg-human', line, m[0].length);
    setLineTime(out, yearlessToUtc(ctx.zone, month, Number(m[2]), Number(m[3]), Number(m[4]), 0, undefined, ctx.nowMs));
    return out;
  },
};

export const DMESG_ISO: TextEnvelope = {
  id: 'dmesg-human',
  variant: 'dmesg --time-format=iso: 2025-05-22T14:22:07,401877+02:00 ...',
  first: DIGITS,
  re: /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d),(\d{1,9})([+-]\d\d:?\d\d) /,
  extract(m, line, ctx) {
    const out = kernelOut('dmesg-human', line, m[0].length);
    setLineTime(out, fieldsToUtc(ctx.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
      Number(m[6]), m[7], m[8]));
    return out;
  },
};
