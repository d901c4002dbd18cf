// Every lab scenario with real wireguard-go peers, end to end: logs shipped as a syslog file shipper would,
// peer state published by the collector, the pipeline and the correlation stage running. Each failing tunnel
// must raise its alert with the specific root cause, found from both ends; the healthy one raises nothing.
// Two waves (LAB_WAVES): timing cannot tell apart a wrong server key and a server lacking the client's key when
// both fail at the same moments (see test/unit/correlate/diagnose/ambiguity.test.ts), so those two never run together.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { labAvailable, type LabScenario } from '../../src/dev/lab/lab.ts';
import { LAB_WAVES, startLive } from '../../src/dev/lab/live.ts';
import { alertFixture, alertHits, produceByHost, startBoth, type AlertHit } from '../helpers/alerts.ts';
import { quietLogger } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';

const avail = labAvailable();

interface Expected {
  readonly host: string;
  readonly rule: string;
  readonly cause: string;
  readonly confidence: string;
  readonly counterpart: string;
  readonly method: string;
}

/** What each failing scenario must raise; the waves (LAB_WAVES) say what runs together. */
const EXPECT: Readonly<Partial<Record<LabScenario, readonly Expected[]>>> = {
  // The key the client has for its server is no host's key, but the server has the client's key as a peer: found
  // by key in the peer-state snapshots (the reverse pairing), which also prove the client's key for it is wrong.
  'wrong-server-key': [{ host: 'wrong-server-key-client', rule: 'handshake-unanswered', cause: 'wrong-responder-key', confidence: 'confirmed', counterpart: 'wrong-server-key-server', method: 'snapshot' }],
  'psk': [{ host: 'psk-client', rule: 'psk-mismatch', cause: 'psk-mismatch', confidence: 'confirmed', counterpart: 'psk-server', method: 'snapshot' }],
  'psk-differ': [{ host: 'psk-differ-client', rule: 'psk-mismatch', cause: 'psk-mismatch', confidence: 'confirmed', counterpart: 'psk-differ-server', method: 'snapshot' }],
  'allowedips': [{ host: 'allowedips-server', rule: 'unallowed-source-ip', cause: 'allowedips-mismatch', confidence: 'confirmed', counterpart: 'allowedips-client', method: 'snapshot' }],
  'server-lacks-client': [
    { host: 'server-lacks-client-client', rule: 'handshake-unanswered', cause: 'initiator-key-unknown', confidence: 'confirmed', counterpart: 'server-lacks-client-server', method: 'snapshot' },
    // The server's rejections print the client's source port, which is its listen port in its peer-state snapshot.
    { host: 'server-lacks-client-server', rule: 'invalid-initiation-burst', cause: 'initiator-key-unknown', confidence: 'confirmed', counterpart: 'server-lacks-client-client', method: 'address' },
  ],
  // A real initiation sent again after the handshake: replay lines, then rejections from the relay's address.
  // Found by key (the server's peer state has that address as the client's endpoint); the client did not retry
  // at those moments, so "probable".
  'replay': [{ host: 'replay-server', rule: 'invalid-initiation-burst', cause: 'replay-or-clock', confidence: 'probable', counterpart: 'replay-client', method: 'snapshot' }],
  // Twenty clients with keys the server does not know, from one address: a per-source burst, attributed to the
  // host at that address (its configured peer's endpoint in the server's snapshots). "probable": that host's
  // known tunnel (wg0) is not the one failing; the strangers are interfaces the server has never heard of.
  'burst': [{ host: 'burst-server', rule: 'invalid-initiation-burst', cause: 'initiator-key-unknown', confidence: 'probable', counterpart: 'burst-client', method: 'snapshot' }],
  // The server logs nothing at all: found by key, its silence is the evidence.
  'unreachable': [{ host: 'unreachable-client', rule: 'handshake-unanswered', cause: 'unreachable', confidence: 'probable', counterpart: 'unreachable-server', method: 'snapshot' }],
};

const show = (h: AlertHit): string => {
  const d = h.wireguard?.diagnosis;
  return `${h.host?.name ?? ''}/${h.rule?.id ?? ''}=${d?.id ?? ''}(${d?.confidence ?? ''}, ${d?.counterpart?.host ?? '-'} by ${d?.counterpart?.method ?? '-'})`;
};

test('live lab: every scenario raises its alert with the root cause from both ends; the healthy tunnel raises nothing', {
  skip: avail.ok ? false : `live lab skipped: ${avail.why}`, timeout: 600_000,
}, async (t) => {
  const f = await alertFixture('scenarios');
  await produceByHost(f, []);
  const run = await startBoth(f);
  t.after(() => run.stop());
  const dir = mkdtempSync(join(tmpdir(), 'wg-siem-lab-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const found = (hits: AlertHit[], e: Expected): AlertHit | undefined => hits.find((h) => h.host?.name === e.host && h.rule?.id === e.rule);
  let hits: AlertHit[] = [];
  for (const [i, wave] of LAB_WAVES.entries()) {
    const expect = wave.flatMap((w) => EXPECT[w.scenario] ?? []);
    const live = await startLive(wave, {
      kafka: f.kafka, topic: f.topic, compression: 'none', logDir: join(dir, String(i)), firstNet: 100 + i * 10 + (process.pid % 5) * 20,
      collectIntervalMs: 5000, staleAfterMs: 300_000, log: quietLogger(),
    });
    try {
      // Clients retry for a while after the traffic stops; a silent host's clock runs on until the minute without
      // an answer (plus the allowed lateness) has passed.
      await live.traffic(30);
      await waitFor(`the expected diagnoses of wave ${i + 1}`, 150_000, async () => {
        hits = await alertHits(f.es, f.namespace);
        return expect.every((e) => {
          const d = found(hits, e)?.wireguard?.diagnosis;
          return d?.id === e.cause && d.counterpart?.host === e.counterpart;
        });
      }).catch((e: unknown) => { throw new Error(`${(e as Error).message}; got ${hits.map(show).join(', ')}`); });
    } finally {
      await live.stop();
    }
  }
  for (const e of Object.values(EXPECT).flat()) {
    const h = found(hits, e);
    assert.ok(h, `${e.host}: ${e.rule}`);
    const d = h.wireguard?.diagnosis;
    assert.equal(d?.confidence, e.confidence, `${show(h)}: confidence`);
    assert.equal(d?.counterpart?.method, e.method, `${show(h)}: how the other end was found`);
    assert.ok((d?.evidence?.length ?? 0) > 1, `${e.host}: evidence cited`);
  }
  assert.deepEqual(hits.filter((h) => h.host?.name?.startsWith('healthy-')).map(show), [], 'the healthy tunnel raises nothing');
  assert.ok(!hits.some((h) => h.host?.name === 'psk-server' || h.host?.name === 'psk-differ-server'), 'a PSK mismatch is silent on the server');
  // Over the IPv6 underlay the server's alert names the client by its IPv6 address.
  assert.match(found(hits, EXPECT['server-lacks-client']?.[1] as Expected)?.source?.ip ?? '', /^fd99:0:[0-9a-f]+::2$/);
});
