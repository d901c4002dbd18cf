// wg-siem collect without a WireGuard host: the dump comes from a file through a real command, the change
// tracking sees successive polls, and the record reaches the pipeline's ECS documents. Private and preshared
// keys must never come out of any of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PeerCollector } from '../../../../src/source/collect/collector.ts';
import { PeerChangeTracker } from '../../../../src/source/collect/peer-changes.ts';
import { SNAPSHOT_HEADER, SNAPSHOT_KIND, parseSnapshotRecord, toDumpSnapshot, toSnapshotRecord, type SnapshotRecord } from '../../../../src/source/collect/snapshot-record.ts';
import { parseWgDump } from '../../../../src/parse/wg-dump.ts';
import type { OutgoingRecord } from '../../../../src/source/kafka/reliable-producer.ts';
import { processRecord } from '../../../../src/indexing/record.ts';
import { validateEvent, validatePeer } from '../../../../src/shared/schema/validate.ts';

// Keys of the lab (public keys are public; the private key and the PSK below are throwaway test values).
const PRIVATE = 'kP0Ly6tnqVW1N8sT4ABwD4sOWRJrkrXy7fCxTJgFs2c=';
const PSK = 'B8vWf3pD2vZGxtcJgFI1uQk9q0HqgLQmSbrnYp1Q8Eo=';
const SERVER = 'Mj6jwSDBlR8qErITAwX0jwJiHLvoREXjjdLI3KnzCgE=';
const CLIENT = 'cH4E0rkqjgJX1TtAtjgw0GLMC7VhY8Iko9Q+4EuPBVw=';
const T0 = Date.parse('2026-11-25T09:00:00.000Z');
const sec = (ms: number): string => String(Math.floor(ms / 1000));

/** A server's `wg show all dump`: one peer, with the given endpoint, handshake time and counters. */
function serverDump(p: { endpoint?: string; handshakeMs?: number; rx: number; tx: number; psk?: boolean; peer?: string }): string {
  return `wg0\t${PRIVATE}\t${SERVER}\t51820\toff\n`
    + `wg0\t${p.peer ?? CLIENT}\t${p.psk ? PSK : '(none)'}\t${p.endpoint ?? '(none)'}\t10.200.0.2/32\t${p.handshakeMs ? sec(p.handshakeMs) : '0'}\t${p.rx}\t${p.tx}\toff\n`;
}

const snap = (text: string, atMs: number) => parseWgDump(text, 'gw1', atMs);

test('changes: the first poll is a baseline; endpoint moves, staleness and failing handshakes are reported once each', () => {
  const t = new PeerChangeTracker({ staleAfterMs: 300_000 });
  assert.deepEqual(t.update(snap(serverDump({ endpoint: '10.99.0.2:4000', handshakeMs: T0 - 10_000, rx: 1000, tx: 1000 }), T0)), []);
  const moved = t.update(snap(serverDump({ endpoint: '192.0.2.9:4001', handshakeMs: T0 - 10_000, rx: 2000, tx: 2000 }), T0 + 30_000));
  assert.deepEqual(moved.map((c) => [c.kind, c.previousEndpoint, c.endpoint]), [['endpoint-changed', '10.99.0.2:4000', '192.0.2.9:4001']]);
  // Six minutes later, no new handshake: stale once, and traffic without a handshake: failing once.
  const stale = t.update(snap(serverDump({ endpoint: '192.0.2.9:4001', handshakeMs: T0 - 10_000, rx: 2148, tx: 2092 }), T0 + 360_000));
  assert.deepEqual(stale.map((c) => c.kind).sort(), ['handshake-failing', 'handshake-stale']);
  assert.equal(stale.find((c) => c.kind === 'handshake-stale')?.handshakeAgeS, 370);
  assert.deepEqual(stale.find((c) => c.kind === 'handshake-failing')?.rxDelta, 148);
  assert.deepEqual(t.update(snap(serverDump({ endpoint: '192.0.2.9:4001', handshakeMs: T0 - 10_000, rx: 2296, tx: 2184 }), T0 + 390_000)), [], 'reported once');
  // A new handshake ends both; a later stall is reported again.
  assert.deepEqual(t.update(snap(serverDump({ endpoint: '192.0.2.9:4001', handshakeMs: T0 + 400_000, rx: 3000, tx: 3000 }), T0 + 410_000)), []);
  const again = t.update(snap(serverDump({ endpoint: '192.0.2.9:4001', handshakeMs: T0 + 400_000, rx: 3148, tx: 3000 }), T0 + 800_000));
  assert.deepEqual(again.map((c) => c.kind).sort(), ['handshake-failing', 'handshake-stale']);
});

test('changes: a peer that never completes a handshake while bytes move is failing; peers added and removed', () => {
  const t = new PeerChangeTracker({ staleAfterMs: 300_000 });
  t.update(snap(serverDump({ endpoint: '10.99.0.2:4000', rx: 148, tx: 92, psk: true }), T0));
  const f = t.update(snap(serverDump({ endpoint: '10.99.0.2:4000', rx: 296, tx: 184, psk: true }), T0 + 5000));
  assert.deepEqual(f.map((c) => [c.kind, c.handshakeAgeS, c.rxDelta, c.txDelta]), [['handshake-failing', undefined, 148, 92]]);
  // Idle (no bytes) is not failing.
  assert.deepEqual(t.update(snap(serverDump({ endpoint: '10.99.0.2:4000', rx: 296, tx: 184 }), T0 + 10_000)), []);
  const swapped = t.update(snap(serverDump({ peer: SERVER, rx: 0, tx: 0 }), T0 + 15_000));
  assert.deepEqual(swapped.map((c) => [c.kind, c.publicKey]).sort(), [['peer-added', SERVER], ['peer-removed', CLIENT]]);
});

test('record: round trip through JSON and the schema; no private or preshared key in it; bad records name the field', () => {
  const s = snap(serverDump({ endpoint: '[2001:db8::2]:4000', handshakeMs: T0 - 5000, rx: 10, tx: 20, psk: true }), T0);
  const r = toSnapshotRecord(s, []);
  const text = JSON.stringify(r);
  assert.ok(!text.includes(PRIVATE) && !text.includes(PSK));
  const back = parseSnapshotRecord(text);
  assert.ok(back.ok);
  assert.equal(back.record.peers[0]?.preshared_key_set, true);
  const dump = toDumpSnapshot(back.record);
  assert.equal(dump.peers[0]?.endpointIp, '2001:db8::2');
  assert.equal(dump.peers[0]?.latestHandshakeMs, T0 - 5000);
  const bad = parseSnapshotRecord(JSON.stringify({ ...r, peers: [{ ...r.peers[0], public_key: 'not-a-key', private_key: PRIVATE }] }));
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.errors.some((e) => e.includes('/peers/0/public_key')), JSON.stringify(bad));
  assert.ok(!bad.ok && bad.errors.some((e) => e.includes('additional properties')));
  assert.ok(!bad.ok && !bad.errors.join(' ').includes(PRIVATE), 'errors never quote values');
  assert.equal(parseSnapshotRecord('{"version":1').ok, false);
});

function collector(file: string, out: { record: OutgoingRecord; snapshot: SnapshotRecord }[], command?: string[]): PeerCollector {
  return new PeerCollector({
    command: command ?? ['cat', file], host: 'gw1', timeoutMs: 2000, staleAfterMs: 300_000, log: pino({ level: 'silent' }),
    publish: (record, snapshot) => { out.push({ record, snapshot }); return Promise.resolve(); },
  });
}

test('collector: polls a real command, publishes keyed by host with the snapshot header; failures are reported, not thrown', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-siem-collect-'));
  try {
    const file = join(dir, 'dump');
    writeFileSync(file, serverDump({ endpoint: '10.99.0.2:4000', rx: 148, tx: 92 }));
    const out: { record: OutgoingRecord; snapshot: SnapshotRecord }[] = [];
    const c = collector(file, out);
    assert.deepEqual(await c.poll(), { ok: true, peers: 1, changes: [] });
    writeFileSync(file, serverDump({ endpoint: '10.99.0.2:4000', rx: 296, tx: 184 }));
    const second = await c.poll();
    assert.ok(second.ok && second.changes[0]?.kind === 'handshake-failing');
    assert.equal(out.length, 2);
    assert.equal(out[0]?.record.key, 'gw1');
    assert.deepEqual(out[0]?.record.headers, { [SNAPSHOT_HEADER]: SNAPSHOT_KIND });
    for (const o of out) assert.ok(!String(o.record.value).includes(PRIVATE));

    writeFileSync(file, `wg0\t${PRIVATE}\tgarbage\n`);
    const bad = await c.poll();
    assert.ok(!bad.ok && /line 1/.test(bad.error) && !bad.error.includes(PRIVATE), !bad.ok ? bad.error : '');
    const missing = await collector(file, out, ['/nonexistent/wg', 'show']).poll();
    assert.ok(!missing.ok && /not found/.test(missing.error));
    const slow = await collector(file, out, ['sleep', '5']).poll();
    assert.ok(!slow.ok && /no answer within 2000 ms/.test(slow.error));
    assert.equal(out.length, 2, 'a failed poll publishes nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pipeline: a snapshot record becomes valid peer-state documents, change events and a snapshot for correlation', () => {
  const t = new PeerChangeTracker({ staleAfterMs: 300_000 });
  t.update(snap(serverDump({ endpoint: '10.99.0.2:4000', rx: 148, tx: 92 }), T0));
  const s = snap(serverDump({ endpoint: '10.99.0.2:4000', rx: 296, tx: 184 }), T0 + 5000);
  const value = Buffer.from(JSON.stringify(toSnapshotRecord(s, t.update(s))));
  const rec = { topic: 'wireguard.logs', partition: 0, offset: '7', timestampMs: T0, key: Buffer.from('gw1'), value, headers: { [SNAPSHOT_HEADER]: SNAPSHOT_KIND } };
  const ctx = { namespace: 'default', timezone: 'UTC', validate: true, maxRecordBytes: 1_000_000, keepUnparsed: false, nowMs: T0 + 6000 };
  const out = processRecord(rec, ctx);
  assert.deepEqual(out.deadLetters, []);
  assert.deepEqual(out.actions.map((a) => [a.index, a.id, a.action]), [
    ['logs-wireguard.log-default', 'wireguard.logs:0:7:0', 'wireguard-peer-handshake-failing'],
    ['logs-wireguard.peer-default', 'wireguard.logs:0:7:0', 'peer-state'],
  ]);
  for (const a of out.actions) assert.deepEqual(a.index.includes('.peer-') ? validatePeer(a.doc) : validateEvent(a.doc), { ok: true });
  const ev = out.actions[0]?.doc as { message: string; source: { ip: string }; event: { reason: string }; wireguard: { diagnosis: { id: string } } };
  assert.match(ev.message, /^wg0: peer\(cH4E…PBVw\): 148 bytes received and 92 sent since the previous poll, yet no handshake completed$/);
  assert.equal(ev.source.ip, '10.99.0.2');
  // The id and the one-line summary; the causes and checks are in the diagnoses index (PEER_CHANGE_DIAGNOSES).
  assert.deepEqual(ev.wireguard.diagnosis, { id: 'collect.peer.handshake_failing' });
  assert.match(ev.event.reason, /no handshake completes/);
  assert.equal(out.snapshots?.[0]?.id, 'wireguard.logs:0:7:1', 'after the change events in source position');
  assert.equal(out.snapshots?.[0]?.snapshot.peers[0]?.publicKey, CLIENT);
  // A damaged snapshot is a dead letter with its reason, like any bad input.
  const bad = processRecord({ ...rec, value: Buffer.from('{"version":2}') }, ctx);
  assert.equal(bad.actions.length, 0);
  assert.equal(bad.deadLetters[0]?.reason, 'schema-invalid');
  assert.match(bad.deadLetters[0]?.detail ?? '', /^peer snapshot: /);
});
