// Several tunnels failing at the same moment in the same 5-s retry rhythm: timing alone ties a client to any of
// their servers. The 100-s lab recordings (lab/recordings), replayed so that two scenarios overlap exactly, show
// the diagnosis saying so instead of naming one server with confidence; replayed as recorded (one after the
// other), the same client is tied to its own server and the cause is confirmed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecordings, shiftedSyslog, goTime, type Recording } from '../../../../src/dev/lab/recordings.ts';
import { diagnoseTunnel, type TunnelQuery } from '../../../../src/correlate/diagnose/tunnel.ts';
import type { WgEventDoc } from '../../../../src/shared/schema/generated/event.ts';
import { line } from './support.ts';

const recs = readRecordings();
const rec = (host: string): Recording => {
  const r = recs.find((x) => x.host === host);
  if (!r) throw new Error(`no recording ${host}`);
  return r;
};
const first = (r: Recording): number => Math.min(...r.lines.map(goTime).filter((t) => !Number.isNaN(t)));

/** A recording's lines as documents, moved by shiftMs. */
const docs = (r: Recording, shiftMs = 0): WgEventDoc[] => r.lines.map((l) => line(shiftedSyslog(l, shiftMs, r.host)));

function clientAlert(client: WgEventDoc[], host: string): TunnelQuery {
  const sent = client.filter((d) => d.event.action === 'wireguard-handshake-initiation-sent').map((d) => Date.parse(d['@timestamp']));
  return { side: 'initiator', host, iface: 'wg0', start: Math.min(...sent), end: Math.max(...sent) };
}

test('two tunnels failing at once: each server implies a different cause, so both are listed with what settles it', () => {
  const client = docs(rec('wrong-server-key-client'));
  const own = docs(rec('wrong-server-key-server'));
  // The server-lacks-client server's run moved onto the same minutes, as if both tunnels failed together.
  const other = rec('server-lacks-client-server');
  const overlaid = docs(other, first(rec('wrong-server-key-server')) - first(other));
  const d = diagnoseTunnel(clientAlert(client, 'wrong-server-key-client'), client, [...own, ...overlaid]);
  assert.equal(d.id, 'ambiguous');
  assert.equal(d.confidence, 'possible');
  assert.equal(d.counterpart, undefined, 'no other end is claimed');
  assert.ok(d.evidence.some((e) => e.startsWith('Timing alone ties')), d.evidence.join('\n'));
  const alts = (d.alternatives ?? []).map((a) => [a.id, a.host ?? '']);
  assert.deepEqual(alts, [
    ['initiator-key-unknown', 'server-lacks-client-server'],
    ['wrong-responder-key', 'wrong-server-key-server'],
  ]);
  assert.match(d.settle ?? '', /wg show wg0 endpoints/);
  assert.match(d.summary, /wrong server key if wrong-server-key-server \(wg0\)'s lines that name no peer or address/);
});

test('the same tunnels as recorded, one after the other: the client\'s own server, confirmed', () => {
  const client = docs(rec('wrong-server-key-client'));
  const d = diagnoseTunnel(clientAlert(client, 'wrong-server-key-client'), client, [...docs(rec('wrong-server-key-server')), ...docs(rec('server-lacks-client-server'))]);
  assert.equal(d.id, 'wrong-responder-key');
  assert.equal(d.confidence, 'confirmed');
  assert.equal(d.counterpart?.host, 'wrong-server-key-server');
  assert.ok(!d.evidence.some((e) => e.startsWith('Timing alone ties')));
});

test('two tunnels at once, but snapshots say the rival\'s lines belong to another client: confirmed again', () => {
  const client = docs(rec('wrong-server-key-client'));
  const own = docs(rec('wrong-server-key-server'));
  const other = rec('server-lacks-client-server');
  const overlaid = docs(other, first(rec('wrong-server-key-server')) - first(other));
  const rivalClient = overlaid.find((d) => d.source?.ip !== undefined)?.source?.ip;
  assert.ok(rivalClient);
  const d = diagnoseTunnel(clientAlert(client, 'wrong-server-key-client'), client, [...own, ...overlaid], {
    foreign: [{ host: 'server-lacks-client-server', tokens: [`ip:${rivalClient}`] }],
  });
  assert.equal(d.id, 'wrong-responder-key');
  assert.equal(d.confidence, 'confirmed');
  assert.equal(d.counterpart?.host, 'wrong-server-key-server');
});

test('a short failure (3 attempts) among tunnels failing at once: the client\'s address pairs the ends without timing', () => {
  // The client's shipper gives its address (host.ip); the server logged three invalid initiations from it,
  // too few for an alert of its own, and another server's invalid-MAC lines fall at the same moments.
  const slc = rec('server-lacks-client-client');
  const start = first(slc);
  const shortClient = docs(slc).filter((d) => Date.parse(d['@timestamp']) < start + 12_000)
    .map((d) => ({ ...d, host: { ...d.host, ip: ['fd99:0:2::2'] } }));
  const server = docs(rec('server-lacks-client-server')).filter((d) => Date.parse(d['@timestamp']) < start + 12_000);
  const other = rec('wrong-server-key-server');
  const overlaid = docs(other, start - first(other)).filter((d) => Date.parse(d['@timestamp']) < start + 12_000);
  const q = clientAlert(shortClient, 'server-lacks-client-client');
  const timingOnly = diagnoseTunnel(q, docs(slc).filter((d) => Date.parse(d['@timestamp']) < start + 12_000), [...server, ...overlaid]);
  assert.notEqual(timingOnly.confidence, 'confirmed', 'by timing alone, 3 attempts and two servers settle nothing');
  const d = diagnoseTunnel(q, shortClient, [...server, ...overlaid]);
  assert.deepEqual([d.id, d.confidence, d.counterpart?.host, d.counterpart?.method], ['initiator-key-unknown', 'confirmed', 'server-lacks-client-server', 'address']);
});
