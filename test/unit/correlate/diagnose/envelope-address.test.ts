// The initiator's addresses from its shipper's envelope (Filebeat's host.ip) pair the two ends of a tunnel when
// there are too few attempts for timing to say which server is the other end. The lines run through the real
// pipeline: decoder, normaliser and schema validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseTunnel } from '../../../../src/correlate/diagnose/tunnel.ts';
import type { TunnelQuery } from '../../../../src/correlate/diagnose/tunnel.ts';
import type { WgEventDoc } from '../../../../src/shared/schema/generated/event.ts';
import { T0, at, kernel, line, span } from './support.ts';

const SERVER = '198.51.100.1:51820';
const CLIENT = '203.0.113.7:41641';
/** Three attempts: too few for timing to tie the client to one server. */
const ATTEMPTS = [0, 5.2, 10.5];

/** A kernel line of the client as Filebeat ships it from the client itself (add_host_metadata's host.ip). */
function shipped(s: number, text: string, ips?: readonly string[]): WgEventDoc {
  return line(JSON.stringify({
    '@timestamp': new Date(T0 + s * 1000 + 300).toISOString(),
    message: `${at(s)} laptop kernel: wireguard: wg0: ${text}`,
    log: { file: { path: '/var/log/kern.log' } },
    input: { type: 'filestream' },
    host: { name: 'laptop', hostname: 'laptop', ...(ips !== undefined ? { ip: ips } : {}) },
    agent: { type: 'filebeat', version: '8.14.3' },
  }));
}

function client(ips?: readonly string[]): WgEventDoc[] {
  return ATTEMPTS.flatMap((s, i) => [
    ...(i > 0 ? [shipped(s, `Handshake for peer 3 (${SERVER}) did not complete after 5 seconds, retrying (try ${i + 1})`, ips)] : []),
    shipped(s + 0.001, `Sending handshake initiation to peer 3 (${SERVER})`, ips),
  ]);
}

/** The client's server refuses its key; another server rejects someone else's initiations at the same moments. */
const others = (): WgEventDoc[] => [
  ...ATTEMPTS.map((s) => kernel(s + 0.04, 'vpn-gw', `Invalid handshake initiation from ${CLIENT}`)),
  ...ATTEMPTS.map((s) => kernel(s + 0.05, 'gw2', 'Invalid MAC of handshake, dropping packet from 198.18.0.5:1024')),
];

const query = (docs: readonly WgEventDoc[]): TunnelQuery => ({ side: 'initiator', host: 'laptop', iface: 'wg0', peer: { id: '3' }, ...span(docs) });

test('the initiator\'s Filebeat host.ip reaches the document: host.ip and related.ip, link-local dropped', () => {
  const d = shipped(0, `Sending handshake initiation to peer 3 (${SERVER})`, ['203.0.113.7', 'fe80::5054:ff:fe12:3456', '127.0.0.1']);
  assert.deepEqual(d.host, { name: 'laptop', hostname: 'laptop', ip: ['203.0.113.7'] });
  assert.deepEqual(d.related?.ip, ['198.51.100.1', '203.0.113.7']);
});

test('3 attempts, two servers at the same moments: the initiator\'s host.ip pairs it with its server, without timing', () => {
  const withIps = client(['203.0.113.7', 'fe80::5054:ff:fe12:3456']);
  const d = diagnoseTunnel(query(withIps), withIps, others());
  assert.deepEqual([d.id, d.confidence], ['initiator-key-unknown', 'confirmed']);
  assert.deepEqual(d.counterpart, { host: 'vpn-gw', iface: 'wg0', method: 'address', matched: 3, of: 3 });
  // The same lines without host.ip: nothing ties the client to vpn-gw rather than gw2.
  const without = client();
  const blind = diagnoseTunnel(query(without), without, others());
  assert.deepEqual([blind.id, blind.counterpart, blind.alternatives?.map((a) => a.host)], ['ambiguous', undefined, ['gw2', 'vpn-gw']]);
});
