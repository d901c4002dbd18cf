// 1,000,000 handshake lines from distinct spoofed addresses: they name no peer, so they teach the directory
// nothing and must cost it nothing: no entry, no retained memory. The time it takes is printed, not asserted
// (a loaded machine is no benchmark): `npm run bench:budgets` holds the budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { floodDirectory, spoofedHandshake } from './flood-input.ts';
import { event, kernel } from './helpers.ts';

const N = 1_000_000;

// A full collection before each measurement, so what is measured is live state rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('1M spoofed source addresses that name no peer: size stays put, memory does not grow', () => {
  const dir = floodDirectory();
  // Some real knowledge first, so the flood meets a directory with scopes and entries.
  const known = event(kernel('gw1', 'wg0: Receiving handshake initiation from peer 3 (192.0.2.7:51820)'));
  dir.observe(known);
  const learned = dir.size;
  assert.equal(learned, 2);

  const { doc: spoofed, spoof } = spoofedHandshake();
  const peer = spoofed.wireguard?.peer;
  assert.ok(peer && peer.id === undefined && peer.key_fragment === undefined);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    spoof(i);
    dir.observe(spoofed);
    dir.enrich(spoofed);
  }
  const seconds = (performance.now() - started) / 1000;
  gc();
  const growth = process.memoryUsage().heapUsed - heapBefore;
  process.stdout.write(`# flood: ${N} events in ${seconds.toFixed(2)} s, heap growth ${(growth / 1024).toFixed(0)} KiB\n`);

  assert.equal(dir.size, learned, 'the flood taught nothing');
  assert.equal(dir.byAddress('gw1', 'wg0', '10.0.0.1'), undefined);
  assert.equal(dir.byAddress('gw1', 'wg0', '192.0.2.7')?.peerId, '3', 'what was known is still known');
  assert.equal(peer.public_key, undefined);
  assert.ok(growth < 256 * 1024, `heap grew by ${growth} bytes`);
});

test('1M events of one known peer: entries are updated in place, nothing accumulates', () => {
  const dir = floodDirectory();
  const e = event(kernel('gw1', 'wg0: Receiving keepalive packet from peer 3 (192.0.2.7:51820)'));
  dir.observe(e);
  const learned = dir.size;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    dir.observe(e);
    dir.enrich(e);
  }
  const seconds = (performance.now() - started) / 1000;
  gc();
  const growth = process.memoryUsage().heapUsed - heapBefore;
  process.stdout.write(`# known peer: ${N} events in ${seconds.toFixed(2)} s, heap growth ${(growth / 1024).toFixed(0)} KiB\n`);
  assert.equal(dir.size, learned);
  assert.equal(dir.byPeer({ host: 'gw1', iface: 'wg0', id: '3' })?.endpoint, '192.0.2.7:51820');
  assert.ok(growth < 256 * 1024, `heap grew by ${growth} bytes`);
});
