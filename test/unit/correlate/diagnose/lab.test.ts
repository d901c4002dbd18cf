// The diagnosis on real wireguard-go captures (test/golden/lab): each scenario is one known misconfiguration,
// captured on both ends. The lab runs lasted ~9 s, so a client sent at most 2 initiations; timing needs 3 by
// default (see DEFAULT_MIN_INITIATIONS), so most tests here lower it to what the captures hold, and one test
// shows the default refusing to tie hosts together on so little.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WgEventDoc } from '../../../../src/shared/schema/generated/event.ts';
import { PADDING_MS, diagnoseTunnel } from '../../../../src/correlate/diagnose/tunnel.ts';
import type { TunnelDiagnosis, TunnelQuery } from '../../../../src/correlate/diagnose/tunnel.ts';
import type { Scenario } from './support.ts';
import { SCENARIOS, hostOf, labDocs, ms, span } from './support.ts';

/** What each lab scenario broke, in the diagnosis' words. */
const CAUSE: Readonly<Record<Scenario, string>> = {
  'healthy': 'handshake-ok',
  'wrong-server-key': 'wrong-responder-key',
  'server-lacks-client': 'initiator-key-unknown',
  'psk': 'psk-mismatch',
  'allowedips': 'allowedips-mismatch',
};

/** A server that ran just before or after, so its lines fall inside the padded window and compete. */
const DISTRACTOR: Readonly<Record<Scenario, Scenario>> = {
  'healthy': 'wrong-server-key',
  'wrong-server-key': 'server-lacks-client',
  'server-lacks-client': 'psk',
  'psk': 'allowedips',
  'allowedips': 'psk',
};

const ENOUGH = { minInitiations: 1 };

function clientQuery(sc: Scenario): TunnelQuery {
  return { side: 'initiator', host: hostOf(sc, 'client'), ...span(labDocs(sc, 'client')) };
}

const initiations = (docs: readonly WgEventDoc[]): number =>
  new Set(docs.filter((d) => d.event.action === 'wireguard-handshake-initiation-sent').map((d) => d['@timestamp'])).size;

function noPlaceholders(d: TunnelDiagnosis): void {
  for (const text of [d.title, d.summary, ...d.checks, ...d.evidence]) assert.doesNotMatch(text, /\{\w+\}/, text);
}

for (const sc of SCENARIOS) {
  test(`lab ${sc}: the client's alert is explained from both ends, the server found by timing`, () => {
    const q = clientQuery(sc);
    const distractor = labDocs(DISTRACTOR[sc], 'server');
    // The distractor only proves something if it really is inside the window the caller would fetch.
    assert.ok(distractor.some((d) => ms(d) >= q.start - PADDING_MS && ms(d) <= q.end + PADDING_MS));
    const d = diagnoseTunnel(q, labDocs(sc, 'client'), [...distractor, ...labDocs(sc, 'server')], ENOUGH);
    assert.equal(d.id, CAUSE[sc]);
    assert.equal(d.confidence, 'confirmed');
    const n = initiations(labDocs(sc, 'client'));
    assert.deepEqual(d.counterpart, { host: hostOf(sc, 'server'), iface: 'wg0', method: 'timing', matched: n, of: n });
    assert.ok(d.evidence.some((e) => e.startsWith(`${hostOf(sc, 'server')} (wg0) was taken for the other end by timing`)), d.evidence.join('\n'));
    assert.ok(!d.evidence.some((e) => e.includes(hostOf(DISTRACTOR[sc], 'server'))), 'the distractor is not cited');
    noPlaceholders(d);
  });
}

test('lab wrong-server-key: the evidence quotes the server\'s address-less line and counts the matches', () => {
  const d = diagnoseTunnel(clientQuery('wrong-server-key'), labDocs('wrong-server-key', 'client'), labDocs('wrong-server-key', 'server'), ENOUGH);
  assert.ok(d.evidence.includes(
    'wrong-server-key-server logged \'Received packet with invalid mac1\' within ±2 s of 2 of wrong-server-key-client\'s 2 handshake initiations.',
  ), d.evidence.join('\n'));
  assert.match(d.title, /wrong-server-key-client has the wrong public key for wrong-server-key-server/);
  assert.ok(d.checks.some((c) => c.includes('`wg show wg0 public-key`')));
});

test('lab: by default two initiations are too few to tie a server to the client by timing', () => {
  for (const sc of ['wrong-server-key', 'server-lacks-client'] as const) {
    const d = diagnoseTunnel(clientQuery(sc), labDocs(sc, 'client'), labDocs(sc, 'server'));
    assert.equal(d.id, 'one-sided');
    assert.equal(d.counterpart, undefined);
    assert.ok(d.evidence.some((e) => e.includes('at least 3 handshake initiations; there were 2')), d.evidence.join('\n'));
  }
});

test('lab: with only the client\'s logs, the three look-alike causes are listed and the server\'s logs asked for', () => {
  for (const sc of ['wrong-server-key', 'server-lacks-client'] as const) {
    const d = diagnoseTunnel(clientQuery(sc), labDocs(sc, 'client'), [], ENOUGH);
    assert.equal(d.id, 'one-sided');
    assert.equal(d.confidence, 'possible');
    assert.equal(d.counterpart, undefined);
    assert.match(d.summary, /wrong public key for the server/);
    assert.match(d.summary, /does not know/);
    assert.match(d.summary, /never reach the server/);
    assert.match(d.summary, /ship the server's WireGuard logs/);
    noPlaceholders(d);
  }
});

test('lab psk: the client alone is enough for a probable preshared-key mismatch', () => {
  const d = diagnoseTunnel(clientQuery('psk'), labDocs('psk', 'client'), [], ENOUGH);
  assert.equal(d.id, 'psk-mismatch');
  assert.equal(d.confidence, 'probable');
  assert.equal(d.counterpart, undefined);
});

test('lab: an inventory counterpart that logged nothing at the client\'s moments means the packets never arrive', () => {
  // server-lacks-client-server logs WireGuard lines in the window, but none within ±2 s of this client's initiations.
  const q = clientQuery('wrong-server-key');
  const d = diagnoseTunnel(q, labDocs('wrong-server-key', 'client'), labDocs('server-lacks-client', 'server'), {
    counterparts: [{ host: hostOf('server-lacks-client', 'server'), iface: 'wg0' }],
  });
  assert.equal(d.id, 'unreachable');
  assert.equal(d.confidence, 'probable');
  assert.deepEqual(d.counterpart, { host: hostOf('server-lacks-client', 'server'), iface: 'wg0', method: 'inventory', matched: 0, of: 2 });
  assert.ok(d.evidence.some((e) => e.includes('logged no handshake lines of any kind within ±2 s of any of')), d.evidence.join('\n'));
});

test('lab: the inventory wins over timing, and a listed host that shipped nothing leaves the question open', () => {
  const q = clientQuery('wrong-server-key');
  const d = diagnoseTunnel(q, labDocs('wrong-server-key', 'client'), labDocs('wrong-server-key', 'server'), {
    ...ENOUGH,
    counterparts: [{ host: 'vpn-gw-not-shipping' }],
  });
  assert.equal(d.id, 'one-sided');
  assert.deepEqual(d.counterpart, { host: 'vpn-gw-not-shipping', method: 'inventory', matched: 0, of: 2 });
  assert.ok(d.evidence.some((e) => e.includes('shipped no WireGuard lines')));
});

test('lab server-lacks-client, responder side: the server\'s own lines name the cause; the client confirms it', () => {
  const server = labDocs('server-lacks-client', 'server');
  const invalid = server.filter((d) => d.event.action === 'wireguard-handshake-initiation-invalid');
  const remoteIp = invalid[0]?.source?.ip;
  assert.equal(remoteIp, '10.99.0.2');
  const q: TunnelQuery = { side: 'responder', host: hostOf('server-lacks-client', 'server'), iface: 'wg0', remoteIp, ...span(invalid) };

  const alone = diagnoseTunnel(q, server, []);
  assert.equal(alone.id, 'initiator-key-unknown');
  assert.equal(alone.confidence, 'probable');
  assert.match(alone.title, /^server-lacks-client-server does not know the client at 10\.99\.0\.2's public key$/);

  const clients = [...labDocs('server-lacks-client', 'client'), ...labDocs('psk', 'client')];
  const both = diagnoseTunnel(q, server, clients, ENOUGH);
  assert.equal(both.id, 'initiator-key-unknown');
  assert.equal(both.confidence, 'confirmed');
  assert.deepEqual(both.counterpart, { host: hostOf('server-lacks-client', 'client'), iface: 'wg0', method: 'timing', matched: 2, of: 2 });
  noPlaceholders(both);
});

test('lab allowedips, responder side: packets outside AllowedIPs, and wireguard-go does not print their address', () => {
  const server = labDocs('allowedips', 'server');
  const bad = server.filter((d) => d.event.action === 'wireguard-packet-source-not-allowed');
  const fragment = bad[0]?.wireguard?.peer?.key_fragment;
  assert.ok(fragment !== undefined);
  const q: TunnelQuery = { side: 'responder', host: hostOf('allowedips', 'server'), iface: 'wg0', peer: { fragment }, ...span(bad) };

  const alone = diagnoseTunnel(q, server, []);
  assert.equal(alone.id, 'allowedips-mismatch');
  assert.equal(alone.confidence, 'probable');
  assert.ok(alone.evidence.some((e) => e.includes('does not print the inner source address')));

  const both = diagnoseTunnel(q, server, labDocs('allowedips', 'client'), ENOUGH);
  assert.equal(both.id, 'allowedips-mismatch');
  assert.equal(both.confidence, 'confirmed');
  assert.equal(both.counterpart?.host, hostOf('allowedips', 'client'));
});

test('lab wrong-server-key, responder side: address-less invalid-mac1 lines are tied to the client by time', () => {
  const server = labDocs('wrong-server-key', 'server');
  const mac = server.filter((d) => d.event.action === 'wireguard-handshake-mac-invalid');
  const q: TunnelQuery = { side: 'responder', host: hostOf('wrong-server-key', 'server'), ...span(mac) };
  const alone = diagnoseTunnel(q, server, []);
  assert.deepEqual([alone.id, alone.confidence], ['wrong-responder-key', 'probable']);
  const both = diagnoseTunnel(q, server, [...labDocs('healthy', 'client'), ...labDocs('wrong-server-key', 'client')], ENOUGH);
  assert.deepEqual([both.id, both.confidence, both.counterpart?.host], ['wrong-responder-key', 'confirmed', hostOf('wrong-server-key', 'client')]);
});

test('lab psk, responder side: the server looks healthy; only the client\'s log shows the mismatch', () => {
  const server = labDocs('psk', 'server');
  const accepted = server.filter((d) => d.event.action === 'wireguard-handshake-initiation-received');
  const fragment = accepted[0]?.wireguard?.peer?.key_fragment;
  assert.ok(fragment !== undefined);
  const q: TunnelQuery = { side: 'responder', host: hostOf('psk', 'server'), peer: { fragment }, ...span(accepted) };
  const alone = diagnoseTunnel(q, server, []);
  assert.equal(alone.id, 'one-sided');
  assert.match(alone.summary, /ship the client's WireGuard logs/);
  const both = diagnoseTunnel(q, server, labDocs('psk', 'client'), ENOUGH);
  assert.deepEqual([both.id, both.confidence, both.counterpart?.host], ['psk-mismatch', 'confirmed', hostOf('psk', 'client')]);
});

test('lab: the result does not depend on the order of the input documents', () => {
  const q = clientQuery('psk');
  const client = labDocs('psk', 'client');
  const others = [...labDocs('psk', 'server'), ...labDocs('allowedips', 'server')];
  const a = diagnoseTunnel(q, client, others, ENOUGH);
  const b = diagnoseTunnel(q, [...client].reverse(), [...others].reverse(), ENOUGH);
  assert.deepEqual(b, a);
});
