import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  daysFromCivil, fieldsToUtc, fractionMs, isKnownZone, parseIso, utcYear, wallMs, wallToUtc, yearlessToUtc, zoneOf,
  zoneOffsetMinutes,
} from '../../../../src/parse/decode/time.ts';
import { utc } from './support.ts';

test('civil date arithmetic agrees with Date.UTC over four centuries', () => {
  fc.assert(fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (y, m, d) => {
    assert.equal(daysFromCivil(y, m, d) * 86_400_000, Date.UTC(y, m - 1, d));
  }));
  assert.equal(daysFromCivil(1970, 1, 1), 0);
  assert.equal(daysFromCivil(2024, 2, 29), 19_782);
});

test('utcYear finds the calendar year of an instant, also on the first and last millisecond', () => {
  fc.assert(fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
    assert.equal(utcYear(ms), new Date(ms).getUTCFullYear());
  }));
  assert.equal(utcYear(Date.UTC(2025, 0, 1) - 1), 2024);
  assert.equal(utcYear(Date.UTC(2025, 0, 1)), 2025);
});

test('fractions of a second are kept to the microsecond, never rounded up', () => {
  assert.equal(fractionMs(undefined), 0);
  assert.equal(fractionMs('5'), 500);
  assert.equal(fractionMs('123'), 123);
  assert.equal(fractionMs('123456'), 123.456);
  assert.equal(fractionMs('123456789'), 123.456);
  assert.equal(fractionMs('999999999'), 999.999);
});

test('zone offsets in the forms shippers print', () => {
  assert.equal(zoneOffsetMinutes('Z'), 0);
  assert.equal(zoneOffsetMinutes('+02:00'), 120);
  assert.equal(zoneOffsetMinutes('+0530'), 330);
  assert.equal(zoneOffsetMinutes('-03:30'), -210);
  assert.equal(zoneOffsetMinutes('-05'), -300);
  assert.ok(Number.isNaN(zoneOffsetMinutes('+25:00')));
  assert.ok(Number.isNaN(zoneOffsetMinutes('CEST')));
});

test('Europe/Berlin: ordinary summer and winter times', () => {
  const berlin = zoneOf('Europe/Berlin');
  assert.equal(fieldsToUtc(berlin, 2025, 5, 22, 14, 22, 7, undefined, undefined), utc(2025, 5, 22, 12, 22, 7));
  assert.equal(fieldsToUtc(berlin, 2025, 1, 15, 8, 0, 0, '25', undefined), utc(2025, 1, 15, 7, 0, 0, 250_000));
});

/** Berlin wall-clock times of 2025 around its DST changes (month, day, hour, minute, second), and the instant each is read as. */
const BERLIN_DST: ReadonlyArray<readonly [why: string, wall: readonly [number, number, number, number, number], expected: number]> = [
  ['the last winter second', [3, 30, 1, 59, 59], utc(2025, 3, 30, 0, 59, 59)],
  ['02:30 does not exist that day: like `date -d`, 03:30 CEST, the same instant as 01:30 UTC', [3, 30, 2, 30, 0], utc(2025, 3, 30, 1, 30, 0)],
  ['the first summer second', [3, 30, 3, 0, 0], utc(2025, 3, 30, 1, 0, 0)],
  ['the second after it', [3, 30, 3, 0, 1], utc(2025, 3, 30, 1, 0, 1)],
  ['the second before the repeated hour', [10, 26, 1, 59, 59], utc(2025, 10, 25, 23, 59, 59)],
  ['the repeated hour starts: its first pass, summer time', [10, 26, 2, 0, 0], utc(2025, 10, 26, 0, 0, 0)],
  ['within the repeated hour: its first pass', [10, 26, 2, 30, 0], utc(2025, 10, 26, 0, 30, 0)],
  ['the first hour after it, winter time', [10, 26, 3, 0, 0], utc(2025, 10, 26, 2, 0, 0)],
];

for (const [name, month] of [
  ['Europe/Berlin spring forward (2025-03-30 02:00 → 03:00): the gap is read with the winter offset', 3],
  ['Europe/Berlin fall back (2025-10-26 03:00 → 02:00): the repeated hour is read as the first one', 10],
] as const) {
  test(name, () => {
    const berlin = zoneOf('Europe/Berlin');
    for (const [why, [mo, d, h, mi, s], expected] of BERLIN_DST.filter(([, wall]) => wall[0] === month)) {
      assert.equal(wallToUtc(berlin, wallMs(2025, mo, d, h, mi, s)), expected, why);
    }
  });
}

test('zone conversion matches Intl for random instants in zones with odd offsets and rules', () => {
  for (const name of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham']) {
    const zone = zoneOf(name);
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }), (sec) => {
      const instant = sec * 1000;
      const p = Object.fromEntries(fmt.formatToParts(instant).map((x) => [x.type, Number(x.value)]));
      const wall = wallMs(p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
      const back = wallToUtc(zone, wall);
      // Ambiguous wall times map to the earlier instant, so the round trip may land one DST shift earlier.
      assert.ok(back === instant || (back < instant && instant - back <= 3_600_000), `${name} ${new Date(instant).toISOString()}`);
      assert.equal(wallToUtc(zone, wall), back, 'cached answer differs');
    }), { numRuns: 300 });
  }
});

test('unknown zones fall back to UTC instead of throwing; offset zones are fixed', () => {
  assert.equal(isKnownZone('Mars/Olympus_Mons'), false);
  assert.equal(wallToUtc(zoneOf('Mars/Olympus_Mons'), wallMs(2025, 5, 22, 14, 22, 7)), utc(2025, 5, 22, 14, 22, 7));
  assert.equal(wallToUtc(zoneOf(''), wallMs(2025, 5, 22, 14, 22, 7)), utc(2025, 5, 22, 14, 22, 7));
  assert.equal(isKnownZone('+02:00'), true);
  assert.equal(wallToUtc(zoneOf('+02:00'), wallMs(2025, 5, 22, 14, 22, 7)), utc(2025, 5, 22, 12, 22, 7));
  assert.equal(wallToUtc(zoneOf('Etc/UTC'), wallMs(2025, 5, 22, 14, 22, 7)), utc(2025, 5, 22, 14, 22, 7));
});

test('year-less times take the year that puts them at most a day after now', () => {
  const berlin = zoneOf('Europe/Berlin');
  const now = utc(2025, 5, 23, 6, 0, 0);
  assert.equal(yearlessToUtc(berlin, 5, 22, 14, 22, 7, undefined, now), utc(2025, 5, 22, 12, 22, 7));
  // Tomorrow evening is still this year (a clock slightly ahead), the day after is last year's.
  assert.equal(yearlessToUtc(berlin, 5, 24, 7, 0, 0, undefined, now), utc(2025, 5, 24, 5, 0, 0));
  assert.equal(yearlessToUtc(berlin, 5, 25, 7, 0, 0, undefined, now), utc(2024, 5, 25, 5, 0, 0));
  // December lines read in January belong to last year.
  const jan = utc(2026, 1, 1, 0, 5, 0);
  assert.equal(yearlessToUtc(berlin, 12, 31, 23, 59, 58, '5', jan), utc(2025, 12, 31, 22, 59, 58, 500_000));
  // Just before midnight UTC on New Year's Eve it is already January in Berlin.
  assert.equal(yearlessToUtc(berlin, 1, 1, 0, 30, 0, undefined, utc(2025, 12, 31, 23, 40, 0)), utc(2025, 12, 31, 23, 30, 0));
  // Feb 29 goes back to the last leap year.
  assert.equal(yearlessToUtc(zoneOf('UTC'), 2, 29, 12, 0, 0, undefined, utc(2026, 3, 1, 0, 0, 0)), utc(2024, 2, 29, 12, 0, 0));
  assert.ok(Number.isNaN(yearlessToUtc(berlin, 2, 30, 12, 0, 0, undefined, now)));
  assert.ok(Number.isNaN(yearlessToUtc(berlin, 13, 1, 12, 0, 0, undefined, now)));
});

test('ISO timestamps of shippers', () => {
  const berlin = zoneOf('Europe/Berlin');
  assert.equal(parseIso('2025-05-22T12:22:08.412Z', berlin), utc(2025, 5, 22, 12, 22, 8, 412_000));
  assert.equal(parseIso('2025-05-22T12:22:08.123456789Z', berlin), utc(2025, 5, 22, 12, 22, 8, 123_456));
  assert.equal(parseIso('2025-05-22T14:22:08+02:00', berlin), utc(2025, 5, 22, 12, 22, 8));
  assert.equal(parseIso('2025-05-22 14:22:08', berlin), utc(2025, 5, 22, 12, 22, 8));
  assert.ok(Number.isNaN(parseIso('22/05/2025', berlin)));
  assert.ok(Number.isNaN(parseIso('2025-02-30T00:00:00Z', berlin)));
});
