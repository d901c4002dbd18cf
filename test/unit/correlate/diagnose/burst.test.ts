// The lab's burst (lab/recordings/wireguard-go/burst.*): twenty stranger interfaces on the client's host, with keys
// the server does not know, send invalid initiations from the host's address. The server's peer-state snapshot
// has that address as the endpoint of its one known peer (the host's wg0): that pairs the host, not the key that
// failed, so what the snapshots prove about wg0's keys must not rule the strangers' cause out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecordings, shiftedSyslog } from '../../../../src/dev/lab/recordings.ts';
import { diagnoseTunnel, type TunnelQuery } from '../../../../src/correlate/diagnose/tunnel.ts';
import { snapshotHints, type PeerStateHit } from '../../../../src/correlate/alerts/tunnel-diagnoser.ts';
import { peerStateDocs } from '../../../../src/parse/normalize/peer-snapshot.ts';
import type { WgEventDoc } from '../../../../src/shared/schema/generated/event.ts';
import { line } from './support.ts';

const key = (fragment: string, fill: string): string => {
  const [head = '', tail = ''] = fragment.split('…');
  return `${head}${fill.repeat(35)}${tail}=`;
};
const SERVER = key('42Dl…LNC8', 'S');
const CLIENT = key('nHYK…JClw', 'C');

const docs: WgEventDoc[] = readRecordings().filter((r) => r.scenario === 'burst')
  .flatMap((r) => r.lines.map((l) => line(shiftedSyslog(l, 0, r.host))));
const ms = (d: WgEventDoc): number => Date.parse(d['@timestamp']);
const invalid = docs.filter((d) => d.host?.name === 'burst-server' && d.event.action === 'wireguard-handshake-initiation-invalid');
const end = Math.max(...invalid.map(ms));

function snapshots(): PeerStateHit[] {
  const at = new Date(end).toISOString();
  const peer = (iface: string, publicKey: string, endpoint: string) => ({
    interface: iface, public_key: publicKey, preshared_key_set: false, endpoint, allowed_ips: [], latest_handshake: at, rx_bytes: 0, tx_bytes: 0, persistent_keepalive: null,
  });
  const strangers = Array.from({ length: 20 }, (_, i) => `wg${i + 1}`);
  return [
    peerStateDocs({ version: 1, host: 'burst-server', collected_at: at, changes: [], interfaces: [{ name: 'wg0', public_key: SERVER, listen_port: 51820 }], peers: [peer('wg0', CLIENT, '10.99.8.2:40000')] }, 'default', end),
    peerStateDocs({
      version: 1, host: 'burst-client', collected_at: at, changes: [],
      interfaces: [{ name: 'wg0', public_key: CLIENT, listen_port: 40000 }, ...strangers.map((s, i) => ({ name: s, public_key: key(`X${String(i).padStart(3, '0')}…XXXX`, 'X'), listen_port: 50000 + i }))],
      peers: [peer('wg0', SERVER, '10.99.8.1:51820'), ...strangers.map((s) => peer(s, SERVER, '10.99.8.1:51820'))],
    }, 'default', end),
  ].flat();
}

test('burst: the server\'s alert names the host at the strangers\' address by snapshot, and its cause stands', () => {
  const q: TunnelQuery = { side: 'responder', host: 'burst-server', iface: 'wg0', remoteIp: '10.99.8.2', start: Math.min(...invalid.map(ms)), end };
  const snaps = snapshots();
  const hints = snapshotHints(q, snaps.filter((s) => s.host?.name === q.host), snaps.filter((s) => s.host?.name !== q.host));
  // Paired by address only: no key facts about the key whose handshakes failed.
  assert.deepEqual(hints.counterparts, [{ host: 'burst-client', iface: 'wg0', source: 'snapshot' }]);
  const d = diagnoseTunnel(q, docs.filter((x) => x.host?.name === q.host), docs.filter((x) => x.host?.name !== q.host), hints);
  assert.equal(d.id, 'initiator-key-unknown', d.evidence.join('\n'));
  assert.equal(d.confidence, 'probable');
  assert.equal(d.counterpart?.host, 'burst-client');
  assert.equal(d.counterpart?.method, 'snapshot');
});
