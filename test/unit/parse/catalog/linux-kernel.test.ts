// Proves the kernel catalog entries on their own: patterns compile, every example line is recognised as its
// own entry and as no other kernel entry, captures promised by the format string are there, and the ECS
// classification and diagnosis references are valid. The catalog-wide test goes through the real recogniser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, ENDPOINT_SOURCE } from '../../../../src/parse/catalog/macros.ts';
import { KERNEL_MESSAGES } from '../../../../src/parse/catalog/messages/linux-kernel.ts';
import { decodeExample, recognisedAs } from '../../../helpers/catalog.ts';
import { COST_LIMIT, costlierThanReference, scanOf } from '../../../helpers/cost.ts';
import type { CaptureName, MessageDef } from '../../../../src/parse/catalog/types.ts';

// Reference ids that must stay (ids are stable identifiers in stored documents).
const REFERENCE_IDS = [
  'kernel.handshake.cookie_received', 'kernel.handshake.invalid_mac', 'kernel.handshake.initiation_invalid',
  'kernel.handshake.initiation_received', 'kernel.handshake.response_invalid', 'kernel.handshake.response_received',
  'kernel.handshake.dropped_queue', 'kernel.handshake.initiation_sent', 'kernel.handshake.response_sent',
  'kernel.handshake.cookie_sent', 'kernel.handshake.cookie_decrypt_failed', 'kernel.session.keypair_created',
  'kernel.session.keypair_destroyed', 'kernel.data.keepalive_received', 'kernel.data.unallowed_src_ip',
  'kernel.data.not_ip', 'kernel.data.bad_size', 'kernel.data.invalid_nonce', 'kernel.tx.invalid_ip_packet',
  'kernel.tx.no_allowed_ips_v4', 'kernel.tx.no_allowed_ips_v6', 'kernel.tx.no_endpoint', 'kernel.tx.no_route_v4',
  'kernel.tx.no_route_v6', 'kernel.keepalive.sent', 'kernel.timer.handshake_giving_up', 'kernel.timer.handshake_retry',
  'kernel.timer.stopped_hearing_back', 'kernel.timer.zero_keys', 'kernel.lifecycle.module_loaded',
  'kernel.lifecycle.copyright', 'kernel.lifecycle.interface_created', 'kernel.lifecycle.interface_destroyed',
  'kernel.lifecycle.creating_netns_exiting', 'kernel.lifecycle.peer_created', 'kernel.lifecycle.peer_destroyed',
  'kernel.lifecycle.socket_v4_failed', 'kernel.lifecycle.socket_v6_failed', 'kernel.internal.wrong_handshake_type',
  'kernel.internal.unknown_packet_type', 'kernel.selftest.allowedips_pass', 'kernel.selftest.counter_pass',
  'kernel.selftest.ratelimiter_pass', 'kernel.selftest.fail', 'kernel.support.net_ratelimit_suppressed',
  'kernel.legacy.gro_drop', 'kernel.legacy.routing_loop', 'kernel.legacy.no_peer_configured',
  'kernel.legacy.too_many_handshakes', 'kernel.legacy.unloaded',
];


// Envelopes used by the examples: kern.log / journal short ("May 22 14:22:07 gw1 kernel: ", with or without the
// dmesg uptime) and plain dmesg. Then the dynamic-debug decoration and the module name, as the recogniser does.
const COMPILED = new Map<MessageDef, RegExp>(KERNEL_MESSAGES.map((m) => [m, compilePattern(m.pattern)]));

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The format string as a regular expression: tells an example in today's text from a legacy alternation. */
function formatRegex(format: string, bare: boolean): RegExp {
  const alternatives = format.split(' | ').map((f) => {
    let src = escapeRe(f.replace(/\n$/, '').trim());
    src = src.replace(/^%s: /, String.raw`[^\s:/]{1,15}: `);
    src = src.replace(/" WIREGUARD_VERSION "/, String.raw`\S+`);
    src = src.replace(/%pISpfsc/g, `(?:${ENDPOINT_SOURCE})`);
    src = src.replace(/%pIS?c|%pI[46]/g, '[0-9A-Fa-f:.]+');
    src = src.replace(/%pS/g, '.+');
    src = src.replace(/%(?:llu|Lu|zu|d|u)/g, String.raw`-?\d+`);
    src = src.replace(/%lx/g, '[0-9a-f]+');
    src = src.replace(/%s/g, String.raw`\S+`);
    return src;
  });
  // Tested against the whole decoded message: the format's text right after the module prefix, up to the end.
  return new RegExp(`${bare ? '^' : '(?:wireguard|amneziawg): '}(?:${alternatives.join('|')})$`, 'u');
}

/** Captures the format string promises, so that today's lines always fill them. */
function requiredCaptures(format: string): CaptureName[] {
  const rules: [RegExp, CaptureName][] = [
    [/^%s: /, 'iface'],
    [/%pISpfsc/, 'endpoint'],
    [/%pISc/, 'inner_src_ip'],
    [/%pI[46]/, 'inner_dst_ip'],
    [/[Pp]eer %(?:llu|Lu)/, 'peer_id'],
    [/Keypair %(?:llu|Lu)/, 'keypair_id'],
    [/error %d/, 'errno'],
    [/%d attempts|try %d/, 'attempt'],
    [/%d seconds/, 'seconds'],
    [/nonce %(?:llu|Lu)/, 'counter'],
    [/max %(?:llu|Lu)/, 'counter_max'],
    [/%d callbacks/, 'count'],
    [/WIREGUARD_VERSION/, 'version'],
    [/self-tests?\b.*(?:FAIL|%s self-tests)|^%s self-tests|at %s:%d/, 'detail'],
  ];
  return rules.filter(([re]) => re.test(format)).map(([, name]) => name);
}

test('kernel catalog keeps every reference id and has unique ids', () => {
  const ids = KERNEL_MESSAGES.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate id');
  for (const id of REFERENCE_IDS) assert.ok(ids.includes(id), `missing ${id}`);
  for (const id of ids) assert.match(id, /^kernel\.[a-z]+\.[a-z0-9_]+$/);
});

test('kernel entries are well-formed', () => {
  for (const def of KERNEL_MESSAGES) {
    const where = def.id;
    assert.equal(def.impl, 'linux-kernel', where);
    assert.ok(def.format.length > 0, where);
    assert.match(def.level, /^(?:debug|info|warning|error)$/, where);
    assert.match(def.action, /^wireguard(?:-[a-z0-9]+){2,}$/, where);
    assert.ok(def.examples.length > 0, `${where}: no examples`);
    if (def.ifacePrefix) assert.ok(!def.bare && (def.format.startsWith('%s: ') || def.id.startsWith('kernel.legacy.')), `${where}: ifacePrefix without a "%s: " in the format`);
    assert.ok(!def.peerPrefix, where);
    assert.doesNotMatch(def.pattern, /\.\*/, `${where}: unbounded .*`);
    assert.ok(COMPILED.get(def) instanceof RegExp, where);
    // The remote endpoint decides source vs destination; without one there is nothing to place.
    const hasEndpoint = def.pattern.includes('{endpoint}');
    assert.equal(def.direction !== 'none', hasEndpoint, `${where}: direction ${def.direction} vs endpoint capture`);
    if (def.rateLimited) assert.equal(def.level, 'debug', `${where}: only net_dbg lines are rate limited`);
  }
});

test('every kernel example is recognised as its own entry, with the captures its format promises', () => {
  for (const def of KERNEL_MESSAGES) {
    const modern = formatRegex(def.format, def.bare === true);
    // A bare line's leading "%s: " is the kernel's rate-limit state name, not an interface.
    const required = requiredCaptures(def.format).filter((name) => !((def.bare || def.ifacePrefix) && name === 'iface'));
    let modernSeen = false;
    for (const line of def.examples) {
      assert.doesNotMatch(line, /[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/, `${def.id}: a key in an example`);
      const own = recognisedAs(def.id, line);
      if (modern.test(decodeExample(line).message)) {
        modernSeen = true;
        for (const name of required) assert.ok(own.captures[name], `${def.id}: capture ${name} missing for ${line}`);
        if (def.ifacePrefix && def.format.startsWith('%s: ')) assert.ok(own.iface, `${def.id}: no interface for ${line}`);
      } else {
        assert.ok(def.versions ?? def.notes, `${def.id}: legacy text without versions/notes: ${line}`);
      }
    }
    assert.ok(modernSeen, `${def.id}: no example in the text of its format string`);
  }
});

test('kernel patterns cost no more than a few scans of hostile input', () => {
  const hostile = [
    'wg0: ' + 'a'.repeat(4000),
    'wg0: Handshake for peer 1 (' + '1.'.repeat(2000) + ')',
    'wg0: Packet has unallowed src IP (' + ':'.repeat(3000) + ') from peer 1 (1.2.3.4:5)',
    'WARNING: CPU: 1 PID: 2 at ' + 'x '.repeat(3000),
    'allowedips ' + 'self-test '.repeat(400) + ': FAIL',
    'wg0: No route to [' + 'f:'.repeat(2000) + ']:1/0%0, error -1',
  ];
  const cases = [...COMPILED].map(([def, re]) => ({ name: def.id, run: () => { for (const s of hostile) re.exec(s); }, reference: scanOf(hostile) }));
  assert.deepEqual(costlierThanReference(cases, COST_LIMIT), []);
});
