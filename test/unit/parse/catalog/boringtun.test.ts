// Proves the boringtun catalog entries on their own: patterns compile, every example line is recognised as its
// own entry and as no other boringtun entry, the fields named in the tracing call are captured, and the ECS
// classification and diagnosis references are valid. The catalog-wide test goes through the real recogniser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern } from '../../../../src/parse/catalog/macros.ts';
import { BORINGTUN_MESSAGES } from '../../../../src/parse/catalog/messages/boringtun.ts';
import { decodeExample, recognisedAs } from '../../../helpers/catalog.ts';
import { COST_LIMIT, costlierThanReference, scanOf } from '../../../helpers/cost.ts';
import type { CaptureName, MessageDef } from '../../../../src/parse/catalog/types.ts';

// Reference ids that must stay (ids are stable identifiers in stored documents).
const REFERENCE_IDS = [
  'bt.timer.session_expired', 'bt.timer.connection_expired_idle', 'bt.timer.connection_expired_rekey_attempt',
  'bt.timer.handshake_rekey_timeout', 'bt.timer.rekey_after_time_send', 'bt.timer.rekey_on_receive',
  'bt.timer.keepalive_rekey', 'bt.timer.keepalive_passive', 'bt.timer.keepalive_persistent',
  'bt.handshake.initiation_received', 'bt.handshake.response_sent', 'bt.handshake.response_received',
  'bt.handshake.keepalive_after_response', 'bt.handshake.cookie_received', 'bt.handshake.cookie_set',
  'bt.session.new_current', 'bt.session.none', 'bt.handshake.initiation_sent', 'bt.device.disconnect_endpoint',
  'bt.device.connected_endpoint', 'bt.device.poll_error', 'bt.device.peer_removed', 'bt.device.peer_added',
  'bt.device.timer_error', 'bt.device.encapsulate_error', 'bt.device.no_endpoint', 'bt.cli.started',
  'bt.cli.daemonize_failed', 'bt.cli.init_failed', 'bt.cli.drop_privileges_failed', 'bt.stderr.decapsulate_error',
  'bt.stderr.tun_fatal', 'bt.stderr.tun_unexpected', 'bt.stderr.start_failed',
];


const COMPILED = new Map<MessageDef, RegExp>(BORINGTUN_MESSAGES.map((m) => [m, compilePattern(m.pattern)]));

/** Fields the tracing call (or the printed format) carries, as capture names. */
function requiredCaptures(format: string): CaptureName[] {
  const rules: [RegExp, CaptureName][] = [
    // boringtun names the packet's receiver index "remote_idx" in one place; the expression tells which it is.
    [/remote_idx = p\.sender_idx/, 'sender_index'],
    [/remote_idx = r_idx|local_idx = |session = /, 'receiver_index'],
    [/error = \?|\?error|\{:\?\}/, 'error'],
    [/endpoint = \?/, 'endpoint'],
    [/port = port/, 'local_endpoint'],
  ];
  return rules.filter(([re]) => re.test(format)).map(([, name]) => name);
}

test('boringtun catalog keeps every reference id and has unique ids', () => {
  const ids = BORINGTUN_MESSAGES.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate id');
  for (const id of REFERENCE_IDS) assert.ok(ids.includes(id), `missing ${id}`);
  for (const id of ids) assert.match(id, /^bt\.[a-z]+\.[a-z0-9_]+$/);
});

test('boringtun entries are well-formed', () => {
  for (const def of BORINGTUN_MESSAGES) {
    const where = def.id;
    assert.equal(def.impl, 'boringtun', where);
    assert.ok(def.format.length > 0, where);
    assert.match(def.level, /^(?:trace|debug|info|warn|error)$/, where);
    assert.match(def.action, /^wireguard(?:-[a-z0-9]+){2,}$/, where);
    assert.ok(def.examples.length > 0, `${where}: no examples`);
    assert.ok(!def.bare && !def.ifacePrefix && !def.peerPrefix && !def.rateLimited, `${where}: kernel/go-only flags`);
    assert.doesNotMatch(def.pattern, /\.\*/, `${where}: unbounded .*`);
    assert.ok(COMPILED.get(def) instanceof RegExp, where);
    const hasEndpoint = def.pattern.includes('{endpoint}');
    assert.equal(def.direction !== 'none', hasEndpoint, `${where}: direction ${def.direction} vs endpoint capture`);
  }
});

test('every boringtun example is recognised as its own entry, at its level, with its fields', () => {
  for (const def of BORINGTUN_MESSAGES) {
    const required = requiredCaptures(def.format);
    for (const line of def.examples) {
      assert.doesNotMatch(line, /[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/, `${def.id}: a key in an example`);
      const decoded = decodeExample(line);
      if (decoded.envelope === 'boringtun') assert.equal(decoded.level, def.level, `${def.id}: level of ${line}`);
      const own = recognisedAs(def.id, line);
      for (const name of required) assert.ok(own.captures[name], `${def.id}: capture ${name} missing for ${line}`);
    }
  }
});

test('boringtun patterns cost no more than a few scans of hostile input', () => {
  const hostile = [
    'a'.repeat(4000),
    'Decapsulate error ' + 'X'.repeat(4000),
    'Connected endpoint port=1 endpoint=[' + 'f:'.repeat(2000) + ']:1',
    'Failed to initialize tunnel error=' + '('.repeat(3000),
    'Received handshake_response local_idx=' + '1'.repeat(3000),
  ];
  const cases = [...COMPILED].map(([def, re]) => ({ name: def.id, run: () => { for (const s of hostile) re.exec(s); }, reference: scanOf(hostile) }));
  assert.deepEqual(costlierThanReference(cases, COST_LIMIT), []);
});
