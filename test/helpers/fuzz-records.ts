// Hostile Kafka records for the fuzz test and `npm run fuzz`: real WireGuard lines of every implementation (the
// catalog's examples) with attacker-shaped addresses (spoofed IPv4, IPv6 with odd scopes and zones, mapped
// addresses, impossible ports), inside every envelope a shipper produces, then damaged: control characters,
// invalid UTF-8, cut anywhere; plus JSON bombs (deep nesting, huge strings, many keys), prototype-pollution keys,
// 1 MB lines, empty records and garbage peer snapshots. Built from fast-check arbitraries, so the unit test shrinks
// a failure to its smallest form and the script draws the same kinds of records by the million from a seed.
import fc from 'fast-check';
import { SNAPSHOT_HEADER, SNAPSHOT_KIND } from '../../src/source/collect/snapshot-record.ts';
import { CATALOG } from '../../src/parse/catalog/catalog.ts';

export interface FuzzRecord {
  /** What kind of hostile input this is, for reports ("slowest record: json-bomb"). */
  readonly kind: string;
  readonly value: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

const EXAMPLES: readonly string[] = CATALOG.flatMap((m) => m.examples);
/** Addresses as WireGuard prints them, the way an attacker can make them appear (spoofed source of a packet). */
const ENDPOINT = /\[[^\]]*\](?::\d+)?(?:\/\d+%\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}:\d+\b/;

const octet = fc.integer({ min: 0, max: 255 });
const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const port = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(65536, 99999, -1, 0));
const zone = fc.oneof(fc.constantFrom('eth0', '0', '4294967295', '25', '%', 'wg0\u0000', 'x'.repeat(300), '../../etc'), fc.string({ maxLength: 20 }));
export const hostileEndpoint: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(octet, octet, octet, octet, port).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}:${p}`),
  fc.tuple(fc.array(hex, { minLength: 1, maxLength: 8 }), port).map(([h, p]) => `[${h.join(':')}${h.length < 8 ? '::1' : ''}]:${p}`),
  fc.tuple(hex, zone, port).map(([h, z, p]) => `[fe80::${h}%${z}]:${p}`),
  fc.tuple(hex, port, fc.integer({ min: 0, max: 2 ** 32 })).map(([h, p, s]) => `[2001:db8::${h}]:${p}/0%${s}`),
  fc.tuple(octet, octet, port).map(([a, b, p]) => `[::ffff:${a}.${b}.0.1]:${p}`),
  fc.constantFrom('[::]:0', '[]:51820', '[:::]:1', '999.999.999.999:51820', '1.2.3:4', '[1:2:3:4:5:6:7:8:9]:1', '0.0.0.0:0'),
);

/** A real line with its address replaced by a hostile one (lines without an address stay as they are). */
const spoofedLine = fc.tuple(fc.constantFrom(...EXAMPLES), hostileEndpoint).map(([l, ep]) => l.replace(ENDPOINT, ep));

const ISO = '2026-11-25T03:04:05.123456+00:00';
const envelope = (line: string, how: number, host: string): string => {
  switch (how) {
    case 0: return line;
    case 1: return `Nov 25 03:04:05 ${host} kernel: ${line}`;
    case 2: return `<6>1 ${ISO} ${host} wireguard-go 812 - - ${line}`;
    case 3: return JSON.stringify({ MESSAGE: line, _HOSTNAME: host, __REALTIME_TIMESTAMP: '1764039845123456', SYSLOG_IDENTIFIER: 'kernel' });
    case 4: return JSON.stringify({ MESSAGE: [...Buffer.from(line)], _HOSTNAME: host });
    case 5: return JSON.stringify({ '@timestamp': ISO, message: line, host: { name: host }, log: { file: { path: '/var/log/wg.log' } }, agent: { type: 'filebeat' } });
    default: return JSON.stringify({ timestamp: ISO, message: line, host, source_type: 'file' });
  }
};
const host = fc.oneof(fc.constantFrom('gw1', 'vpn-01.example.org'), fc.string({ maxLength: 40 }));
const enveloped = fc.tuple(spoofedLine, fc.integer({ min: 0, max: 6 }), host).map(([l, how, h]) => envelope(l, how, h));

/** Damage to the bytes: control characters and invalid UTF-8 put anywhere, or the record cut short. */
const damage = fc.oneof(
  fc.constant((b: Uint8Array): Uint8Array => b),
  fc.tuple(fc.nat(), fc.constantFrom([0x00], [0x1b, 0x5b, 0x32, 0x4a], [0x07], [0x0d], [0xc3, 0x28], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x80, 0xae]))
    .map(([at, bytes]) => (b: Uint8Array): Uint8Array => { const i = b.length === 0 ? 0 : at % b.length; return Buffer.concat([b.subarray(0, i), Buffer.from(bytes), b.subarray(i)]); }),
  fc.nat().map((at) => (b: Uint8Array): Uint8Array => b.subarray(0, b.length === 0 ? 0 : at % b.length)),
);

const nested = (depth: number, open: string, close: string, inner: string): string => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const jsonBomb = fc.oneof(
  fc.integer({ min: 1000, max: 100_000 }).map((d) => nested(d, '[', ']', '"wireguard: wg0: Invalid handshake initiation from 203.0.113.7:51820"')),
  fc.integer({ min: 1000, max: 50_000 }).map((d) => nested(d, '{"MESSAGE":', '}', '"x"')),
  fc.integer({ min: 100, max: 20_000 }).map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])))),
  fc.integer({ min: 10_000, max: 500_000 }).map((n) => JSON.stringify({ MESSAGE: 'x'.repeat(n), _HOSTNAME: 'gw1' })),
  fc.integer({ min: 1, max: 5000 }).map((n) => `{"MESSAGE":"${'\\u0000'.repeat(n)}"}`),
  fc.constantFrom('{"MESSAGE":', '{"MESSAGE":"wireguard: wg0: \\ud800"}', '[1e999999999]', '{"a":1,"a":2,"MESSAGE":3}', 'null', '"wireguard: x"', '{}'),
);
const pollution = fc.tuple(spoofedLine, fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString')).map(([l, k]) =>
  `{"${k}":{"polluted":"yes","MESSAGE":"p"},"constructor":{"prototype":{"polluted":"yes"}},"MESSAGE":${JSON.stringify(l)},"message":{"__proto__":{"polluted":"yes"}}}`);
const hugeLine = fc.tuple(fc.integer({ min: 100_000, max: 1_000_000 }), fc.constantFrom('a', '1.', '[', 'wg0: ', 'peer(')).map(([n, s]) =>
  `wireguard: wg0: Invalid handshake initiation from ${s.repeat(Math.floor(n / s.length))}`);

const bytes = (kind: string, text: fc.Arbitrary<string>, headers: Record<string, string> = {}): fc.Arbitrary<FuzzRecord> =>
  fc.tuple(text, damage).map(([t, d]) => ({ kind, value: d(Buffer.from(t)), headers }));

/**
 * Any hostile record. `cheapScale` multiplies the weight of the cheap kinds against the heavy ones (JSON bombs and
 * lines up to 1 MB): 1 in a unit test, where every kind should come up often; 100 for a million-record run, where
 * heavy records at 1 % would mean gigabytes.
 */
export function fuzzRecordArb(cheapScale = 1): fc.Arbitrary<FuzzRecord> {
  const k = cheapScale;
  return fc.oneof(
    { weight: 60 * k, arbitrary: bytes('spoofed-line', enveloped) },
    { weight: 10 * k, arbitrary: bytes('multi-line', fc.array(enveloped, { minLength: 2, maxLength: 20 }).map((ls) => ls.join('\n'))) },
    { weight: 8 * k, arbitrary: bytes('random-text', fc.string({ maxLength: 400, unit: 'binary' })) },
    { weight: 6 * k, arbitrary: fc.uint8Array({ maxLength: 400 }).map((v) => ({ kind: 'random-bytes', value: v, headers: {} })) },
    { weight: 6 * k, arbitrary: bytes('prototype-keys', pollution) },
    { weight: 5 * k, arbitrary: bytes('peer-snapshot', fc.oneof(fc.json(), enveloped, fc.constant('{"version":1,"host":"gw1","peers":[{"__proto__":{"x":1}}]}')), { [SNAPSHOT_HEADER]: SNAPSHOT_KIND }) },
    { weight: 1 * k, arbitrary: fc.constant({ kind: 'empty', value: new Uint8Array(0), headers: {} }) },
    { weight: 2, arbitrary: bytes('json-bomb', jsonBomb) },
    { weight: 1, arbitrary: bytes('huge-line', hugeLine) },
  );
}
