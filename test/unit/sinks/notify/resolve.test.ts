// Pages always resolve: the paging state of a scope (a correlation partition) survives being saved as JSON and
// restored by another notifier (a restart, the partition's next owner), for paged alerts and storm aggregates;
// and the Alertmanager target: labels, annotations, endsAt, the periodic re-post.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpRecorder } from '../../../helpers/http-recorder.ts';
import { Notifier } from '../../../../src/sinks/notify/notifier.ts';
import type { LedgerJson, NotifierConfig } from '../../../../src/sinks/notify/notifier.ts';
import { FAST_BACKOFF, ROUTING_KEY, T0, alert, config, countingHooks, idOf, recorders, resolveOf, silent, sleep } from './support.ts';
import type { CountingHooks, PdEvent } from './support.ts';
import { waitFor } from '../../../helpers/wait.ts';

const recorder = recorders();

function pd(rec: HttpRecorder, now: () => number, o: Partial<NotifierConfig> = {}): { notifier: Notifier; hooks: CountingHooks } {
  const hooks = countingHooks();
  const notifier = new Notifier(
    config({ 'notify.pagerduty.routingKey': ROUTING_KEY, 'notify.pagerduty.url': rec.url('/v2/enqueue'), ...o }),
    { log: silent, hooks, now, backoff: FAST_BACKOFF },
  );
  return { notifier, hooks };
}

/** What the correlation stage does: the state goes through JSON text into Elasticsearch and back. */
const saved = (n: Notifier, scope: string): LedgerJson => JSON.parse(JSON.stringify(n.pagingState(scope) ?? null)) as LedgerJson;

const actions = (r: HttpRecorder): string[] => r.bodies<PdEvent>().map((b) => `${b.event_action} ${b.dedup_key}`);

test('a paged alert resolves through a new notifier that restored its scope; exactly once', async () => {
  const rec = await recorder();
  const a = alert(1, { scope: 'p1' });
  const first = pd(rec, () => T0);
  first.notifier.notify(a);
  await rec.waitFor(1);
  const state = saved(first.notifier, 'p1');
  // kill -9: nothing more from the first notifier. Its successor knows nothing until the partition is restored.
  const next = pd(rec, () => T0 + 60_000);
  next.notifier.notify(resolveOf(a));
  assert.equal(next.hooks.suppressedBy.get('not-triggered'), 1, 'without the saved state the resolve is lost (the old bug)');
  next.notifier.restorePaging('p1', state);
  // A replayed trigger of the open alert after the restore is a duplicate, not a new page.
  next.notifier.notify(a);
  assert.equal(next.hooks.suppressedBy.get('duplicate'), 1);
  next.notifier.notify(resolveOf(a));
  next.notifier.notify(resolveOf(a));
  await next.notifier.drain(2000);
  assert.deepEqual(actions(rec), [`trigger ${idOf(1)}`, `resolve ${idOf(1)}`]);
  assert.equal(next.hooks.suppressedBy.get('not-triggered'), 2);
});

test('scopes are separate: a released scope forgets its alerts; a restore replaces what was held', async () => {
  const rec = await recorder();
  const { notifier, hooks } = pd(rec, () => T0);
  notifier.notify(alert(1, { scope: 'p1' }));
  notifier.notify(alert(2, { scope: 'p2' }));
  const p2 = saved(notifier, 'p2');
  notifier.releasePaging('p2');
  notifier.notify(resolveOf(alert(2, { scope: 'p2' })));
  assert.equal(hooks.suppressedBy.get('not-triggered'), 1);
  notifier.restorePaging('p2', p2);
  notifier.restorePaging('p1', undefined);
  notifier.notify(resolveOf(alert(1, { scope: 'p1' })));
  notifier.notify(resolveOf(alert(2, { scope: 'p2' })));
  await notifier.drain(2000);
  assert.deepEqual(actions(rec), [`trigger ${idOf(1)}`, `trigger ${idOf(2)}`, `resolve ${idOf(2)}`]);
  assert.equal(hooks.suppressedBy.get('not-triggered'), 2);
});

test('storm aggregate sent before the crash: the new owner resolves it once every folded alert has resolved', async () => {
  const rec = await recorder();
  let clock = T0 + 100;
  const o = { 'notify.stormMaxPages': 1, 'notify.stormWindowMs': 60_000 };
  const first = pd(rec, () => clock, o);
  const alerts = [1, 2, 3].map((i) => alert(i, { scope: 'p4' }));
  for (const a of alerts) first.notifier.notify(a);
  clock = T0 + 60_000;
  // The next notification notices the ended window and sends its aggregate.
  first.notifier.notify(alert(9, { scope: 'p4', severity: 'low' }));
  await rec.waitFor(2);
  const state = saved(first.notifier, 'p4');
  assert.equal(state.aggs.length, 1);
  assert.deepEqual(state.aggs[0]?.members, [idOf(2), idOf(3)]);

  const next = pd(rec, () => clock, o);
  next.notifier.restorePaging('p4', state);
  next.notifier.notify(resolveOf(alerts[1]!));
  await sleep(50);
  assert.equal(rec.requests.length, 2, 'one member still open: the aggregate stays open');
  next.notifier.notify(resolveOf(alerts[2]!));
  next.notifier.notify(resolveOf(alerts[0]!));
  await next.notifier.drain(2000);
  const key = 'wg-siem-storm-2025-05-22T14:00:00.000Z-p4';
  assert.deepEqual(actions(rec), [`trigger ${idOf(1)}`, `trigger ${key}`, `resolve ${key}`, `resolve ${idOf(1)}`]);
  assert.deepEqual(next.hooks.sentLog.map((x) => x.action), ['aggregate-resolve', 'resolve']);
});

test('storm aggregate not sent before the crash: the new owner sends it when its window has ended, then resolves it', async () => {
  const rec = await recorder();
  let clock = T0 + 100;
  const o = { 'notify.stormMaxPages': 1, 'notify.stormWindowMs': 60_000 };
  const first = pd(rec, () => clock, o);
  for (const i of [1, 2, 3]) first.notifier.notify(alert(i, { scope: 'p0' }));
  await rec.waitFor(1);
  const state = saved(first.notifier, 'p0');
  assert.equal(state.aggs[0]?.sealed, undefined);

  clock = T0 + 61_000;
  const next = pd(rec, () => clock, o);
  next.notifier.restorePaging('p0', state);
  await rec.waitFor(2);
  for (const i of [2, 3]) next.notifier.notify(resolveOf(alert(i, { scope: 'p0' })));
  await next.notifier.drain(2000);
  const key = 'wg-siem-storm-2025-05-22T14:00:00.000Z-p0';
  assert.deepEqual(actions(rec), [`trigger ${idOf(1)}`, `trigger ${key}`, `resolve ${key}`]);
  const agg = rec.bodies<PdEvent>()[1];
  assert.equal(agg?.payload?.custom_details.suppressed, 2, 'the restored aggregate counts the two folded alerts');
});

test('a graceful stop sends the pending aggregate and records it as sent: the next owner only resolves it', async () => {
  const rec = await recorder();
  const o = { 'notify.stormMaxPages': 1, 'notify.stormWindowMs': 600_000 };
  const first = pd(rec, () => T0 + 5000, o);
  for (const i of [1, 2]) first.notifier.notify(alert(i, { scope: 'p3' }));
  first.notifier.flushPaging('p3');
  const state = saved(first.notifier, 'p3');
  await first.notifier.drain(2000);
  assert.equal(rec.requests.length, 2);
  const next = pd(rec, () => T0 + 700_000, o);
  next.notifier.restorePaging('p3', state);
  next.notifier.notify(resolveOf(alert(2, { scope: 'p3' })));
  await next.notifier.drain(2000);
  const key = 'wg-siem-storm-2025-05-22T14:00:00.000Z-p3';
  assert.deepEqual(actions(rec), [`trigger ${idOf(1)}`, `trigger ${key}`, `resolve ${key}`]);
});

interface AmAlert { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL?: string }

test('Alertmanager: stable labels, annotations, endsAt ahead while open and now on resolve; re-posted while open', async () => {
  const am = await recorder();
  const hooks = countingHooks();
  const n = alert(7, {
    scope: 'p1', severity: 'high',
    details: { count: 12, start: '2025-05-22T13:58:00.000Z', diagnosis: { title: 'The server lacks the client\'s key', summary: 'Add the client as a peer.' } },
  });
  const notifier = new Notifier(config({
    'notify.alertmanager.url': am.url('/'), 'notify.alertmanager.repeatMs': 1000, 'kibana.url': 'https://kibana.example:5601',
    'notify.alertmanager.username': 'am', 'notify.alertmanager.password': 's3cret',
  }), { log: silent, hooks, backoff: FAST_BACKOFF });
  const t = Date.now();
  notifier.notify(n);
  const [post] = await am.waitFor(1);
  const received = Date.now();
  assert.equal(post?.path, '/api/v2/alerts');
  assert.equal(post?.headers.authorization, `Basic ${Buffer.from('am:s3cret').toString('base64')}`);
  const [fired] = post?.body as AmAlert[];
  assert.ok(fired);
  assert.deepEqual(fired.labels, {
    alertname: 'invalid-initiation-burst', alert_id: idOf(7), host: 'gw1', severity: 'high', service: 'wireguard',
    interface: 'wg0', group: 'source.ip=203.0.113.7',
  });
  assert.equal(fired.annotations.title, 'Invalid handshake initiations from 203.0.113.7');
  assert.equal(fired.annotations.cause, 'The server lacks the client\'s key');
  assert.equal(fired.annotations.summary, 'Add the client as a peer.');
  assert.match(fired.annotations.kibana ?? '', /^https:\/\/kibana\.example:5601\/app\/discover#/);
  assert.equal(fired.generatorURL, fired.annotations.kibana);
  assert.equal(fired.startsAt, '2025-05-22T13:58:00.000Z');
  // Three re-post intervals after the moment of posting, which lies between the notify() call and the receipt.
  const endsAt = Date.parse(fired.endsAt);
  assert.ok(endsAt >= t + 3000 && endsAt <= received + 3000, `endsAt ${endsAt - t} ms after notify(), ${endsAt - received} ms after receipt: three re-post intervals`);

  // The re-post, about a second later, with the same labels and startsAt.
  const reqs = await am.waitFor(2, 3000);
  const [again] = reqs[1]?.body as AmAlert[];
  assert.deepEqual(again?.labels, fired.labels);
  assert.equal(again?.startsAt, fired.startsAt);
  assert.ok(Date.parse(again?.endsAt ?? '') > Date.parse(fired.endsAt));

  // The resolve is the post whose endsAt is its own moment of posting (an open alert's lies 3 s ahead).
  const tResolve = Date.now();
  notifier.notify(resolveOf(n));
  const endsAtOf = (r: { body: unknown }): number => Date.parse((r.body as AmAlert[])[0]?.endsAt ?? '');
  await waitFor('the resolve posted', 3000, () => am.requests.some((r) => endsAtOf(r) >= tResolve && endsAtOf(r) <= Date.now()), 5);
  const last = am.requests.at(-1);
  const [resolved] = last?.body as AmAlert[];
  assert.deepEqual(resolved?.labels, fired.labels);
  assert.ok(last && endsAtOf(last) >= tResolve && endsAtOf(last) <= Date.now(), 'the last post resolves: endsAt = now');
  const count = am.requests.length;
  await sleep(1300);
  assert.equal(am.requests.length, count, 'nothing open: nothing re-posted');
  await notifier.drain(1000);
  assert.deepEqual(hooks.failedLog, []);
});

test('Alertmanager: a restored scope is re-posted at once, before the next interval', async () => {
  const am = await recorder();
  const o = { 'notify.alertmanager.url': am.url(), 'notify.alertmanager.repeatMs': 3_600_000 };
  const first = new Notifier(config(o), { log: silent, backoff: FAST_BACKOFF });
  first.notify(alert(1, { scope: 'p5' }));
  await am.waitFor(1);
  const state = saved(first, 'p5');
  await first.drain(500);
  const next = new Notifier(config(o), { log: silent, backoff: FAST_BACKOFF });
  next.restorePaging('p5', state);
  const reqs = await am.waitFor(2, 2000);
  const body = reqs[1]?.body as AmAlert[];
  assert.deepEqual(body.map((a) => a.labels.alert_id), [idOf(1)]);
  assert.ok(Date.parse(body[0]?.endsAt ?? '') > Date.now() + 60_000);
  await next.drain(500);
});
