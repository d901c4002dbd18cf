// Sending: retries on 5xx, 429 (Retry-After), timeouts and network errors; no retry on other 4xx; order kept;
// notify() never waits for any of it; secrets never logged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpRecorder } from '../../../helpers/http-recorder.ts';
import { Notifier } from '../../../../src/sinks/notify/notifier.ts';
import type { NotifierConfig } from '../../../../src/sinks/notify/notifier.ts';
import { parseRetryAfter } from '../../../../src/sinks/notify/retry.ts';
import { backoffDelay } from '../../../../src/shared/util/backoff.ts';
import { FAST_BACKOFF, ROUTING_KEY, TOKEN, alert, capturingLogger, config, countingHooks, idOf, recorders, resolveOf, silent } from './support.ts';
import type { CountingHooks, PdEvent } from './support.ts';

const recorder = recorders();

function pdNotifier(pd: HttpRecorder, o: Partial<NotifierConfig> = {}, log = silent): { notifier: Notifier; hooks: CountingHooks } {
  const hooks = countingHooks();
  const notifier = new Notifier(
    config({ 'notify.pagerduty.routingKey': ROUTING_KEY, 'notify.pagerduty.url': pd.url('/v2/enqueue'), ...o }),
    { log, hooks, backoff: FAST_BACKOFF },
  );
  return { notifier, hooks };
}

test('500 twice, then 202: retried with the same bytes, delivered once', async () => {
  const pd = await recorder();
  pd.reply({ status: 500 }, { status: 502, body: 'bad gateway' });
  const { notifier, hooks } = pdNotifier(pd);
  notifier.notify(alert(1));
  await notifier.drain(5000);
  assert.equal(pd.requests.length, 3);
  assert.equal(new Set(pd.requests.map((r) => r.raw)).size, 1, 'every attempt sends the same body');
  assert.deepEqual(hooks.sentLog, [{ target: 'pagerduty', action: 'trigger' }]);
  assert.deepEqual(hooks.failedLog, []);
});

test('429 with Retry-After: 1 → the retry waits about a second', async () => {
  const pd = await recorder();
  pd.reply({ status: 429, headers: { 'retry-after': '1' }, body: '{"status":"throttle event"}' });
  const { notifier, hooks } = pdNotifier(pd);
  notifier.notify(alert(1));
  const [first, second] = await pd.waitFor(2, 4000);
  assert.ok(first && second);
  const waited = second.at - first.at;
  // FAST_BACKOFF alone would retry within 40 ms; a timer never fires early, so this bound holds on any machine.
  assert.ok(waited >= 950, `retried after ${waited.toFixed(0)} ms`);
  await notifier.drain(2000);
  assert.equal(pd.requests.length, 2);
  assert.deepEqual(hooks.sentLog, [{ target: 'pagerduty', action: 'trigger' }]);
});

test('Retry-After: delta-seconds, HTTP date, garbage; capped', () => {
  const now = Date.parse('2025-05-22T14:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Thu, 22 May 2025 14:00:07 GMT', now), 7000);
  assert.equal(parseRetryAfter('Thu, 22 May 2025 13:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
  assert.equal(parseRetryAfter('86400', now), 5 * 60_000);
});

test('backoff: exponential, capped, full jitter over the step, never under half the first step', () => {
  const b = { initialMs: 500, maxMs: 60_000 };
  assert.equal(backoffDelay(1, b, () => 0), 250);
  assert.equal(backoffDelay(1, b, () => 1), 500);
  assert.equal(backoffDelay(4, b, () => 1), 4000);
  assert.equal(backoffDelay(4, b, () => 0.5), 2000);
  assert.equal(backoffDelay(40, b, () => 1), 60_000);
  assert.equal(backoffDelay(40, b, () => 0), 250);
});

test('400: not retried, reported failed, its resolve not sent, the routing key never logged', async () => {
  const pd = await recorder();
  // A receiver that echoes what it got, key included: the log line must still not carry it.
  pd.reply({ status: 400, body: `{"status":"invalid event","message":"bad routing_key ${ROUTING_KEY}"}` });
  const { log, lines } = capturingLogger();
  const { notifier, hooks } = pdNotifier(pd, {}, log);
  const a = alert(1);
  notifier.notify(a);
  await pd.waitFor(1);
  await new Promise((r) => setTimeout(r, 100));
  notifier.notify(resolveOf(a));
  notifier.notify(alert(2));
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>().map((b) => [b.event_action, b.dedup_key]), [['trigger', idOf(1)], ['trigger', idOf(2)]]);
  assert.deepEqual(hooks.failedLog, [{ target: 'pagerduty', reason: 'rejected' }]);
  assert.equal(hooks.suppressedBy.get('not-triggered'), 1);
  const text = lines.join('');
  assert.ok(text.includes('page refused'), 'the refusal is logged');
  assert.ok(text.includes('HTTP 400'), 'with its status');
  assert.ok(!text.includes(ROUTING_KEY), 'routing key leaked into the log');
});

test('webhook token never logged, whatever the failure', async () => {
  const hook = await recorder();
  hook.otherwise({ status: 503, body: `token ${TOKEN} rejected` });
  const { log, lines } = capturingLogger();
  const hooks = countingHooks();
  const notifier = new Notifier(
    config({ 'notify.webhook.url': hook.url('/hook'), 'notify.webhook.token': TOKEN, 'notify.maxAttempts': 2 }),
    { log, hooks, backoff: FAST_BACKOFF },
  );
  notifier.notify(alert(1));
  await notifier.drain(5000);
  assert.equal(hook.requests.length, 2);
  assert.deepEqual(hooks.failedLog, [{ target: 'webhook', reason: 'exhausted' }]);
  assert.ok(lines.length > 0);
  assert.ok(!lines.join('').includes(TOKEN), 'token leaked into the log');
});

test('5xx forever: exactly notify.maxAttempts attempts, then failed', async () => {
  const pd = await recorder();
  pd.otherwise({ status: 503 });
  const { notifier, hooks } = pdNotifier(pd, { 'notify.maxAttempts': 3 });
  notifier.notify(alert(1));
  await notifier.drain(5000);
  assert.equal(pd.requests.length, 3);
  assert.deepEqual(hooks.failedLog, [{ target: 'pagerduty', reason: 'exhausted' }]);
  assert.deepEqual(hooks.sentLog, []);
});

test('timeout: the hung request is abandoned after notify.timeoutMs and retried', async () => {
  const pd = await recorder();
  pd.reply('hang');
  const { notifier, hooks } = pdNotifier(pd, { 'notify.timeoutMs': 200 });
  notifier.notify(alert(1));
  const [first, second] = await pd.waitFor(2, 3000);
  assert.ok(first && second);
  assert.ok(second.at - first.at >= 190, `retried after ${(second.at - first.at).toFixed(0)} ms`);
  assert.equal(second.raw, first.raw);
  await notifier.drain(2000);
  assert.deepEqual(hooks.sentLog, [{ target: 'pagerduty', action: 'trigger' }]);
});

test('connection refused: retried as a network error, then failed', async () => {
  const gone = await HttpRecorder.start();
  const url = gone.url('/v2/enqueue');
  await gone.close();
  const hooks = countingHooks();
  const notifier = new Notifier(
    config({ 'notify.pagerduty.routingKey': ROUTING_KEY, 'notify.pagerduty.url': url, 'notify.maxAttempts': 3 }),
    { log: silent, hooks, backoff: FAST_BACKOFF },
  );
  notifier.notify(alert(1));
  await notifier.drain(5000);
  assert.deepEqual(hooks.failedLog, [{ target: 'pagerduty', reason: 'exhausted' }]);
});

test('trigger → resolve order holds for the same id while the trigger is being retried', async () => {
  const pd = await recorder();
  pd.reply({ status: 500 }, { status: 429 }, { status: 503 });
  const { notifier } = pdNotifier(pd, { 'notify.maxAttempts': 5 });
  const a = alert(1);
  const b = alert(2);
  notifier.notify(a);
  notifier.notify(resolveOf(a));
  notifier.notify(b);
  notifier.notify(resolveOf(b));
  await notifier.drain(5000);
  assert.deepEqual(pd.bodies<PdEvent>().map((x) => `${x.event_action} ${x.dedup_key.slice(-1)}`), [
    'trigger 1', 'trigger 1', 'trigger 1', 'trigger 1', 'resolve 1', 'trigger 2', 'resolve 2',
  ]);
});

test('notify() returns at once while the receiver hangs', async () => {
  const pd = await recorder();
  pd.otherwise('hang');
  const { notifier, hooks } = pdNotifier(pd, { 'notify.stormMaxPages': 100_000, 'notify.queueSize': 1000 });
  const N = 5000;
  const alerts = Array.from({ length: N }, (_, i) => alert(i));
  // notify() is synchronous: every call has returned, and every alert been decided (1000 kept, the rest folded),
  // before the event loop got one turn, so before any request could leave. What a call costs: bench:budgets.
  for (const a of alerts) assert.equal(notifier.notify(a), undefined);
  assert.equal(hooks.suppressedBy.get('queue-full'), N - 1000);
  assert.equal(pd.requests.length, 0);
  await pd.waitFor(1);
  // Then one of the kept is in flight (hanging) and 999 wait.
  assert.equal(pd.requests.length, 1);
  assert.equal(hooks.depths.at(-1), 999);
  // drain() gives up at its timeout rather than waiting for the hung request (else the test times out).
  await notifier.drain(200);
  // Gave up: the hung request, the 999 waiting and the aggregate of the folded ones, queued by drain().
  assert.equal(hooks.failedLog.filter((f) => f.reason === 'shutdown').length, 1 + 999 + 1);
  assert.equal(hooks.depths.at(-1), 0);
});
