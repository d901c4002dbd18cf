// The envelopes of programs that embed wireguard-go (src/parse/decode/embedder-logs.ts), on lines from the real-world
// corpus (test/corpus/real-world/embedders.jsonl).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../../../../src/parse/decode/decode.ts';
import { UTC, expectDecoded, utc } from './support.ts';
import { COST_LIMIT, costlierThanReference, scanOf } from '../../../helpers/cost.ts';

test('sing-box: zone before the date (also a bare "0000"), component logger; without time: LEVEL[0000]', () => {
  expectDecoded('+0800 2025-03-12 23:08:13 DEBUG endpoint/wireguard[warp]: peer(bmXO…fgyo) - uapi: created', UTC, {
    envelope: 'sing-box', message: 'peer(bmXO…fgyo) - uapi: created', level: 'debug', logger: 'endpoint/wireguard[warp]',
    timestampMs: utc(2025, 3, 12, 15, 8, 13), timestampSource: 'line',
  });
  expectDecoded('0000 2025-07-24 08:03:37 ERROR endpoint/wireguard[warp-out]: peer(bmXO…fgyo) - failed to send handshake initiation: write udp [::]:38621: sendmmsg: network is unreachable', UTC, {
    envelope: 'sing-box', message: 'peer(bmXO…fgyo) - failed to send handshake initiation: write udp [::]:38621: sendmmsg: network is unreachable',
    level: 'error', logger: 'endpoint/wireguard[warp-out]', timestampMs: utc(2025, 7, 24, 8, 3, 37), timestampSource: 'line',
  });
  expectDecoded('DEBUG[0000] endpoint/warp[warp-out]: uapi: updating listen port', UTC, {
    envelope: 'sing-box', message: 'uapi: updating listen port', level: 'debug', logger: 'endpoint/warp[warp-out]', timestampSource: 'none',
  });
  // A routed connection's line names the component too, but is sing-box's router speaking: no logger.
  expectDecoded('+0800 2024-12-04 19:40:59 INFO [3132766075 1ms] endpoint/wireguard[wireguard]: outbound connection to 1.1.1.1:853', UTC, {
    envelope: 'sing-box', message: 'outbound connection to 1.1.1.1:853', level: 'info',
    timestampMs: utc(2024, 12, 4, 11, 40, 59), timestampSource: 'line',
  });
  // Without sing-box's zone, "date time LEVEL text" is too common to claim.
  assert.notEqual(decode('2024-05-01 13:17:31 INFO server started', UTC).envelope, 'sing-box');
});

test('Xray: wireguard-go\'s text follows the level bare, Xray\'s own names its package', () => {
  expectDecoded('2025/05/25 16:20:43.084667 [Debug] UAPI: Updating private key', UTC, {
    envelope: 'xray', message: 'UAPI: Updating private key', level: 'debug', implHint: 'wireguard-go',
    timestampMs: utc(2025, 5, 25, 16, 20, 43, 84_667), timestampSource: 'line',
  });
  expectDecoded('2022/11/28 12:52:10 [Warning] core: Xray 1.6.5 started', UTC, {
    envelope: 'xray', message: 'core: Xray 1.6.5 started', level: 'warn', timestampMs: utc(2022, 11, 28, 12, 52, 10), timestampSource: 'line',
  });
  expectDecoded('04-13 22:14:19.399 I/GoLog   ( 2611): [Debug] Interface up requested', UTC, {
    envelope: 'logcat', message: 'Interface up requested', level: 'debug', logger: 'GoLog', pid: 2611, implHint: 'wireguard-go',
    timestampMs: utc(2025, 4, 13, 22, 14, 19, 399_000), timestampSource: 'line',
  });
  const xui = decode('Sep 23 10:40:28 **hidden** /usr/local/x-ui/x-ui[441]: ERROR - XRAY: peer(7Dfp▒<80>▒TYxM) - Failed to send handshake initiation: no known endpoint for peer', UTC);
  assert.equal(xui.message, 'peer(7Dfp▒<80>▒TYxM) - Failed to send handshake initiation: no known endpoint for peer');
  assert.equal(xui.implHint, 'wireguard-go');
  assert.equal(xui.level, 'error');
});

test('logfmt (warp-plus, logrus): msg unquoted, subsystem as the logger, inside syslog the inner time', () => {
  expectDecoded('time=2024-07-27T10:40:08.907+03:30 level=DEBUG msg="peer(bmXO…fgyo) - Sending keepalive packet" subsystem=wireguard-go', UTC, {
    envelope: 'logfmt', message: 'peer(bmXO…fgyo) - Sending keepalive packet', level: 'debug', logger: 'wireguard-go',
    timestampMs: utc(2024, 7, 27, 7, 10, 8, 907_000), timestampSource: 'line',
  });
  expectDecoded('time="2025-05-22T14:22:07+02:00" level=debug msg="peer(xTIB…p8Dg) - Sending handshake initiation"', UTC, {
    envelope: 'logfmt', message: 'peer(xTIB…p8Dg) - Sending handshake initiation', level: 'debug',
    timestampMs: utc(2025, 5, 22, 12, 22, 7), timestampSource: 'line',
  });
  const j = decode('Jun 12 21:26:43 snapshot-211306789-ubuntu-4gb-fsn1-2 warp[7330]: time=2025-06-12T21:26:43.210+02:00 level=DEBUG msg=" - Routine: sequential receiver - started" gool=outer subsystem=wireguard-go', { ...UTC, nowMs: Date.UTC(2025, 5, 13) });
  assert.equal(j.envelope, 'syslog-rfc3164');
  assert.equal(j.message, ' - Routine: sequential receiver - started');
  assert.equal(j.logger, 'wireguard-go');
  assert.equal(j.timestampMs, utc(2025, 6, 12, 19, 26, 43, 210_000));
});

test('wireguard-go\'s logger without "(iface)": wireproxy\'s empty prefix, Mysterium\'s tag', () => {
  expectDecoded('DEBUG: 2023/08/17 11:45:00 Routine: event worker - started', UTC, {
    envelope: 'wireguard-go', message: 'Routine: event worker - started', level: 'debug', implHint: 'wireguard-go',
    timestampMs: utc(2023, 8, 17, 11, 45, 0), timestampSource: 'line',
  });
  expectDecoded('ERROR: [userspace-wg]2026/03/23 20:06:38 peer(UjUn…oUAs) - Failed to send handshake initiation: no known endpoint for peer', UTC, {
    envelope: 'wireguard-go', message: 'peer(UjUn…oUAs) - Failed to send handshake initiation: no known endpoint for peer', level: 'error',
    logger: 'userspace-wg', implHint: 'wireguard-go', timestampMs: utc(2026, 3, 23, 20, 6, 38), timestampSource: 'line',
  });
});

test('Coder (cdr.dev/slog): human, inside go test, verbose', () => {
  expectDecoded('2023-05-18 05:11:07.640 [debu]  coderd.tailnet.wgengine: wg: [v2] [9fsxN] - Sending handshake initiation', UTC, {
    envelope: 'coder-slog', message: 'wg: [v2] [9fsxN] - Sending handshake initiation', level: 'debug', logger: 'coderd.tailnet.wgengine',
    timestampMs: utc(2023, 5, 18, 5, 11, 7, 640_000), timestampSource: 'line',
  });
  assert.equal(decode('    t.go:106: 2025-01-17 13:56:01.282 [debu]  agent.net.tailnet.net.wgengine: wg: [v2] Routine: receive incoming mkReceiveFunc - started', UTC).message,
    'wg: [v2] Routine: receive incoming mkReceiveFunc - started');
  expectDecoded('2023-02-18 08:45:57.151 [DEBUG]\t(tailnet.wgengine)\t<./tailnet/conn.go:779>\tLogger.func1\twg: [v2] [QXq0e] - UAPI: Created', UTC, {
    envelope: 'coder-slog', message: 'wg: [v2] [QXq0e] - UAPI: Created', level: 'debug', logger: 'tailnet.wgengine',
    timestampMs: utc(2023, 2, 18, 8, 45, 57, 151_000), timestampSource: 'line',
  });
});

test('Mullvad daemon: the module is the logger; only wireguard-go\'s is WireGuard itself', () => {
  expectDecoded('[2023-12-19 17:58:26.737][wireguard-go][VERBOSE] UAPI: Updating private key', UTC, {
    envelope: 'mullvad', message: 'UAPI: Updating private key', level: 'debug', logger: 'wireguard-go', implHint: 'wireguard-go',
    timestampMs: utc(2023, 12, 19, 17, 58, 26, 737_000), timestampSource: 'line',
  });
  expectDecoded('[2025-01-03 11:59:22.580][talpid_wireguard][DEBUG] Using kernel WireGuard implementation', UTC, {
    envelope: 'mullvad', message: 'Using kernel WireGuard implementation', level: 'debug', logger: 'talpid_wireguard',
    timestampMs: utc(2025, 1, 3, 11, 59, 22, 580_000), timestampSource: 'line',
  });
});

test('NetBird, macOS Console rows, Tailscale memstats and logtail JSON', () => {
  expectDecoded('2026-01-29T13:28:44+01:00 WARN [peer: xxxyyy] client/internal/peer/wg_watcher.go:127: WireGuard handshake timed out: 2026-01-29 13:28:14 +0100 CET', UTC, {
    envelope: 'netbird', message: '[peer: xxxyyy] client/internal/peer/wg_watcher.go:127: WireGuard handshake timed out: 2026-01-29 13:28:14 +0100 CET',
    level: 'warn', timestampMs: utc(2026, 1, 29, 12, 28, 44), timestampSource: 'line',
  });
  expectDecoded('53457\tdefault\t19:54:40.004486-0800\tIPNExtension\tReceived packet with invalid mac1', UTC, {
    envelope: 'macos-console', message: 'Received packet with invalid mac1', pid: 53457, program: 'IPNExtension', timestampSource: 'none',
  });
  expectDecoded('73.5M/305.5M Received invalid response message from 127.3.3.40:1', UTC, {
    envelope: 'go-stdlog', message: 'Received invalid response message from 127.3.3.40:1', timestampSource: 'none',
  });
  const line = '{"logtail": {"client_time": "2022-03-21T03:44:14.943697279Z"}, "v":2,"text": "[K/lGG] - Received handshake initiation\\n"}';
  expectDecoded(line, UTC, {
    envelope: 'logtail-json', message: '[K/lGG] - Received handshake initiation', timestampMs: utc(2022, 3, 21, 3, 44, 14, 943_697), timestampSource: 'line',
  });
});

test('the embedders\' envelopes cost a few scans of adversarial heads', () => {
  const inputs = [
    `+0800 2025-03-12 23:08:13 DEBUG ${'a/'.repeat(5000)}`,
    `time=2024-07-27T10:40:08.907+03:30 level=DEBUG msg="${'\\"'.repeat(20_000)}`,
    `2026-01-29T13:28:44+01:00 WARN [${'x'.repeat(20_000)}`,
    `[2023-12-19 17:58:26.737][${'w'.repeat(20_000)}`,
    `    ${'t'.repeat(20_000)}.go:1: `,
  ];
  const cases = inputs.map((input) => ({ name: input.slice(0, 60), run: () => { decode(input, UTC); }, reference: scanOf([input]) }));
  assert.deepEqual(costlierThanReference(cases, COST_LIMIT), []);
});
