// The scheduled digest of open pages: a cron expression firing every second drives the real notifier, whose
// webhook (a local HTTP server) receives the digest; PagerDuty does not, and nothing is sent once all resolved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../../src/shared/config/load.ts';
import { digestBody, scheduleDigest } from '../../../../src/sinks/notify/digest.ts';
import type { DigestBody } from '../../../../src/sinks/notify/digest.ts';
import { Notifier } from '../../../../src/sinks/notify/notifier.ts';
import { FAST_BACKOFF, ROUTING_KEY, T0, alert, capturingLogger, config, countingHooks, idOf, recorders, resolveOf, sleep } from './support.ts';
import { waitFor } from '../../../helpers/wait.ts';

const recorder = recorders();

test('every second, per the cron expression: a digest of the open pages to the webhook only; none once all resolved', async (t) => {
  const [hook, pd] = await Promise.all([recorder(), recorder()]);
  const hooks = countingHooks();
  const { log, lines } = capturingLogger();
  const notifier = new Notifier(
    config({ 'notify.webhook.url': hook.url('/wg'), 'notify.pagerduty.routingKey': ROUTING_KEY, 'notify.pagerduty.url': pd.url('/v2/enqueue') }),
    { log, hooks, backoff: FAST_BACKOFF },
  );
  t.after(() => notifier.drain(1000));
  const high = alert(1, { scope: 'p3', details: { start: '2025-05-22T13:50:00.000Z', diagnosis: { title: 'Wrong server key', summary: 'The peer uses another key.' } } });
  const critical = alert(2, { scope: 'p0', severity: 'critical', riskScore: 99 });
  const gone = alert(3, { scope: 'p0' });
  for (const n of [high, critical, gone]) notifier.notify(n);
  notifier.notify(resolveOf(gone));
  await hook.waitFor(4);
  await pd.waitFor(4);

  const task = scheduleDigest('* * * * * *', notifier, log);
  t.after(() => task.stop());
  const digest = (await hook.waitFor(5, 3000))[4];
  assert.ok(digest);
  const body = digest.body as { version: number } & DigestBody;
  assert.equal(body.version, 1);
  assert.equal(body.action, 'digest');
  assert.equal(body.title, '2 WireGuard alerts still open');
  assert.equal(body.open, 2);
  assert.deepStrictEqual(body.by_severity, { critical: 1, high: 1 });
  assert.deepStrictEqual(body.scopes, ['p0', 'p3']);
  // Most severe first; the resolved alert is not listed.
  assert.deepStrictEqual(body.alerts.map((a) => a.alert_id), [idOf(2), idOf(1)]);
  assert.deepStrictEqual(body.alerts[1], {
    alert_id: idOf(1), rule: high.rule, severity: 'high', risk_score: 73, title: high.title, host: 'gw1', component: 'wg0',
    started_at: '2025-05-22T13:50:00.000Z', timestamp: high.timestamp, cause: 'Wrong server key', url: null,
  });
  assert.equal(digest.headers['idempotency-key'], `digest:${body.generated_at}:p0,p3`);
  await waitFor('the digest sent', 3000, () => hooks.sentLog.some((s) => s.target === 'webhook' && s.action === 'digest'), 5);
  assert.equal(pd.requests.length, 4, 'PagerDuty gets no digest');
  assert.ok(lines.some((l) => l.includes('digest of open pages queued')));

  notifier.notify(resolveOf(high));
  notifier.notify(resolveOf(critical));
  await waitFor('3 resolves', 3000, () => hook.requests.filter((r) => (r.body as { action?: string }).action === 'resolve').length === 3, 5);
  const before = hook.requests.length;
  const quiet = lines.length;
  await sleep(2200);
  // The schedule went on firing (logged), but with nothing open there was nothing to send.
  assert.ok(lines.slice(quiet).some((l) => l.includes('no open pages: no digest sent')));
  assert.deepStrictEqual(hook.requests.slice(before).map((r) => (r.body as { action?: string }).action), []);
});

test('a storm aggregate still open is listed as one entry with its window link', () => {
  const agg = {
    dedupKey: 'wg-siem-storm-2025-05-22T14:00:00.000Z-p1', windowStart: T0, windowEnd: T0 + 600_000, count: 40,
    byReason: { storm: 40, 'queue-full': 0 }, byRule: [{ id: 'invalid-initiation-burst', name: 'Burst', count: 40 }],
    topHosts: [{ host: 'gw1', count: 40 }], sampleAlertIds: [idOf(9)], severity: 'medium' as const, riskScore: 47, summary: '40 alerts folded',
  };
  const body = digestBody({ kind: 'digest', open: [{ kind: 'aggregate', agg }], scopes: ['p1'], atMs: T0 + 3_600_000 }, '2025-05-22T15:00:01.000Z', 'http://kibana:5601');
  assert.equal(body.title, '1 WireGuard alert still open');
  assert.equal(body.generated_at, '2025-05-22T15:00:00.000Z');
  const [e] = body.alerts;
  assert.ok(e);
  assert.equal(e.alert_id, agg.dedupKey);
  assert.equal(e.rule.id, 'wg-siem-storm');
  assert.equal(e.started_at, '2025-05-22T14:00:00.000Z');
  assert.match(e.url ?? '', /^http:\/\/kibana:5601\//);
});

test('notify.digestSchedule: unset by default, a cron expression when set, anything else refused', () => {
  assert.equal(loadConfig({})['notify.digestSchedule'], null);
  assert.equal(loadConfig({ WG_SIEM_NOTIFY_DIGEST_SCHEDULE: '0 8 * * *' })['notify.digestSchedule'], '0 8 * * *');
  assert.throws(() => loadConfig({ WG_SIEM_NOTIFY_DIGEST_SCHEDULE: 'every morning' }), /notify\.digestSchedule|WG_SIEM_NOTIFY_DIGEST_SCHEDULE/);
});
