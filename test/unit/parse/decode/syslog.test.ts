import { test } from 'node:test';
import type { DecodeContext } from '../../../../src/parse/decode/types.ts';
import { BERLIN, BERLIN_WITH_RECORD, RECORD_MS, UTC, expectDecoded, utc } from './support.ts';

const MAY22 = utc(2025, 5, 22, 12, 22, 7); // 14:22:07 in Berlin

/** A kernel line of gw1 in classic syslog form (no year, no zone) whose stamp is read as `timestampMs`. */
function expectKernelStamp(stamp: string, message: string, ctx: DecodeContext, timestampMs: number): void {
  expectDecoded(`${stamp} gw1 kernel: ${message}`, ctx, {
    envelope: 'syslog-rfc3164', message, timestampMs, timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
}

test('kern.log: host, program, uptime stripped from the message, local time', () => {
  expectDecoded('May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)\n', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    timestampMs: MAY22, timestampSource: 'line', host: 'gw1', program: 'kernel', uptimeSeconds: 8312.401877, implHint: 'linux-kernel',
  });
  expectDecoded('May  2 03:00:01 vpn-edge-01.example.net kernel: [  812.240388] wireguard: wg0: Could not create IPv6 socket', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Could not create IPv6 socket',
    timestampMs: utc(2025, 5, 2, 1, 0, 1), timestampSource: 'line', host: 'vpn-edge-01.example.net', program: 'kernel',
    uptimeSeconds: 812.240388, implHint: 'linux-kernel',
  });
});

test('journalctl short and short-precise: no uptime, optional microseconds, localised month', () => {
  expectDecoded('May 22 14:22:08 gw1 kernel: wireguard: wg0: Receiving handshake initiation from peer 7 ([2001:db8:44::2]:38112/0%0)', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Receiving handshake initiation from peer 7 ([2001:db8:44::2]:38112/0%0)',
    timestampMs: utc(2025, 5, 22, 12, 22, 8), timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded('May 22 14:22:07.123456 gw1 kernel: wireguard: wg0: Invalid handshake response from 198.51.100.23:51820', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Invalid handshake response from 198.51.100.23:51820',
    timestampMs: utc(2025, 5, 22, 12, 22, 7, 123_456), timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded('Mai 22 14:22:07 gw1 kernel: wireguard: wg0: Invalid handshake initiation from 192.0.2.44:38112', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Invalid handshake initiation from 192.0.2.44:38112',
    timestampMs: MAY22, timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded('мая 22 14:22:07 gw1 kernel: wireguard: wg0: Interface created', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Interface created',
    timestampMs: MAY22, timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
});

test('<PRI> gives facility, severity and level', () => {
  expectDecoded('<4>May 22 14:22:09 gw1 kernel: [ 8320.000417] net_ratelimit: 37 callbacks suppressed', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'net_ratelimit: 37 callbacks suppressed', syslog: { facility: 0, severity: 4 }, level: 'warning',
    timestampMs: utc(2025, 5, 22, 12, 22, 9), timestampSource: 'line', host: 'gw1', program: 'kernel', uptimeSeconds: 8320.000417,
    implHint: 'linux-kernel',
  });
  expectDecoded('<30>May 22 14:22:07 gw1 wg-quick[1234]: [#] ip link add wg0 type wireguard', BERLIN, {
    envelope: 'syslog-rfc3164', message: '[#] ip link add wg0 type wireguard', syslog: { facility: 3, severity: 6 }, level: 'info',
    timestampMs: MAY22, timestampSource: 'line', host: 'gw1', program: 'wg-quick', pid: 1234,
  });
});

test('year rollover: December lines read in January are last year\'s', () => {
  const jan2 = { timezone: 'Europe/Berlin', nowMs: utc(2026, 1, 2, 8, 0, 0) };
  expectKernelStamp('Dec 31 23:59:59', 'wireguard: wg0: Keypair 41 destroyed for peer 3', jan2, utc(2025, 12, 31, 22, 59, 59));
  expectKernelStamp('Jan  2 08:59:00', 'wireguard: wg0: Keypair 42 created for peer 3', jan2, utc(2026, 1, 2, 7, 59, 0));
});

test('DST edge in Europe/Berlin: the last winter second and the first summer second', () => {
  const keepalive = 'wireguard: wg0: Sending keepalive packet to peer 3 (198.51.100.23:51820)';
  const mar = { timezone: 'Europe/Berlin', nowMs: utc(2025, 3, 30, 12, 0, 0) };
  expectKernelStamp('Mar 30 01:59:59', keepalive, mar, utc(2025, 3, 30, 0, 59, 59));
  expectKernelStamp('Mar 30 03:00:00', keepalive, mar, utc(2025, 3, 30, 1, 0, 0));
  const oct = { timezone: 'Europe/Berlin', nowMs: utc(2025, 10, 26, 12, 0, 0) };
  expectKernelStamp('Oct 26 02:30:00', keepalive, oct, utc(2025, 10, 26, 0, 30, 0));
});

test('rsyslog ISO (RSYSLOG_FileFormat) and journalctl short-iso', () => {
  expectDecoded('2025-05-22T14:22:07.412933+02:00 gw1 kernel: [ 8312.401877] wireguard: wg0: Packet has unallowed src IP (192.168.50.12) from peer 3 (198.51.100.23:51820)', UTC, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Packet has unallowed src IP (192.168.50.12) from peer 3 (198.51.100.23:51820)',
    timestampMs: utc(2025, 5, 22, 12, 22, 7, 412_933), timestampSource: 'line', host: 'gw1', program: 'kernel', uptimeSeconds: 8312.401877,
    implHint: 'linux-kernel',
  });
  expectDecoded('2025-05-22T14:22:07+0200 gw1 kernel: wireguard: wg0: Peer 3 created', UTC, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Peer 3 created',
    timestampMs: MAY22, timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded('2025-05-22T12:22:07Z 2001:db8::10 kernel: wireguard: wg0: No valid endpoint has been configured or discovered for peer 7', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: No valid endpoint has been configured or discovered for peer 7',
    // A HOSTNAME that is an address (rsyslog writes the sender's when it has no name) is the host's address too.
    timestampMs: MAY22, timestampSource: 'line', host: '2001:db8::10', hostIps: ['2001:db8::10'], program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded('2025-05-22T14:22:07 gw1 kernel: wireguard: wg0: Peer 3 created', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Peer 3 created',
    timestampMs: MAY22, timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
});

test('RFC 3164 without a host, without a tag, and with a date that cannot be', () => {
  expectDecoded('May 22 14:22:07 kernel: wireguard: wg0: Interface up', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Interface up', timestampMs: MAY22, timestampSource: 'line', program: 'kernel',
    implHint: 'linux-kernel',
  });
  expectDecoded('May 22 14:22:07 gw1 -- MARK --', BERLIN, {
    envelope: 'syslog-rfc3164', message: '-- MARK --', timestampMs: MAY22, timestampSource: 'line', host: 'gw1',
  });
  expectDecoded('Feb 30 14:22:07 gw1 kernel: wireguard: wg0: Interface up', BERLIN_WITH_RECORD, {
    envelope: 'syslog-rfc3164', message: 'wireguard: wg0: Interface up', timestampMs: RECORD_MS, timestampSource: 'record',
    host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
});

test('wireguard-go wrapped by syslog: outer host/program/pid, inner interface/level/time', () => {
  expectDecoded('May 22 14:22:07 gw1 wg-quick[1234]: DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB…p8Dg) - Sending handshake initiation', BERLIN, {
    envelope: 'wireguard-go', message: 'peer(xTIB…p8Dg) - Sending handshake initiation', timestampMs: MAY22, timestampSource: 'line',
    host: 'gw1', program: 'wg-quick', pid: 1234, level: 'debug', iface: 'wg0', implHint: 'wireguard-go',
  });
  // The inner stamp has the year the outer one lacks.
  expectDecoded('<27>Dec 31 23:59:59 gw1 wireguard-go[2211]: ERROR: (wg1) 2024/12/31 23:59:59 Failed to create TUN device: operation not permitted', BERLIN, {
    envelope: 'wireguard-go', message: 'Failed to create TUN device: operation not permitted', timestampMs: utc(2024, 12, 31, 22, 59, 59),
    timestampSource: 'line', host: 'gw1', program: 'wireguard-go', pid: 2211, syslog: { facility: 3, severity: 3 }, level: 'error',
    iface: 'wg1', implHint: 'wireguard-go',
  });
});

test('RFC 5424: header fields, structured data, BOM, nil values', () => {
  expectDecoded('<7>1 2025-05-22T14:22:07.123456+02:00 gw1 kernel - - - wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)', UTC, {
    envelope: 'syslog-rfc5424', message: 'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    syslog: { facility: 0, severity: 7 }, level: 'debug', timestampMs: utc(2025, 5, 22, 12, 22, 7, 123_456), timestampSource: 'line',
    host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded('<7>1 2025-05-22T14:22:07.401877+02:00 gw1 kernel - - - [ 8312.401877] wireguard: wg0: Invalid MAC of handshake, dropping packet from 203.0.113.77:41641', UTC, {
    envelope: 'syslog-rfc5424', message: 'wireguard: wg0: Invalid MAC of handshake, dropping packet from 203.0.113.77:41641',
    syslog: { facility: 0, severity: 7 }, level: 'debug', timestampMs: utc(2025, 5, 22, 12, 22, 7, 401_877), timestampSource: 'line',
    host: 'gw1', program: 'kernel', uptimeSeconds: 8312.401877, implHint: 'linux-kernel',
  });
  expectDecoded('<7>1 2025-05-22T14:22:07.000001+02:00 gw1 kernel - - [meta sequenceId="42" note="a \\"]\\" b \\\\"][origin ip="192.0.2.10"] \uFEFFwireguard: wg0: No route to [2001:db8:1::5]:51820/0%0, error -101', UTC, {
    envelope: 'syslog-rfc5424', message: 'wireguard: wg0: No route to [2001:db8:1::5]:51820/0%0, error -101',
    syslog: { facility: 0, severity: 7 }, level: 'debug', timestampMs: utc(2025, 5, 22, 12, 22, 7, 1), timestampSource: 'line',
    host: 'gw1', hostIps: ['192.0.2.10'], program: 'kernel', implHint: 'linux-kernel',
  });
  expectDecoded('<30>1 - - wg-quick - - - [#] wg set wg0 peer xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= endpoint [2001:db8:1::5]:51820', BERLIN_WITH_RECORD, {
    envelope: 'syslog-rfc5424', message: '[#] wg set wg0 peer xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= endpoint [2001:db8:1::5]:51820',
    syslog: { facility: 3, severity: 6 }, level: 'info', timestampMs: RECORD_MS, timestampSource: 'record', program: 'wg-quick',
  });
  expectDecoded('<14>1 2025-05-22T14:22:07.123456Z WINLAPTOP WireGuard 4711 TUN [NXLOG@14506 EventReceivedTime="2025-05-22 14:22:07"] [TUN] [office] Sending handshake initiation to peer 1 (198.51.100.23:51820)', BERLIN, {
    envelope: 'syslog-rfc5424', message: 'Sending handshake initiation to peer 1 (198.51.100.23:51820)',
    syslog: { facility: 1, severity: 6 }, level: 'info', timestampMs: utc(2025, 5, 22, 14, 22, 7, 123_456), timestampSource: 'line',
    host: 'WINLAPTOP', program: 'WireGuard', pid: 4711, implHint: 'windows', logger: 'TUN', iface: 'office',
  });
  // Unterminated structured data: the rest is the message rather than nothing.
  expectDecoded('<7>1 2025-05-22T12:22:07Z gw1 kernel - - [meta x="1" wireguard: wg0: Interface up', UTC, {
    envelope: 'syslog-rfc5424', message: '[meta x="1" wireguard: wg0: Interface up',
    syslog: { facility: 0, severity: 7 }, level: 'debug', timestampMs: MAY22, timestampSource: 'line', host: 'gw1', program: 'kernel',
    implHint: 'linux-kernel',
  });
});

test('RFC 5424 wrapping wireguard-go keeps its own exact time', () => {
  expectDecoded('<30>1 2025-05-22T14:22:07.881922+02:00 gw1 wg-quick 1234 - - DEBUG: (wg0) 2025/05/22 14:22:07 peer(xTIB…p8Dg) - Sending keepalive packet', UTC, {
    envelope: 'wireguard-go', message: 'peer(xTIB…p8Dg) - Sending keepalive packet', syslog: { facility: 3, severity: 6 }, level: 'debug',
    timestampMs: utc(2025, 5, 22, 12, 22, 7, 881_922), timestampSource: 'line', host: 'gw1', program: 'wg-quick', pid: 1234, iface: 'wg0',
    implHint: 'wireguard-go',
  });
});

test('OpenWrt logread: facility and severity spelled out, kernel and daemon lines', () => {
  expectDecoded('Thu May 22 14:22:07 2025 kern.debug kernel: [ 8312.401877] wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)', BERLIN, {
    envelope: 'logread', message: 'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    syslog: { facility: 0, severity: 7 }, level: 'debug', timestampMs: MAY22, timestampSource: 'line', program: 'kernel',
    uptimeSeconds: 8312.401877, implHint: 'linux-kernel',
  });
  expectDecoded('Fri May  2 03:00:01 2025 kern.err kernel: [   12.240210] wireguard: wg0: Could not create IPv4 socket', UTC, {
    envelope: 'logread', message: 'wireguard: wg0: Could not create IPv4 socket', syslog: { facility: 0, severity: 3 }, level: 'error',
    timestampMs: utc(2025, 5, 2, 3, 0, 1), timestampSource: 'line', program: 'kernel', uptimeSeconds: 12.24021, implHint: 'linux-kernel',
  });
  expectDecoded("Thu May 22 14:22:05 2025 daemon.notice netifd: Interface 'wg0' is setting up now", BERLIN, {
    envelope: 'logread', message: "Interface 'wg0' is setting up now", syslog: { facility: 3, severity: 5 }, level: 'notice',
    timestampMs: utc(2025, 5, 22, 12, 22, 5), timestampSource: 'line', program: 'netifd',
  });
  expectDecoded('Thu May 22 14:22:06 2025 user.warn wireguard_watchdog[4455]: wg0: endpoint re-resolved', BERLIN, {
    envelope: 'logread', message: 'wg0: endpoint re-resolved', syslog: { facility: 1, severity: 4 }, level: 'warning',
    timestampMs: utc(2025, 5, 22, 12, 22, 6), timestampSource: 'line', program: 'wireguard_watchdog', pid: 4455,
  });
  // An unknown facility is not logread (and nothing else either).
  expectDecoded('Thu May 22 14:22:06 2025 bogus.debug kernel: x', BERLIN, {
    envelope: 'raw', message: 'Thu May 22 14:22:06 2025 bogus.debug kernel: x', timestampSource: 'none',
  });
});

test('application envelopes inside syslog: boringtun under systemd, a forwarded ring-log line', () => {
  expectDecoded('May 22 14:22:07 gw1 boringtun-cli[812]: 2025-05-22T12:22:07.123456Z DEBUG boringtun::noise: Received handshake_initiation remote_idx=2231398410', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'Received handshake_initiation remote_idx=2231398410', implHint: 'boringtun', level: 'debug',
    text: 'Received handshake_initiation', fields: [['remote_idx', '2231398410']],
    logger: 'boringtun::noise', timestampMs: utc(2025, 5, 22, 12, 22, 7, 123_456), timestampSource: 'line', host: 'gw1', program: 'boringtun-cli', pid: 812,
  });
  expectDecoded('May 22 14:22:07 winbox WireGuard: [TUN] [office] Handshake for peer 1 (198.51.100.23:51820) did not complete after 5 seconds, retrying (try 2)', BERLIN, {
    envelope: 'syslog-rfc3164', message: 'Handshake for peer 1 (198.51.100.23:51820) did not complete after 5 seconds, retrying (try 2)',
    implHint: 'windows', logger: 'TUN', iface: 'office', timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line', host: 'winbox', program: 'WireGuard',
  });
});
