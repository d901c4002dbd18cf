// Clock arithmetic for log timestamps. Dates are turned into epoch milliseconds with integer arithmetic
// (no Date objects on the hot path); a wall-clock time without a zone is converted with the IANA rules of the
// configured zone, which Intl knows. Intl is slow (microseconds per call), so the UTC offset is cached per
// wall-clock hour and per zone.

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The UTC calendar year of an epoch-milliseconds instant (H. Hinnant's civil_from_days, year part). */
export function utcYear(ms: number): number {
  const z = Math.floor(ms / DAY_MS) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1] ?? 0;
}

/**
 * Whether the fields form a real calendar time. Years are limited to four digits because Intl renders
 * years before 1 CE with an era, which the offset lookup does not read; second 60 is a leap second.
 */
export function isValidDateTime(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return y >= 1000 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) &&
    h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/** The fields read as if they were UTC, in epoch milliseconds (whole seconds). */
export function wallMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return daysFromCivil(y, mo, d) * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + s * SECOND_MS;
}

/**
 * Milliseconds (with microseconds as the fraction) of a decimal fraction of a second such as the "123456" of
 * "14:22:07.123456". Digits beyond microseconds are dropped, not rounded, so a time never moves to the next
 * microsecond.
 */
export function fractionMs(digits: string | undefined): number {
  if (digits === undefined) return 0;
  let us = 0;
  for (let i = 0; i < 6; i++) {
    const c = i < digits.length ? digits.charCodeAt(i) - 48 : 0;
    us = us * 10 + (c >= 0 && c <= 9 ? c : 0);
  }
  return us / 1000;
}

/** Minutes east of UTC of "Z", "+02:00", "+0200", "-05" (the forms ISO 8601 and RFC 3339 shippers print), NaN if none. */
export function zoneOffsetMinutes(z: string): number {
  if (z === 'Z' || z === 'z') return 0;
  const sign = z.charCodeAt(0) === 45 ? -1 : z.charCodeAt(0) === 43 ? 1 : 0;
  if (sign === 0) return NaN;
  const hh = Number(z.slice(1, 3));
  const rest = z.length > 3 && z.charCodeAt(3) === 58 ? z.slice(4) : z.slice(3);
  const mm = rest === '' ? 0 : Number(rest);
  if (!(hh <= 23 && mm <= 59) || rest.length > 2 || z.length < 3) return NaN;
  return sign * (hh * 60 + mm);
}

// ---- time zones -------------------------------------------------------------------------------------------

export interface Zone {
  /** The zone as configured or as given by a record. */
  readonly name: string;
  /** Offset from UTC in ms when the zone never changes it (UTC, "+02:00"); undefined for rule-based zones. */
  readonly fixedMs: number | undefined;
  readonly fmt: Intl.DateTimeFormat | undefined;
  /** Wall-clock hour index → offset in ms to subtract, or NaN for an hour that contains a transition. */
  readonly hours: Map<number, number>;
}

export const UTC_ZONE: Zone = { name: 'UTC', fixedMs: 0, fmt: undefined, hours: new Map() };

const zones = new Map<string, Zone>();
let lastZoneName = 'UTC';
let lastZone: Zone = UTC_ZONE;
// Bounds on the caches: zone names can come from records (Filebeat's event.timezone), and garbage input must
// not make them grow without end.
const MAX_ZONES = 256;
const MAX_HOURS_PER_ZONE = 200_000;

/** The zone for an IANA name or an offset such as "+02:00"; unknown names fall back to UTC (this never throws). */
export function zoneOf(name: string): Zone {
  if (name === lastZoneName) return lastZone;
  let z = zones.get(name);
  if (z === undefined) {
    z = makeZone(name);
    if (zones.size >= MAX_ZONES) zones.clear();
    zones.set(name, z);
  }
  lastZoneName = name;
  lastZone = z;
  return z;
}

/** Whether Intl knows the zone, so callers can tell a usable zone from the UTC fallback. */
export function isKnownZone(name: string): boolean {
  return zoneOf(name) !== UTC_ZONE || name === 'UTC';
}

function makeZone(name: string): Zone {
  if (typeof name !== 'string' || name === '') return UTC_ZONE;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return UTC_ZONE;
  }
  const resolved = fmt.resolvedOptions().timeZone;
  if (resolved === 'UTC' || resolved === 'Etc/UTC' || resolved === 'GMT' || resolved === 'Etc/GMT') {
    return { name, fixedMs: 0, fmt: undefined, hours: new Map() };
  }
  const fixed = /^[+-]\d\d(?::?\d\d)?$/.test(resolved) ? zoneOffsetMinutes(resolved) : NaN;
  if (!Number.isNaN(fixed)) return { name, fixedMs: fixed * MINUTE_MS, fmt: undefined, hours: new Map() };
  return { name, fixedMs: undefined, fmt, hours: new Map() };
}

/** Local minus UTC, in ms, at an instant. */
function offsetAt(fmt: Intl.DateTimeFormat, instantMs: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of fmt.formatToParts(instantMs)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      default: break;
    }
  }
  return wallMs(y, mo, d, h, mi, s) - (instantMs - (((instantMs % SECOND_MS) + SECOND_MS) % SECOND_MS));
}

/**
 * The offset to subtract from a wall-clock time (fields read as UTC) to get the instant. Ambiguous times (the
 * repeated hour when clocks go back) take the earlier instant, and times in the gap when clocks go forward are
 * read with the offset from before the gap — Temporal's "compatible" choice, which is also what `date -d` does.
 */
function resolveOffset(fmt: Intl.DateTimeFormat, wall: number): number {
  const before = offsetAt(fmt, wall - DAY_MS);
  const after = offsetAt(fmt, wall + DAY_MS);
  let best = NaN;
  if (offsetAt(fmt, wall - before) === before) best = before;
  if (after !== before && offsetAt(fmt, wall - after) === after && !(best > after)) best = after;
  return Number.isNaN(best) ? before : best;
}

/** UTC epoch ms of a wall-clock time (whole seconds, fields read as UTC) in a zone. */
export function wallToUtc(zone: Zone, wall: number): number {
  if (zone.fixedMs !== undefined) return wall - zone.fixedMs;
  const fmt = zone.fmt;
  if (fmt === undefined || !(Math.abs(wall) < 8e15)) return NaN;
  const hour = Math.floor(wall / HOUR_MS);
  let off = zone.hours.get(hour);
  if (off === undefined) {
    const start = resolveOffset(fmt, hour * HOUR_MS);
    off = start === resolveOffset(fmt, hour * HOUR_MS + HOUR_MS - SECOND_MS) ? start : NaN;
    if (zone.hours.size >= MAX_HOURS_PER_ZONE) zone.hours.clear();
    zone.hours.set(hour, off);
  }
  // Only hours with a transition inside (never on the hour in today's rules) pay for the exact lookup.
  return wall - (Number.isNaN(off) ? resolveOffset(fmt, wall) : off);
}

/**
 * UTC epoch ms of calendar fields. `offset` is the zone as printed ("Z", "+02:00", "+0200"); without one the
 * time is local to `zone`. NaN when the fields are not a real time.
 */
export function fieldsToUtc(
  zone: Zone, y: number, mo: number, d: number, h: number, mi: number, s: number,
  fraction: string | undefined, offset: string | undefined,
): number {
  if (!isValidDateTime(y, mo, d, h, mi, s)) return NaN;
  const wall = wallMs(y, mo, d, h, mi, s);
  const base = offset === undefined ? wallToUtc(zone, wall) : wall - zoneOffsetMinutes(offset) * MINUTE_MS;
  return base + fractionMs(fraction);
}

let lastNowMs = NaN;
let lastNowYear = NaN;

/**
 * UTC epoch ms of a time printed without a year (classic syslog, dmesg -H, logcat). The year is the one that
 * puts the time at most a day after `nowMs` (a clock slightly ahead of the collector is tolerated), so December
 * lines read in January land in the previous year. Feb 29 may need to go back to the last leap year.
 */
export function yearlessToUtc(
  zone: Zone, mo: number, d: number, h: number, mi: number, s: number, fraction: string | undefined, nowMs: number,
): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60)) {
    return NaN;
  }
  // Outside Date's range a year is so large that y-- no longer changes it.
  if (!(Math.abs(nowMs) <= 8.64e15)) return NaN;
  if (nowMs !== lastNowMs) {
    lastNowMs = nowMs;
    lastNowYear = utcYear(nowMs);
  }
  const nowYear = lastNowYear;
  const limit = nowMs + DAY_MS;
  // Near New Year the local date can already be in the next UTC year; January lines try that year first.
  for (let y = mo === 1 ? nowYear + 1 : nowYear, tries = 0; tries < 10; y--, tries++) {
    if (!isValidDateTime(y, mo, d, h, mi, s)) continue;
    const t = wallToUtc(zone, wallMs(y, mo, d, h, mi, s));
    if (t <= limit) return t + fractionMs(fraction);
  }
  return NaN;
}

const ISO_RE = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d\d(?::?\d\d)?)?$/;

/** Epoch ms of an RFC 3339 / ISO 8601 date-time string as shippers write it; local to `zone` without an offset. */
export function parseIso(s: string, zone: Zone): number {
  if (s.length > 40) return NaN;
  const m = ISO_RE.exec(s);
  if (m === null) return NaN;
  return fieldsToUtc(zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]),
    m[6] === undefined ? 0 : Number(m[6]), m[7], m[8]);
}
