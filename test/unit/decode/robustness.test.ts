// decode must never throw, must always hand back the input as `original`, and must take bounded time on
// anything a log pipeline can be fed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decode } from '../../../src/decode/decode.ts';
import type { DecodeContext, Decoded, EnvelopeId } from '../../../src/decode/types.ts';
import { BERLIN, BERLIN_WITH_RECORD } from './support.ts';

const ENVELOPES = new Set<EnvelopeId>([
  'dmesg', 'dmesg-human', 'syslog-rfc3164', 'syslog-rfc5424', 'journald-json', 'filebeat-json', 'vector-json', 'logread',
  'wireguard-go', 'logcat', 'windows-ringlog', 'boringtun', 'raw',
  'rust-log', 'macos-log', 'esphome',
  'apple-ringlog', 'mullvad-ios', 'amneziavpn-ne', 'tunsafe', 'dated-text',
]);

function wellFormed(d: Decoded, original: string): void {
  assert.equal(d.original, original);
  assert.ok(ENVELOPES.has(d.envelope), d.envelope);
  assert.equal(typeof d.message, 'string');
  assert.ok(d.message.length <= original.length || d.envelope.endsWith('-json'), 'a text message is part of its line');
  if (d.timestampSource === 'none') assert.equal(d.timestampMs, undefined);
  else assert.ok(Number.isFinite(d.timestampMs), `timestamp ${String(d.timestampMs)}`);
  if (d.uptimeSeconds !== undefined) assert.ok(Number.isFinite(d.uptimeSeconds) && d.uptimeSeconds >= 0);
  if (d.pid !== undefined) assert.ok(Number.isInteger(d.pid) && d.pid >= 0);
  for (const v of Object.values(d)) assert.notEqual(v, undefined, 'absent fields are left out, not set to undefined');
}

const contexts: fc.Arbitrary<DecodeContext> = fc.record({
  timezone: fc.constantFrom('Europe/Berlin', 'UTC', 'America/St_Johns', 'Asia/Kolkata', '+05:45', 'Not/AZone', ''),
  nowMs: fc.oneof(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), fc.constant(Number.NaN), fc.constant(Number.MAX_VALUE)),
  recordTimestampMs: fc.option(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), { nil: undefined }),
}, { requiredKeys: ['timezone', 'nowMs'] });

/** Beginnings of every envelope, so random tails reach the extractors and not just the dispatch. */
const PREFIXES = [
  '[ 8312.401877] ', '[  +0.000031] ', '[Thu May 22 14:22:07 2025] ', '[Do Mai 22 14:22:07 2025] ', '[May22 14:22] ', '<7>[ 1.5] ',
  '7,1,8313020925,-;', 'kern  :debug : ', 'May 22 14:22:07 gw1 kernel: ', 'May 22 14:22:07 gw1 kernel: [ 8312.401877] ',
  'Dec 31 23:59:59 gw1 wg-quick[1234]: DEBUG: (wg0) 2025/05/22 14:22:07 ', '<30>May 22 14:22:07 ', '2025-05-22T14:22:07.123+02:00 gw1 ',
  '<7>1 2025-05-22T14:22:07.123456+02:00 gw1 kernel - - ', '<7>1 - - - - - [x a="', 'Thu May 22 14:22:07 2025 kern.debug kernel: ',
  'DEBUG: (wg0) 2025/05/22 14:22:07 ', 'ERROR: (', '05-22 14:22:07.123  4321  4398 D ', '2025-05-22 14:22:07.123  1  2 I ',
  'D/WireGuard/GoBackend/wg0(', 'I WireGuard/GoBackend/', '2025-05-22 14:22:07.123456: [TUN] [', '2025-05-22T14:22:07.123456Z  WARN ',
  '2025-05-22 14:22:07.123456: [NET] ', '[APP] ', '[2025-05-22 14:22:07.123][WireGuard][debug] pid=', '2025-05-22 14:22:07 debug NE: WG: ',
  '2024-04-04T04:44:39.000000611Z 25007 31012 DEBUG WireGuard/GoBackend/x message= ', '  1749713482.921 12448 12990 D AmneziaWG/',
  '18:06:43.389 [TUN] [', 'xxx: [TUN] ', '[TUN] [a] ', '[08:06:59] ', '2025-05-22 14:22:07.123 ',
  '2025-05-22T14:22:07,401877+02:00 ', '  2025-05-22T14:22:07.1Z  INFO a{b="', ' 73.680s DEBUG ', 'snownet::node: ', '10:33:01.242070-0700\tx: ',
  'connlib\t00:12:53.359013-0700\tp\ts\t"', '[2026-04-09 12:48:37.953] ERROR ', '[2025-10-28T13:29:12Z ERROR x] ', ' DEBUG onetun::wg   > ',
  '[2022-08-16T07:29:55.249-07:00] INFO "udp": boringtun: "', '[09.08.2025, 13:11:09][INFO][Service] ', '[*] ', '[22:34:07][D][esp-idf:000]: E (1) w: ', '\u001b[2m', '\uFEFF', '{"message":"', '{"MESSAGE":[', '{"source_type":"journald","message":"',
  '{"@timestamp":"2025-05-22T12:22:07Z","message":"May 22 14:22:07 gw1 kernel: ', '{"log":{"file.path":',
];

test('decode never throws and returns the input as original, for arbitrary strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), contexts, (s, ctx) => {
    wellFormed(decode(s, ctx), s);
  }), { numRuns: 3000 });
  fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), (s) => {
    wellFormed(decode(s, BERLIN), s);
  }), { numRuns: 2000 });
});

test('decode never throws for envelope prefixes followed by arbitrary text', () => {
  fc.assert(fc.property(fc.constantFrom(...PREFIXES), fc.string({ unit: 'binary-ascii', maxLength: 200 }), contexts, (p, tail, ctx) => {
    const s = p + tail;
    wellFormed(decode(s, ctx), s);
  }), { numRuns: 5000 });
});

test('decode never throws for arbitrary bytes; original is their (lossy) UTF-8 text', () => {
  const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), contexts, (bytes, ctx) => {
    wellFormed(decode(bytes, ctx), utf8.decode(bytes));
  }), { numRuns: 3000 });
  const line = new Uint8Array([...Buffer.from('May 22 14:22:07 gw1 kernel: wireguard: wg0: bad '), 0xff, 0xfe, 0x0a]);
  const d = decode(line, BERLIN);
  assert.equal(d.envelope, 'syslog-rfc3164');
  assert.equal(d.message, 'wireguard: wg0: bad \uFFFD\uFFFD');
  assert.equal(d.original, 'May 22 14:22:07 gw1 kernel: wireguard: wg0: bad \uFFFD\uFFFD\n');
});

test('decode never throws for arbitrary JSON values, and never pollutes Object.prototype', () => {
  const keys = fc.constantFrom('message', 'MESSAGE', '__proto__', 'constructor', 'prototype', '@timestamp', 'host', 'name', 'log', 'file',
    'path', 'agent', 'source_type', 'timestamp', '__REALTIME_TIMESTAMP', 'PRIORITY', '_PID', 'host.name', 'log.file.path', 'event');
  const value = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), fc.dictionary(keys, tie('v'), { maxKeys: 5 }),
      fc.array(fc.integer({ min: -5, max: 300 }), { maxLength: 20 })),
  })).v;
  fc.assert(fc.property(fc.oneof(value, fc.dictionary(keys, value, { maxKeys: 8 })), contexts, (v, ctx) => {
    const s = JSON.stringify(v) ?? 'undefined';
    wellFormed(decode(s, ctx), s);
  }), { numRuns: 3000 });
  fc.assert(fc.property(fc.json(), (s) => {
    wellFormed(decode(s, BERLIN), s);
  }), { numRuns: 2000 });
  const probe: Record<string, unknown> = {};
  assert.equal(probe.polluted, undefined);
  assert.equal(Object.getPrototypeOf(probe), Object.prototype);
  assert.deepEqual(Object.keys(Object.prototype), []);
});

test('decode survives a context it was never meant to get', () => {
  const bad = [{ timezone: 'Europe/Berlin', nowMs: Number.NaN }, { timezone: 42, nowMs: 0 }, {}, null] as unknown as DecodeContext[];
  for (const ctx of bad) {
    const d = decode('May 22 14:22:07 gw1 kernel: wireguard: wg0: x', ctx);
    assert.equal(d.original, 'May 22 14:22:07 gw1 kernel: wireguard: wg0: x');
  }
  const notBytes = decode({ length: 3 } as unknown as Uint8Array, BERLIN);
  assert.equal(typeof notBytes.original, 'string');
});

test('adversarial lines decode within 50 ms each', () => {
  const MB = 1 << 20;
  const cases: [string, string][] = [
    ['1 MB of text', 'x'.repeat(MB)],
    ['1 MB kern.log line', `May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: ${'y'.repeat(MB)}`],
    ['100k [', '['.repeat(100_000)],
    ['100k [ after a dmesg stamp', `[ 1.0] ${'['.repeat(100_000)}`],
    ['{"a": nested 100k deep', '{"a":'.repeat(100_000)],
    ['closed JSON nested 100k deep', `{"message":"m","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['200k spaces then :', `${' '.repeat(200_000)}:`],
    ['month, then 200k spaces then :', `May 22 14:22:07 ${' '.repeat(200_000)}:`],
    ['host made of 1 MB of colons', `May 22 14:22:07 ${':'.repeat(MB)} kernel: x`],
    ['100k <', '<'.repeat(100_000)],
    ['RFC 5424 with 100k unclosed structured data', `<7>1 2025-05-22T14:22:07Z gw1 kernel - - ${'[a b="'.repeat(100_000)}`],
    ['RFC 5424 with 100k closed elements', `<7>1 2025-05-22T14:22:07Z gw1 kernel - - ${'[a b="]"]'.repeat(100_000)} msg`],
    ['1 MB JSON message', `{"message":"${'m'.repeat(MB)}"}`],
    ['1 MB JSON of backslashes', `{"message":"${'\\\\'.repeat(MB / 2)}"}`],
    ['JSON with 100k keys', `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',')},"message":"x"}`],
    ['journald byte array of 1M values', `{"MESSAGE":[${Array.from({ length: 250_000 }, () => '255').join(',')}]}`],
    ['100k escape sequences', '\u001b['.repeat(100_000)],
    ['wireguard-go with 1 MB interface', `DEBUG: (${'w'.repeat(MB)}`],
    ['logcat with no colon', `05-22 14:22:07.123  1  2 I ${'t'.repeat(MB)}`],
    ['1 MB of digits', '1'.repeat(MB)],
    ['1 MB of non-ASCII', 'я'.repeat(MB)],
    ['1 MB of CR/LF', '\r\n'.repeat(MB / 2)],
  ];
  for (let i = 0; i < 200; i++) decode('May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: warm-up', BERLIN_WITH_RECORD);
  const slow: string[] = [];
  for (const [name, line] of cases) {
    let worst = 0;
    for (let run = 0; run < 2; run++) {
      const t = performance.now();
      const d = decode(line, BERLIN_WITH_RECORD);
      worst = Math.max(worst, performance.now() - t);
      assert.equal(d.original, line);
    }
    if (worst >= 50) slow.push(`${name}: ${worst.toFixed(1)} ms`);
  }
  assert.deepEqual(slow, []);
});
