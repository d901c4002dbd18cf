import { test } from 'node:test';
import type { DecodeContext } from '../../../../src/parse/decode/types.ts';
import { BERLIN, BERLIN_WITH_RECORD, RECORD_MS, UTC, expectDecoded, utc } from './support.ts';

/** A kernel line under a human-readable stamp (dmesg -T, -H, --time-format=iso) that is read as `timestampMs`. */
function expectStamped(stamp: string, message: string, ctx: DecodeContext, timestampMs: number): void {
  expectDecoded(`${stamp} ${message}`, ctx, { envelope: 'dmesg-human', message, timestampMs, timestampSource: 'line', implHint: 'linux-kernel' });
}

test('dmesg: uptime in brackets, the record time when there is one', () => {
  expectDecoded('[ 8312.401877] wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)', BERLIN_WITH_RECORD, {
    envelope: 'dmesg', message: 'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    uptimeSeconds: 8312.401877, timestampMs: RECORD_MS, timestampSource: 'record', implHint: 'linux-kernel',
  });
  expectDecoded('[    5.922610] wireguard: WireGuard 1.0.0 loaded. See www.wireguard.com for information.\n', BERLIN, {
    envelope: 'dmesg', message: 'wireguard: WireGuard 1.0.0 loaded. See www.wireguard.com for information.',
    uptimeSeconds: 5.92261, timestampSource: 'none', implHint: 'linux-kernel',
  });
  expectDecoded('[31536000.000001] wireguard: wg0: Receiving handshake initiation from peer 7 ([2001:db8:44::2]:38112/0%0)\r\n', UTC, {
    envelope: 'dmesg', message: 'wireguard: wg0: Receiving handshake initiation from peer 7 ([2001:db8:44::2]:38112/0%0)',
    uptimeSeconds: 31536000.000001, timestampSource: 'none', implHint: 'linux-kernel',
  });
});

test('dmesg -d, -r, /dev/kmsg and -x forms', () => {
  expectDecoded('[ 8401.554020 <    0.000412>] wireguard: wg0: Packet has unallowed src IP (fe80::5c1a:9ff:fe3b:2c11) from peer 3 ([2001:db8:1::5]:51820/0%0)', BERLIN, {
    envelope: 'dmesg', message: 'wireguard: wg0: Packet has unallowed src IP (fe80::5c1a:9ff:fe3b:2c11) from peer 3 ([2001:db8:1::5]:51820/0%0)',
    uptimeSeconds: 8401.55402, timestampSource: 'none', implHint: 'linux-kernel',
  });
  expectDecoded('<3>[  812.240210] wireguard: wg1: Could not create IPv4 socket', BERLIN, {
    envelope: 'dmesg', message: 'wireguard: wg1: Could not create IPv4 socket', uptimeSeconds: 812.24021,
    syslog: { facility: 0, severity: 3 }, level: 'error', timestampSource: 'none', implHint: 'linux-kernel',
  });
  expectDecoded('7,48211,8313020925,-;wireguard: wg0: Keypair 42 created for peer 3', BERLIN, {
    envelope: 'dmesg', message: 'wireguard: wg0: Keypair 42 created for peer 3', uptimeSeconds: 8313.020925,
    syslog: { facility: 0, severity: 7 }, level: 'debug', timestampSource: 'none', implHint: 'linux-kernel',
  });
  expectDecoded('kern  :warn  : [ 8320.000417] net_ratelimit: 37 callbacks suppressed', BERLIN, {
    envelope: 'dmesg', message: 'net_ratelimit: 37 callbacks suppressed', uptimeSeconds: 8320.000417,
    syslog: { facility: 0, severity: 4 }, level: 'warning', timestampSource: 'none', implHint: 'linux-kernel',
  });
});

test('dmesg -T in English and in other locales, local to the configured zone', () => {
  const message = 'wireguard: wg0: Invalid handshake initiation from 192.0.2.44:38112';
  const at = utc(2025, 5, 22, 12, 22, 7);
  for (const prefix of [
    '[Thu May 22 14:22:07 2025]', // en
    '[Do Mai 22 14:22:07 2025]', // de
    '[jeu. mai 22 14:22:07 2025]', // fr
    '[jue may 22 14:22:07 2025]', // es
    '[gio mag 22 14:22:07 2025]', // it
    '[qui mai 22 14:22:07 2025]', // pt
    '[do mei 22 14:22:07 2025]', // nl
    '[czw maj 22 14:22:07 2025]', // pl
    '[Чт мая 22 14:22:07 2025]', // ru
    '[tor maj 22 14:22:07 2025]', // sv
    '[Donnerstag Mai 22 14:22:07 2025]', // full names
    '[木 5月 22 14:22:07 2025]', // ja
  ]) {
    expectStamped(prefix, message, BERLIN, at);
  }
  expectStamped('[Fri May  2 09:05:41 2025]', 'wireguard: wg0: No route to [2001:db8:1::5]:51820/0%0, error -101', UTC, utc(2025, 5, 2, 9, 5, 41));
  expectStamped('[sön dec 29 03:14:15 2024]', 'wireguard: wg-office: Interface destroyed', BERLIN, utc(2024, 12, 29, 2, 14, 15));
  expectDecoded('[févr. 3 14:22:07 2025] not a weekday', BERLIN, {
    envelope: 'raw', message: '[févr. 3 14:22:07 2025] not a weekday', timestampSource: 'none',
  });
});

test('dmesg -H: minute stamps take the year from now, relative lines carry no time', () => {
  expectStamped('[May22 14:22]', 'wireguard: wg0: Receiving keepalive packet from peer 3 (198.51.100.23:51820)', BERLIN, utc(2025, 5, 22, 12, 22, 0));
  expectStamped('[Mai22 14:23]', 'wireguard: wg0: Packet has invalid nonce 18442 (max 26605)', BERLIN, utc(2025, 5, 22, 12, 23, 0));
  const newYear = { timezone: 'Europe/Berlin', nowMs: utc(2026, 1, 1, 1, 0, 0) };
  expectStamped('[Dec31 23:59]', 'wireguard: wg0: Interface created', newYear, utc(2025, 12, 31, 22, 59, 0));
  expectDecoded('[  +0.000031] wireguard: wg0: Sending keepalive packet to peer 3 (198.51.100.23:51820)', BERLIN_WITH_RECORD, {
    envelope: 'dmesg-human', message: 'wireguard: wg0: Sending keepalive packet to peer 3 (198.51.100.23:51820)',
    timestampMs: RECORD_MS, timestampSource: 'record', implHint: 'linux-kernel',
  });
  expectDecoded('[ +12.998113] wireguard: wg0: Retrying handshake with peer 3 (198.51.100.23:51820) because we stopped hearing back after 15 seconds', BERLIN, {
    envelope: 'dmesg-human', message: 'wireguard: wg0: Retrying handshake with peer 3 (198.51.100.23:51820) because we stopped hearing back after 15 seconds',
    timestampSource: 'none', implHint: 'linux-kernel',
  });
});

test('dmesg --time-format=iso carries its own offset', () => {
  expectStamped('2025-05-22T14:22:07,401877+02:00', 'wireguard: wg0: Dropping handshake packet from 203.0.113.200:1024', UTC, utc(2025, 5, 22, 12, 22, 7, 401_877));
});
