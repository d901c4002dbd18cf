// decode must never throw, must always hand back the input as `original`, and must take bounded time on
// anything a log pipeline can be fed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decode } from '../../../../src/parse/decode/decode.ts';
import type { DecodeContext, Decoded, EnvelopeId } from '../../../../src/parse/decode/types.ts';
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
  // decode() keeps a line whose decoder threw, so only this says that one did.
  assert.equal(d.failure, undefined, `decoder ${d.failure?.decoder ?? ''} threw: ${d.failure?.message ?? ''}`);
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

// Each hostile shape is built at two sizes, n and 4n. A linear decoder takes about 4 times as long on the
// larger one, a quadratic one about 16 times: the ratio of the best of five timings at each size tells the
// code's complexity apart whatever the machine's speed or load (the best of five drops the runs another
// process slowed down). Absolute times are printed by `npm run bench:parse`, not asserted here.
test('adversarial lines decode in time linear in their length', () => {
  const KB = 1 << 10;
  const shapes: [string, (n: number) => string][] = [
    ['text', (n) => 'x'.repeat(n)],
    ['kern.log line', (n) => `May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: ${'y'.repeat(n)}`],
    ['[ repeated', (n) => '['.repeat(n)],
    ['[ after a dmesg stamp', (n) => `[ 1.0] ${'['.repeat(n)}`],
    ['{"a": nested', (n) => '{"a":'.repeat(n / 5)],
    ['closed JSON nested', (n) => `{"message":"m","x":${'['.repeat(n / 2)}${']'.repeat(n / 2)}}`],
    ['spaces then :', (n) => `${' '.repeat(n)}:`],
    ['month, then spaces then :', (n) => `May 22 14:22:07 ${' '.repeat(n)}:`],
    ['host made of colons', (n) => `May 22 14:22:07 ${':'.repeat(n)} kernel: x`],
    ['< repeated', (n) => '<'.repeat(n)],
    ['RFC 5424 with unclosed structured data', (n) => `<7>1 2025-05-22T14:22:07Z gw1 kernel - - ${'[a b="'.repeat(n / 6)}`],
    ['RFC 5424 with closed elements', (n) => `<7>1 2025-05-22T14:22:07Z gw1 kernel - - ${'[a b="]"]'.repeat(n / 9)} msg`],
    ['JSON message', (n) => `{"message":"${'m'.repeat(n)}"}`],
    ['JSON of backslashes', (n) => `{"message":"${'\\\\'.repeat(n / 2)}"}`],
    ['JSON with many keys', (n) => `{${Array.from({ length: n / 10 }, (_, i) => `"k${i}":${i}`).join(',')},"message":"x"}`],
    ['journald byte array', (n) => `{"MESSAGE":[${Array.from({ length: n / 4 }, () => '255').join(',')}]}`],
    ['escape sequences', (n) => '\u001b['.repeat(n / 2)],
    ['wireguard-go with a long interface', (n) => `DEBUG: (${'w'.repeat(n)}`],
    ['logcat with no colon', (n) => `05-22 14:22:07.123  1  2 I ${'t'.repeat(n)}`],
    ['digits', (n) => '1'.repeat(n)],
    ['non-ASCII', (n) => 'я'.repeat(n)],
    ['CR/LF', (n) => '\r\n'.repeat(n / 2)],
  ];
  for (let i = 0; i < 200; i++) decode('May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: warm-up', BERLIN_WITH_RECORD);
  const best = (line: string): number => {
    let min = Infinity;
    for (let run = 0; run < 5; run++) {
      const t = performance.now();
      const d = decode(line, BERLIN_WITH_RECORD);
      min = Math.min(min, performance.now() - t);
      assert.equal(d.original, line);
    }
    return min;
  };
  const superlinear: string[] = [];
  for (const [name, make] of shapes) {
    // 256 KB and up: below that, V8's JSON.parse takes deeply nested input on a faster path than above, which
    // would read as superlinear growth.
    const small = make(256 * KB);
    const large = make(1024 * KB);
    // 4× the input: linear is ~4, quadratic ~16. Below a millisecond the timer's grain dominates the ratio. A
    // burst of load can still land on one size: a shape is superlinear only if three tries in a row say so.
    const tries: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const a = best(small);
      const b = best(large);
      const ratio = b / Math.max(a, 1);
      if (ratio <= 10) break;
      tries.push(`${a.toFixed(2)} ms → ${b.toFixed(2)} ms (×${ratio.toFixed(1)})`);
    }
    if (tries.length === 3) superlinear.push(`${name}: ${tries.join(', ')}`);
  }
  assert.deepEqual(superlinear, []);
});
