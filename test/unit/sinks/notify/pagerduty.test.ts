// PagerDuty Events API v2: what is sent, and which notifications are not sent at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpRecorder } from '../../../helpers/http-recorder.ts';
import { Notifier } from '../../../../src/sinks/notify/notifier.ts';
import type { NotifierConfig } from '../../../../src/sinks/notify/notifier.ts';
import { ROUTING_KEY, alert, config, countingHooks, idOf, recorders, recordingNotifier, resolveOf, silent } from './support.ts';
import type { CountingHooks, PdEvent } from './support.ts';

const recorder = recorders();

async function setup(o: Partial<NotifierConfig> = {}): Promise<{ pd: HttpRecorder; notifier: Notifier; hooks: CountingHooks }> {
  const { rec: pd, notifier, hooks } = await recordingNotifier(recorder, (r) => ({ 'notify.pagerduty.routingKey': ROUTING_KEY, 'notify.pagerduty.url': r.url('/v2/enqueue'), ...o }), { now: () => Date.parse('2025-05-22T14:00:05.000Z') });
  return { pd, notifier, hooks };
}

test('trigger: the Events v2 payload, complete', async () => {
  const { pd, notifier, hooks } = await setup();
  notifier.notify(alert(1, { details: { count: 42, diagnosis: 'unknown client key' } }));
  await notifier.drain(5000);
  assert.equal(pd.requests.length, 1);
  const r = pd.requests[0];
  assert.ok(r);
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/v2/enqueue');
  assert.match(r.headers['content-type'] ?? '', /^application\/json/);
  assert.deepEqual(r.body, {
    routing_key: ROUTING_KEY,
    event_action: 'trigger',
    dedup_key: idOf(1),
    payload: {
      summary: 'Invalid handshake initiations from 203.0.113.1',
      source: 'gw1',
      severity: 'error',
      timestamp: '2025-05-22T13:59:30.000Z',
      component: 'wg0',
      group: 'wireguard',
      class: 'invalid-initiation-burst',
      custom_details: {
        rule: { id: 'invalid-initiation-burst', name: 'Burst of invalid handshake initiations' },
        risk_score: 73,
        group: { 'source.ip': '203.0.113.1' },
        count: 42,
        diagnosis: 'unknown client key',
      },
    },
    client: 'wg-siem',
  });
  assert.deepEqual(hooks.sentLog, [{ target: 'pagerduty', action: 'trigger' }]);
});

test('severity mapping: critical→critical, high→error, medium→warning, low→info', async () => {
  const { pd, notifier } = await setup({ 'notify.minSeverity': 'low' });
  notifier.notify(alert(1, { severity: 'critical' }));
  notifier.notify(alert(2, { severity: 'high' }));
  notifier.notify(alert(3, { severity: 'medium' }));
  notifier.notify(alert(4, { severity: 'low' }));
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>().map((b) => [b.dedup_key, b.payload?.severity]), [
    [idOf(1), 'critical'], [idOf(2), 'error'], [idOf(3), 'warning'], [idOf(4), 'info'],
  ]);
});

test('source falls back to wg-siem, summary is cut to 1024 characters, an invalid timestamp is left out', async () => {
  const { pd, notifier } = await setup();
  const { host: _h, component: _c, ...bare } = alert(1);
  notifier.notify({ ...bare, title: 'x'.repeat(3000), timestamp: 'yesterday' });
  await notifier.drain(5000);
  const p = pd.bodies<PdEvent>()[0]?.payload;
  assert.ok(p);
  assert.equal(p.source, 'wg-siem');
  assert.equal(p.summary.length, 1024);
  assert.ok(p.summary.endsWith('…'));
  assert.equal('timestamp' in p, false);
  assert.equal('component' in p, false);
});

test('links: a Discover link to the alert when kibana.url is set, the given url otherwise', async () => {
  const { pd, notifier } = await setup({ 'kibana.url': 'https://kibana.example.org:5601/' });
  notifier.notify(alert(1));
  notifier.notify(alert(2, { url: 'https://kibana.example.org:5601/app/r/s/abc' }));
  await notifier.drain(5000);
  const [a, b] = pd.bodies<PdEvent>();
  assert.equal(a?.client_url, 'https://kibana.example.org:5601/');
  const href = a?.links?.[0]?.href ?? '';
  assert.equal(a?.links?.[0]?.text, 'Open in Kibana');
  assert.ok(href.startsWith('https://kibana.example.org:5601/app/discover#/?_g='), href);
  const decoded = decodeURIComponent(href);
  assert.ok(decoded.includes(`FROM logs-wireguard.alert-* METADATA _id | WHERE _id == "${idOf(1)}"`), decoded);
  assert.ok(decoded.includes("time:(from:'2025-05-21T13:59:30.000Z',to:now)"), decoded);
  assert.deepEqual(b?.links, [{ href: 'https://kibana.example.org:5601/app/r/s/abc', text: 'Open in Kibana' }]);
});

test('no url and no kibana.url: no links, no client_url', async () => {
  const { pd, notifier } = await setup();
  notifier.notify(alert(1));
  await notifier.drain(5000);
  const b = pd.bodies<PdEvent>()[0];
  assert.equal(b && 'links' in b, false);
  assert.equal(b && 'client_url' in b, false);
});

test('resolve after trigger: the resolve event, in order', async () => {
  const { pd, notifier, hooks } = await setup();
  const a = alert(7);
  notifier.notify(a);
  notifier.notify(resolveOf(a));
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>(), [
    pd.requests[0]?.body,
    { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: idOf(7) },
  ]);
  assert.equal(pd.bodies<PdEvent>()[0]?.event_action, 'trigger');
  assert.deepEqual(hooks.sentLog.map((s) => s.action), ['trigger', 'resolve']);
});

test('resolve of an alert never triggered: not sent', async () => {
  const { pd, notifier, hooks } = await setup();
  notifier.notify(resolveOf(alert(1)));
  notifier.notify(alert(2));
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>().map((b) => [b.event_action, b.dedup_key]), [['trigger', idOf(2)]]);
  assert.equal(hooks.suppressedBy.get('not-triggered'), 1);
});

test('duplicate trigger of an open alert: not re-sent; after its resolve the id may page again', async () => {
  const { pd, notifier, hooks } = await setup();
  const a = alert(1);
  notifier.notify(a);
  notifier.notify({ ...a, details: { count: 99 } });
  notifier.notify(a);
  notifier.notify(resolveOf(a));
  notifier.notify(a);
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>().map((b) => b.event_action), ['trigger', 'resolve', 'trigger']);
  assert.equal(hooks.suppressedBy.get('duplicate'), 2);
});

test('below notify.minSeverity: neither the trigger nor its resolve is sent', async () => {
  const { pd, notifier, hooks } = await setup({ 'notify.minSeverity': 'high' });
  const medium = alert(1, { severity: 'medium' });
  notifier.notify(medium);
  notifier.notify(alert(2, { severity: 'high' }));
  notifier.notify(alert(3, { severity: 'critical' }));
  notifier.notify(resolveOf(medium));
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>().map((b) => b.dedup_key), [idOf(2), idOf(3)]);
  assert.equal(hooks.suppressedBy.get('severity'), 1);
  assert.equal(hooks.suppressedBy.get('not-triggered'), 1);
});

test('no target configured: a no-op that still reports its decisions', async () => {
  const hooks = countingHooks();
  const notifier = new Notifier(config({ 'notify.stormMaxPages': 1 }), { log: silent, hooks });
  notifier.notify(alert(1, { severity: 'low' }));
  notifier.notify(alert(2));
  notifier.notify(alert(3));
  await notifier.drain(1000);
  assert.deepEqual(Object.fromEntries(hooks.suppressedBy), { severity: 1, storm: 1 });
  assert.deepEqual(hooks.sentLog, []);
});
