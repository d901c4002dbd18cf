// The global page cap and its aggregate, the queue bound folding into it, and drain().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpRecorder } from '../../../helpers/http-recorder.ts';
import type { Notifier } from '../../../../src/sinks/notify/notifier.ts';
import type { NotifierConfig } from '../../../../src/sinks/notify/notifier.ts';
import { FAST_BACKOFF, ROUTING_KEY, T0, alert, idOf, recorders, recordingNotifier, resolveOf, sleep } from './support.ts';
import { waitFor } from '../../../helpers/wait.ts';
import type { CountingHooks, PdEvent } from './support.ts';

const recorder = recorders();

async function setup(o: Partial<NotifierConfig>, now: () => number): Promise<{ pd: HttpRecorder; notifier: Notifier; hooks: CountingHooks }> {
  const { rec: pd, notifier, hooks } = await recordingNotifier(recorder, (r) => ({ 'notify.pagerduty.routingKey': ROUTING_KEY, 'notify.pagerduty.url': r.url('/v2/enqueue'), ...o }), { now, backoff: FAST_BACKOFF });
  return { pd, notifier, hooks };
}

const isStorm = (b: PdEvent): boolean => b.dedup_key.startsWith('wg-siem-storm-');

test('storm: 1,000 triggers in one window, cap 5 → 5 pages + 1 aggregate sent when the window ends, resolved as all its members had', async () => {
  let clock = T0 + 100;
  const { pd, notifier, hooks } = await setup({ 'notify.stormMaxPages': 5, 'notify.stormWindowMs': 1500 }, () => clock);
  const alerts = Array.from({ length: 1000 }, (_, i) => alert(i, {
    rule: i < 800 ? { id: 'invalid-initiation-burst', name: 'Burst' } : { id: 'peer-flapping', name: 'Flapping peer' },
    host: `gw${i % 12}`,
    severity: i === 500 ? 'critical' : 'high',
  }));
  for (const a of alerts) notifier.notify(a);
  for (const a of alerts) notifier.notify(resolveOf(a));
  await pd.waitFor(10);
  // Everything queued is sent once the queue is empty and nothing is in flight: no sleep needed to see that
  // nothing else was queued.
  await waitFor(() => `an empty queue and 10 sent; have ${hooks.sentLog.length}`, 3000, () => hooks.depths.at(-1) === 0 && hooks.sentLog.length >= 10, 5);
  assert.equal(pd.requests.length, 10, 'nothing but the 5 pages and their resolves before the window ends');
  // The window [T0, T0+1500) ends; the unref'd timer notices within about its remaining time (1.4 s).
  clock = T0 + 1500;
  await pd.waitFor(12, 3000);
  await notifier.drain(2000);

  const bodies = pd.bodies<PdEvent>();
  assert.equal(bodies.length, 12, '5 triggers, 5 resolves, the aggregate and its resolve');
  const individual = bodies.filter((b) => !isStorm(b));
  assert.deepEqual(individual.filter((b) => b.event_action === 'trigger').map((b) => b.dedup_key), [0, 1, 2, 3, 4].map(idOf));
  assert.deepEqual(individual.filter((b) => b.event_action === 'resolve').map((b) => b.dedup_key), [0, 1, 2, 3, 4].map(idOf));
  const storms = bodies.filter(isStorm);
  assert.equal(storms.length, 2);
  // Every alert it stands for resolved before the window ended: resolved right after it is sent.
  assert.deepEqual(storms[1], { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'wg-siem-storm-2025-05-22T14:00:00.000Z' });
  const s = storms[0];
  assert.ok(s?.payload);
  assert.equal(s.event_action, 'trigger');
  assert.equal(s.dedup_key, 'wg-siem-storm-2025-05-22T14:00:00.000Z');
  assert.equal(s.payload.summary, 'Alert storm: 995 more WireGuard alerts in 1.5 s (invalid-initiation-burst 795, peer-flapping 200)');
  assert.equal(s.payload.severity, 'critical', 'the highest folded severity');
  assert.equal(s.payload.source, 'wg-siem');
  const d = s.payload.custom_details;
  assert.equal(d.suppressed, 995);
  assert.deepEqual(d.suppressed_by_reason, { storm: 995, 'queue-full': 0 });
  assert.deepEqual(d.alerts_by_rule, { 'invalid-initiation-burst': 795, 'peer-flapping': 200 });
  assert.equal(Object.keys(d.top_hosts as object).length, 10);
  assert.deepEqual(d.sample_alert_ids, Array.from({ length: 20 }, (_, i) => idOf(i + 5)));
  assert.equal(d.window_start, '2025-05-22T14:00:00.000Z');
  assert.equal(d.window_end, '2025-05-22T14:00:01.500Z');
  assert.equal(hooks.suppressedBy.get('storm'), 995 + 995, 'the folded triggers and their resolves');
  assert.deepEqual(hooks.sentLog.filter((x) => x.action.startsWith('aggregate')), [
    { target: 'pagerduty', action: 'aggregate' }, { target: 'pagerduty', action: 'aggregate-resolve' },
  ]);
});

test('storm: the cap is per window; a later window pages again and gets its own aggregate', async () => {
  let clock = T0;
  const { pd, notifier } = await setup({ 'notify.stormMaxPages': 2, 'notify.stormWindowMs': 60_000 }, () => clock);
  for (let i = 0; i < 5; i++) notifier.notify(alert(i));
  clock = T0 + 60_000;
  for (let i = 5; i < 10; i++) notifier.notify(alert(i));
  await notifier.drain(3000);
  const keys = pd.bodies<PdEvent>().map((b) => (isStorm(b) ? `${b.dedup_key} ${String(b.payload?.custom_details.suppressed)}` : b.dedup_key));
  assert.deepEqual(keys, [
    idOf(0), idOf(1),
    // The first window's aggregate is queued by the first notification of the next window.
    'wg-siem-storm-2025-05-22T14:00:00.000Z 3',
    idOf(5), idOf(6),
    'wg-siem-storm-2025-05-22T14:01:00.000Z 3',
  ]);
});

test('storm on the real clock: the aggregate goes out by timer when the window ends, once', async () => {
  const W = 1000;
  let skew = 0;
  const { pd, notifier } = await setup({ 'notify.stormMaxPages': 5, 'notify.stormWindowMs': W }, () => Date.now() - skew);
  // Shifted so the triggers start exactly at a window start: all 20 fall into one window.
  skew = Date.now() % W;
  const t = performance.now();
  for (let i = 0; i < 20; i++) notifier.notify(alert(i));
  const reqs = await pd.waitFor(6, 3000);
  const agg = reqs.find((r) => isStorm(r.body as PdEvent));
  assert.ok(agg, 'aggregate sent');
  assert.ok(agg.at - t >= W - 50, `aggregate after ${(agg.at - t).toFixed(0)} ms`);
  assert.equal((agg.body as PdEvent).payload?.custom_details.suppressed, 15);
  await sleep(W + 200);
  assert.equal(pd.requests.length, 6, 'no second aggregate for the same window');
  await notifier.drain(1000);
  assert.equal(pd.requests.length, 6);
});

test('drain(): sends the pending aggregate of a window that has not ended', async () => {
  const { pd, notifier, hooks } = await setup({ 'notify.stormMaxPages': 2, 'notify.stormWindowMs': 600_000 }, () => T0 + 5000);
  for (let i = 0; i < 10; i++) notifier.notify(alert(i));
  await notifier.drain(3000);
  const bodies = pd.bodies<PdEvent>();
  assert.deepEqual(bodies.map((b) => b.dedup_key), [idOf(0), idOf(1), 'wg-siem-storm-2025-05-22T14:00:00.000Z']);
  assert.equal(bodies[2]?.payload?.custom_details.suppressed, 8);
  assert.equal(bodies[2]?.payload?.summary, 'Alert storm: 8 more WireGuard alerts in 10 min (invalid-initiation-burst 8)');
  // After drain the notifier is shut: a notification is turned away at once (notify() decides synchronously),
  // nothing is queued, so nothing can be sent.
  const depthsBefore = hooks.depths.length;
  notifier.notify(alert(99));
  assert.equal(hooks.depths.length, depthsBefore, 'nothing queued');
  assert.equal(pd.requests.length, 3);
  assert.deepEqual(hooks.failedLog, []);
});

test('queue full: the oldest waiting triggers are folded into the aggregate, their resolves not sent', async () => {
  const { pd, notifier, hooks } = await setup({ 'notify.queueSize': 3, 'notify.stormWindowMs': 600_000 }, () => T0 + 5000);
  pd.reply('hang');
  notifier.notify(alert(0));
  await pd.waitFor(1);
  // 0 is stuck in flight; 1..10 compete for 3 places: 8, 9, 10 keep theirs, 1..7 are folded.
  for (let i = 1; i <= 10; i++) notifier.notify(alert(i));
  assert.equal(hooks.suppressedBy.get('queue-full'), 7);
  assert.equal(hooks.depths.at(-1), 3);
  pd.release();
  // Delivered, not merely received: resolves queued behind waiting triggers would compete for the 3 places.
  await waitFor(() => `4 sent, have ${hooks.sentLog.length}`, 3000, () => hooks.sentLog.length === 4, 5);
  for (let i = 0; i <= 10; i++) notifier.notify(resolveOf(alert(i)));
  await notifier.drain(3000);
  const bodies = pd.bodies<PdEvent>();
  const line = (b: PdEvent): string => (isStorm(b) ? (b.event_action === 'resolve' ? 'storm resolve' : 'storm') : `${b.event_action} ${parseInt(b.dedup_key, 16)}`);
  assert.deepEqual(bodies.map(line), [
    'trigger 0', 'trigger 8', 'trigger 9', 'trigger 10',
    'resolve 0', 'resolve 8', 'resolve 9', 'resolve 10',
    'storm', 'storm resolve',
  ]);
  const d = bodies[8]?.payload?.custom_details;
  assert.equal(d?.suppressed, 7);
  assert.deepEqual(d?.suppressed_by_reason, { storm: 0, 'queue-full': 7 });
  assert.deepEqual(d?.sample_alert_ids, [1, 2, 3, 4, 5, 6, 7].map(idOf));
  assert.equal(hooks.suppressedBy.get('queue-full'), 7 + 7, 'the folded triggers and their resolves');
  assert.deepEqual(hooks.failedLog, []);
});
