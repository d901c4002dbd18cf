import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { get, jsonPath, scanJson } from '../../../../src/parse/decode/json-scan.ts';
import { BERLIN, BERLIN_WITH_RECORD, RECORD_MS, UTC, expectDecoded, utc } from './support.ts';

const j = (o: unknown): string => JSON.stringify(o);

function journalKernel(message: unknown, realtimeUs: string, monoUs: string, priority = '7'): Record<string, unknown> {
  return {
    __CURSOR: 's=6a2b4c1d;i=1f3a2;b=8c1d9e6a;m=1ef5a3c8a1;t=635b7a9c0e4c1;x=91ab', __REALTIME_TIMESTAMP: realtimeUs,
    __MONOTONIC_TIMESTAMP: monoUs, _BOOT_ID: '8c1d9e6a2b3f4c5d6e7f8091a2b3c4d5', _HOSTNAME: 'gw1', _TRANSPORT: 'kernel',
    SYSLOG_FACILITY: '0', SYSLOG_IDENTIFIER: 'kernel', PRIORITY: priority, _SOURCE_MONOTONIC_TIMESTAMP: monoUs, MESSAGE: message,
  };
}

test('journald: kernel entries with the kernel\'s own uptime', () => {
  expectDecoded(j(journalKernel('wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)', '1747916527401877', '8312401877')), BERLIN, {
    envelope: 'journald-json', message: 'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    timestampMs: 1747916527401877 / 1000, timestampSource: 'line', host: 'gw1', syslog: { facility: 0, severity: 7 }, level: 'debug',
    program: 'kernel', logger: 'kernel', implHint: 'linux-kernel', uptimeSeconds: 8312.401877,
  });
  expectDecoded(j(journalKernel('wireguard: wg1: Could not create IPv6 socket', '1747909028240388', '812240388', '3')), BERLIN, {
    envelope: 'journald-json', message: 'wireguard: wg1: Could not create IPv6 socket', timestampMs: 1747909028240388 / 1000,
    timestampSource: 'line', host: 'gw1', syslog: { facility: 0, severity: 3 }, level: 'error', program: 'kernel', logger: 'kernel',
    implHint: 'linux-kernel', uptimeSeconds: 812.240388,
  });
});

test('journald: MESSAGE as bytes (invalid UTF-8 becomes U+FFFD), repeated fields, bad byte arrays', () => {
  const bytes = [...Buffer.from('wireguard: wg0: Invalid IP packet ')].concat([0xe2, 0x80]);
  expectDecoded(j(journalKernel(bytes, '1747916528001133', '8313001133')), BERLIN, {
    envelope: 'journald-json', message: 'wireguard: wg0: Invalid IP packet \uFFFD', timestampMs: 1747916528001133 / 1000,
    timestampSource: 'line', host: 'gw1', syslog: { facility: 0, severity: 7 }, level: 'debug', program: 'kernel', logger: 'kernel',
    implHint: 'linux-kernel', uptimeSeconds: 8313.001133,
  });
  const utf8 = [...Buffer.from('wireguard: wg0: peer ключ ok\n')];
  expectDecoded(j({ __REALTIME_TIMESTAMP: '1747916527000000', MESSAGE: utf8 }), BERLIN, {
    envelope: 'journald-json', message: 'wireguard: wg0: peer ключ ok', timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line',
  });
  expectDecoded(j({ __REALTIME_TIMESTAMP: '1747916527000001', _HOSTNAME: 'gw1', PRIORITY: '5', SYSLOG_IDENTIFIER: 'systemd-networkd', _PID: '511', MESSAGE: ['wg0: Link UP', 'wg0: Link UP again'] }), BERLIN, {
    envelope: 'journald-json', message: 'wg0: Link UP', timestampMs: 1747916527000001 / 1000, timestampSource: 'line', host: 'gw1',
    syslog: { severity: 5 }, level: 'notice', program: 'systemd-networkd', logger: 'systemd-networkd', pid: 511,
  });
  expectDecoded(j({ __REALTIME_TIMESTAMP: '1747916527000000', MESSAGE: [119, 300, 'x'] }), BERLIN, {
    envelope: 'journald-json', message: '', timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line',
  });
});

test('journald: the sender\'s timestamp first, _COMM and SYSLOG_PID as fallbacks, wrong types ignored', () => {
  expectDecoded(j({ __REALTIME_TIMESTAMP: '1747916527123456', _SOURCE_REALTIME_TIMESTAMP: '1747916527123400', _HOSTNAME: 'edge2', PRIORITY: '3', SYSLOG_FACILITY: '3', SYSLOG_PID: '812', _COMM: 'boringtun-cli', MESSAGE: 'Decapsulate error InvalidAeadTag' }), BERLIN, {
    envelope: 'journald-json', message: 'Decapsulate error InvalidAeadTag', timestampMs: 1747916527123400 / 1000, timestampSource: 'line',
    host: 'edge2', syslog: { facility: 3, severity: 3 }, level: 'error', program: 'boringtun-cli', pid: 812,
  });
  expectDecoded(j({ __REALTIME_TIMESTAMP: 'soon', _HOSTNAME: 42, PRIORITY: '9', SYSLOG_FACILITY: '-1', _PID: '12a', SYSLOG_IDENTIFIER: ['x'], MESSAGE: 'wireguard: wg0: Interface up' }), BERLIN_WITH_RECORD, {
    envelope: 'journald-json', message: 'wireguard: wg0: Interface up', timestampMs: RECORD_MS, timestampSource: 'record',
  });
});

test('journald: wg-quick running wireguard-go — journal host/program/pid and time, wireguard-go interface and level', () => {
  const rec = {
    __REALTIME_TIMESTAMP: '1747916527881922', _TRANSPORT: 'stdout', PRIORITY: '6', SYSLOG_FACILITY: '3', SYSLOG_IDENTIFIER: 'wg-quick',
    _PID: '1234', _COMM: 'wireguard-go', _SYSTEMD_UNIT: 'wg-quick@wg0.service', _HOSTNAME: 'gw1',
    MESSAGE: 'DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB…p8Dg) - Received handshake initiation',
  };
  expectDecoded(j(rec), BERLIN, {
    envelope: 'wireguard-go', message: 'peer(xTIB…p8Dg) - Received handshake initiation', timestampMs: 1747916527881922 / 1000,
    timestampSource: 'line', host: 'gw1', syslog: { facility: 3, severity: 6 }, level: 'debug', program: 'wg-quick', logger: 'wg-quick',
    pid: 1234, iface: 'wg0', implHint: 'wireguard-go',
  });
});

const host = { name: 'gw1', hostname: 'gw1', architecture: 'x86_64', os: { platform: 'debian', kernel: '6.1.0-21-amd64' }, ip: ['192.0.2.10', 'fe80::5054:ff:fe12:3456'] };
const agent = { ephemeral_id: '0b7c2a7e', id: 'd1e2f3a4-b5c6-47d8-9e0f-a1b2c3d4e5f6', name: 'gw1', type: 'filebeat', version: '8.14.3' };
const AGENT = { type: 'filebeat', name: 'gw1', id: 'd1e2f3a4-b5c6-47d8-9e0f-a1b2c3d4e5f6', version: '8.14.3' };

test('filebeat: nested ECS keys, kern.log line inside decoded for time/host/program/uptime', () => {
  const rec = {
    '@timestamp': '2025-05-22T12:22:08.412Z', '@metadata': { beat: 'filebeat', type: '_doc', version: '8.14.3' },
    log: { offset: 1284312, file: { path: '/var/log/kern.log', inode: '1048593' } },
    message: 'May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: Invalid MAC of handshake, dropping packet from [2001:db8:77::1]:41641/0%0',
    input: { type: 'filestream' }, ecs: { version: '8.0.0' }, host, agent,
  };
  expectDecoded(j(rec), UTC, {
    envelope: 'filebeat-json', message: 'wireguard: wg0: Invalid MAC of handshake, dropping packet from [2001:db8:77::1]:41641/0%0',
    // The line is zone-less and read in the context's zone (UTC here); its year comes from the record time.
    timestampMs: utc(2025, 5, 22, 14, 22, 7), timestampSource: 'line', host: 'gw1', program: 'kernel', uptimeSeconds: 8312.401877,
    // host.ip without its link-local address, which pairs no two hosts.
    hostIps: ['192.0.2.10'], filePath: '/var/log/kern.log', agent: AGENT, implHint: 'linux-kernel',
  });
});

test('filebeat: dotted keys, and mixed nesting', () => {
  const dotted = {
    '@timestamp': '2025-05-22T12:22:08.500Z', message: 'May 22 14:22:08 gw1 kernel: wireguard: wg0: Keypair 42 created for peer 3',
    'log.file.path': '/var/log/kern.log', 'log.offset': 1284551, 'host.name': 'gw1', 'agent.type': 'filebeat', 'agent.version': '8.14.3',
    'agent.name': 'gw1', 'agent.id': 'd1e2f3a4-b5c6-47d8-9e0f-a1b2c3d4e5f6', 'ecs.version': '8.0.0',
  };
  expectDecoded(j(dotted), BERLIN, {
    envelope: 'filebeat-json', message: 'wireguard: wg0: Keypair 42 created for peer 3', timestampMs: utc(2025, 5, 22, 12, 22, 8),
    timestampSource: 'line', host: 'gw1', program: 'kernel', filePath: '/var/log/kern.log', agent: AGENT, implHint: 'linux-kernel',
  });
  const mixed = { '@timestamp': '2025-05-22T12:22:07.200Z', message: 'plain text from a file', log: { 'file.path': '/data/logs/x.txt' }, 'agent.type': 'filebeat', host: { name: 'pixel-7' } };
  expectDecoded(j(mixed), BERLIN, {
    envelope: 'filebeat-json', message: 'plain text from a file', timestampMs: utc(2025, 5, 22, 12, 22, 7, 200_000), timestampSource: 'line',
    host: 'pixel-7', filePath: '/data/logs/x.txt', agent: { type: 'filebeat' },
  });
});

test('filebeat: syslog-in-filebeat wrapping wireguard-go, and event.timezone for zone-less lines', () => {
  const rec = {
    '@timestamp': '2025-05-22T12:22:08.002Z', log: { file: { path: '/var/log/syslog' } }, host, agent,
    message: 'May 22 14:22:07 gw1 wg-quick[1234]: DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB…p8Dg) - Received handshake response',
  };
  expectDecoded(j(rec), BERLIN, {
    envelope: 'filebeat-json', message: 'peer(xTIB…p8Dg) - Received handshake response', timestampMs: utc(2025, 5, 22, 12, 22, 7),
    timestampSource: 'line', host: 'gw1', program: 'wg-quick', pid: 1234, level: 'debug', iface: 'wg0', implHint: 'wireguard-go',
    hostIps: ['192.0.2.10'], filePath: '/var/log/syslog', agent: AGENT,
  });
  const tokyo = {
    '@timestamp': '2025-05-22T05:22:08Z', event: { timezone: 'Asia/Tokyo' }, log: { file: { path: '/var/log/wg.log' } }, host: { name: 'tk1' },
    message: 'ERROR: (wg0) 2025/05/22 14:22:07 Failed to write packets to TUN device: write /dev/net/tun: invalid argument',
  };
  expectDecoded(j(tokyo), BERLIN, {
    envelope: 'filebeat-json', message: 'Failed to write packets to TUN device: write /dev/net/tun: invalid argument',
    timestampMs: utc(2025, 5, 22, 5, 22, 7), timestampSource: 'line', host: 'tk1', level: 'error', iface: 'wg0', implHint: 'wireguard-go',
    filePath: '/var/log/wg.log',
  });
  // An unknown zone name in the record falls back to the configured one.
  expectDecoded(j({ ...tokyo, event: { timezone: 'Nowhere/Special' } }), BERLIN, {
    envelope: 'filebeat-json', message: 'Failed to write packets to TUN device: write /dev/net/tun: invalid argument',
    timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line', host: 'tk1', level: 'error', iface: 'wg0', implHint: 'wireguard-go',
    filePath: '/var/log/wg.log',
  });
});

test('filebeat: journald input events, ring log and logcat files, plain messages take the record fields', () => {
  const journald = {
    '@timestamp': '2025-05-22T12:22:07.401Z', message: 'wireguard: wg0: Receiving handshake response from peer 3 (198.51.100.23:51820)',
    input: { type: 'journald' }, host: { hostname: 'gw1' }, log: { syslog: { facility: { code: 0 }, priority: 7, appname: 'kernel' } },
    agent: { type: 'filebeat', version: '8.14.3' },
  };
  expectDecoded(j(journald), BERLIN, {
    envelope: 'filebeat-json', message: 'wireguard: wg0: Receiving handshake response from peer 3 (198.51.100.23:51820)',
    timestampMs: utc(2025, 5, 22, 12, 22, 7, 401_000), timestampSource: 'line', host: 'gw1', program: 'kernel',
    syslog: { facility: 0, severity: 7 }, level: 'debug', agent: { type: 'filebeat', version: '8.14.3' }, implHint: 'linux-kernel',
  });
  const ring = {
    '@timestamp': '2025-05-22T12:22:07.500Z', event: { timezone: 'Europe/Berlin' },
    message: '2025-05-22 14:22:07.123456: [TUN] [office] Handshake for peer 1 (198.51.100.23:51820) did not complete after 5 seconds, retrying (try 2)',
    log: { file: { path: 'C:\\ProgramData\\WireGuard\\log.txt' } }, host: { name: 'WINLAPTOP' }, agent: { type: 'filebeat', name: 'WINLAPTOP' },
  };
  expectDecoded(j(ring), UTC, {
    envelope: 'filebeat-json', message: 'Handshake for peer 1 (198.51.100.23:51820) did not complete after 5 seconds, retrying (try 2)',
    timestampMs: utc(2025, 5, 22, 12, 22, 7, 123_456), timestampSource: 'line', implHint: 'windows', logger: 'TUN', iface: 'office',
    host: 'WINLAPTOP', filePath: 'C:\\ProgramData\\WireGuard\\log.txt', agent: { type: 'filebeat', name: 'WINLAPTOP' },
  });
  const plain = { '@timestamp': '2025-05-22T12:22:09Z', message: 'Decapsulate error InvalidAeadTag', log: { file: { path: '/var/log/boringtun.err' }, level: 'ERROR', logger: 'stderr' }, host: 'edge2', process: { name: 'boringtun-cli', pid: 812 } };
  expectDecoded(j(plain), BERLIN, {
    envelope: 'filebeat-json', message: 'Decapsulate error InvalidAeadTag', timestampMs: utc(2025, 5, 22, 12, 22, 9), timestampSource: 'line',
    host: 'edge2', program: 'boringtun-cli', pid: 812, level: 'error', logger: 'stderr', filePath: '/var/log/boringtun.err',
  });
  // A record with only a message: ECS-shaped, decoded like a Filebeat event; no time at all falls back to the record.
  expectDecoded(j({ message: 'DEBUG: (wg0) 2025/05/22 14:22:07 Device started' }), BERLIN_WITH_RECORD, {
    envelope: 'filebeat-json', message: 'Device started', timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line', level: 'debug',
    iface: 'wg0', implHint: 'wireguard-go',
  });
  expectDecoded(j({ '@timestamp': 12345, message: 'just text', agent: { type: 'filebeat' } }), BERLIN_WITH_RECORD, {
    envelope: 'filebeat-json', message: 'just text', timestampMs: RECORD_MS, timestampSource: 'record', agent: { type: 'filebeat' },
  });
});

test('filebeat: keys that name Object.prototype members are data, never prototypes; wrong types are ignored', () => {
  const line = '{"__proto__":{"polluted":"yes","message":"evil"},"constructor":{"prototype":{"polluted":"yes"}},"@timestamp":"2025-05-22T12:22:07Z","message":"safe","host":{"name":["gw1"],"__proto__":{"name":"evil"}},"log":{"file":{"path":7}},"agent":{"type":"filebeat","version":8}}';
  expectDecoded(line, BERLIN, {
    envelope: 'filebeat-json', message: 'safe', timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line', agent: { type: 'filebeat' },
  });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  expectDecoded('{"constructor":"x","toString":"y","hasOwnProperty":"z","message":"m"}', BERLIN, { envelope: 'filebeat-json', message: 'm', timestampSource: 'none' });
});

test('vector: file, journald and syslog sources', () => {
  expectDecoded(j({ file: '/var/log/kern.log', host: 'collector-1', message: 'May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)', source_type: 'file', timestamp: '2025-05-22T12:22:08.123456789Z' }), BERLIN, {
    envelope: 'vector-json', message: 'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)', timestampMs: utc(2025, 5, 22, 12, 22, 7),
    timestampSource: 'line', host: 'gw1', program: 'kernel', uptimeSeconds: 8312.401877, filePath: '/var/log/kern.log', implHint: 'linux-kernel',
  });
  expectDecoded(j({ host: 'gw1', message: 'wireguard: wg0: No route to 198.51.100.23:51820, error -101', source_type: 'journald', timestamp: '2025-05-22T12:22:07.401877Z', _HOSTNAME: 'gw1', _TRANSPORT: 'kernel', PRIORITY: '7', SYSLOG_FACILITY: '0', SYSLOG_IDENTIFIER: 'kernel', _SOURCE_MONOTONIC_TIMESTAMP: '8312401877' }), BERLIN, {
    envelope: 'vector-json', message: 'wireguard: wg0: No route to 198.51.100.23:51820, error -101', timestampMs: utc(2025, 5, 22, 12, 22, 7, 401_877),
    timestampSource: 'line', host: 'gw1', syslog: { facility: 0, severity: 7 }, level: 'debug', program: 'kernel', logger: 'kernel',
    implHint: 'linux-kernel', uptimeSeconds: 8312.401877,
  });
  expectDecoded(j({ host: 'gw1', message: 'DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB…p8Dg) - Sending handshake response', source_type: 'journald', timestamp: '2025-05-22T12:22:07.661022Z', _HOSTNAME: 'gw1', _TRANSPORT: 'stdout', PRIORITY: '6', SYSLOG_FACILITY: '3', SYSLOG_IDENTIFIER: 'wg-quick', _PID: '1234' }), BERLIN, {
    envelope: 'vector-json', message: 'peer(xTIB…p8Dg) - Sending handshake response', timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line',
    host: 'gw1', syslog: { facility: 3, severity: 6 }, level: 'debug', program: 'wg-quick', logger: 'wg-quick', pid: 1234, iface: 'wg0',
    implHint: 'wireguard-go',
  });
  expectDecoded(j({ appname: 'wg-quick', facility: 'daemon', host: '192.0.2.10:514', hostname: 'gw1', message: '[#] ip -6 route add ::/0 dev wg0 table 51820', procid: 1234, severity: 'notice', source_type: 'syslog', timestamp: '2025-05-22T12:22:06.5Z' }), BERLIN, {
    envelope: 'vector-json', message: '[#] ip -6 route add ::/0 dev wg0 table 51820', timestampMs: utc(2025, 5, 22, 12, 22, 6, 500_000),
    timestampSource: 'line', host: 'gw1', program: 'wg-quick', pid: 1234, syslog: { facility: 3, severity: 5 }, level: 'notice',
    // The syslog source's peer address.
    hostIps: ['192.0.2.10'],
  });
});

test('vector: without source_type, and year inference from the record time across New Year', () => {
  expectDecoded(j({ message: 'Dec 31 23:59:58 gw1 kernel: wireguard: wg0: Keypair 41 destroyed for peer 3', timestamp: '2026-01-01T00:00:03Z', host: 'collector-1' }), BERLIN, {
    envelope: 'vector-json', message: 'wireguard: wg0: Keypair 41 destroyed for peer 3', timestampMs: utc(2025, 12, 31, 22, 59, 58),
    timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded(j({ file: '/tmp/boringtun.out', host: 'edge2', message: '2025-05-22T12:22:12.300000Z  WARN boringtun::noise::timers: HANDSHAKE(REKEY_TIMEOUT)', source_type: 'file', timestamp: '2025-05-22T12:22:12.310Z' }), BERLIN, {
    envelope: 'vector-json', message: 'HANDSHAKE(REKEY_TIMEOUT)', timestampMs: utc(2025, 5, 22, 12, 22, 12, 300_000), timestampSource: 'line',
    level: 'warn', logger: 'boringtun::noise::timers', implHint: 'boringtun', host: 'edge2', filePath: '/tmp/boringtun.out',
  });
});

test('the scanner reads registered paths exactly as JSON.parse would, for arbitrary records', () => {
  const paths = ['message', 'a.b', 'a.b.c', 'x.y.z', 'n'].map(jsonPath);
  const key = fc.constantFrom('message', 'a', 'b', 'c', 'x', 'y', 'z', 'n', 'a.b', 'b.c', 'a.b.c', 'x.y', 'y.z', '__proto__', 'q"u\\o', 'é');
  const value = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
  })).v;
  /** The reference: every nesting/dotting of the path, longest key first, own properties only. */
  function reference(o: unknown, segs: string[]): unknown {
    if (segs.length === 0) return o;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
    for (let n = segs.length; n > 0; n--) {
      const k = segs.slice(0, n).join('.');
      if (!Object.hasOwn(o, k)) continue;
      const v = (o as Record<string, unknown>)[k];
      if (n === segs.length) return v;
      const r = reference(v, segs.slice(n));
      if (r !== undefined) return r;
    }
    return undefined;
  }
  fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 6 }), fc.constantFrom('', ' ', '\n\t'), (obj, ws) => {
    const text = JSON.stringify(obj, null, ws === '' ? undefined : ws);
    const r = scanJson(text);
    assert.ok(r !== undefined, text);
    const parsed: unknown = JSON.parse(text);
    for (const p of paths) {
      const want = reference(parsed, p.path.split('.'));
      const got = get(r, p);
      if (typeof want === 'object' && want !== null && !Array.isArray(want)) assert.ok(typeof got === 'object' && got !== null, `${p.path} in ${text}`);
      else assert.deepStrictEqual(got, want, `${p.path} in ${text}`);
    }
  }), { numRuns: 500 });
});

test('the scanner rejects what is not one JSON object', () => {
  for (const s of ['{', '{"a":1', '{"a":1}x', '{"a" 1}', '{"a":1,}', '{a:1}', '{"a":"\\"}', '{"a":[1,2}', '{"a":}']) {
    assert.equal(scanJson(s), undefined, s);
  }
  assert.notEqual(scanJson('{}'), undefined);
  assert.notEqual(scanJson(' {"a":1} '.trim()), undefined);
});

test('Docker json-file lines are not shipper events: without a message they stay raw', () => {
  const line = j({ log: 'May 22 14:22:07 gw1 kernel: wireguard: wg0: Interface up\n', stream: 'stdout', time: '2025-05-22T12:22:07.123456789Z' });
  expectDecoded(line, BERLIN_WITH_RECORD, { envelope: 'raw', message: line, timestampMs: RECORD_MS, timestampSource: 'record' });
});
