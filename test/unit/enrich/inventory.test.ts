import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InventoryError, loadInventory, parseInventory } from '../../../src/enrich/inventory.ts';
import { keyFragment } from '../../../src/enrich/keys.ts';
import { ALICE, ALICE_TWIN, FIXTURES, GATEWAY, LAB_CLIENT } from './helpers.ts';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof InventoryError, String(e));
    return e.problems;
  }
  assert.fail('expected an InventoryError');
}

for (const file of ['inventory.yaml', 'inventory.json']) {
  test(`${file}: peers, fragments, interfaces and hosts are looked up`, () => {
    const inv = loadInventory(join(FIXTURES, file));
    assert.deepEqual(inv.peer(ALICE), { publicKey: ALICE, name: 'alice-laptop', owner: 'alice@example.com', device: 'laptop', hosts: ['alice-laptop'] });
    assert.deepEqual(inv.peer(LAB_CLIENT), { publicKey: LAB_CLIENT, name: 'lab-client', ...(file.endsWith('.yaml') ? { owner: 'lab@example.com', device: 'container' } : {}), hosts: [] });
    assert.equal(inv.peer(GATEWAY), undefined, 'an interface key is not a peer entry');
    assert.deepEqual(inv.byFragment('xTIB…p8Dg'), [ALICE]);
    assert.deepEqual(inv.byFragment('HIgo…8ykw'), [GATEWAY], 'interface keys are found by fragment too');
    assert.deepEqual(inv.byFragment('AAAA…AAAA'), []);
    assert.deepEqual(inv.interfaceOf('vpn-gw-1', 'wg0'), { host: 'vpn-gw-1', interface: 'wg0', publicKey: GATEWAY, endpoint: 'vpn.example.com:51820' });
    assert.equal(inv.interfaceOf('vpn-gw-1', 'wg1'), undefined);
    assert.deepEqual(inv.interfacesWithKey(GATEWAY).map((x) => x.host), ['vpn-gw-1']);
    assert.deepEqual(inv.hostsOf(ALICE), ['alice-laptop']);
    assert.deepEqual(inv.hostsOf(GATEWAY), []);
  });
}

test('every problem of the file is listed at once, each with its path', () => {
  const problems = problemsOf(() => loadInventory(join(FIXTURES, 'inventory-broken.yaml')));
  const KEY = 'not a WireGuard public key (44 base64 characters ending in "=")';
  assert.deepEqual([...problems].sort(), [
    'groups: unknown property',
    'interfaces[0].endpoint: not host:port (vpn.example.com:51820, [2001:db8::1]:51820)',
    'interfaces[0].interface: missing',
    `interfaces[1].public_key: ${KEY}`,
    'interfaces[2]: duplicate interface wg0 of host vpn-gw-1 (also interfaces[1])',
    'peers[0].emial: unknown property',
    `peers[1].public_key: ${KEY}`,
    'peers[2].public_key: duplicate public key (also peers[0])',
    'peers[3].hosts: must be a list',
    'peers[3].public_key: missing',
    'peers[4].owner: must not be empty',
    `peers[4].public_key: ${KEY}`,
  ]);
});

test('the error message names the source and lists the problems one per line', () => {
  assert.throws(() => parseInventory('peers:\n  - public_key: nope\n', 'inventory.yaml'), (e: unknown) => {
    assert.ok(e instanceof InventoryError);
    assert.equal(e.message, 'invalid peer inventory inventory.yaml:\n  - peers[0].public_key: not a WireGuard public key (44 base64 characters ending in "=")');
    return true;
  });
});

test('wrong shapes, bad YAML and unreadable files are reported in plain words', () => {
  assert.deepEqual(problemsOf(() => parseInventory('- a\n- b\n', 'x')), ['(root): must be a mapping']);
  assert.deepEqual(problemsOf(() => parseInventory('peers: {}\ninterfaces: 3\n', 'x')), ['peers: must be a list', 'interfaces: must be a list']);
  const yaml = problemsOf(() => parseInventory('peers: [\n', 'x'));
  assert.equal(yaml.length, 1);
  assert.match(yaml[0] ?? '', /^not valid YAML\/JSON: /);
  assert.match(problemsOf(() => parseInventory('peers: []\npeers: []\n', 'x'))[0] ?? '', /^not valid YAML\/JSON: .*unique/i);
  assert.deepEqual(problemsOf(() => loadInventory(join(FIXTURES, 'no-such-file.yaml'))), ['cannot read the file: ENOENT']);
});

test('an empty file is an empty inventory', () => {
  const inv = parseInventory('# nothing yet\n', 'empty.yaml');
  assert.equal(inv.peers.length, 0);
  assert.equal(inv.interfaces.length, 0);
  assert.deepEqual(inv.byFragment(keyFragment(ALICE)), []);
});

test('keys sharing a fragment are all returned, so none is picked', () => {
  assert.equal(keyFragment(ALICE_TWIN), keyFragment(ALICE));
  const inv = parseInventory(JSON.stringify({ peers: [{ public_key: ALICE, name: 'alice' }, { public_key: ALICE_TWIN, name: 'twin' }] }), 'x.json');
  assert.deepEqual([...inv.byFragment('xTIB…p8Dg')].sort(), [ALICE, ALICE_TWIN].sort());
  assert.equal(inv.peer(ALICE_TWIN)?.name, 'twin');
});

test('a peer may also be listed as an interface: its key is indexed once per fragment', () => {
  const inv = parseInventory(`peers:\n  - public_key: ${ALICE}\ninterfaces:\n  - { host: alice-laptop, interface: wg0, public_key: ${ALICE} }\n`, 'x');
  assert.deepEqual(inv.byFragment('xTIB…p8Dg'), [ALICE]);
  assert.deepEqual(inv.interfacesWithKey(ALICE), [{ host: 'alice-laptop', interface: 'wg0', publicKey: ALICE }]);
});
