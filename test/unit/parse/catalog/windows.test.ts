// Proves the Windows catalog entries on their own, before the catalog-wide recogniser exists: every pattern
// compiles, every example is recognised as its own entry and as no other Windows entry, the captures the
// message promises are there, and the ECS and diagnosis references are valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern } from '../../../../src/parse/catalog/macros.ts';
import { WINDOWS_MESSAGES } from '../../../../src/parse/catalog/messages/windows.ts';
import { decodeExample, recognisedAs } from '../../../helpers/catalog.ts';
import { COST_LIMIT, costlierThanReference, scanOf } from '../../../helpers/cost.ts';
import type { CaptureName, MessageDef } from '../../../../src/parse/catalog/types.ts';


// Captures each message must deliver, from its format string.
const EXPECTED_CAPTURES: Record<string, readonly CaptureName[]> = {
  'win.handshake.cookie_received': ['endpoint'],
  'win.handshake.invalid_mac': ['endpoint'],
  'win.handshake.initiation_invalid': ['endpoint'],
  'win.handshake.initiation_received': ['peer_id', 'endpoint'],
  'win.handshake.response_invalid': ['endpoint'],
  'win.handshake.response_received': ['peer_id', 'endpoint'],
  'win.handshake.dropped_queue': ['endpoint'],
  'win.handshake.initiation_sent': ['peer_id', 'endpoint'],
  'win.handshake.response_sent': ['peer_id', 'endpoint'],
  'win.handshake.cookie_sent': ['endpoint'],
  'win.handshake.cookie_decrypt_failed': [],
  'win.session.keypair_created': ['keypair_id', 'peer_id'],
  'win.session.keypair_destroyed': ['keypair_id', 'peer_id'],
  'win.data.keepalive_received': ['peer_id', 'endpoint'],
  'win.data.unallowed_src_ip': ['inner_src_ip', 'peer_id', 'endpoint'],
  'win.data.not_ip': ['peer_id', 'endpoint'],
  'win.data.bad_size': ['peer_id', 'endpoint'],
  'win.data.invalid_nonce': ['counter', 'counter_max'],
  'win.tx.missing_net_buffer': [],
  'win.tx.unsupported_protocol': [],
  'win.tx.invalid_ip_packet': [],
  'win.tx.no_endpoint': ['peer_id'],
  'win.keepalive.sent': ['peer_id', 'endpoint'],
  'win.timer.handshake_giving_up': ['peer_id', 'endpoint', 'attempt'],
  'win.timer.handshake_retry': ['peer_id', 'endpoint', 'seconds', 'attempt'],
  'win.timer.stopped_hearing_back': ['peer_id', 'endpoint', 'seconds'],
  'win.timer.zero_keys': ['peer_id', 'endpoint', 'seconds'],
  'win.lifecycle.interface_created': [],
  'win.lifecycle.interface_destroyed': [],
  'win.lifecycle.interface_up': [],
  'win.lifecycle.interface_down': [],
  'win.lifecycle.socket_bind_failed': ['local_endpoint', 'errno'],
  'win.lifecycle.peer_created': ['peer_id'],
  'win.lifecycle.peer_destroyed': ['peer_id', 'endpoint'],
  'win.meta.lines_swallowed': ['count'],
  'win.selftest.crypto': [],
  'win.selftest.crypto_fail': ['detail'],
  'win.svc.starting': ['version', 'detail'],
  'win.svc.using_driver': ['detail'],
  'win.svc.driver_version_unknown': ['error'],
  'win.svc.creating_adapter': [],
  'win.svc.retry_adapter': ['detail', 'error'],
  'win.svc.resolving_dns': [],
  'win.svc.watching': [],
  'win.svc.dropping_privileges': [],
  'win.svc.setting_config': [],
  'win.svc.startup_complete': [],
  'win.svc.shutting_down': [],
  'win.svc.fatal_error': ['detail'],
  'win.svc.forwarding_warning': ['detail'],
  'win.svc.dnscache_warning': ['detail'],
  'win.svc.netkvm_warning': ['version'],
  'win.svc.reinit': [],
  'win.svc.mtu_monitor': ['family'],
  'win.svc.set_addresses': ['family'],
  'win.svc.firewall': [],
  'win.svc.stale_address': ['detail'],
  'win.svc.retry_ifconfig': ['detail', 'error'],
  'win.svc.scm_locked': ['detail'],
  'win.svc.unexpected_control': ['detail'],
  'win.svc.deadlock': ['seconds'],
  'win.svc.script': ['detail'],
  'win.svc.script_output': [],
  'win.svc.script_failed': ['errno'],
  'win.svc.script_skipped': ['detail'],
};

const compiled = WINDOWS_MESSAGES.map((m) => ({ def: m, re: compilePattern(m.pattern) }));

test('windows: ids are unique, stable and complete', () => {
  const ids = WINDOWS_MESSAGES.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate id');
  for (const m of WINDOWS_MESSAGES) {
    assert.equal(m.impl, 'windows', m.id);
    assert.match(m.id, /^win\.[a-z]+\.[a-z0-9_]+$/u, m.id);
    assert.ok(m.id in EXPECTED_CAPTURES, `${m.id}: no expected captures listed in this test`);
  }
  assert.deepEqual(Object.keys(EXPECTED_CAPTURES).sort(), [...ids].sort());
});

test('windows: patterns compile and stay linear-time', () => {
  for (const { def } of compiled) {
    assert.doesNotThrow(() => compilePattern(def.pattern), def.id);
    assert.ok(!/^\^|\$$/u.test(def.pattern), `${def.id}: the recogniser anchors patterns, do not`);
    // Unbounded wildcards invite backtracking; use a macro or a bounded class instead. Character classes are
    // removed first: a "." inside one is a literal dot.
    const outsideClasses = def.pattern.replace(/\[(?:\\.|[^\]\\])*\]/gu, 'C');
    assert.ok(!/(?<!\\)\.[*+]/u.test(outsideClasses), `${def.id}: unbounded .* or .+`);
    // A lazy {text:…} must be followed by a literal or the end of the pattern.
    for (const m of def.pattern.matchAll(/\{text:[a-z_]+\}/gu)) {
      const rest = def.pattern.slice((m.index) + m[0].length);
      assert.ok(rest === '' || rest === ')?' || /^[^[({\\.]/u.test(rest) || /^\\[.()]/u.test(rest), `${def.id}: {text} followed by ${rest.slice(0, 10)}`);
    }
  }
});

test('windows: patterns cost no more than a few scans of long and hostile input', () => {
  // A cheap stand-in for a backtracking analysis: every example, padded or cut so that it almost matches, is
  // decided at the cost of a scan or so of the input, not of its square.
  const hostile = ['x'.repeat(20000), ' '.repeat(20000), '1'.repeat(20000), '('.repeat(5000), ':'.repeat(20000), '\\"'.repeat(5000)];
  const cases = compiled.map(({ def, re }) => {
    const inputs = def.examples.flatMap((line) => {
      const text = decodeExample(line).message;
      return [...hostile.map((h) => text + h), ...hostile.map((h) => text.slice(0, Math.ceil(text.length / 2)) + h), text.slice(0, -1)];
    });
    return { name: def.id, run: () => { for (const input of inputs) re.test(input); }, reference: scanOf(inputs) };
  });
  assert.deepEqual(costlierThanReference(cases, COST_LIMIT), []);
});

test('windows: the endpoint capture agrees with the direction', () => {
  for (const { def, re } of compiled) {
    const hasEndpoint = re.source.includes('(?<endpoint>');
    assert.equal(hasEndpoint, def.direction !== 'none', `${def.id}: direction ${def.direction} but endpoint capture ${hasEndpoint}`);
  }
});

test('windows: every example is recognised as its own entry, with the captures it needs', () => {
  for (const { def } of compiled) {
    assert.ok(def.examples.length > 0, `${def.id}: no examples`);
    for (const line of def.examples) {
      // No WireGuard key material in examples, ever.
      assert.ok(!/[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/u.test(line), `${def.id}: key-like string in example`);
      // The kernel prints the same self-test text; without an envelope naming Windows that entry wins.
      const own = recognisedAs(def.sameTextAs && !line.includes('[TUN]') ? def.sameTextAs : def.id, line);
      for (const name of EXPECTED_CAPTURES[def.id] ?? []) {
        const v = own.captures[name];
        assert.ok(v !== undefined && v !== '', `${def.id}: capture ${name} missing in "${line}"`);
      }
    }
  }
});

test('windows: messages with variable parts have more than the reference example', () => {
  const fixed = (m: MessageDef): boolean => !/%/u.test(m.format);
  for (const m of WINDOWS_MESSAGES) {
    if (!fixed(m) && m.id !== 'win.svc.netkvm_warning' && m.id !== 'win.svc.deadlock') {
      assert.ok(m.examples.length >= 2, `${m.id}: add a variant example`);
    }
  }
});

test('windows: captured values have the expected shape', () => {
  const find = (id: string): { def: MessageDef; re: RegExp } => {
    const e = compiled.find((c) => c.def.id === id);
    assert.ok(e, id);
    return e;
  };
  const groups = (id: string, text: string): Record<string, string | undefined> => {
    const m = find(id).re.exec(text);
    assert.ok(m?.groups, `${id}: ${text}`);
    return m.groups;
  };
  assert.equal(groups('win.handshake.initiation_sent', 'Sending handshake initiation to peer 7 ([fe80::1%12]:51820)').endpoint, '[fe80::1%12]:51820');
  assert.equal(groups('win.handshake.initiation_sent', 'Sending handshake initiation to peer 1 (no address)').endpoint, 'no address');
  assert.equal(groups('win.data.unallowed_src_ip', 'Packet has unallowed src IP (fd00:66::12) from peer 1 (198.51.100.23:51820)').inner_src_ip, 'fd00:66::12');
  const bind = groups('win.lifecycle.socket_bind_failed', 'Could not bind socket to [::]:51820 (0xc000020a)');
  assert.equal(bind.local_endpoint, '[::]:51820');
  assert.equal(bind.errno, '0xc000020a');
  const start = groups('win.svc.starting', 'Starting at boot WireGuard/1.1 (Windows Server Core 10.0.20348; amd64)');
  assert.equal(start.version, '1.1');
  assert.equal(start.detail, 'Windows Server Core 10.0.20348; amd64');
  const fatal = groups('win.svc.fatal_error', 'Unable to resolve one or more DNS hostname endpoints: lookup vpn.example.com: no such host');
  assert.equal(fatal.detail, 'Unable to resolve one or more DNS hostname endpoints');
  assert.equal(fatal.error, 'lookup vpn.example.com: no such host');
  assert.equal(groups('win.svc.forwarding_warning', 'Warning: the "a \\"b\\" c" interface has Forwarding/WeakHostSend enabled, which will cause routing loops').detail, 'a \\"b\\" c');
  // Texts that look alike but are other messages (or none) must not be taken.
  assert.equal(find('win.svc.fatal_error').re.test('Unable to determine service start reason: Access is denied.'), false);
  assert.equal(find('win.lifecycle.interface_up').re.test('Interface up requested'), false);
});
