// Every shipped rule against the real stack: one host per scenario, kernel lines through Kafka, the indexing
// stage, the intermediate topic and the correlation stage; each host must raise exactly the expected rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CorrelationHooks } from '../../src/correlate/alerts/correlation-ports.ts';
import { NO_CORRELATION_HOOKS } from '../../src/correlate/alerts/correlation-ports.ts';
import { validateAlert } from '../../src/shared/schema/validate.ts';
import { alertFixture, alertHits, kernelLine, produceByHost, startBoth, type AlertHit } from '../helpers/alerts.ts';
import { waitFor } from '../helpers/wait.ts';

interface Scenario {
  readonly host: string;
  /** [seconds after the scenario base time, kernel message] */
  readonly lines: readonly (readonly [number, string])[];
  readonly expect: readonly string[];
  /** Seconds before now of the base time (default 180). */
  readonly ago?: number;
}

const times = (n: number, every: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i * every);

const SCENARIOS: readonly Scenario[] = [
  {
    host: 'burst-init', expect: ['invalid-initiation-burst'],
    lines: [
      [-40, 'wg0: Peer 3 created'],
      [-30, 'wg0: Receiving handshake initiation from peer 3 (203.0.113.7:51820)'],
      // Out of order within the allowed lateness: still counted.
      ...times(12, 2).reverse().map((s) => [s, 'wg0: Invalid handshake initiation from 203.0.113.7:51820'] as const),
    ],
  },
  { host: 'few-init', expect: [], lines: times(5, 2).map((s) => [s, 'wg0: Invalid handshake initiation from 203.0.113.8:51820'] as const) },
  { host: 'burst-mac', expect: ['invalid-mac-burst'], lines: times(12, 3).map((s) => [s, 'wg0: Invalid MAC of handshake, dropping packet from 198.51.100.9:41641'] as const) },
  { host: 'scan', expect: ['distributed-invalid-initiations'], lines: times(25, 1).map((s, i) => [s, `wg0: Invalid handshake initiation from 192.0.2.${i + 1}:${40000 + i}`] as const) },
  { host: 'scan-small', expect: [], lines: times(10, 1).map((s, i) => [s, `wg0: Invalid handshake initiation from 192.0.2.${i + 1}:${40000 + i}`] as const) },
  { host: 'gave-up', expect: ['handshake-given-up'], lines: [[0, 'wg0: Handshake for peer 3 (198.51.100.23:51820) did not complete after 20 attempts, giving up']] },
  { host: 'allowed', expect: ['unallowed-source-ip'], lines: times(3, 5).map((s) => [s, 'wg0: Packet has unallowed src IP (192.168.50.12) from peer 3 (198.51.100.23:51820)'] as const) },
  { host: 'allowed-once', expect: [], lines: times(2, 5).map((s) => [s, 'wg0: Packet has unallowed src IP (192.168.50.12) from peer 3 (198.51.100.23:51820)'] as const) },
  {
    host: 'psk', expect: ['psk-mismatch'],
    lines: times(3, 5).flatMap((s) => [[s, 'wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)'], [s + 1, 'wg0: Invalid handshake response from 198.51.100.23:51820']] as const),
  },
  {
    host: 'healthy', expect: [],
    lines: [
      [0, 'wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)'],
      [0.1, 'wg0: Receiving handshake response from peer 3 (198.51.100.23:51820)'],
      [0.1, 'wg0: Keypair 42 created for peer 3'],
      [10, 'wg0: Receiving keepalive packet from peer 3 (198.51.100.23:51820)'],
    ],
  },
  {
    host: 'ratelimit', expect: ['rate-limited-logging'],
    lines: [[0, 'wg0: Invalid handshake initiation from 203.0.113.99:1024']],
  },
  {
    host: 'unanswered', expect: ['handshake-unanswered'],
    lines: [
      [0, 'wg0: Sending handshake initiation to peer 5 (192.0.2.50:51820)'],
      [5, 'wg0: Handshake for peer 5 (192.0.2.50:51820) did not complete after 5 seconds, retrying (try 2)'],
      // Event time moves on for this host: the minute without an answer has passed.
      [100, 'wg0: Sending keepalive packet to peer 6 (192.0.2.60:51820)'],
    ],
  },
  {
    host: 'answered', expect: [],
    lines: [
      [0, 'wg0: Sending handshake initiation to peer 5 (192.0.2.50:51820)'],
      [5, 'wg0: Handshake for peer 5 (192.0.2.50:51820) did not complete after 5 seconds, retrying (try 2)'],
      [6, 'wg0: Receiving handshake response from peer 5 (192.0.2.50:51820)'],
      [100, 'wg0: Sending keepalive packet to peer 6 (192.0.2.60:51820)'],
    ],
  },
  {
    // Peer 3 spoke 15 minutes ago; the host's later lines (about peer 6) show its clock 11 minutes further on.
    // Silence is measured on the host's own clock: one old line alone, just delivered, may be a backlog.
    host: 'stale', expect: ['stale-peer'], ago: 900,
    lines: [[0, 'wg0: Receiving keepalive packet from peer 3 (198.51.100.23:51820)'], [660, 'wg0: Sending keepalive packet to peer 6 (192.0.2.60:51820)']],
  },
  {
    host: 'late', expect: [],
    lines: [
      ...times(9, 1).map((s) => [s, 'wg0: Invalid handshake initiation from 203.0.113.50:51820'] as const),
      [300, 'wg0: Sending keepalive packet to peer 6 (192.0.2.60:51820)'],
      // Five minutes behind this host's newest line, beyond the 30 s allowed lateness: not counted.
      ...times(3, 1, 10).map((s) => [s, 'wg0: Invalid handshake initiation from 203.0.113.50:51820'] as const),
    ],
  },
];

function linesOf(s: Scenario, now: number): { host: string; line: string }[] {
  const base = now - (s.ago ?? 180) * 1000;
  const out = s.lines.map(([sec, msg]) => ({ host: s.host, line: kernelLine(base + sec * 1000, s.host, msg) }));
  // The kernel's own rate-limit report goes without the "wireguard:" prefix.
  if (s.host === 'ratelimit') out.push({ host: s.host, line: `${new Date(base + 1000).toISOString()} ${s.host} kernel: net_ratelimit: 12 callbacks suppressed` });
  return out;
}

test('each shipped rule fires on its scenario and only there, with attribution, diagnosis and valid documents', async () => {
  const f = await alertFixture('rules');
  let late = 0;
  const hooks: CorrelationHooks = { ...NO_CORRELATION_HOOKS, late: (n) => { late += n; } };
  const now = Date.now();
  await produceByHost(f, SCENARIOS.flatMap((s) => linesOf(s, now)));
  const run = await startBoth(f, hooks);
  const expected = SCENARIOS.flatMap((s) => s.expect.map((r) => `${s.host}/${r}`)).sort();
  const got = (hits: AlertHit[]): string[] => [...new Set(hits.map((h) => `${h.host?.name ?? '?'}/${h.rule?.id ?? '?'}`))].sort();
  let hits: AlertHit[] = [];
  try {
    await waitFor('the expected alerts', 90_000, async () => {
      hits = await alertHits(f.es, f.namespace);
      return expected.every((e) => got(hits).includes(e));
    }).catch((e: unknown) => { throw new Error(`${(e as Error).message}; got ${got(hits).join(', ') || 'none'}`); });
    // Give rules that should not fire the chance to do so anyway.
    await new Promise((r) => setTimeout(r, 4000));
    hits = await alertHits(f.es, f.namespace);
  } finally {
    await run.stop();
  }
  assert.deepEqual(got(hits), expected);
  assert.equal(late, 3, 'the three lines five minutes behind their host count as late');
  for (const h of hits) {
    const { _id, _version, ...doc } = h;
    assert.deepEqual(validateAlert(doc), { ok: true }, `${_id} is a valid alert document`);
    assert.equal(doc.event.kind, 'alert');
    assert.equal(doc.event.id, _id);
    assert.ok([21, 47, 73, 99].includes(doc.event.severity ?? 0));
    assert.ok(doc.wireguard?.diagnosis?.summary, `${doc.rule?.id} explains itself`);
    assert.ok(doc.message.length > 20 && !doc.message.includes('{'), doc.message);
  }
  const burst = hits.find((h) => h.rule?.id === 'invalid-initiation-burst');
  assert.ok(burst);
  assert.equal(burst.source?.ip, '203.0.113.7');
  assert.ok((burst.wireguard?.alert?.count ?? 0) >= 10);
  // The kernel names no peer on the failing line; the earlier handshake line tied 203.0.113.7 to peer 3.
  assert.equal(burst.wireguard?.attribution?.peer_id, '3');
  assert.equal(burst.wireguard?.attribution?.endpoint, '203.0.113.7:51820');
  assert.match(burst.message, /203\.0\.113\.7/);
  assert.match(burst.message, /last seen as peer 3/);
  const scan = hits.find((h) => h.rule?.id === 'distributed-invalid-initiations');
  assert.ok((scan?.wireguard?.alert?.distinct ?? 0) >= 20, 'distinct sources counted');
});
