// Real lines users pasted into public threads (test/corpus/real-world/, each with its source) through the real
// decoder, recogniser and normaliser: per class, how many WireGuard lines get the right action and how many of
// their expected fields come out right, and that no look-alike becomes a WireGuard event. Prints the table that
// docs/parsing.md quotes; the failures it lists name the file and line of each record.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCorpus, score, scoreTable } from '../../helpers/corpus.ts';

const DIR = 'test/corpus/real-world';
const records = loadCorpus(DIR);
const s = score(records);

test('the corpus is large and varied enough to mean something', () => {
  const wg = records.filter((r) => r.expect !== null);
  assert.ok(wg.length >= 600, `${wg.length} WireGuard lines (want at least 600)`);
  assert.ok(records.length - wg.length >= 60, `${records.length - wg.length} look-alike lines (want at least 60)`);
  const formats = new Set(wg.map((r) => `${r.program.toLowerCase()}/${r.format}`));
  assert.ok(formats.size >= 25, `${formats.size} programs/formats (want at least 25)`);
  for (const r of records) assert.ok(!/(?:Private|Preshared)Key\s*=\s*[A-Za-z0-9+/]{43}=/i.test(r.line), `${r.at}: a private or preshared key`);
});

test('per-class recognition and field accuracy', (t) => {
  t.diagnostic(`\n${scoreTable(s)}`);
  const misses = s.verdicts.filter((v) => v.record.expect !== null && (!v.actionRight || v.wrongFields.length > 0));
  for (const v of misses.slice(0, 60)) {
    const got = v.doc ? `${v.doc.event.action}` : (v.why ?? '?');
    t.diagnostic(`${v.record.at}: ${v.actionRight ? '' : `want ${v.record.expect?.action}, got ${got}; `}${v.wrongFields.join('; ')}\n    ${v.record.line}`);
  }
  const tot = s.total;
  assert.ok(tot.recognised / tot.wireguard >= 0.97, `recognised with the right action: ${tot.recognised}/${tot.wireguard}`);
  assert.ok(tot.fieldsRight / tot.fieldsTotal >= 0.98, `fields right: ${tot.fieldsRight}/${tot.fieldsTotal}`);
});

test('no look-alike line becomes a WireGuard event', () => {
  const taken = s.verdicts.filter((v) => v.record.expect === null && v.doc !== undefined);
  assert.deepEqual(taken.map((v) => `${v.record.at}: ${v.doc?.event.action}: ${v.record.line}`), []);
});

test('a masked value is kept as given and flagged, never turned into an address', () => {
  const masked = s.verdicts.filter((v) => v.doc !== undefined && v.record.expect?.fields?.['wireguard.redacted'] === true);
  assert.ok(masked.length >= 20, `${masked.length} masked lines recognised`);
  for (const v of masked) {
    assert.equal(v.doc?.wireguard?.redacted, true, `${v.record.at}: not flagged as redacted`);
    const ep = v.doc?.wireguard?.peer?.endpoint;
    if (ep !== undefined) assert.ok(v.record.line.includes(ep), `${v.record.at}: endpoint ${ep} is not in the line`);
  }
});
