// Proves the wireguard-go catalog entries: patterns compile and stay cheap, every example line is recognised
// as its own entry by the real decoder and recogniser, the captures the normaliser needs are there, diagnoses
// resolve, real lab lines land where they should and near misses nowhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, expandPattern } from '../../../../src/parse/catalog/macros.ts';
import { COMMON_DIAGNOSES } from '../../../../src/parse/catalog/diagnoses/common.ts';
import { WIREGUARD_GO_DIAGNOSES } from '../../../../src/parse/catalog/diagnoses/wireguard-go.ts';
import { WIREGUARD_GO_MESSAGES } from '../../../../src/parse/catalog/messages/wireguard-go.ts';
import type { CaptureName, MessageDef } from '../../../../src/parse/catalog/types.ts';
import { decodeExample, goLine, matchingIds, recognisedAs } from '../../../helpers/catalog.ts';
import { COST_LIMIT, costlierThanReference, scanOf } from '../../../helpers/cost.ts';

const MESSAGES: readonly MessageDef[] = WIREGUARD_GO_MESSAGES;
const COMPILED = new Map<string, RegExp>(MESSAGES.map((m) => [m.id, compilePattern(m.pattern)]));

function compiled(id: string): RegExp {
  const re = COMPILED.get(id);
  assert.ok(re, `no compiled pattern for ${id}`);
  return re;
}

// ------------------------------------------------------------------ expectations

/** Captures that every example of the entry must fill (beyond the peer, which the prefix or {peer} gives). */
const REQUIRED_CAPTURES: Readonly<Record<string, readonly CaptureName[]>> = {
  'go.handshake.replay': ['initiator_time'],
  'go.handshake.invalid_initiation': ['endpoint'],
  'go.handshake.invalid_response': ['endpoint'],
  'go.handshake.cookie_received': ['endpoint'],
  'go.handshake.cookie_sent': ['endpoint'],
  'go.handshake.derive_keypair_failed_rx': ['error'],
  'go.handshake.create_initiation_failed': ['error'],
  'go.handshake.send_initiation_failed': ['error'],
  'go.handshake.create_response_failed': ['error'],
  'go.handshake.send_response_failed': ['error'],
  'go.handshake.cookie_create_failed': ['error'],
  'go.rx.receive_failed': ['error'],
  'go.rx.disallowed_src_v4': ['family', 'peer_key'],
  'go.rx.disallowed_src_v6': ['family', 'peer_key'],
  'go.rx.invalid_ip_version': ['peer_key'],
  'go.rx.tun_write_failed': ['error'],
  'go.tx.multi_segment_drop': ['error'],
  'go.tx.tun_read_failed': ['error'],
  'go.tx.gso_disabled': ['local_endpoint'],
  'go.tx.send_data_failed': ['error'],
  'go.timer.giving_up': ['attempt'],
  'go.timer.retry': ['seconds', 'attempt'],
  'go.timer.stopped_hearing_back': ['seconds'],
  'go.timer.zero_keys': ['seconds'],
  'go.device.closed_ignored_state': ['state_requested'],
  'go.device.state_change': ['state_old', 'state_requested', 'state_new'],
  'go.device.state_change_failed': ['state_old', 'state_requested', 'state_new'],
  'go.device.bind_update_failed': ['error'],
  'go.device.bind_close_failed': ['error'],
  'go.device.mtu_unknown': ['error'],
  'go.tun.mtu_load_failed': ['error'],
  'go.tun.mtu_negative': ['mtu'],
  'go.tun.mtu_updated': ['mtu'],
  'go.uapi.set_error': ['errno'],
  'go.uapi.invalid_operation': ['operation'],
  'go.uapi.allowedip': ['operation'],
  'go.main.starting': ['version'],
  'go.main.tun_failed': ['error'],
  'go.main.uapi_listen_error': ['error'],
  'go.main.exe_failed': ['error'],
  'go.main.daemonize_failed': ['error'],
  'go.main.uapi_failed': ['error'],
  'go.main_windows.bring_up_failed': ['error'],
  'go.conn.rio_unavailable': ['error'],
  'go.legacy.flush_failed': ['error'],
  'go.legacy.uapi_set_failed': ['operation', 'error'],
  'go.legacy.uapi_invalid_key': ['operation', 'detail'],
  'go.legacy.uapi_invalid_error': ['error'],
  'go.legacy.cookie_send_failed': ['error'],
};

/**
 * Entries whose only variable part is absent from some releases' text (worker numbers, receive-routine names),
 * so no capture can be required of every example; at least one example must still fill one of these.
 */
const OPTIONAL_CAPTURES: Readonly<Record<string, readonly CaptureName[]>> = {
  'go.routine.encryption_started': ['worker'],
  'go.routine.encryption_stopped': ['worker'],
  'go.routine.decryption_started': ['worker'],
  'go.routine.decryption_stopped': ['worker'],
  'go.routine.handshake_started': ['worker'],
  'go.routine.handshake_stopped': ['worker'],
  'go.routine.receive_started': ['family', 'detail'],
  'go.routine.receive_stopped': ['family', 'detail'],
};

/** The reference catalog's wireguard-go ids (copied, not read: the reference is not shipped). */
const REFERENCE_IDS = [
  'go.handshake.replay', 'go.handshake.flood', 'go.handshake.invalid_initiation', 'go.handshake.initiation_received',
  'go.handshake.invalid_response', 'go.handshake.response_received', 'go.handshake.invalid_mac1',
  'go.handshake.cookie_received', 'go.handshake.cookie_decrypt_failed', 'go.handshake.cookie_decode_failed',
  'go.handshake.decode_initiation_failed', 'go.handshake.decode_response_failed', 'go.handshake.invalid_queue_packet',
  'go.handshake.derive_keypair_failed_rx', 'go.rx.unknown_type', 'go.rx.receive_failed', 'go.rx.keepalive_received',
  'go.rx.disallowed_src_v4', 'go.rx.disallowed_src_v6', 'go.rx.invalid_ip_version', 'go.rx.tun_write_failed',
  'go.handshake.initiation_sent', 'go.handshake.create_initiation_failed', 'go.handshake.send_initiation_failed',
  'go.handshake.response_sent', 'go.handshake.create_response_failed', 'go.handshake.derive_keypair_failed_tx',
  'go.handshake.send_response_failed', 'go.handshake.cookie_sent', 'go.handshake.cookie_create_failed',
  'go.keepalive.sent', 'go.tx.unknown_ip_version', 'go.tx.multi_segment_drop', 'go.tx.tun_read_failed',
  'go.tx.gso_disabled', 'go.tx.send_data_failed', 'go.timer.giving_up', 'go.timer.retry',
  'go.timer.stopped_hearing_back', 'go.timer.zero_keys', 'go.peer.starting', 'go.peer.stopping',
  'go.routine.tun_reader_started', 'go.routine.tun_reader_stopped', 'go.routine.event_worker_started',
  'go.routine.event_worker_stopped', 'go.routine.encryption_started', 'go.routine.encryption_stopped',
  'go.routine.decryption_started', 'go.routine.decryption_stopped', 'go.routine.handshake_started',
  'go.routine.handshake_stopped', 'go.routine.receive_started', 'go.routine.receive_stopped',
  'go.routine.seq_sender_started', 'go.routine.seq_sender_stopped', 'go.routine.seq_receiver_started',
  'go.routine.seq_receiver_stopped', 'go.device.closed_ignored_state', 'go.device.state_change',
  'go.device.bind_update_failed', 'go.device.bind_close_failed', 'go.device.mtu_unknown', 'go.device.closing',
  'go.device.closed', 'go.device.bind_updated', 'go.tun.mtu_load_failed', 'go.tun.mtu_negative',
  'go.tun.mtu_updated', 'go.tun.up_requested', 'go.tun.down_requested', 'go.uapi.set_error',
  'go.uapi.invalid_operation', 'go.uapi.private_key', 'go.uapi.listen_port', 'go.uapi.fwmark',
  'go.uapi.replace_peers', 'go.uapi.peer_created', 'go.uapi.peer_removing', 'go.uapi.psk', 'go.uapi.endpoint',
  'go.uapi.keepalive', 'go.uapi.replace_allowedips', 'go.uapi.allowedip', 'go.main.starting', 'go.main.tun_failed',
  'go.main.uapi_listen_error', 'go.main.exe_failed', 'go.main.daemonize_failed', 'go.main.device_started',
  'go.main.uapi_failed', 'go.main.uapi_started', 'go.main.shutting_down', 'go.main_windows.bring_up_failed',
  'go.conn.rio_unavailable', 'go.main.kernel_banner', 'go.legacy.flush_failed',
] as const;

/** Reference ids whose text is identical to another entry's and which that entry therefore covers. */
const MERGED_INTO: Readonly<Record<string, string>> = {
  'go.handshake.derive_keypair_failed_tx': 'go.handshake.derive_keypair_failed_rx',
};

/** Lines observed from a real wireguard-go (Debian 0.0.20220316), with the entry each must land in. */
const LAB_LINES: readonly (readonly [string, string])[] = [
  ['DEBUG: (wg0) 2026/11/25 00:34:39 peer(xTIB…p8Dg) - Received handshake initiation', 'go.handshake.initiation_received'],
  ['DEBUG: (wg0) 2026/11/25 00:34:39 peer(xTIB…p8Dg) - Sending handshake response', 'go.handshake.response_sent'],
  ['DEBUG: (wg0) 2026/11/25 00:34:39 peer(HIgo…8ykw) - Sending handshake initiation', 'go.handshake.initiation_sent'],
  ['DEBUG: (wg0) 2026/11/25 00:34:39 peer(HIgo…8ykw) - Received handshake response', 'go.handshake.response_received'],
  ['DEBUG: (wg0) 2026/11/25 00:34:40 Received packet with invalid mac1', 'go.handshake.invalid_mac1'],
  ['DEBUG: (wg0) 2026/11/25 00:34:45 peer(HIgo…8ykw) - Handshake did not complete after 5 seconds, retrying (try 2)', 'go.timer.retry'],
  ['DEBUG: (wg0) 2026/11/25 00:34:45 Received invalid initiation message from 10.99.0.2:45278', 'go.handshake.invalid_initiation'],
  ['DEBUG: (wg0) 2026/11/25 00:34:45 Received invalid response message from 10.99.0.1:51820', 'go.handshake.invalid_response'],
  ['DEBUG: (wg0) 2026/11/25 00:34:46 IPv4 packet with disallowed source address from peer(xTIB…p8Dg)', 'go.rx.disallowed_src_v4'],
  ['DEBUG: (wg0) 2026/11/25 00:34:46 peer(HIgo…8ykw) - Receiving keepalive packet', 'go.rx.keepalive_received'],
  ['DEBUG: (wg0) 2026/11/25 00:35:02 peer(xTIB…p8Dg) - ConsumeMessageInitiation: handshake replay @ 2026-11-25 00:34:39.150994944 +0000 UTC', 'go.handshake.replay'],
  ['ERROR: (wg0) 2026/11/25 00:35:10 UAPI listen error: unix socket in use', 'go.main.uapi_listen_error'],
];

const DIAGNOSIS_IDS = new Set<string>([...COMMON_DIAGNOSES, ...WIREGUARD_GO_DIAGNOSES].map((d) => d.id));


/** Verbs of the format string other than the leading peer ("%v - "), which the prefix stands for. */
function payloadVerbs(entry: MessageDef): number {
  const format = entry.peerPrefix ? entry.format.replace(/^%[vs] - /u, '') : entry.format;
  return (format.match(/%[a-z]/gu) ?? []).length;
}

// ------------------------------------------------------------------ tests

test('every reference id is an entry (or merged into one), ids are unique and entries are wireguard-go', () => {
  const ids = MESSAGES.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
  for (const id of REFERENCE_IDS) {
    const target = MERGED_INTO[id] ?? id;
    assert.ok(ids.includes(target), `reference id ${id} has no entry`);
  }
  for (const m of MESSAGES) {
    assert.equal(m.impl, 'wireguard-go', m.id);
    assert.match(m.id, /^go\.[a-z_]+\.[a-z0-9_]+$/u, m.id);
    assert.ok(m.format.length > 0, `${m.id}: empty format`);
    assert.match(m.level, /^(?:debug|info|warn|error)$/u, `${m.id}: level`);
    assert.match(m.action, /^wireguard(?:-[a-z0-9]+)+$/u, `${m.id}: action must be kebab-case wireguard-...`);
  }
});

test('patterns compile, use only known captures and stay linear-time', () => {
  for (const m of MESSAGES) {
    assert.doesNotThrow(() => expandPattern(m.pattern), m.id);
    assert.ok(!m.pattern.startsWith('^') && !/(?<!\\)\$$/u.test(m.pattern), `${m.id}: patterns are anchored by the recogniser`);
    assert.ok(!/\.[*+]/u.test(m.pattern), `${m.id}: use a macro instead of .* / .+`);
    assert.ok(!/\{text:\w+\}(?:\{|\(|\[)/u.test(m.pattern), `${m.id}: {text:…} must be followed by a literal or the end`);
  }
  // Adversarial inputs: long runs of the characters the macros accept, with the start of real messages.
  const inputs = [
    'a'.repeat(20_000),
    ' '.repeat(20_000),
    `Failed to ${'x: '.repeat(7_000)}`,
    `IPC error ${'-1'.repeat(7_000)}`,
    `Interface state was ${'Up, requested '.repeat(1_500)}`,
    `ConsumeMessageInitiation: handshake replay @ ${'2025-05-22 '.repeat(2_000)}`,
    `Received invalid initiation message from ${'[1:2:3:4:5:6:7:8%a'.repeat(1_000)}`,
  ];
  const cases = MESSAGES.map((m) => {
    const re = compiled(m.id);
    return { name: m.id, run: () => { for (const input of inputs) re.exec(input); }, reference: scanOf(inputs) };
  });
  assert.deepEqual(costlierThanReference(cases, COST_LIMIT), []);
});

test('diagnoses: ids resolve, failures and warnings have one, own diagnoses are complete and used', () => {
  const ownIds = WIREGUARD_GO_DIAGNOSES.map((d) => d.id);
  assert.equal(new Set([...COMMON_DIAGNOSES.map((d) => d.id), ...ownIds]).size, COMMON_DIAGNOSES.length + ownIds.length, 'diagnosis id defined twice');
  for (const m of MESSAGES) {
    const needs = m.outcome === 'failure' || m.severity === 'warning' || m.severity === 'error' || m.severity === 'critical';
    if (needs) assert.ok(m.diagnosis, `${m.id}: failure/warning entries need a diagnosis`);
    if (m.diagnosis !== undefined) assert.ok(DIAGNOSIS_IDS.has(m.diagnosis), `${m.id}: unknown diagnosis ${m.diagnosis}`);
  }
  const used = new Set(MESSAGES.map((m) => m.diagnosis));
  for (const d of WIREGUARD_GO_DIAGNOSES) {
    assert.ok(used.has(d.id), `diagnosis ${d.id} is not used by any entry`);
    assert.ok(d.summary.length > 20, d.id);
    assert.ok(d.causes.length > 0 && d.checks.length > 0, d.id);
    assert.ok(d.causes.some((c) => c.likelihood === 'likely'), `${d.id}: rank at least one cause as likely`);
  }
});

test('direction matches the presence of a remote endpoint', () => {
  for (const m of MESSAGES) {
    const hasRemote = /\{endpoint\}|\{endpoint:endpoint\}|\(\?<endpoint>/u.test(m.pattern);
    assert.equal(m.direction !== 'none', hasRemote, `${m.id}: direction ${m.direction} but ${hasRemote ? 'an' : 'no'} endpoint capture`);
  }
});

test('every example is recognised as its own entry, with the captures it needs', () => {
  for (const m of MESSAGES) {
    assert.ok(m.examples.length > 0, `${m.id}: no examples`);
    const verbs = payloadVerbs(m);
    if (verbs > 0) {
      assert.ok(m.examples.length >= 2, `${m.id}: a message with variable parts needs a variant example`);
      assert.ok(REQUIRED_CAPTURES[m.id] ?? OPTIONAL_CAPTURES[m.id], `${m.id}: has variable parts but no expected captures in this test`);
    }
    const optional = OPTIONAL_CAPTURES[m.id];
    let optionalSeen = false;
    for (const line of m.examples) {
      assert.ok(!/[A-Za-z0-9+/]{43}=/u.test(line), `${m.id}: example contains something shaped like a full key`);
      const level = decodeExample(line).level;
      if (level !== undefined && level !== m.level) {
        assert.ok(m.versions?.includes(level.toUpperCase()), `${m.id}: example at ${level} but entry level is ${m.level} and versions do not explain it: ${line}`);
      }
      const own = recognisedAs(m.id, line);
      for (const name of REQUIRED_CAPTURES[m.id] ?? []) {
        const value = name === 'peer_key' ? (own.captures.peer_key ?? own.peerKey) : own.captures[name];
        assert.ok(value !== undefined && value !== '', `${m.id}: capture ${name} missing for: ${line}`);
      }
      if (m.peerPrefix) assert.ok(own.peerKey, `${m.id}: peer-scoped example lacks its peer prefix`);
      if (optional?.some((name) => own.captures[name] !== undefined)) optionalSeen = true;
    }
    if (optional) assert.ok(optionalSeen, `${m.id}: no example fills any of ${optional.join(', ')}`);
  }
});

test('the replay line yields the initiator\'s clock in Go\'s time.Time.String() form', () => {
  const got = recognisedAs('go.handshake.replay', goLine('peer(xTIB…p8Dg) - ConsumeMessageInitiation: handshake replay @ 2026-11-25 00:34:39.150994944 +0000 UTC'));
  assert.equal(got.captures.initiator_time, '2026-11-25 00:34:39.150994944 +0000 UTC');
  assert.equal(got.peerKey, 'xTIB…p8Dg');
});

test('the device state line is a failure only when the requested state was not reached', () => {
  assert.deepEqual(matchingIds(goLine('Interface state was Up, requested Up, now Up')), ['go.device.state_change']);
  assert.deepEqual(matchingIds(goLine('Interface state was Down, requested Up, now Closed')), ['go.device.state_change_failed']);
  assert.equal(recognisedAs('go.device.state_change_failed', goLine('Interface state was Down, requested Up, now Closed')).captures.state_new, 'Closed');
});

test('every line observed from a real wireguard-go lands in exactly the expected entry', () => {
  for (const [line, id] of LAB_LINES) {
    assert.deepEqual(matchingIds(line), [id], line);
  }
});

test('unrelated text and near misses are not recognised', () => {
  const nearMisses = [
    // A name with a port is an endpoint (Tailscale prints "<disco key>.disco.tailscale:12345"); a bare word is not.
    'Received invalid initiation message from somewhere',
    'Received packet with invalid mac1 from 10.0.0.1:1',
    'peer(xTIB…p8Dg) - Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    'peer(xTIB…p8Dg) - UAPI: Removing everything',
    'Interface state was Down, requested Up',
    'Failed to set nothing: x',
    'MTU updated: large',
    'Routine: receive incoming  - started',
    'wireguard: wg0: Invalid handshake initiation from 10.0.0.1:51820',
    '',
  ];
  for (const body of nearMisses) {
    assert.deepEqual(matchingIds(goLine(body)), [], `"${body}" should not be recognised`);
  }
});
