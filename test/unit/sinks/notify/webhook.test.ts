// The generic webhook: headers, body, and the two targets side by side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpRecorder } from '../../../helpers/http-recorder.ts';
import type { Notifier } from '../../../../src/sinks/notify/notifier.ts';
import type { NotifierConfig } from '../../../../src/sinks/notify/notifier.ts';
import { FAST_BACKOFF, ROUTING_KEY, T0, TOKEN, alert, idOf, recorders, recordingNotifier, resolveOf } from './support.ts';
import type { CountingHooks, PdEvent } from './support.ts';

const recorder = recorders();

const NOW = T0 + 5000;

async function setup(o: Partial<NotifierConfig> = {}): Promise<{ hook: HttpRecorder; notifier: Notifier; hooks: CountingHooks }> {
  const { rec: hook, notifier, hooks } = await recordingNotifier(recorder, (r) => ({ 'notify.webhook.url': r.url('/hooks/wg?x=1'), 'notify.webhook.token': TOKEN, ...o }), { now: () => NOW, backoff: FAST_BACKOFF });
  return { hook, notifier, hooks };
}

test('webhook trigger and resolve: Bearer token, Idempotency-Key per action, the documented body', async () => {
  const { hook, notifier, hooks } = await setup({ 'kibana.url': 'http://kibana:5601' });
  const a = alert(3, { details: { count: 42, diagnosis: 'wrong server key' } });
  notifier.notify(a);
  notifier.notify(resolveOf(a));
  await notifier.drain(5000);
  assert.equal(hook.requests.length, 2);
  const [t, r] = hook.requests;
  assert.ok(t && r);
  assert.equal(t.method, 'POST');
  assert.equal(t.path, '/hooks/wg?x=1');
  assert.match(t.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(t.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(t.headers['idempotency-key'], `${idOf(3)}:trigger`);
  assert.equal(r.headers['idempotency-key'], `${idOf(3)}:resolve`);
  const body = t.body as Record<string, unknown>;
  assert.ok(typeof body.url === 'string' && body.url.startsWith('http://kibana:5601/app/discover#/?_g='));
  assert.deepEqual({ ...body, url: '…' }, {
    version: 1,
    action: 'trigger',
    alert_id: idOf(3),
    rule: { id: 'invalid-initiation-burst', name: 'Burst of invalid handshake initiations' },
    severity: 'high',
    risk_score: 73,
    title: 'Invalid handshake initiations from 203.0.113.3',
    host: 'gw1',
    component: 'wg0',
    timestamp: '2025-05-22T13:59:30.000Z',
    group: { 'source.ip': '203.0.113.3' },
    details: { count: 42, diagnosis: 'wrong server key' },
    url: '…',
    sent_at: new Date(NOW).toISOString(),
  });
  assert.equal((r.body as Record<string, unknown>).action, 'resolve');
  assert.deepEqual(hooks.sentLog, [{ target: 'webhook', action: 'trigger' }, { target: 'webhook', action: 'resolve' }]);
});

test('webhook without a token: no Authorization header; absent fields are null; any 2xx is success', async () => {
  const { hook, notifier, hooks } = await setup({ 'notify.webhook.token': null });
  hook.reply({ status: 200 }, { status: 204 });
  const { host: _h, component: _c, ...bare } = alert(1);
  notifier.notify(bare);
  notifier.notify(alert(2));
  await notifier.drain(5000);
  assert.equal(hook.requests.length, 2);
  assert.equal(hook.requests[0]?.headers.authorization, undefined);
  const b = hook.requests[0]?.body as Record<string, unknown>;
  assert.equal(b.host, null);
  assert.equal(b.component, null);
  assert.equal(b.url, null);
  assert.equal(hooks.sentLog.length, 2);
  assert.deepEqual(hooks.failedLog, []);
});

test('both targets: each gets every page; the aggregate carries its dedup key as Idempotency-Key', async () => {
  const pd = await recorder();
  const { hook, notifier, hooks } = await setup({
    'notify.pagerduty.routingKey': ROUTING_KEY,
    'notify.pagerduty.url': pd.url('/v2/enqueue'),
    'notify.stormMaxPages': 1,
  });
  notifier.notify(alert(1));
  notifier.notify(alert(2));
  notifier.notify(alert(3));
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>().map((b) => b.dedup_key), [idOf(1), 'wg-siem-storm-2025-05-22T14:00:00.000Z']);
  assert.deepEqual(hook.requests.map((r) => r.headers['idempotency-key']), [`${idOf(1)}:trigger`, 'wg-siem-storm-2025-05-22T14:00:00.000Z']);
  const agg = hook.requests[1]?.body as { alert_id: string; action: string; title: string; details: Record<string, unknown> };
  assert.equal(agg.action, 'trigger');
  assert.equal(agg.alert_id, 'wg-siem-storm-2025-05-22T14:00:00.000Z');
  assert.equal(agg.title, 'Alert storm: 2 more WireGuard alerts in 10 min (invalid-initiation-burst 2)');
  assert.deepEqual(agg.details.sample_alert_ids, [idOf(2), idOf(3)]);
  assert.equal(hooks.sentLog.length, 4);
});
