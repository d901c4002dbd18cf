// The diagnosis on Linux kernel (and a few wireguard-go) lines run through the real pipeline, at times chosen
// here: the kernel prints addresses and millisecond times, and throttles with the same "Invalid MAC" text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WgEventDoc } from '../../../../src/shared/schema/generated/event.ts';
import { diagnoseTunnel } from '../../../../src/correlate/diagnose/tunnel.ts';
import type { TunnelQuery } from '../../../../src/correlate/diagnose/tunnel.ts';
import { at, goLine, kernel, line, span } from './support.ts';

const SERVER = '198.51.100.1:51820';
const CLIENT = '203.0.113.7:41641';
/** A kernel client retries every 5 s plus up to 1/3 s of jitter. */
const ATTEMPTS = [0, 5.2, 10.5, 15.6, 20.9, 26.1];

function kernelClient(host = 'laptop', attempts = ATTEMPTS): WgEventDoc[] {
  return attempts.flatMap((s, i) => [
    ...(i > 0 ? [kernel(s, host, `Handshake for peer 3 (${SERVER}) did not complete after 5 seconds, retrying (try ${i + 1})`)] : []),
    kernel(s + 0.001, host, `Sending handshake initiation to peer 3 (${SERVER})`),
  ]);
}

/** The server's reaction to each client attempt, `skew` seconds off the client's clock. */
function serverSays(text: string, skew = 0.04, host = 'vpn-gw', attempts = ATTEMPTS): WgEventDoc[] {
  return attempts.map((s) => kernel(s + skew, host, text));
}

/** A second server handshaking with its own peer, always about 2.6 s away from the client's attempts. */
const otherServer = (host = 'gw2'): WgEventDoc[] =>
  [2.6, 13.1, 23.5].map((s) => kernel(s, host, 'Receiving handshake initiation from peer 1 (192.0.2.10:5000)'));

const clientQuery = (docs: readonly WgEventDoc[]): TunnelQuery => ({ side: 'initiator', host: 'laptop', iface: 'wg0', peer: { id: '3' }, ...span(docs) });

test('kernel wrong server key: invalid MAC from the client\'s address at each initiation', () => {
  const client = kernelClient();
  const others = [...serverSays(`Invalid MAC of handshake, dropping packet from ${CLIENT}`), ...otherServer()];
  const d = diagnoseTunnel(clientQuery(client), client, others);
  assert.equal(d.id, 'wrong-responder-key');
  assert.equal(d.confidence, 'confirmed');
  assert.deepEqual(d.counterpart, { host: 'vpn-gw', iface: 'wg0', method: 'timing', matched: 6, of: 6 });
  assert.ok(d.evidence.includes('On vpn-gw this tunnel shows up as address 203.0.113.7.'), d.evidence.join('\n'));
  assert.ok(d.evidence.some((e) => e.includes('within ±2 s of 6 of laptop\'s 6 handshake initiations')));
  assert.ok(d.evidence.some((e) => e.startsWith('laptop sent 6 handshake initiations to peer 3 between 03:00:00 and 03:00:26 UTC (5 retries)')), d.evidence.join('\n'));
});

test('kernel wrong server key, responder side: the client at the alert\'s address is found by timing', () => {
  const server = serverSays(`Invalid MAC of handshake, dropping packet from ${CLIENT}`);
  const q: TunnelQuery = { side: 'responder', host: 'vpn-gw', iface: 'wg0', remoteIp: '203.0.113.7', ...span(server) };
  assert.deepEqual([diagnoseTunnel(q, server, []).id, diagnoseTunnel(q, server, []).confidence], ['wrong-responder-key', 'probable']);
  const d = diagnoseTunnel(q, server, [...kernelClient('phone', [2.5, 13, 24]), ...kernelClient()]);
  assert.deepEqual([d.id, d.confidence], ['wrong-responder-key', 'confirmed']);
  assert.deepEqual(d.counterpart, { host: 'laptop', iface: 'wg0', method: 'timing', matched: 6, of: 6 });
  assert.match(d.title, /^laptop has the wrong public key for vpn-gw$/);
});

test('clock skew beyond the tolerance hides the match; a wider tolerance finds it', () => {
  const client = kernelClient();
  // The server's clock runs 2.6 s ahead: outside ±2 s of each initiation, and still 2.5 s from the next retry.
  const others = serverSays(`Invalid MAC of handshake, dropping packet from ${CLIENT}`, 2.6);
  const strict = diagnoseTunnel(clientQuery(client), client, others);
  assert.equal(strict.id, 'one-sided');
  assert.ok(strict.evidence.some((e) => e.includes('the closest, vpn-gw (wg0), matches 0 of 6')), strict.evidence.join('\n'));
  const loose = diagnoseTunnel(clientQuery(client), client, others, { skewToleranceMs: 3000 });
  assert.deepEqual([loose.id, loose.counterpart?.host, loose.counterpart?.matched], ['wrong-responder-key', 'vpn-gw', 6]);
  assert.ok(loose.evidence.some((e) => e.includes('within ±3 s of 6 of')));
});

test('kernel under load: cookies and suppressed log lines make invalid MAC a throttling message, not a key problem', () => {
  const server = [
    ...serverSays(`Invalid MAC of handshake, dropping packet from ${CLIENT}`),
    kernel(3, 'vpn-gw', 'Sending cookie response for denied handshake message for 198.18.0.9:1024'),
    kernel(4, 'vpn-gw', 'Dropping handshake packet from 198.18.0.10:1024'),
    // net_ratelimit lines carry no interface: they still count for wg0.
    line(`${at(5)} vpn-gw kernel: net_ratelimit: 37 callbacks suppressed`),
  ];
  const q: TunnelQuery = { side: 'responder', host: 'vpn-gw', iface: 'wg0', remoteIp: '203.0.113.7', ...span(server) };
  const d = diagnoseTunnel(q, server, kernelClient());
  assert.deepEqual([d.id, d.confidence], ['responder-under-load', 'probable']);
  assert.ok(d.evidence.some((e) => e.startsWith('vpn-gw logged 3 signs of handshake load') && e.includes('Sending cookie response')), d.evidence.join('\n'));
  // Only the suppressed-lines notice: still load.
  const quiet = server.filter((x) => x.event.action !== 'wireguard-cookie-reply-sent' && x.event.action !== 'wireguard-handshake-dropped-overload');
  assert.equal(diagnoseTunnel(q, quiet, []).id, 'responder-under-load');
});

test('kernel under load: a burst of invalid MACs from one source within a second is a flood', () => {
  // Straddles a second boundary (…:06.6 to …:07.3): counted in a sliding second, not per calendar second.
  const burst = Array.from({ length: 8 }, (_, i) => kernel(6.6 + i * 0.1, 'vpn-gw', 'Invalid MAC of handshake, dropping packet from 198.18.0.9:1024'));
  const q: TunnelQuery = { side: 'responder', host: 'vpn-gw', iface: 'wg0', remoteIp: '198.18.0.9', ...span(burst) };
  const d = diagnoseTunnel(q, burst, []);
  assert.deepEqual([d.id, d.confidence], ['responder-under-load', 'probable']);
  assert.ok(d.evidence.some((e) => e.includes('8 invalid-MAC handshakes from 198.18.0.9 within one second')), d.evidence.join('\n'));
  // The same lines at a client's pace are a key problem.
  const slow = ATTEMPTS.map((s) => kernel(s, 'vpn-gw', 'Invalid MAC of handshake, dropping packet from 198.18.0.9:1024'));
  assert.equal(diagnoseTunnel({ ...q, ...span(slow) }, slow, []).id, 'wrong-responder-key');
});

test('the client\'s own cookie replies point at a loaded server even without its logs', () => {
  const client = [...kernelClient(), kernel(5.3, 'laptop', `Receiving cookie response from ${SERVER}`)];
  const d = diagnoseTunnel(clientQuery(client), client, []);
  assert.deepEqual([d.id, d.confidence], ['responder-under-load', 'probable']);
});

test('kernel preshared-key mismatch: the server accepts and answers, the client rejects each response', () => {
  const client = [...kernelClient(), ...ATTEMPTS.map((s) => kernel(s + 0.09, 'laptop', `Invalid handshake response from ${SERVER}`))];
  const server = ATTEMPTS.flatMap((s, i) => [
    kernel(s + 0.04, 'vpn-gw', `Receiving handshake initiation from peer 7 (${CLIENT})`),
    kernel(s + 0.041, 'vpn-gw', `Sending handshake response to peer 7 (${CLIENT})`),
    kernel(s + 0.042, 'vpn-gw', `Keypair ${String(20 + i)} created for peer 7`),
  ]);
  const d = diagnoseTunnel(clientQuery(client), client, [...server, ...otherServer()]);
  assert.deepEqual([d.id, d.confidence, d.counterpart?.host], ['psk-mismatch', 'confirmed', 'vpn-gw']);
  assert.ok(d.evidence.includes('On vpn-gw this tunnel shows up as address 203.0.113.7, peer 7.'), d.evidence.join('\n'));
});

test('kernel: the server answers but the client never hears back → the return path is broken', () => {
  const client = kernelClient();
  const server = ATTEMPTS.flatMap((s) => [
    kernel(s + 0.04, 'vpn-gw', `Receiving handshake initiation from peer 7 (${CLIENT})`),
    kernel(s + 0.041, 'vpn-gw', `Sending handshake response to peer 7 (${CLIENT})`),
  ]);
  const d = diagnoseTunnel(clientQuery(client), client, server);
  assert.deepEqual([d.id, d.confidence], ['return-path-lost', 'confirmed']);
  assert.ok(d.checks.some((c) => c.includes('203.0.113.7')), d.checks.join('\n'));
});

test('kernel unreachable: the inventory\'s server handshakes with others but never logs this client', () => {
  const client = kernelClient();
  const d = diagnoseTunnel(clientQuery(client), client, otherServer('vpn-gw'), { counterparts: [{ host: 'vpn-gw', iface: 'wg0' }] });
  assert.deepEqual([d.id, d.confidence], ['unreachable', 'probable']);
  assert.deepEqual(d.counterpart, { host: 'vpn-gw', iface: 'wg0', method: 'inventory', matched: 0, of: 6 });
});

test('kernel AllowedIPs, responder side: the inner source addresses of this peer are reported', () => {
  const server = [
    kernel(0, 'vpn-gw', 'Receiving handshake initiation from peer 3 (198.51.100.23:51820)'),
    ...[1, 2, 3].map((s) => kernel(s, 'vpn-gw', 'Packet has unallowed src IP (192.168.50.12) from peer 3 (198.51.100.23:51820)')),
    kernel(4, 'vpn-gw', 'Packet has unallowed src IP (192.168.50.13) from peer 3 (198.51.100.23:51820)'),
    // Another peer's problem is not this tunnel's.
    kernel(2.5, 'vpn-gw', 'Packet has unallowed src IP (10.9.9.9) from peer 4 (192.0.2.99:51820)'),
  ];
  const bad = server.slice(1, 5);
  const d = diagnoseTunnel({ side: 'responder', host: 'vpn-gw', iface: 'wg0', peer: { id: '3' }, ...span(bad) }, server, []);
  assert.deepEqual([d.id, d.confidence], ['allowedips-mismatch', 'probable']);
  assert.match(d.summary, /inner source address \(192\.168\.50\.12, 192\.168\.50\.13\)/);
  assert.ok(d.evidence.includes('Inner source addresses outside AllowedIPs on vpn-gw: 192.168.50.12, 192.168.50.13.'), d.evidence.join('\n'));
  assert.ok(!d.evidence.some((e) => e.includes('10.9.9.9')));
});

/** wireguard-go, 1-second timestamps: a client whose clock went back, and a server that calls it a replay. */
const GO_ATTEMPTS = [0, 5, 10, 15, 20, 25];
const goClient = (): WgEventDoc[] => GO_ATTEMPTS.flatMap((s, i) => [
  ...(i > 0 ? [goLine(s, 'laptop-go', `peer(Ab3d…Qw8E) - Handshake did not complete after 5 seconds, retrying (try ${String(i + 1)})`)] : []),
  goLine(s, 'laptop-go', 'peer(Ab3d…Qw8E) - Sending handshake initiation'),
]);
const goReplayServer = (): WgEventDoc[] => GO_ATTEMPTS.flatMap((s) => [
  goLine(s, 'vpn-go', 'peer(xTIB…p8Dg) - ConsumeMessageInitiation: handshake replay @ 2026-11-25 02:59:26.92274688 +0000 UTC'),
  goLine(s, 'vpn-go', 'Received invalid initiation message from 10.99.0.2:45278'),
]);

test('wireguard-go replay: the client\'s clock went back (initiator side)', () => {
  const client = goClient();
  const d = diagnoseTunnel({ side: 'initiator', host: 'laptop-go', peer: { fragment: 'Ab3d…Qw8E' }, ...span(client) }, client, [...goReplayServer(), ...otherServer()]);
  assert.deepEqual([d.id, d.confidence, d.counterpart?.host], ['replay-or-clock', 'confirmed', 'vpn-go']);
  assert.ok(d.evidence.includes('The replayed handshake claimed the time 02:59:26, 33 s behind vpn-go\'s clock (03:00:00) when it arrived.'), d.evidence.join('\n'));
});

test('wireguard-go replay: the server\'s own replay lines decide (responder side), the client confirms', () => {
  const server = goReplayServer();
  const q: TunnelQuery = { side: 'responder', host: 'vpn-go', remoteIp: '10.99.0.2', ...span(server) };
  assert.deepEqual([diagnoseTunnel(q, server, []).id, diagnoseTunnel(q, server, []).confidence], ['replay-or-clock', 'probable']);
  const d = diagnoseTunnel(q, server, goClient());
  assert.deepEqual([d.id, d.confidence, d.counterpart?.host], ['replay-or-clock', 'confirmed', 'laptop-go']);
  // The same server without the replay lines: the key is unknown.
  const noReplay = server.filter((x) => x.event.action !== 'wireguard-handshake-initiation-replay');
  assert.equal(diagnoseTunnel(q, noReplay, goClient()).id, 'initiator-key-unknown');
});

test('a busy gateway whose lines fall near every moment by chance is not taken for the other end', () => {
  const client = kernelClient();
  // Ten peers handshaking in turn, one line every second, all through the padded window.
  const busy: WgEventDoc[] = [];
  for (let s = -30; s <= 56; s++) busy.push(kernel(s + 0.5, 'busy-gw', `Receiving handshake initiation from peer ${String(1 + ((s + 30) % 10))} (192.0.2.${String(1 + ((s + 30) % 10))}:5000)`));
  const alone = diagnoseTunnel(clientQuery(client), client, busy);
  assert.equal(alone.id, 'one-sided');
  assert.equal(alone.counterpart, undefined);
  const withServer = diagnoseTunnel(clientQuery(client), client, [...busy, ...serverSays(`Invalid MAC of handshake, dropping packet from ${CLIENT}`)]);
  assert.deepEqual([withServer.id, withServer.counterpart?.host], ['wrong-responder-key', 'vpn-gw']);
});

test('on a busy gateway named by the inventory, the tunnel\'s own peer is picked out by timing', () => {
  const client = [...kernelClient(), ...ATTEMPTS.map((s) => kernel(s + 0.09, 'laptop', `Invalid handshake response from ${SERVER}`))];
  const gw: WgEventDoc[] = [];
  for (let s = -30; s <= 56; s++) gw.push(kernel(s + 0.5, 'vpn-gw', `Receiving handshake initiation from peer ${String(1 + ((s + 30) % 10))} (192.0.2.${String(1 + ((s + 30) % 10))}:5000)`));
  gw.push(...ATTEMPTS.map((s) => kernel(s + 0.04, 'vpn-gw', `Receiving handshake initiation from peer 42 (${CLIENT})`)));
  const d = diagnoseTunnel(clientQuery(client), client, gw, { counterparts: [{ host: 'vpn-gw' }] });
  assert.deepEqual([d.id, d.confidence], ['psk-mismatch', 'confirmed']);
  assert.ok(d.evidence.includes('On vpn-gw this tunnel shows up as address 203.0.113.7, peer 42.'), d.evidence.join('\n'));
});

test('a known client address finds the server even with too few attempts for timing', () => {
  const client = kernelClient('laptop', [0, 5.2]);
  const server = serverSays(`Invalid handshake initiation from ${CLIENT}`, 0.04, 'vpn-gw', [0, 5.2]);
  const d = diagnoseTunnel(clientQuery(client), client, [...server, ...otherServer()], { initiatorAddresses: ['203.0.113.7'] });
  assert.deepEqual([d.id, d.confidence], ['initiator-key-unknown', 'confirmed']);
  assert.deepEqual(d.counterpart, { host: 'vpn-gw', iface: 'wg0', method: 'address', matched: 2, of: 2 });
});

test('two equally good candidates implying one cause: the cause stands, the other end stays open, whatever the input order', () => {
  const client = kernelClient();
  const text = `Invalid MAC of handshake, dropping packet from ${CLIENT}`;
  const others = [...serverSays(text, 0.04, 'b-gw'), ...serverSays(text, 0.04, 'a-gw')];
  const one = diagnoseTunnel(clientQuery(client), client, others);
  const two = diagnoseTunnel(clientQuery(client), [...client].reverse(), [...others].reverse());
  assert.deepEqual([one.id, one.confidence, one.counterpart], ['wrong-responder-key', 'probable', undefined]);
  assert.deepEqual(one.alternatives?.map((a) => a.host), ['a-gw', 'b-gw']);
  assert.deepEqual(two, one);
});

test('the alerting host\'s other peers and the period bound what counts', () => {
  // Initiations to another peer (4) and lines far outside the window do not make attempts for peer 3.
  const client = [
    ...kernelClient(),
    ...ATTEMPTS.map((s) => kernel(s + 2.5, 'laptop', 'Sending handshake initiation to peer 4 (192.0.2.50:51820)')),
    kernel(-600, 'laptop', `Sending handshake initiation to peer 3 (${SERVER})`),
  ];
  const d = diagnoseTunnel(clientQuery(kernelClient()), client, serverSays(`Invalid MAC of handshake, dropping packet from ${CLIENT}`));
  assert.deepEqual(d.counterpart, { host: 'vpn-gw', iface: 'wg0', method: 'timing', matched: 6, of: 6 });
  assert.ok(d.evidence[0]?.startsWith('laptop sent 6 handshake initiations to peer 3'), d.evidence[0]);
});
