// The Rust programs' envelopes (src/parse/decode/rust-logs.ts): tracing's spans, fields and variants, the log-crate
// layouts, ESPHome; and the field splitting, on real lines from test/corpus/real-world/rust.jsonl.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../../../../src/parse/decode/decode.ts';
import { splitPrettyFields, splitTrailingFields } from '../../../../src/parse/decode/rust-logs.ts';
import { RUST_EMBEDDER_MESSAGES } from '../../../../src/parse/catalog/messages/rust-embedders.ts';
import { BERLIN, UTC, expectDecoded, utc } from './support.ts';
import { COST_LIMIT, costlierThanReference, scanOf } from '../../../helpers/cost.ts';

test('tracing full: spans before the target, their fields after the event\'s own', () => {
  expectDecoded('2024-03-14T23:26:55.062604Z  INFO connection{id=b3d34a15-55ab-40df-994b-a838e75d65d7}: snownet::node: Completed wireguard handshake duration_since_intent=302.741574991s', BERLIN, {
    envelope: 'boringtun', message: 'Completed wireguard handshake duration_since_intent=302.741574991s', text: 'Completed wireguard handshake',
    fields: [['duration_since_intent', '302.741574991s'], ['id', 'b3d34a15-55ab-40df-994b-a838e75d65d7']],
    timestampMs: utc(2024, 3, 14, 23, 26, 55, 62_604), timestampSource: 'line', level: 'info', logger: 'snownet::node', implHint: 'boringtun',
  });
  // Firezone appends cid=; a message that itself holds key=value words keeps them in its text.
  expectDecoded('10:40:12.977726-0700\tfirezone_tunnel::client: Failed to decapsulate: cid=0aff length=92: handshake packet: MAC mismatch in packet local=192.168.1.65:52625 from=34.125.41.65:3478 num_bytes=96', UTC, {
    envelope: 'macos-log', message: 'Failed to decapsulate: cid=0aff length=92: handshake packet: MAC mismatch in packet local=192.168.1.65:52625 from=34.125.41.65:3478 num_bytes=96',
    text: 'Failed to decapsulate: cid=0aff length=92: handshake packet: MAC mismatch in packet',
    fields: [['local', '192.168.1.65:52625'], ['from', '34.125.41.65:3478'], ['num_bytes', '96']],
    timestampSource: 'none', logger: 'firezone_tunnel::client', implHint: 'boringtun',
  });
  // A span without fields, then the target: the uptime timer of tracing-subscriber.
  expectDecoded(' 73.680s DEBUG client: boringtun::noise::timers: KEEPALIVE(PERSISTENT_KEEPALIVE)', UTC, {
    envelope: 'boringtun', message: 'KEEPALIVE(PERSISTENT_KEEPALIVE)', timestampSource: 'none', uptimeSeconds: 73.68, level: 'debug',
    logger: 'boringtun::noise::timers', implHint: 'boringtun',
  });
  // Another Rust program: same envelope, no implementation, and "word: text" stays the message.
  expectDecoded('2025-10-22T01:48:39.263Z  INFO phoenix_channel: Connected to portal host=api', UTC, {
    envelope: 'boringtun', message: 'Connected to portal host=api', text: 'Connected to portal', fields: [['host', 'api']],
    timestampMs: utc(2025, 10, 22, 1, 48, 39, 263_000), timestampSource: 'line', level: 'info', logger: 'phoenix_channel',
  });
});

test('tracing pretty: indented, ", key: value" fields, quoted values unquoted', () => {
  expectDecoded('   2024-01-21T10:32:49.362625Z ERROR boringtun::device: Poll error, error: "Interrupted system call (os error 4)"', UTC, {
    envelope: 'boringtun', message: 'Poll error, error: "Interrupted system call (os error 4)"', text: 'Poll error',
    fields: [['error', 'Interrupted system call (os error 4)']], timestampMs: utc(2024, 1, 21, 10, 32, 49, 362_625), timestampSource: 'line',
    level: 'error', logger: 'boringtun::device', implHint: 'boringtun',
  });
});

test('tracing without time: only the WireGuard crates; the log bridge\'s message= form', () => {
  expectDecoded('firezone_tunnel::client: Failed to decapsulate: Packet has unknown format local=192.168.1.65:52625 num_bytes=60', UTC, {
    envelope: 'boringtun', message: 'Failed to decapsulate: Packet has unknown format local=192.168.1.65:52625 num_bytes=60',
    text: 'Failed to decapsulate: Packet has unknown format', fields: [['local', '192.168.1.65:52625'], ['num_bytes', '60']],
    timestampSource: 'none', logger: 'firezone_tunnel::client', implHint: 'boringtun',
  });
  expectDecoded('hyper::server: connection error', UTC, { envelope: 'raw', message: 'hyper::server: connection error', timestampSource: 'none' });
  const d = expectDecoded('2026-07-24T06:37:41.100631Z ERROR defguard_gateway::gateway: message=Gateway purge failed log.target=defguard_gateway::gateway log.line=197 [2.0.2]', UTC, {
    envelope: 'boringtun', message: 'message=Gateway purge failed log.target=defguard_gateway::gateway log.line=197 [2.0.2]', text: 'Gateway purge failed',
    fields: [['log.target', 'defguard_gateway::gateway'], ['log.line', '197']], timestampMs: utc(2026, 7, 24, 6, 37, 41, 100_631),
    timestampSource: 'line', level: 'error', logger: 'defguard_gateway::gateway', implHint: 'wireguard-rs',
  });
  assert.equal(d.text, 'Gateway purge failed');
});

test('connlib in Console.app: quoted message, two spaces, fields', () => {
  expectDecoded('connlib\t00:13:10.355056-0700\tFirezoneNetworkExtensionmacOS\tdev.firezone.firezone\t"SESSION_EXPIRED(REJECT_AFTER_TIME)"  session=766396929', UTC, {
    envelope: 'macos-log', message: '"SESSION_EXPIRED(REJECT_AFTER_TIME)"  session=766396929', text: 'SESSION_EXPIRED(REJECT_AFTER_TIME)',
    fields: [['session', '766396929']], timestampSource: 'none', program: 'FirezoneNetworkExtensionmacOS', logger: 'connlib', implHint: 'boringtun',
  });
});

test('log-crate layouts: WARP, gotatun, env_logger, pretty_env_logger, defguard, innernet', () => {
  expectDecoded('[2022-08-16T07:29:55.249-07:00] INFO "udp": boringtun: "Sending keepalive, ()"', UTC, {
    envelope: 'rust-log', message: 'Sending keepalive, ()', text: 'Sending keepalive', timestampMs: utc(2022, 8, 16, 14, 29, 55, 249_000),
    timestampSource: 'line', level: 'info', logger: 'boringtun', implHint: 'boringtun',
  });
  expectDecoded('[2022-08-16T07:29:43.681-07:00] INFO "tic": stats: tx: 12972264B, rx: 503599102B, loss: 0.0%, rtt: 66', UTC, {
    envelope: 'rust-log', message: 'stats: tx: 12972264B, rx: 503599102B, loss: 0.0%, rtt: 66', timestampMs: utc(2022, 8, 16, 14, 29, 43, 681_000),
    timestampSource: 'line', level: 'info',
  });
  expectDecoded('[2026-04-09 12:48:37.953] ERROR gotatun::tun::buffer: Error receiving IP packet: Reached the end of the file. (os error 38)', BERLIN, {
    envelope: 'rust-log', message: 'Error receiving IP packet: Reached the end of the file. (os error 38)', timestampMs: utc(2026, 4, 9, 10, 48, 37, 953_000),
    timestampSource: 'line', level: 'error', logger: 'gotatun::tun::buffer', implHint: 'boringtun',
  });
  expectDecoded('[2025-10-28T13:29:12Z ERROR defguard_gateway::gateway] Stats stream aborted; reconnecting', UTC, {
    envelope: 'rust-log', message: 'Stats stream aborted; reconnecting', timestampMs: utc(2025, 10, 28, 13, 29, 12), timestampSource: 'line',
    level: 'error', logger: 'defguard_gateway::gateway', implHint: 'wireguard-rs',
  });
  expectDecoded(' DEBUG onetun::wg                > Sent 84 bytes to WireGuard endpoint (encrypted IP packet)', UTC, {
    envelope: 'rust-log', message: 'Sent 84 bytes to WireGuard endpoint (encrypted IP packet)', timestampSource: 'none', level: 'debug',
    logger: 'onetun::wg', implHint: 'boringtun',
  });
  // Locale dates, day first; local time.
  expectDecoded('[03/12/2024, 13:06:18][INFO][Client] Starting Defguard client version 1.0.1-8a0db17', BERLIN, {
    envelope: 'rust-log', message: 'Starting Defguard client version 1.0.1-8a0db17', timestampMs: utc(2024, 12, 3, 12, 6, 18), timestampSource: 'line',
    level: 'info', program: 'defguard-client', implHint: 'wireguard-rs',
  });
  expectDecoded('[*] updated interface office', UTC, {
    envelope: 'rust-log', message: 'updated interface office', timestampSource: 'none', level: 'info', program: 'innernet', implHint: 'wireguard-rs',
  });
  // wg-quick's own markers are not innernet's.
  expectDecoded('[!] Missing WireGuard kernel module. Falling back to slow userspace implementation.', UTC, {
    envelope: 'raw', message: '[!] Missing WireGuard kernel module. Falling back to slow userspace implementation.', timestampSource: 'none',
  });
});

test('ESPHome and ESP-IDF: the wireguard tags name the implementation', () => {
  expectDecoded('[22:34:07][D][wireguard:107]: Remote peer is offline (latest handshake timestamp not available)', UTC, {
    envelope: 'esphome', message: 'Remote peer is offline (latest handshake timestamp not available)', timestampSource: 'none', level: 'debug',
    logger: 'wireguard', implHint: 'lwip',
  });
  expectDecoded('[D][esp-idf:000]: E (7533) esp_wireguard: esp_wireguard_netif_create: ESP_FAIL', UTC, {
    envelope: 'esphome', message: 'esp_wireguard_netif_create: ESP_FAIL', timestampSource: 'none', level: 'error', uptimeSeconds: 7.533,
    logger: 'esp_wireguard', implHint: 'lwip',
  });
  expectDecoded('[22:34:02][D][main:199]: LTE modem connected!', UTC, {
    envelope: 'esphome', message: 'LTE modem connected!', timestampSource: 'none', level: 'debug', logger: 'main',
  });
});

test('field splitting: the last unbroken run, Rust Debug values with spaces, pretty fields', () => {
  assert.deepEqual(splitTrailingFields('Added new TURN server id=d address=Dual { v4: 34.88.70.83:3478, v6: [2600::1a]:3478 }'), {
    at: 22, fields: [['id', 'd'], ['address', 'Dual { v4: 34.88.70.83:3478, v6: [2600::1a]:3478 }']],
  });
  assert.deepEqual(splitTrailingFields('STUN message; num_agents = 0 local=1.2.3.4:5 num_bytes=88')?.at, 29);
  assert.equal(splitTrailingFields('Peer added'), undefined);
  assert.equal(splitTrailingFields('x a=( never closes'), undefined);
  assert.deepEqual(splitPrettyFields('Failed to initialize tunnel, error: Socket(Os { code: 2, kind: NotFound, message: "No, such" })'), {
    at: 27, fields: [['error', 'Socket(Os { code: 2, kind: NotFound, message: "No, such" })']],
  });
});

test('field splitting and span scanning stay linear on hostile input', () => {
  const hostile = [
    ' a=b'.repeat(2000), ' a=('.repeat(2000), ' a="'.repeat(2000), 'x a={'.repeat(2000), ', a: ('.repeat(2000), ', a: b'.repeat(2000),
    `2025-05-22T14:22:07.1Z  INFO ${'s{a=1}:'.repeat(800)} t::u: m`, `2025-05-22T14:22:07.1Z  INFO ${'s{'.repeat(2000)}`,
  ];
  const cases = hostile.map((s) => ({
    name: s.slice(0, 40),
    run: () => { splitTrailingFields(s); splitPrettyFields(s); decode(s, UTC); decode(`  ${s}`, UTC); },
    reference: scanOf([s, s, s, s]),
  }));
  assert.deepEqual(costlierThanReference(cases, COST_LIMIT), []);
});

test('the embedders\' entries: a direction only with a remote endpoint to put on it', () => {
  for (const d of RUST_EMBEDDER_MESSAGES) {
    const endpoint = d.pattern.includes('{endpoint}') || Object.values(d.fields ?? {}).includes('endpoint');
    assert.equal(d.direction !== 'none', endpoint, d.id);
    assert.ok(!d.unenveloped, `${d.id}: generic texts need their program's envelope`);
  }
});
