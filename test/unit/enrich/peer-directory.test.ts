import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInventory, parseInventory } from '../../../src/enrich/inventory.ts';
import type { Inventory } from '../../../src/enrich/inventory.ts';
import { PeerDirectory } from '../../../src/enrich/peer-directory.ts';
import { parseWgDump } from '../../../src/parse/wg-dump.ts';
import type { WgEventDoc } from '../../../src/shared/schema/generated/event.ts';
import { ALICE, ALICE_TWIN, BOB, FIXTURES, GATEWAY, LAB_CLIENT, event, kernel, labEvents } from './helpers.ts';

const inventory = (): Inventory => loadInventory(join(FIXTURES, 'inventory.yaml'));
const at = (iso: string): number => Date.parse(iso);
const PRIVATE = Buffer.alloc(32, 0x11).toString('base64');
const PSK = Buffer.alloc(32, 0x22).toString('base64');
const HS = 1747924000; // 2025-05-22T14:26:40Z

/** What the pipeline does per event: learn, then fill in. */
function feed(dir: PeerDirectory, ...lines: string[]): WgEventDoc[] {
  return lines.map((l) => {
    const e = event(l);
    dir.observe(e);
    dir.enrich(e);
    return e;
  });
}

/** A wireguard-go line as journald/syslog forwards it, so it carries a host name. */
const goLine = (host: string, body: string): string => `May 22 14:22:08 ${host} wireguard-go[812]: DEBUG: (wg0) 2025/05/22 14:22:07 ${body}`;

/** `wg show all dump` of one interface. */
function dump(iface: string, own: string, peers: { key: string; endpoint?: string; handshake?: number }[]): string {
  return [
    [iface, PRIVATE, own, 51820, 'off'].join('\t'),
    ...peers.map((p) => [iface, p.key, PSK, p.endpoint ?? '(none)', '10.66.0.0/24', p.handshake ?? 0, 100, 200, 'off'].join('\t')),
  ].join('\n');
}

test('kernel: a peer id is tied to the address it was last seen at, port ignored, time kept', () => {
  const dir = new PeerDirectory({ maxEntries: 100 });
  feed(dir,
    kernel('gw1', 'wg0: Peer 3 created', 'May 22 09:13:27'),
    kernel('gw1', 'wg0: Receiving handshake initiation from peer 3 (192.0.2.7:51820)', 'May 22 14:33:56'));
  const expected = { method: 'address', peerId: '3', endpoint: '192.0.2.7:51820', lastSeen: at('2025-05-22T14:33:56Z') };
  assert.deepEqual(dir.byAddress('gw1', 'wg0', '192.0.2.7'), expected);
  assert.deepEqual(dir.byAddress('gw1', undefined, '192.0.2.7'), expected, 'any interface of the host');
  assert.equal(dir.byAddress('gw2', 'wg0', '192.0.2.7'), undefined, 'another host knows nothing of it');
  assert.equal(dir.byAddress('gw1', 'wg0', '192.0.2.8'), undefined);
  assert.deepEqual(dir.byPeer({ host: 'gw1', iface: 'wg0', id: '3' }), { method: 'kernel-peer-id', peerId: '3', endpoint: '192.0.2.7:51820', lastSeen: at('2025-05-22T14:33:56Z') });

  // NAT moved the port; an unauthenticated line from that address names no peer and changes nothing.
  feed(dir,
    kernel('gw1', 'wg0: Receiving keepalive packet from peer 3 (192.0.2.7:40001)', 'May 22 14:35:00'),
    kernel('gw1', 'wg0: Invalid handshake initiation from 192.0.2.7:40001', 'May 22 14:36:00'));
  assert.deepEqual(dir.byAddress('gw1', 'wg0', '192.0.2.7'), { method: 'address', peerId: '3', endpoint: '192.0.2.7:40001', lastSeen: at('2025-05-22T14:35:00Z') });

  // Another peer seen later at the same address takes it over.
  feed(dir, kernel('gw1', 'wg0: Receiving handshake initiation from peer 7 (192.0.2.7:38112)', 'May 22 14:40:00'));
  assert.equal(dir.byAddress('gw1', 'wg0', '192.0.2.7')?.peerId, '7');
  // ... but an older sighting arriving late does not.
  feed(dir, kernel('gw1', 'wg0: Receiving keepalive packet from peer 3 (192.0.2.7:40001)', 'May 22 14:39:00'));
  assert.equal(dir.byAddress('gw1', 'wg0', '192.0.2.7')?.peerId, '7');
});

test('kernel: IPv6 endpoints are matched on the canonical address', () => {
  const dir = new PeerDirectory({ maxEntries: 100 });
  feed(dir, kernel('gw1', 'wg0: Receiving handshake initiation from peer 7 ([2001:db8:44::2]:38112/0%0)'));
  assert.equal(dir.byAddress('gw1', 'wg0', '2001:db8:44::2')?.endpoint, '[2001:db8:44::2]:38112');
  assert.equal(dir.byAddress('gw1', 'wg0', '2001:0db8:0044:0000:0000:0000:0000:0002')?.peerId, '7');
});

test('kernel: a re-created peer id starts a new life, without the old endpoint or key', () => {
  const dir = new PeerDirectory({ maxEntries: 100, inventory: inventory() });
  dir.observeDump(parseWgDump(dump('wg0', GATEWAY, [{ key: ALICE, endpoint: '192.0.2.7:51820', handshake: HS }]), 'gw1', HS * 1000));
  const [, hs] = feed(dir,
    kernel('gw1', 'wg0: Peer 3 created', 'May 22 09:13:27'),
    kernel('gw1', 'wg0: Receiving handshake initiation from peer 3 (192.0.2.7:51820)', 'May 22 14:33:56'));
  assert.equal(hs?.wireguard?.peer?.public_key, ALICE, 'tied to the dump peer at the same endpoint');
  assert.equal(hs?.wireguard?.peer?.name, 'alice-laptop');

  const [, , keypair] = feed(dir,
    kernel('gw1', 'wg0: Peer 3 (192.0.2.7:51820) destroyed', 'May 22 15:00:00'),
    kernel('gw1', 'wg0: Peer 3 created', 'May 22 15:00:01'),
    kernel('gw1', 'wg0: Keypair 42 created for peer 3', 'May 22 15:00:02'));
  assert.deepEqual(dir.byPeer({ host: 'gw1', iface: 'wg0', id: '3' }), { method: 'kernel-peer-id', peerId: '3', lastSeen: at('2025-05-22T15:00:02Z') });
  assert.equal(keypair?.wireguard?.peer?.public_key, undefined, 'the new peer 3 is not alice until something ties it');
  assert.equal(keypair?.wireguard?.peer?.name, undefined);
  // History stays true: alice was at that address.
  assert.equal(dir.byAddress('gw1', 'wg0', '192.0.2.7')?.publicKey, ALICE);
});

test('kernel: interface or module re-creation forgets every peer id, not the addresses seen', () => {
  const dir = new PeerDirectory({ maxEntries: 100 });
  feed(dir,
    kernel('gw1', 'wg0: Receiving handshake initiation from peer 3 (192.0.2.7:51820)'),
    kernel('gw1', 'wg1: Receiving handshake initiation from peer 4 (192.0.2.9:51820)'),
    kernel('gw1', 'wg0: Interface destroyed'));
  assert.equal(dir.byPeer({ host: 'gw1', iface: 'wg0', id: '3' }), undefined);
  assert.equal(dir.byPeer({ host: 'gw1', iface: 'wg1', id: '4' })?.peerId, '4', 'other interfaces keep theirs');
  assert.equal(dir.byAddress('gw1', 'wg0', '192.0.2.7')?.peerId, '3');
  feed(dir, kernel('gw1', 'WireGuard unloaded'));
  assert.equal(dir.byPeer({ host: 'gw1', id: '4' }), undefined);
  assert.equal(dir.size, 2, 'the two address sightings remain');
});

test('wireguard-go: fragments of a real lab capture resolve to the full key and the inventory name', () => {
  const dir = new PeerDirectory({ maxEntries: 100, inventory: inventory() });
  const events = labEvents('healthy.server.log');
  for (const e of events) {
    dir.observe(e);
    dir.enrich(e);
  }
  const named = events.filter((e) => e.wireguard?.peer?.key_fragment === 'HsGB…G/WY');
  assert.ok(named.length >= 5, `lab capture names the client ${named.length} times`);
  for (const e of named) {
    assert.equal(e.wireguard?.peer?.public_key, LAB_CLIENT);
    assert.equal(e.wireguard?.peer?.name, 'lab-client');
    assert.equal(e.wireguard?.peer?.owner, 'lab@example.com');
    assert.equal(e.wireguard?.peer?.device, 'container');
  }
  const last = named.at(-1)?.['@timestamp'] ?? '';
  assert.deepEqual(dir.byPeer({ host: '', iface: 'wg0', fragment: 'HsGB…G/WY' }), {
    method: 'key-fragment', publicKey: LAB_CLIENT, fragment: 'HsGB…G/WY', name: 'lab-client', owner: 'lab@example.com', device: 'container', lastSeen: Date.parse(last),
  });
  // The client side names the server by a key nobody listed: left as printed.
  for (const e of labEvents('healthy.client.log')) {
    dir.enrich(e);
    if (e.wireguard?.peer?.key_fragment !== undefined) assert.equal(e.wireguard.peer.public_key, undefined);
  }
});

test('wireguard-go: a fragment shared by two known keys is not resolved', () => {
  const inv = parseInventory(JSON.stringify({ peers: [{ public_key: ALICE, name: 'alice' }, { public_key: ALICE_TWIN, name: 'twin' }] }), 'x');
  const dir = new PeerDirectory({ maxEntries: 100, inventory: inv });
  const [e] = feed(dir, goLine('gw1', 'peer(xTIB…p8Dg) - Received handshake initiation'));
  assert.equal(e?.wireguard?.peer?.public_key, undefined);
  assert.equal(e?.wireguard?.peer?.name, undefined);
  assert.deepEqual(dir.byPeer({ host: 'gw1', iface: 'wg0', fragment: 'xTIB…p8Dg' }), { method: 'key-fragment', fragment: 'xTIB…p8Dg', lastSeen: at('2025-05-22T14:22:07Z') });
  // Even the device's own dump listing only one of them does not settle it: that dump may be older than the line.
  dir.observeDump(parseWgDump(dump('wg0', GATEWAY, [{ key: ALICE_TWIN }]), 'gw1', HS * 1000));
  const [again] = feed(dir, goLine('gw1', 'peer(xTIB…p8Dg) - Received handshake initiation'));
  assert.equal(again?.wireguard?.peer?.public_key, undefined);
  assert.equal(dir.byPeer({ host: 'gw1', fragment: 'xTIB…p8Dg' })?.publicKey, undefined);
});

test('wireguard-go: a key learned from a dump resolves its fragment until a second key with that fragment appears', () => {
  const dir = new PeerDirectory({ maxEntries: 100 });
  const line = goLine('gw1', 'peer(xTIB…p8Dg) - Received handshake initiation');
  assert.equal(feed(dir, line)[0]?.wireguard?.peer?.public_key, undefined, 'nothing known yet');
  dir.observeDump(parseWgDump(dump('wg0', GATEWAY, [{ key: ALICE }]), 'gw1', HS * 1000));
  assert.equal(feed(dir, line)[0]?.wireguard?.peer?.public_key, ALICE);
  // Another host's dump shows a key with the same fragment: the earlier answer is withdrawn.
  dir.observeDump(parseWgDump(dump('wg0', BOB, [{ key: ALICE_TWIN }]), 'gw2', HS * 1000));
  assert.equal(feed(dir, line)[0]?.wireguard?.peer?.public_key, undefined);
  assert.equal(dir.byPeer({ host: 'gw1', iface: 'wg0', fragment: 'xTIB…p8Dg' })?.publicKey, undefined);
  // That peer is removed from gw2's configuration: unambiguous again.
  dir.observeDump(parseWgDump(dump('wg0', BOB, []), 'gw2', HS * 1000 + 60_000));
  assert.equal(feed(dir, line)[0]?.wireguard?.peer?.public_key, ALICE);
});

test('wireguard-go: a dump revealing a second key with the fragment withdraws the inventory\'s answer', () => {
  const dir = new PeerDirectory({ maxEntries: 100, inventory: inventory() });
  const [before] = feed(dir, goLine('gw1', 'peer(xTIB…p8Dg) - Received handshake initiation'));
  assert.equal(before?.wireguard?.peer?.public_key, ALICE);
  assert.equal(dir.byPeer({ host: 'gw1', iface: 'wg0', fragment: 'xTIB…p8Dg' })?.name, 'alice-laptop');
  dir.observeDump(parseWgDump(dump('wg0', GATEWAY, [{ key: ALICE }, { key: ALICE_TWIN }]), 'gw1', HS * 1000));
  const [after] = feed(dir, goLine('gw1', 'peer(xTIB…p8Dg) - Received handshake initiation'));
  assert.equal(after?.wireguard?.peer?.public_key, undefined);
  assert.equal(after?.wireguard?.peer?.name, undefined);
  assert.equal(dir.byPeer({ host: 'gw1', iface: 'wg0', fragment: 'xTIB…p8Dg' })?.publicKey, undefined);
});

test('a dump teaches full keys, endpoints, handshakes and the interface key', () => {
  const dir = new PeerDirectory({ maxEntries: 100, inventory: inventory() });
  const s = parseWgDump(dump('wg0', GATEWAY, [{ key: ALICE, endpoint: '192.0.2.7:51820', handshake: HS }, { key: BOB }]), 'vpn-gw-1', HS * 1000 + 5000);
  dir.observeDump(s);
  assert.deepEqual(dir.byPeer({ host: 'vpn-gw-1', publicKey: ALICE }), {
    method: 'public-key', publicKey: ALICE, fragment: 'xTIB…p8Dg', name: 'alice-laptop', owner: 'alice@example.com', device: 'laptop', endpoint: '192.0.2.7:51820', lastSeen: HS * 1000,
  });
  assert.deepEqual(dir.byPeer({ host: 'vpn-gw-1', iface: 'wg0', publicKey: BOB }), { method: 'public-key', publicKey: BOB, fragment: 'bObB…bboA' });
  assert.deepEqual(dir.byAddress('vpn-gw-1', 'wg0', '192.0.2.7'), {
    method: 'dump', publicKey: ALICE, fragment: 'xTIB…p8Dg', name: 'alice-laptop', owner: 'alice@example.com', device: 'laptop', endpoint: '192.0.2.7:51820', lastSeen: HS * 1000,
  });
  // The kernel's peer id learns its key from the endpoint the dump shows.
  const [old] = feed(dir, kernel('vpn-gw-1', 'wg0: Receiving keepalive packet from peer 3 (192.0.2.7:51820)', 'May 22 14:22:07'));
  assert.equal(old?.wireguard?.peer?.public_key, ALICE);
  assert.equal(dir.byAddress('vpn-gw-1', 'wg0', '192.0.2.7')?.method, 'dump', 'a sighting older than the handshake does not take the address');
  const [e] = feed(dir, kernel('vpn-gw-1', 'wg0: Receiving keepalive packet from peer 3 (192.0.2.7:51820)', 'May 22 14:30:00'));
  assert.equal(e?.wireguard?.peer?.public_key, ALICE);
  assert.equal(dir.byPeer({ host: 'vpn-gw-1', id: '3' })?.publicKey, ALICE);
  assert.equal(dir.byPeer({ host: 'vpn-gw-1', publicKey: ALICE })?.peerId, '3');
  // An event newer than the handshake now owns the address.
  assert.equal(dir.byAddress('vpn-gw-1', 'wg0', '192.0.2.7')?.method, 'address');

  // Removed from the configuration: the next dump no longer lists bob.
  dir.observeDump(parseWgDump(dump('wg0', GATEWAY, [{ key: ALICE, endpoint: '192.0.2.7:51820', handshake: HS }]), 'vpn-gw-1', HS * 1000 + 60_000));
  assert.equal(dir.byPeer({ host: 'vpn-gw-1', publicKey: BOB }), undefined);
  assert.equal(dir.byPeer({ host: 'nowhere', publicKey: ALICE })?.method, 'inventory', 'the inventory still knows alice');
});

test('counterparts: the other end of the tunnel, from the inventory and from dumps; peer hosts from the inventory', () => {
  const dir = new PeerDirectory({ maxEntries: 100, inventory: inventory() });
  // On alice's laptop, wireguard-go names the gateway by fragment: the gateway's interface key resolves it.
  const [e] = feed(dir, goLine('alice-laptop', 'peer(HIgo…8ykw) - Received handshake response'));
  assert.equal(e?.wireguard?.peer?.public_key, GATEWAY);
  assert.deepEqual(dir.counterparts({ host: 'alice-laptop', iface: 'wg0', fragment: 'HIgo…8ykw' }), [
    { host: 'vpn-gw-1', iface: 'wg0', endpoint: 'vpn.example.com:51820', source: 'inventory' },
  ]);
  assert.deepEqual(dir.peerHosts(ALICE), ['alice-laptop']);
  assert.deepEqual(dir.peerHosts(BOB), []);
  assert.deepEqual(dir.counterparts({ host: 'vpn-gw-1', publicKey: ALICE }), [{ host: 'alice-laptop', iface: 'wg0', source: 'inventory' }]);

  // A host nobody listed shows its own key in its dump.
  dir.observeDump(parseWgDump(dump('wg7', BOB, []), 'vpn-gw-2', HS * 1000));
  assert.deepEqual(dir.counterparts({ host: 'anywhere', publicKey: BOB }), [{ host: 'vpn-gw-2', iface: 'wg7', source: 'dump' }]);
  // Listed and dumped: reported once.
  dir.observeDump(parseWgDump(dump('wg0', GATEWAY, []), 'vpn-gw-1', HS * 1000));
  assert.equal(dir.counterparts({ host: 'alice-laptop', publicKey: GATEWAY }).length, 1);
  assert.deepEqual(dir.counterparts({ host: 'alice-laptop', id: '99' }), [], 'an unknown peer has no counterpart');
});

test('enrich leaves events alone when nothing is known', () => {
  const dir = new PeerDirectory({ maxEntries: 100 });
  for (const line of [
    kernel('gw1', 'wg0: Keypair 42 created for peer 3'),
    goLine('gw1', 'peer(xTIB…p8Dg) - Received handshake initiation'),
    kernel('gw1', 'wg0: Invalid handshake initiation from 192.0.2.44:38112'),
  ]) {
    const e = event(line);
    const before = structuredClone(e);
    dir.enrich(e);
    assert.deepEqual(e, before);
  }
});

test('LRU: at most maxEntries learned entries, the least recently used go first, the inventory stays', () => {
  const MAX = 10;
  const dir = new PeerDirectory({ maxEntries: MAX, inventory: inventory() });
  const time = (i: number): string => `May 22 14:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  for (let i = 0; i < 100; i++) {
    feed(dir, kernel('gw1', `wg0: Receiving handshake initiation from peer ${i} (10.0.${i}.1:51820)`, time(i)));
    // Peer 0 keeps talking, so it stays among the most recent.
    if (i % 3 === 0) feed(dir, kernel('gw1', 'wg0: Receiving keepalive packet from peer 0 (10.0.0.1:51820)', time(i)));
    assert.ok(dir.size <= MAX, `size ${dir.size} after ${i + 1} peers`);
  }
  assert.equal(dir.size, MAX);
  assert.equal(dir.byAddress('gw1', 'wg0', '10.0.99.1')?.peerId, '99');
  assert.equal(dir.byPeer({ host: 'gw1', id: '99' })?.endpoint, '10.0.99.1:51820');
  assert.equal(dir.byPeer({ host: 'gw1', id: '0' })?.endpoint, '10.0.0.1:51820');
  assert.equal(dir.byPeer({ host: 'gw1', id: '50' }), undefined);
  assert.equal(dir.byAddress('gw1', 'wg0', '10.0.50.1'), undefined);
  assert.equal(dir.snapshot().entries.length, MAX);
  const [go] = feed(dir, goLine('gw1', 'peer(xTIB…p8Dg) - Received handshake initiation'));
  assert.equal(go?.wireguard?.peer?.name, 'alice-laptop', 'inventory entries are never evicted');
  assert.throws(() => new PeerDirectory({ maxEntries: 0 }), RangeError);
});

test('snapshot → JSON → restore gives the same answers; a private key appears in no snapshot', () => {
  const inv = inventory();
  const dir = new PeerDirectory({ maxEntries: 100, inventory: inv });
  dir.observeDump(parseWgDump(dump('wg0', GATEWAY, [{ key: ALICE, endpoint: '192.0.2.7:51820', handshake: HS }, { key: BOB, endpoint: '[2001:db8::5]:51820' }]), 'vpn-gw-1', HS * 1000));
  feed(dir,
    kernel('vpn-gw-1', 'wg0: Peer 3 created', 'May 22 09:13:27'),
    kernel('vpn-gw-1', 'wg0: Receiving handshake initiation from peer 3 (192.0.2.7:51820)', 'May 22 14:33:56'),
    kernel('vpn-gw-1', 'wg0: Receiving handshake initiation from peer 4 (198.51.100.23:51820)', 'May 22 14:34:00'),
    goLine('gw-go', 'peer(xTIB…p8Dg) - Received handshake initiation'),
    goLine('gw-go', 'peer(HsGB…G/WY) - Sending handshake initiation'));
  for (const e of labEvents('healthy.server.log')) dir.observe(e);

  const snap = dir.snapshot();
  const json = JSON.stringify(snap);
  assert.ok(!json.includes(PRIVATE) && !json.includes(PSK), 'a secret reached the snapshot');
  const copy = new PeerDirectory({ maxEntries: 100, inventory: inv });
  copy.restore(JSON.parse(json));
  assert.deepEqual(copy.snapshot(), snap);
  assert.equal(copy.size, dir.size);

  const questions: ((d: PeerDirectory) => unknown)[] = [
    (d) => d.byAddress('vpn-gw-1', 'wg0', '192.0.2.7'),
    (d) => d.byAddress('vpn-gw-1', undefined, '198.51.100.23'),
    (d) => d.byAddress('vpn-gw-1', 'wg0', '2001:db8::5'),
    (d) => d.byPeer({ host: 'vpn-gw-1', iface: 'wg0', id: '3' }),
    (d) => d.byPeer({ host: 'vpn-gw-1', publicKey: BOB }),
    (d) => d.byPeer({ host: 'gw-go', fragment: 'xTIB…p8Dg' }),
    (d) => d.byPeer({ host: '', iface: 'wg0', fragment: 'HsGB…G/WY' }),
    (d) => d.counterparts({ host: 'gw-go', iface: 'wg0', publicKey: GATEWAY }),
    (d) => {
      const e = event(kernel('vpn-gw-1', 'wg0: Keypair 42 created for peer 3'));
      d.enrich(e);
      return e.wireguard?.peer;
    },
  ];
  for (const q of questions) assert.deepEqual(q(copy), q(dir));
  assert.equal(copy.byPeer({ host: 'vpn-gw-1', id: '3' })?.publicKey, ALICE, 'the tie survived');

  // Into a smaller directory: the most recent entries survive.
  const small = new PeerDirectory({ maxEntries: 3 });
  small.restore(JSON.parse(json));
  assert.equal(small.size, 3);
  assert.deepEqual(small.snapshot().entries, snap.entries.slice(-3));
});

test('restore refuses a damaged snapshot, lists every problem and keeps the current state', () => {
  const dir = new PeerDirectory({ maxEntries: 100 });
  feed(dir, kernel('gw1', 'wg0: Receiving handshake initiation from peer 3 (192.0.2.7:51820)'));
  const damaged = {
    version: 1,
    entries: [
      { kind: 'peer', host: 'gw1', iface: 'wg0', by: 'id', ref: '3', publicKey: PRIVATE.slice(1), port: 70000 },
      { kind: 'address', host: 'gw1', iface: 'wg0', ip: '192.0.2.7', port: 1, linked: true },
      { kind: 'secret', value: PRIVATE },
    ],
  };
  assert.throws(() => dir.restore(damaged), (e: unknown) => {
    assert.ok(e instanceof Error && 'problems' in e);
    assert.deepEqual(e.problems, [
      'entries[0].publicKey: not a WireGuard public key (44 base64 characters ending in "=")',
      'entries[0].port: must be <= 65535',
      'entries[1].at: missing',
      'entries[1].fromDump: missing',
      'entries[2].kind: unknown kind',
    ]);
    assert.ok(!e.message.includes(PRIVATE));
    return true;
  });
  assert.throws(() => dir.restore({ version: 2, entries: [] }), /version: must be one of 1/);
  assert.throws(() => dir.restore({ version: 1, entries: [{ kind: 'peer', host: 'h', iface: 'wg0', by: 'key', ref: 'xTIB' }] }), /entries\[0\]\.ref: not a WireGuard public key/);
  assert.equal(dir.byAddress('gw1', 'wg0', '192.0.2.7')?.peerId, '3');
});
