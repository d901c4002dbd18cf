import { test } from 'node:test';
import { BERLIN, BERLIN_WITH_RECORD, RECORD_MS, UTC, expectDecoded, utc } from './support.ts';

const MAY22 = utc(2025, 5, 22, 12, 22, 7); // 14:22:07 in Berlin

test('wireguard-go stdout: level, interface, local time', () => {
  expectDecoded('DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB…p8Dg) - Sending handshake initiation', BERLIN, {
    envelope: 'wireguard-go', message: 'peer(xTIB…p8Dg) - Sending handshake initiation', level: 'debug', iface: 'wg0',
    timestampMs: MAY22, timestampSource: 'line', implHint: 'wireguard-go',
  });
  expectDecoded('ERROR: (wg0) 2025/05/22 14:22:07 Unable to update bind: listen udp6 [::]:51820: bind: address already in use\r\n', BERLIN, {
    envelope: 'wireguard-go', message: 'Unable to update bind: listen udp6 [::]:51820: bind: address already in use', level: 'error',
    iface: 'wg0', timestampMs: MAY22, timestampSource: 'line', implHint: 'wireguard-go',
  });
  expectDecoded('INFO: (utun3) 2020/11/18 09:12:44 Received invalid initiation message from [2001:db8:44::2]:38112', UTC, {
    envelope: 'wireguard-go', message: 'Received invalid initiation message from [2001:db8:44::2]:38112', level: 'info', iface: 'utun3',
    timestampMs: utc(2020, 11, 18, 9, 12, 44), timestampSource: 'line', implHint: 'wireguard-go',
  });
  expectDecoded('DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB…p8Dg) - ConsumeMessageInitiation: handshake replay @ 2025-05-22 14:21:59.92274688 +0000 UTC', BERLIN, {
    envelope: 'wireguard-go', message: 'peer(xTIB…p8Dg) - ConsumeMessageInitiation: handshake replay @ 2025-05-22 14:21:59.92274688 +0000 UTC',
    level: 'debug', iface: 'wg0', timestampMs: MAY22, timestampSource: 'line', implHint: 'wireguard-go',
  });
  // A date that does not exist keeps the envelope but not the time.
  expectDecoded('DEBUG: (wg0) 2025/02/30 14:22:07 Device started', BERLIN_WITH_RECORD, {
    envelope: 'wireguard-go', message: 'Device started', level: 'debug', iface: 'wg0', timestampMs: RECORD_MS, timestampSource: 'record',
    implHint: 'wireguard-go',
  });
});

test('logcat threadtime (with and without year), time, brief and tag-only forms', () => {
  expectDecoded('05-22 14:22:07.123  4321  4398 D WireGuard/GoBackend/wg0: peer(xTIB…p8Dg) - Sending handshake initiation', BERLIN, {
    envelope: 'logcat', message: 'peer(xTIB…p8Dg) - Sending handshake initiation', timestampMs: utc(2025, 5, 22, 12, 22, 7, 123_000),
    timestampSource: 'line', pid: 4321, level: 'debug', logger: 'WireGuard/GoBackend/wg0', iface: 'wg0', implHint: 'wireguard-go',
  });
  expectDecoded('05-22 14:22:07.502  4321  4400 E WireGuard/GoBackend/home-vpn: peer(xTIB…p8Dg) - Failed to send data packets: write udp6 [::]:51820->[2001:db8:1::5]:51820: sendmmsg: network is unreachable', BERLIN, {
    envelope: 'logcat', message: 'peer(xTIB…p8Dg) - Failed to send data packets: write udp6 [::]:51820->[2001:db8:1::5]:51820: sendmmsg: network is unreachable',
    timestampMs: utc(2025, 5, 22, 12, 22, 7, 502_000), timestampSource: 'line', pid: 4321, level: 'error',
    logger: 'WireGuard/GoBackend/home-vpn', iface: 'home-vpn', implHint: 'wireguard-go',
  });
  // The Java side of the app logs under WireGuard/ tags too; those are not wireguard-go's messages.
  expectDecoded('05-22 14:22:06.998  4321  4321 I WireGuard/GoBackend: Go backend 0.0.20250522', BERLIN, {
    envelope: 'logcat', message: 'Go backend 0.0.20250522', timestampMs: utc(2025, 5, 22, 12, 22, 6, 998_000), timestampSource: 'line',
    pid: 4321, level: 'info', logger: 'WireGuard/GoBackend',
  });
  expectDecoded('05-22 14:22:07.001  1200  1200 W ConnectivityService: wg0: network lost', BERLIN, {
    envelope: 'logcat', message: 'wg0: network lost', timestampMs: utc(2025, 5, 22, 12, 22, 7, 1000), timestampSource: 'line',
    pid: 1200, level: 'warn', logger: 'ConnectivityService',
  });
  expectDecoded('2025-05-22 14:22:08.004  4321  4398 D WireGuard/GoBackend/wg0: peer(xTIB…p8Dg) - Receiving keepalive packet', UTC, {
    envelope: 'logcat', message: 'peer(xTIB…p8Dg) - Receiving keepalive packet', timestampMs: utc(2025, 5, 22, 14, 22, 8, 4000),
    timestampSource: 'line', pid: 4321, level: 'debug', logger: 'WireGuard/GoBackend/wg0', iface: 'wg0', implHint: 'wireguard-go',
  });
  expectDecoded('05-22 14:22:09.777 D/WireGuard/GoBackend/wg0( 4321): peer(xTIB…p8Dg) - Sending keepalive packet', BERLIN, {
    envelope: 'logcat', message: 'peer(xTIB…p8Dg) - Sending keepalive packet', timestampMs: utc(2025, 5, 22, 12, 22, 9, 777_000),
    timestampSource: 'line', pid: 4321, level: 'debug', logger: 'WireGuard/GoBackend/wg0', iface: 'wg0', implHint: 'wireguard-go',
  });
  expectDecoded('D/WireGuard/GoBackend/wg0( 4321): Received packet with invalid mac1', BERLIN_WITH_RECORD, {
    envelope: 'logcat', message: 'Received packet with invalid mac1', timestampMs: RECORD_MS, timestampSource: 'record', pid: 4321,
    level: 'debug', logger: 'WireGuard/GoBackend/wg0', iface: 'wg0', implHint: 'wireguard-go',
  });
  expectDecoded('I WireGuard/GoBackend/wg0: peer(xTIB…p8Dg) - Sending handshake initiation', BERLIN, {
    envelope: 'logcat', message: 'peer(xTIB…p8Dg) - Sending handshake initiation', timestampSource: 'none', level: 'info',
    logger: 'WireGuard/GoBackend/wg0', iface: 'wg0', implHint: 'wireguard-go',
  });
  // "I Word: ..." is too common in prose to be logcat unless the tag is WireGuard's.
  expectDecoded('I Said: hello', BERLIN, { envelope: 'raw', message: 'I Said: hello', timestampSource: 'none' });
});

test('windows ring log: TUN/MGR logger, tunnel name, local time with microseconds', () => {
  expectDecoded('2025-05-22 14:22:07.123456: [TUN] [office] Sending handshake initiation to peer 1 (198.51.100.23:51820)', BERLIN, {
    envelope: 'windows-ringlog', message: 'Sending handshake initiation to peer 1 (198.51.100.23:51820)',
    timestampMs: utc(2025, 5, 22, 12, 22, 7, 123_456), timestampSource: 'line', implHint: 'windows', logger: 'TUN', iface: 'office',
  });
  expectDecoded('2025-05-22 14:22:12.300000: [TUN] [home_v6] Handshake for peer 1 ([2001:db8:1::5]:51820) did not complete after 5 seconds, retrying (try 2)', UTC, {
    envelope: 'windows-ringlog', message: 'Handshake for peer 1 ([2001:db8:1::5]:51820) did not complete after 5 seconds, retrying (try 2)',
    timestampMs: utc(2025, 5, 22, 14, 22, 12, 300_000), timestampSource: 'line', implHint: 'windows', logger: 'TUN', iface: 'home_v6',
  });
  expectDecoded('2025-05-22 14:22:05.000113: [MGR] Starting WireGuard/0.5.3 (Windows 10.0.19045; amd64)', BERLIN, {
    envelope: 'windows-ringlog', message: 'Starting WireGuard/0.5.3 (Windows 10.0.19045; amd64)',
    timestampMs: utc(2025, 5, 22, 12, 22, 5, 113), timestampSource: 'line', implHint: 'windows', logger: 'MGR',
  });
  expectDecoded('2025-05-22 14:22:05.412908: [MGR] [office] Tunnel service tracker starting', BERLIN, {
    envelope: 'windows-ringlog', message: 'Tunnel service tracker starting', timestampMs: utc(2025, 5, 22, 12, 22, 5, 412_908),
    timestampSource: 'line', implHint: 'windows', logger: 'MGR', iface: 'office',
  });
});

test('boringtun: UTC, padded level, target as logger, ANSI colours stripped', () => {
  expectDecoded('2025-05-22T14:22:07.123456Z DEBUG boringtun::noise: Received handshake_initiation remote_idx=2231398410', BERLIN, {
    envelope: 'boringtun', message: 'Received handshake_initiation remote_idx=2231398410', timestampMs: utc(2025, 5, 22, 14, 22, 7, 123_456),
    text: 'Received handshake_initiation', fields: [['remote_idx', '2231398410']],
    timestampSource: 'line', level: 'debug', logger: 'boringtun::noise', implHint: 'boringtun',
  });
  expectDecoded('2025-05-22T14:22:12.300000Z  WARN boringtun::noise::timers: HANDSHAKE(REKEY_TIMEOUT)', BERLIN, {
    envelope: 'boringtun', message: 'HANDSHAKE(REKEY_TIMEOUT)', timestampMs: utc(2025, 5, 22, 14, 22, 12, 300_000),
    timestampSource: 'line', level: 'warn', logger: 'boringtun::noise::timers', implHint: 'boringtun',
  });
  expectDecoded('2025-05-22T14:22:07.123456Z  INFO boringtun::device::peer: Connected endpoint port=51820 endpoint=[2001:db8:1::5]:51820', BERLIN, {
    envelope: 'boringtun', message: 'Connected endpoint port=51820 endpoint=[2001:db8:1::5]:51820', timestampMs: utc(2025, 5, 22, 14, 22, 7, 123_456),
    text: 'Connected endpoint', fields: [['port', '51820'], ['endpoint', '[2001:db8:1::5]:51820']],
    timestampSource: 'line', level: 'info', logger: 'boringtun::device::peer', implHint: 'boringtun',
  });
  expectDecoded('2025-05-22T14:22:07.123456Z  INFO boringtun_cli: BoringTun started successfully', BERLIN, {
    envelope: 'boringtun', message: 'BoringTun started successfully', timestampMs: utc(2025, 5, 22, 14, 22, 7, 123_456),
    timestampSource: 'line', level: 'info', logger: 'boringtun_cli', implHint: 'boringtun',
  });
  const esc = '\u001b';
  expectDecoded(`${esc}[2m2025-05-22T14:22:07.123456Z${esc}[0m ${esc}[34mDEBUG${esc}[0m ${esc}[2mboringtun::noise${esc}[0m${esc}[2m:${esc}[0m Received cookie_reply ${esc}[3mlocal_idx${esc}[0m${esc}[2m=${esc}[0m4097`, BERLIN, {
    envelope: 'boringtun', message: 'Received cookie_reply local_idx=4097', timestampMs: utc(2025, 5, 22, 14, 22, 7, 123_456),
    text: 'Received cookie_reply', fields: [['local_idx', '4097']],
    timestampSource: 'line', level: 'debug', logger: 'boringtun::noise', implHint: 'boringtun',
  });
  // Another Rust program using tracing: same envelope, but nothing says it is boringtun.
  expectDecoded('2025-05-22T14:22:07.5Z ERROR hyper::server: connection error', BERLIN, {
    envelope: 'boringtun', message: 'connection error', timestampMs: utc(2025, 5, 22, 14, 22, 7, 500_000),
    timestampSource: 'line', level: 'error', logger: 'hyper::server',
  });
});

test('go-stdlog: Go\'s standard logger gives the local time and no implementation', () => {
  expectDecoded('2025/05/22 14:22:07 Registered I/O is unavailable: The system cannot find the file specified.', BERLIN, {
    envelope: 'go-stdlog', message: 'Registered I/O is unavailable: The system cannot find the file specified.',
    timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line',
  });
});

test('raw: anything else is the whole line, with the record time', () => {
  for (const line of [
    'Decapsulate error InvalidAeadTag',
    'BoringTun failed to start',
    'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    '│   Running wireguard-go is not required because this  │',
    '[#] wg setconf wg0 /dev/fd/63',
    '{"not": "a log record"}',
    '{"message": "truncated',
    '',
  ]) {
    expectDecoded(line, BERLIN_WITH_RECORD, { envelope: 'raw', message: line, timestampMs: RECORD_MS, timestampSource: 'record' });
  }
  expectDecoded('Decapsulate error InvalidAeadTag\r\n', BERLIN, { envelope: 'raw', message: 'Decapsulate error InvalidAeadTag', timestampSource: 'none' });
  expectDecoded('\uFEFFhello\n', BERLIN, { envelope: 'raw', message: 'hello', timestampSource: 'none' });
});
