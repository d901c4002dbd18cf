import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Correlator } from '../../../../src/correlate/rules/correlator.ts';
import type { AlertTransition } from '../../../../src/correlate/rules/types.ts';
import { T0, ev, invalidInit, rule } from './helpers.ts';

const burst = rule('invalid-initiation-burst'); // count 10 in 1m, lateness 30s, quiet 5m

test('lateness: out-of-order events within the allowed lateness count, later ones are counted late and ignored', () => {
  const c = new Correlator([burst]);
  c.observe(invalidInit(T0 + 40_000, '192.0.2.44'), T0);
  // 20 s older than the newest event: within 30 s, counts even though out of order
  for (let i = 0; i < 8; i++) c.observe(invalidInit(T0 + 20_000 + i, '192.0.2.44'), T0);
  // 35 s older: beyond the lateness, ignored and counted
  const late = c.observe(invalidInit(T0 + 5_000, '192.0.2.44'), T0);
  assert.deepEqual(late, []);
  assert.equal(c.stats().lateEvents, 1);
  assert.equal(c.stats().perRule['invalid-initiation-burst']?.late, 1);
  const out = c.observe(invalidInit(T0 + 21_000, '192.0.2.44'), T0); // 10th counted event
  assert.equal(out[0]?.kind, 'opened');
  assert.equal(out[0]?.alert.count, 10);
});

test('pendingUpdates: the counts gained since the last emission, left pending until marked written', () => {
  const c = new Correlator([burst], { updateIntervalMs: 60_000 });
  const seen: AlertTransition[] = [];
  for (let i = 0; i < 12; i++) seen.push(...c.observe(invalidInit(T0 + i * 2000, '192.0.2.45'), T0 + i * 2000));
  assert.deepEqual(seen.map((t) => [t.kind, t.alert.count]), [['opened', 10]], 'updates are throttled by event time');
  const pending = c.pendingUpdates();
  assert.deepEqual(pending.map((t) => [t.kind, t.alert.count, t.alert.id]), [['updated', 12, seen[0]?.alert.id]]);
  assert.equal(c.pendingUpdates().length, 1, 'not written yet: still pending');
  c.markEmitted(pending);
  assert.deepEqual(c.pendingUpdates(), []);
  c.observe(invalidInit(T0 + 24_000, '192.0.2.45'), T0 + 24_000);
  assert.deepEqual(c.pendingUpdates().map((t) => t.alert.count), [13]);
});

test('lifecycle: opened → updated → resolved with one alert id, no second alert while it keeps happening', () => {
  const c = new Correlator([burst], { updateIntervalMs: 10_000 });
  const all: AlertTransition[] = [];
  for (let i = 0; i < 60; i++) all.push(...c.observe(invalidInit(T0 + i * 2000, '192.0.2.44'), T0 + i * 2000));
  assert.equal(all.filter((t) => t.kind === 'opened').length, 1);
  assert.ok(all.filter((t) => t.kind === 'updated').length >= 5);
  const last = T0 + 59 * 2000;
  // Quiet means 5 min on the host's clock beyond the 30 s still allowed for late events.
  assert.equal(c.tick(last + 5 * 60_000).length, 0, 'not quiet long enough');
  const res = c.tick(last + 5 * 60_000 + 30_000);
  assert.equal(res.length, 1);
  assert.equal(res[0]?.kind, 'resolved');
  const ids = new Set([...all, ...res].map((t) => t.alert.id));
  assert.equal(ids.size, 1);
  assert.equal(res[0]?.alert.count, 60);
  assert.equal(res[0]?.alert.end, last);
  assert.equal(res[0]?.alert.sampleEventIds.length, 10);
  assert.equal(res[0]?.alert.severity, 'medium');
  assert.equal(res[0]?.alert.riskScore, 47);
  assert.equal(c.stats().alertsOpen, 0);
});

function transcript(c: Correlator, events: ReturnType<typeof invalidInit>[], from = 0, to = events.length): string[] {
  const out: string[] = [];
  for (const e of events.slice(from, to)) for (const t of c.observe(e, Date.parse(e['@timestamp']))) out.push(`${t.kind}:${t.alert.id}:${t.alert.count}`);
  return out;
}

test('ids are deterministic across two runs and across snapshot/restore (property)', () => {
  fc.assert(fc.property(
    fc.array(fc.record({ dt: fc.integer({ min: 0, max: 4000 }), src: fc.integer({ min: 0, max: 3 }) }), { minLength: 20, maxLength: 200 }),
    fc.nat(),
    (steps, cutRaw) => {
      let t = T0;
      const events = steps.map((s) => invalidInit((t += s.dt), `192.0.2.${s.src}`));
      const a = transcript(new Correlator([burst]), events);
      const b = transcript(new Correlator([burst]), events);
      assert.deepEqual(a, b);
      const cut = cutRaw % events.length;
      const first = new Correlator([burst]);
      const head = transcript(first, events, 0, cut);
      const restored = new Correlator([burst]);
      restored.restore(JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<Correlator['snapshot']>, T0);
      assert.deepEqual([...head, ...transcript(restored, events, cut)], a);
    },
  ), { numRuns: 50 });
});

test('snapshot/restore keeps distinct sketches and open alerts', () => {
  const rules = [rule('distributed-invalid-initiations')];
  const c = new Correlator(rules);
  const ev = (i: number): ReturnType<typeof invalidInit> => invalidInit(T0 + i * 10, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  let opened: AlertTransition | undefined;
  for (let i = 0; i < 500; i++) { const o = c.observe(ev(i), T0).find((t) => t.kind === 'opened'); opened ??= o; }
  assert.ok(opened);
  const r = new Correlator(rules);
  r.restore(JSON.parse(JSON.stringify(c.snapshot())) as ReturnType<Correlator['snapshot']>, T0);
  assert.equal(r.stats().alertsOpen, 1);
  const res = r.tick(T0 + 11 * 60_000);
  assert.equal(res[0]?.alert.id, opened.alert.id);
  assert.ok(Math.abs((res[0]?.alert.distinct ?? 0) - 500) / 500 < 0.05);
});

test('eviction: live groups stay at the cap, the least recently updated goes first and is counted', () => {
  const c = new Correlator([burst], { maxGroupsPerRule: 3 });
  for (const s of ['a', 'b', 'c']) c.observe(invalidInit(T0, `192.0.2.${s.charCodeAt(0)}`), T0);
  c.observe(invalidInit(T0 + 1, '192.0.2.97'), T0); // touch "a"
  c.observe(invalidInit(T0 + 2, '192.0.2.100'), T0); // evicts "b"
  const st = c.stats();
  assert.equal(st.groupsLive, 3);
  assert.equal(st.groupsEvicted, 1);
  const keys = (c.snapshot().rules['invalid-initiation-burst']?.groups ?? []).map(([k]) => k.split('\u001f')[2]);
  assert.deepEqual(keys.sort(), ['192.0.2.100', '192.0.2.97', '192.0.2.99']);
});

test('several sources: the watermark follows the slowest one', () => {
  const c = new Correlator([burst]);
  c.observe(invalidInit(T0 + 120_000, '192.0.2.1'), T0, 'p0');
  c.observe(invalidInit(T0, '192.0.2.1'), T0, 'p1'); // p1 has just started: not late
  assert.equal(c.stats().lateEvents, 0);
});

const keepaliveOf = (atMs: number, peerId: string, host: string): ReturnType<typeof ev> =>
  ev({ action: 'wireguard-keepalive-received', msgId: 'kernel.data.keepalive_received', outcome: 'success', atMs, src: '198.51.100.23', peerId, host });

test('host clocks: a backlog delivered an hour late is not silence; a host that stopped logging is', () => {
  const c = new Correlator([rule('stale-peer')]);
  const late = T0 + 60 * 60_000;
  // Peer 4 on gw1 spoke at T0 and gw1 logged on until T0 + 2 min, all delivered an hour later (a backlog).
  c.observe(keepaliveOf(T0, '4', 'gw1'), late);
  c.observe(keepaliveOf(T0 + 2 * 60_000, '5', 'gw1'), late);
  assert.deepEqual(c.tick(late + 1000), [], 'an hour of processing delay is not ten minutes of silence');
  // gw1 then delivers nothing more: its clock runs on with the wall clock from its last delivery.
  assert.deepEqual(c.tick(late + 7 * 60_000), [], 'peer 4: 9 min on gw1\'s clock');
  const o = c.tick(late + 8 * 60_000 + 1000);
  assert.deepEqual(o.map((t) => t.alert.group['peer']), ['4']);
  // A busy host's own lines move its clock: peer 5 is silent on gw2's clock, whatever the wall clock says.
  const d = new Correlator([rule('stale-peer')]);
  d.observe(keepaliveOf(T0, '5', 'gw2'), T0);
  d.observe(keepaliveOf(T0 + 11 * 60_000, '6', 'gw2'), T0 + 1000);
  assert.deepEqual(d.tick(T0 + 1000).map((t) => t.alert.group['peer']), ['5']);
});

test('restore: a snapshot without arrival times (older format) starts every host\'s silence at the restore', () => {
  const c = new Correlator([rule('stale-peer')]);
  c.observe(keepaliveOf(T0, '4', 'gw1'), T0);
  const snap = c.snapshot();
  const old = { ...snap, watermarks: (snap.watermarks as { max: Record<string, number> }).max };
  const r = new Correlator([rule('stale-peer')]);
  const restoredAt = T0 + 30 * 60_000;
  r.restore(JSON.parse(JSON.stringify(old)) as typeof snap, restoredAt);
  assert.deepEqual(r.tick(restoredAt + 9 * 60_000), []);
  assert.equal(r.tick(restoredAt + 10 * 60_000).length, 1);
  // The current format keeps arrival times: the same state restored later still knows how long gw1 was quiet.
  const s = new Correlator([rule('stale-peer')]);
  s.restore(JSON.parse(JSON.stringify(snap)) as typeof snap, restoredAt);
  assert.equal(s.tick(restoredAt).length, 1);
});
