// The concurrency wave (src/dev/lab/wave.ts): twelve real wireguard-go tunnels over two servers (one wg0 each, a peer
// per client), failing at the same moments in mixed ways next to healthy ones. Its recording
// (lab/recordings/wave/, made by scripts/lab-wave.ts) is replayed through the whole stack twice: logs only, then
// logs and the collector's peer snapshots; where the lab can run, the wave also runs live (logs and snapshots).
// Each run prints a table and is judged by one function (judgeRun): no alert may state a false cause; with
// snapshots every failing tunnel's alerts state its true cause; logs only, each is that cause or a narrowed list
// that contains it; healthy tunnels raise nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parseSnapshotRecord } from '../../src/source/collect/snapshot-record.ts';
import { keyFragment, labAvailable } from '../../src/dev/lab/lab.ts';
import { startLiveWave } from '../../src/dev/lab/live.ts';
import { readWaveRecording, replayWave, WAVE_RECORDING_DIR } from '../../src/dev/lab/recordings.ts';
import type { WaveTunnel } from '../../src/dev/lab/wave.ts';
import { alertFixture, alertHits, correlationLag, produceByHost, startBoth, type AlertHit } from '../helpers/alerts.ts';
import { quietLogger, remainingLag, type PipelineFixture } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';

const avail = labAvailable();
const recording = readWaveRecording();
const TUNNELS = recording.manifest.tunnels;

// ----------------------------------------------------------------------------- reading and judging alerts

/** What an alert's diagnosis says, read from wireguard.diagnosis: the one place that knows its fields. */
interface Stated {
  /** The root cause id stated as THE cause (not the fallback 'one-sided'). */
  readonly cause?: string;
  /** The causes the diagnosis narrowed the tunnel down to, when it lists them (each with the other end it assumes, if it says). */
  readonly narrowed?: readonly { readonly id: string; readonly host?: string }[];
  readonly confidence?: string;
  readonly otherEnd?: string;
  readonly method?: string;
  /** The raw id, for the table. */
  readonly id?: string;
}

/** Diagnosis ids that state no cause: the one-end fallback, and several causes that fit. */
const NO_CAUSE = new Set(['one-sided', 'ambiguous']);

function stated(h: AlertHit): Stated {
  const d = h.wireguard?.diagnosis;
  if (d === undefined) return {};
  // The narrowed list: wireguard.diagnosis.alternatives, each a cause id with the other end it assumes (host).
  const entries = d.alternatives?.map((a) => ({ id: a.id ?? '', ...(a.host !== undefined ? { host: a.host } : {}) }));
  const base = {
    ...(d.id !== undefined ? { id: d.id } : {}),
    ...(d.confidence !== undefined ? { confidence: d.confidence } : {}),
    ...(d.counterpart?.host !== undefined ? { otherEnd: d.counterpart.host } : {}),
    ...(d.counterpart?.method !== undefined ? { method: d.counterpart.method } : {}),
  };
  // A catalog diagnosis (no confidence) is the per-message explanation, not a cross-host cause.
  if (d.confidence === undefined) return base;
  if (entries !== undefined) return { ...base, narrowed: [...(d.id !== undefined && !NO_CAUSE.has(d.id) ? [{ id: d.id }] : []), ...entries] };
  return d.id !== undefined && !NO_CAUSE.has(d.id) ? { ...base, cause: d.id } : base;
}

/** The tunnel an alert is about: the client host's own, or on a server the peer's key fragment or the source address. */
function tunnelOf(h: AlertHit, tunnels: readonly WaveTunnel[]): WaveTunnel | undefined {
  const host = h.host?.name;
  const byClient = tunnels.find((t) => t.client === host);
  if (byClient) return byClient;
  const mine = tunnels.filter((t) => t.server === host);
  const wg = h.wireguard;
  const fragments = [wg?.peer?.key_fragment, wg?.attribution?.key_fragment, ...[wg?.peer?.public_key, wg?.attribution?.peer_key].map((k) => (k !== undefined ? keyFragment(k) : undefined))];
  return mine.find((t) => fragments.includes(t.client_key_fragment)) ?? mine.find((t) => h.source?.ip !== undefined && t.server_sees === h.source.ip);
}

type Verdict =
  | 'right' // the true cause, stated as the cause (or a list of just it)
  | 'narrowed' // a list of causes that contains the true one
  | 'false' // a cause (or list) without the true one, or the wrong other end
  | 'unexplained' // no cause and no list (e.g. 'one-sided')
  | 'no-diagnosis' // the alert carries no cross-host diagnosis
  | 'healthy-alerted' // an alert about a healthy tunnel
  | 'unattributed'; // an alert that belongs to no tunnel of the wave

interface Row { readonly tunnel?: WaveTunnel; readonly hit?: AlertHit; readonly s: Stated; readonly verdict: Verdict; readonly why: string }

function verdictOf(h: AlertHit, t: WaveTunnel | undefined): { verdict: Verdict; why: string } {
  if (t === undefined) return { verdict: 'unattributed', why: 'no tunnel of the wave' };
  if (t.cause === null) return { verdict: 'healthy-alerted', why: 'a healthy tunnel' };
  const s = stated(h);
  const otherEnd = h.host?.name === t.client ? t.server : t.client;
  if (s.otherEnd !== undefined && s.otherEnd !== otherEnd) return { verdict: 'false', why: `other end ${s.otherEnd}, not ${otherEnd}` };
  if (s.narrowed) {
    const list = s.narrowed.map((n) => `${n.id}${n.host !== undefined ? `@${n.host}` : ''}`).join('|');
    // The true cause must be in the list, with the right other end if the entry names one.
    if (!s.narrowed.some((n) => n.id === t.cause && (n.host === undefined || n.host === otherEnd))) return { verdict: 'false', why: `narrowed to ${list} without ${t.cause}@${otherEnd}` };
    return new Set(s.narrowed.map((n) => n.id)).size === 1 ? { verdict: 'right', why: '' } : { verdict: 'narrowed', why: '' };
  }
  if (s.cause !== undefined) return s.cause === t.cause ? { verdict: 'right', why: '' } : { verdict: 'false', why: `states ${s.cause}, the cause is ${t.cause}` };
  return s.confidence === undefined ? { verdict: 'no-diagnosis', why: 'no cross-host diagnosis' } : { verdict: 'unexplained', why: `${s.id ?? '?'}: neither a cause nor a list of causes` };
}

function rowsOf(hits: readonly AlertHit[], tunnels: readonly WaveTunnel[]): Row[] {
  const rows: Row[] = hits.map((hit) => {
    const tunnel = tunnelOf(hit, tunnels);
    return { ...(tunnel ? { tunnel } : {}), hit, s: stated(hit), ...verdictOf(hit, tunnel) };
  });
  for (const t of tunnels) if (!rows.some((r) => r.tunnel === t)) rows.push({ tunnel: t, s: {}, verdict: t.cause === null ? 'right' : 'unexplained', why: t.cause === null ? '' : 'no alert' });
  const order = (r: Row): number => (r.tunnel ? tunnels.indexOf(r.tunnel) : tunnels.length);
  return rows.sort((a, b) => order(a) - order(b));
}

function table(title: string, rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.tunnel ? `${r.tunnel.id} (${r.tunnel.server.replace('wave-', '')})` : '?',
    r.tunnel ? `${r.tunnel.fault} → ${r.tunnel.cause ?? '-'}` : '-',
    r.hit ? `${r.hit.host?.name ?? ''}/${r.hit.rule?.id ?? ''}` : '(no alert)',
    r.s.narrowed ? `${r.s.id ?? ''}[${r.s.narrowed.map((n) => `${n.id}${n.host !== undefined ? `@${n.host}` : ''}`).join('|')}]` : r.s.id ?? '-',
    r.s.confidence ?? '-',
    r.s.otherEnd !== undefined ? `${r.s.otherEnd} by ${r.s.method ?? '?'}` : '-',
    `${r.verdict}${r.why ? `: ${r.why}` : ''}`,
  ]);
  const head = ['tunnel', 'true fault → cause', 'alert', 'cause stated', 'confidence', 'other end', 'verdict'];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string => c.map((x, i) => x.padEnd(w[i] ?? 0)).join(' | ').trimEnd();
  return `\n${title}\n${line(head)}\n${w.map((n) => '-'.repeat(n)).join('-+-')}\n${cells.map(line).join('\n')}\n`;
}

/**
 * The run's failures, as sentences (empty: the run passes). Zero false causes always; `specific`: every alert of
 * a failing tunnel states its true cause; otherwise each states it or a narrowed list containing it. Every
 * failing tunnel raises at least one alert; a healthy one raises none; every alert belongs to a tunnel.
 */
function judgeRun(rows: readonly Row[], specific: boolean): string[] {
  const failures: string[] = [];
  for (const r of rows) {
    const where = `${r.tunnel?.id ?? '?'} ${r.hit ? `${r.hit.host?.name ?? ''}/${r.hit.rule?.id ?? ''}` : ''}`.trim();
    const ok = r.verdict === 'right' || (!specific && r.verdict === 'narrowed');
    if (!ok) failures.push(`${where}: ${r.verdict}${r.why ? ` (${r.why})` : ''}`);
  }
  return failures;
}

/** Alerts with their diagnoses unchanged for `quietMs`, each failing tunnel having one, or whatever is there at the deadline. */
async function settledAlerts(f: PipelineFixture, tunnels: readonly WaveTunnel[], deadline: number, quietMs = 8000): Promise<AlertHit[]> {
  let hits: AlertHit[] = [];
  let sig = '';
  let since = Date.now();
  while (Date.now() < deadline) {
    hits = await alertHits(f.es, f.namespace);
    const now = JSON.stringify(hits.map((h) => [h._id, h.wireguard?.diagnosis?.id, h.wireguard?.diagnosis?.confidence, h.wireguard?.diagnosis?.counterpart?.host]));
    if (now !== sig) { sig = now; since = Date.now(); }
    const everyFailing = tunnels.every((t) => t.cause === null || hits.some((h) => tunnelOf(h, tunnels) === t && h.wireguard?.diagnosis?.confidence !== undefined));
    if (everyFailing && Date.now() - since >= quietMs) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return hits;
}

function report(t: TestContext, title: string, hits: readonly AlertHit[], tunnels: readonly WaveTunnel[], specific: boolean, started: number): void {
  const rows = rowsOf(hits, tunnels);
  const failures = judgeRun(rows, specific);
  process.stderr.write(`${table(`${title} (${((Date.now() - started) / 1000).toFixed(0)} s)`, rows)}`);
  t.diagnostic(`${title}: ${rows.filter((r) => r.verdict === 'right').length} right, ${rows.filter((r) => r.verdict === 'narrowed').length} narrowed, `
    + `${rows.filter((r) => r.verdict === 'false' || r.verdict === 'healthy-alerted' || r.verdict === 'unattributed').length} false`);
  const falseCauses = failures.filter((x) => /: (false|healthy-alerted|unattributed)/.test(x));
  assert.deepEqual(falseCauses, [], `${title}: false causes`);
  assert.deepEqual(failures, [], specific ? `${title}: every failing tunnel's alerts state its true cause` : `${title}: each alert states its true cause or a narrowed list containing it`);
}

// ----------------------------------------------------------------------------------------------- tests

test('the wave\'s recording: its topology, and no private or preshared key in it', () => {
  const servers = new Set(TUNNELS.map((t) => t.server));
  assert.ok(TUNNELS.length >= 8 && servers.size >= 2, `${TUNNELS.length} tunnels over ${servers.size} servers`);
  for (const s of servers) assert.ok(TUNNELS.filter((t) => t.server === s).length >= 3, `${s}: several clients`);
  assert.ok(TUNNELS.filter((t) => t.cause === null).length >= 2, 'healthy tunnels');
  const causes = new Set(TUNNELS.map((t) => t.cause));
  for (const c of ['wrong-responder-key', 'initiator-key-unknown', 'psk-mismatch', 'allowedips-mismatch', 'unreachable', 'replay-or-clock']) assert.ok(causes.has(c), c);
  for (const h of [...servers, ...TUNNELS.map((t) => t.client)]) {
    assert.ok((recording.logs.get(h)?.length ?? 0) > 10, `${h}: log`);
    assert.ok((recording.snapshots.get(h)?.length ?? 0) > 3, `${h}: snapshots`);
  }
  // Snapshots are the collector's records (the schema has no room for a private or preshared key), and every
  // key-shaped string anywhere in the recording is a public key the snapshots carry as one.
  const publicKeys = new Set<string>();
  for (const f of readdirSync(WAVE_RECORDING_DIR).filter((x) => x.endsWith('.peers.jsonl'))) {
    for (const line of readFileSync(join(WAVE_RECORDING_DIR, f), 'utf8').split('\n').filter((l) => l !== '')) {
      const p = parseSnapshotRecord(line);
      assert.ok(p.ok, `${f}: ${p.ok ? '' : p.errors.join('; ')}`);
      for (const i of p.record.interfaces) if (i.public_key !== null) publicKeys.add(i.public_key);
      for (const q of p.record.peers) publicKeys.add(q.public_key);
      assert.ok(!/private|preshared_key"/i.test(line), `${f}: a private or preshared key field`);
    }
  }
  for (const f of readdirSync(WAVE_RECORDING_DIR)) {
    const keys = readFileSync(join(WAVE_RECORDING_DIR, f), 'utf8').match(/[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/g) ?? [];
    assert.deepEqual(keys.filter((k) => !publicKeys.has(k)), [], `${f}: a key that is not a public key of the snapshots`);
  }
});

/** Replays the recording through the real stack (logs, and snapshots if asked) and judges the alerts. */
async function replayRun(t: TestContext, snapshots: boolean): Promise<void> {
  const started = Date.now();
  const f = await alertFixture(snapshots ? 'wave-snap' : 'wave-logs');
  const records = replayWave(recording, Date.now(), { snapshots });
  await produceByHost(f, records.map((r) => ({ host: r.host, line: r.value, ...(r.headers ? { headers: r.headers } : {}) })));
  const run = await startBoth(f);
  let hits: AlertHit[];
  try {
    const deadline = started + 58_000;
    await waitFor('both stages caught up', deadline - Date.now(), async () => (await remainingLag(f)) === 0 && (await correlationLag(f)) === 0);
    hits = await settledAlerts(f, TUNNELS, deadline);
  } finally {
    await run.stop();
  }
  report(t, snapshots ? 'run 2, replayed: logs + peer snapshots' : 'run 1, replayed: logs only', hits, TUNNELS, snapshots, started);
}

test('wave replayed, run 1 (logs only): no false cause; each failing tunnel\'s cause stated or correctly narrowed; healthy tunnels silent', { timeout: 120_000 }, async (t) => {
  await replayRun(t, false);
});

test('wave replayed, run 2 (logs + peer snapshots): no false cause; every failing tunnel has its specific cause; healthy tunnels silent', { timeout: 120_000 }, async (t) => {
  await replayRun(t, true);
});

test('wave live (logs + peer snapshots): no false cause; every failing tunnel has its specific cause; no key reaches Elasticsearch', {
  skip: avail.ok ? false : `live lab skipped: ${avail.why}`, timeout: 240_000,
}, async (t) => {
  const started = Date.now();
  const f = await alertFixture('wave-live');
  await produceByHost(f, []);
  const dir = mkdtempSync(join(tmpdir(), 'wg-siem-wave-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The wave starts while the stages join their groups: its records wait in Kafka.
  const [stages, wave] = await Promise.allSettled([startBoth(f), startLiveWave({
    kafka: f.kafka, topic: f.topic, compression: 'none', logDir: dir, firstNet: 150 + (process.pid % 50),
    collectIntervalMs: 5000, staleAfterMs: 300_000, log: quietLogger(),
  })]);
  // Whatever started is stopped, also when the other failed (the wave's namespaces, by name).
  if (wave.status === 'fulfilled') t.after(() => wave.value.stop());
  if (stages.status === 'fulfilled') t.after(() => stages.value.stop());
  if (stages.status === 'rejected') throw stages.reason;
  if (wave.status === 'rejected') throw wave.reason;
  const live = wave.value;
  let hits: AlertHit[];
  let secrets: string[];
  const at = { traffic: 0, settled: 0 };
  try {
    secrets = live.wave.secrets();
    at.traffic = Date.now();
    const traffic = live.traffic(50);
    // An unanswered handshake is an alert once a minute without an answer (and the allowed lateness) has passed
    // since the sequence that opens it: up to about two minutes after the first initiation, later on a loaded
    // machine (twice in CI the unreachable tunnel's alert was not there 135 s after the traffic started). The wait
    // ends as soon as every failing tunnel has its alert, so the longer bound costs time only when one is late.
    hits = await settledAlerts(f, live.wave.tunnels, Math.min(at.traffic + 175_000, started + 185_000), 6000);
    at.settled = Date.now();
    await traffic;
  } finally {
    await live.stop();
  }
  await f.es.indices.refresh({ index: `logs-wireguard.*-${f.namespace}`, ignore_unavailable: true });
  const all = await f.es.search({ index: `logs-wireguard.*-${f.namespace}`, size: 10_000, query: { match_all: {} } });
  const text = JSON.stringify(all.hits.hits);
  assert.ok(secrets.length > 0 && all.hits.hits.length > 0);
  for (const k of secrets) assert.ok(!text.includes(k), 'a private or preshared key reached Elasticsearch');
  report(t, `live: logs + peer snapshots (traffic from ${((at.traffic - started) / 1000).toFixed(0)} s, alerts settled at ${((at.settled - started) / 1000).toFixed(0)} s)`, hits, live.wave.tunnels, true, started);
});
