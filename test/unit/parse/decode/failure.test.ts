// A decoder that throws: the line still comes back (as raw, whole), the failure is reported and named, and the
// run command's binding turns it into a counter and a rate-limited warning.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { createDecode, decode } from '../../../../src/parse/decode/decode.ts';
import { DecoderFailure, UNKNOWN_DECODER, decoderFailure, onDecoderFailure } from '../../../../src/parse/decode/failure.ts';
import type { DecoderFailureReport } from '../../../../src/parse/decode/failure.ts';
import { unparsedDoc } from '../../../../src/indexing/record.ts';
import { validateUnparsed } from '../../../../src/shared/schema/validate.ts';
import { createMetrics, watchDecoderFailures } from '../../../../src/shared/telemetry/metrics.ts';
import { BERLIN_WITH_RECORD, RECORD_MS } from './support.ts';

const LINE = 'May 22 14:22:07 gw1 kernel: wireguard: wg0: Invalid handshake initiation from 198.51.100.7:51820';

/** A decoder whose syslog extractor has a bug, tagged the way text-envelopes.ts tags a throwing extractor. */
const brokenSyslog = createDecode(() => { throw decoderFailure('syslog-rfc3164', new TypeError('cannot read properties of undefined')); });

function listen(t: { after: (fn: () => void) => void }): DecoderFailureReport[] {
  const seen: DecoderFailureReport[] = [];
  t.after(onDecoderFailure((r) => { seen.push(r); }));
  return seen;
}

test('a throwing decoder keeps the line as raw and says which decoder failed and why', (t) => {
  const seen = listen(t);
  const d = brokenSyslog(LINE, BERLIN_WITH_RECORD);
  const failure = { decoder: 'syslog-rfc3164', type: 'TypeError', message: 'cannot read properties of undefined' };
  assert.deepStrictEqual(d, { envelope: 'raw', original: LINE, message: LINE, timestampMs: RECORD_MS, timestampSource: 'record', failure });
  assert.deepStrictEqual(seen, [failure]);
});

test('an exception outside a tagged extractor is reported under "unknown"; the innermost decoder name wins', (t) => {
  const seen = listen(t);
  const d = createDecode(() => { throw new RangeError('Invalid time value'); })(new TextEncoder().encode(LINE), BERLIN_WITH_RECORD);
  assert.equal(d.original, LINE);
  assert.deepStrictEqual(d.failure, { decoder: UNKNOWN_DECODER, type: 'RangeError', message: 'Invalid time value' });
  assert.deepStrictEqual(seen.map((r) => r.decoder), [UNKNOWN_DECODER]);
  // A JSON envelope whose inner text decoder threw: the text decoder is the one with the bug.
  const inner = decoderFailure('syslog-rfc3164', new Error('x'));
  assert.equal(decoderFailure('journald-json', inner), inner);
  assert.ok(decoderFailure('journald-json', 'a string') instanceof DecoderFailure);
});

test('a listener that throws does not make decode throw; the real decoders report nothing on good lines', (t) => {
  const seen = listen(t);
  t.after(onDecoderFailure(() => { throw new Error('listener bug'); }));
  assert.equal(brokenSyslog(LINE, BERLIN_WITH_RECORD).envelope, 'raw');
  assert.equal(seen.length, 1);
  const ok = decode(LINE, BERLIN_WITH_RECORD);
  assert.equal(ok.envelope, 'syslog-rfc3164');
  assert.equal(ok.failure, undefined);
  assert.equal(seen.length, 1);
});

test('the unparsed document of a failed line carries the failure in error.* and a tag, and is schema-valid', () => {
  const doc = unparsedDoc(brokenSyslog(LINE, BERLIN_WITH_RECORD), 'default', RECORD_MS);
  assert.deepStrictEqual(doc.error, { type: 'TypeError', code: 'syslog-rfc3164', message: 'cannot read properties of undefined' });
  assert.deepStrictEqual(doc.tags, ['decoder_failure']);
  assert.deepStrictEqual(validateUnparsed(doc), { ok: true });
  const plain = unparsedDoc(decode('not a log line at all', BERLIN_WITH_RECORD), 'default', RECORD_MS);
  assert.equal(plain.error, undefined);
  assert.equal(plain.tags, undefined);
});

test('every failure is counted per decoder; the warning comes once per decoder per interval', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const lines: { msg: string; decoder: string; failures_not_logged: number; error: { message: string } }[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]); done(); } });
  let now = 1_000_000;
  t.after(watchDecoderFailures(metrics, pino({ level: 'warn' }, sink), { intervalMs: 60_000, now: () => now }));
  const brokenDmesg = createDecode(() => { throw decoderFailure('dmesg', new Error('bad uptime')); });
  for (let i = 0; i < 5; i++) brokenSyslog(LINE, BERLIN_WITH_RECORD);
  brokenDmesg('[ 1.0] x', BERLIN_WITH_RECORD);
  now += 59_999;
  brokenSyslog(LINE, BERLIN_WITH_RECORD);
  now += 1;
  brokenSyslog(LINE, BERLIN_WITH_RECORD);
  const text = await metrics.registry.metrics();
  assert.match(text, /^wg_siem_decoder_failures_total\{decoder="syslog-rfc3164"\} 7$/m);
  assert.match(text, /^wg_siem_decoder_failures_total\{decoder="dmesg"\} 1$/m);
  await new Promise((r) => setImmediate(r));
  assert.deepStrictEqual(lines.map((l) => [l.decoder, l.failures_not_logged, l.error.message]), [
    ['syslog-rfc3164', 0, 'cannot read properties of undefined'],
    ['dmesg', 0, 'bad uptime'],
    // Six more syslog failures in the interval: five went unlogged, the seventh (the interval over) is logged.
    ['syslog-rfc3164', 5, 'cannot read properties of undefined'],
  ]);
});
