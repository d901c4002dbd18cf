import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DumpError, parseWgDump } from '../../../src/parse/wg-dump.ts';
import { ALICE, BOB, GATEWAY } from './helpers.ts';

// Stand-ins for the secrets: well-formed, so only the parser's choice keeps them out of the result.
const PRIVATE = Buffer.alloc(32, 0x11).toString('base64');
const PRIVATE_2 = Buffer.alloc(32, 0x33).toString('base64');
const PSK = Buffer.alloc(32, 0x22).toString('base64');
const AT = Date.parse('2025-05-22T14:30:00.000Z');
const HS = 1747924000; // 2025-05-22T14:26:40Z

const row = (...cols: (string | number)[]): string => cols.join('\t');

const ALL = [
  row('wg0', PRIVATE, GATEWAY, 51820, 'off'),
  row('wg0', ALICE, PSK, '192.0.2.7:51820', '10.66.0.2/32,fd00:66::2/128', HS, 1234, 5678, 25),
  row('wg0', BOB, '(none)', '(none)', '(none)', 0, 0, 0, 'off'),
  row('wg1', '(none)', '(none)', 0, '0xca6c'),
  row('wg2', PRIVATE_2, ALICE, 40000, 'off'),
  row('wg2', GATEWAY, '(none)', '[2001:DB8::5]:51820', '0.0.0.0/0,::/0', HS, 1, 2, 'off'),
  '',
].join('\n');

test('`wg show all dump`: interfaces and peers, secrets dropped at parse time', () => {
  const s = parseWgDump(ALL, 'vpn-gw-1', AT);
  assert.equal(s.host, 'vpn-gw-1');
  assert.equal(s.atMs, AT);
  assert.deepEqual(s.interfaces, [
    { name: 'wg0', publicKey: GATEWAY, listenPort: 51820 },
    { name: 'wg1', publicKey: null, listenPort: null },
    { name: 'wg2', publicKey: ALICE, listenPort: 40000 },
  ]);
  assert.deepEqual(s.peers, [
    {
      interface: 'wg0', publicKey: ALICE, hasPresharedKey: true, endpoint: '192.0.2.7:51820', endpointIp: '192.0.2.7', endpointPort: 51820,
      allowedIps: ['10.66.0.2/32', 'fd00:66::2/128'], latestHandshakeMs: HS * 1000, rxBytes: 1234, txBytes: 5678, persistentKeepalive: 25,
    },
    {
      interface: 'wg0', publicKey: BOB, hasPresharedKey: false, endpoint: null, endpointIp: null, endpointPort: null,
      allowedIps: [], latestHandshakeMs: null, rxBytes: 0, txBytes: 0, persistentKeepalive: null,
    },
    {
      interface: 'wg2', publicKey: GATEWAY, hasPresharedKey: false, endpoint: '[2001:DB8::5]:51820', endpointIp: '2001:db8::5', endpointPort: 51820,
      allowedIps: ['0.0.0.0/0', '::/0'], latestHandshakeMs: HS * 1000, rxBytes: 1, txBytes: 2, persistentKeepalive: null,
    },
  ]);
  const json = JSON.stringify(s);
  for (const secret of [PRIVATE, PRIVATE_2, PSK]) assert.ok(!json.includes(secret), 'a private or preshared key was kept');
});

test('`wg show wg0 dump`: the single-interface form is recognised by its column count', () => {
  const one = [row(PRIVATE, GATEWAY, 51820, 'off'), row(ALICE, PSK, '192.0.2.7:51820', '10.66.0.2/32', HS, 10, 20, 'off')].join('\r\n');
  const s = parseWgDump(one, 'vpn-gw-1', AT, 'wg0');
  assert.deepEqual(s.interfaces, [{ name: 'wg0', publicKey: GATEWAY, listenPort: 51820 }]);
  assert.equal(s.peers.length, 1);
  assert.equal(s.peers[0]?.interface, 'wg0');
  assert.equal(s.peers[0]?.publicKey, ALICE);
  assert.equal(s.peers[0]?.hasPresharedKey, true);
  assert.equal(s.peers[0]?.persistentKeepalive, null);
  assert.ok(!JSON.stringify(s).includes(PRIVATE) && !JSON.stringify(s).includes(PSK));
  assert.throws(() => parseWgDump(one, 'vpn-gw-1', AT), /line 1: a single-interface dump \(4 columns\) does not name its interface/);
});

test('an empty dump has no interfaces', () => {
  assert.deepEqual(parseWgDump('\n', 'h', AT), { host: 'h', atMs: AT, interfaces: [], peers: [] });
});

test('bad lines are all listed by number, and no column value is ever quoted', () => {
  const bad = [
    row('wg0', PRIVATE, GATEWAY, 51820, 'off'),
    // A secret where the endpoint belongs: reported, never echoed.
    row('wg0', 'AAAA', PSK, PRIVATE, '10.0.0.0/8', HS, 1, 2, 'off'),
    row('wg0', BOB, '(none)', 'somewhere', '(none)', 'never', '-1', 2, 'sometimes'),
    row('wg0', BOB, '(none)'),
    row('wg9', BOB, '(none)', '(none)', '(none)', 0, 0, 0, 'off'),
    row('wg1', PRIVATE_2, PRIVATE, 99999, 'off'),
  ].join('\n');
  assert.throws(() => parseWgDump(bad, 'h', AT), (e: unknown) => {
    assert.ok(e instanceof DumpError);
    assert.deepEqual(e.problems, [
      'line 2: column "public-key" is not a WireGuard public key; column "endpoint" is not ip:port',
      'line 3: column "endpoint" is not ip:port; column "latest-handshake" is not a number of seconds; column "transfer-rx" is not a number of bytes; column "persistent-keepalive" is neither "off" nor a number of seconds',
      'line 4: expected 5 columns (interface) or 9 (peer), found 3',
      "line 5: peer of interface wg9 before that interface's line",
      'line 6: column "listen-port" is not a port number',
    ]);
    for (const secret of [PRIVATE, PRIVATE_2, PSK]) assert.ok(!e.message.includes(secret), 'an error quoted a secret');
    return true;
  });
});

test('a first line that is not an interface line stops at once', () => {
  assert.throws(() => parseWgDump(row('a', 'b', 'c'), 'h', AT), /line 1: expected the interface line \(5 tab-separated columns, or 4 for a single interface\), found 3/);
});
