// Pages always resolve: an alert is paged (PagerDuty and webhook stand-ins), the wg-siem process is killed with
// SIGKILL, a new process takes the partition over from the saved state and, when the alert resolves on the clock,
// sends its one resolve — exactly one trigger and one resolve per alert and per target.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { alertFixture, alertHits, correlationLag, kernelLine, produceByHost } from '../helpers/alerts.ts';
import { HttpRecorder } from '../helpers/http-recorder.ts';
import { burstRuleDir, savedPagedIds, spawnRun, stopped } from '../helpers/paging.ts';
import { remainingLag } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';

interface PdEvent { event_action: string; dedup_key: string }
interface WebhookEvent { action: string; alert_id: string }

const children: ChildProcess[] = [];
after(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });

test('kill -9 after the page: the next process sends the one resolve (PagerDuty and webhook)', { timeout: 240_000 }, async () => {
  const pd = await HttpRecorder.start();
  const hook = await HttpRecorder.start();
  const rules = burstRuleDir('30s');
  try {
    const f = await alertFixture('pageresolve', {
      WG_SIEM_RULES_DIR: rules.dir,
      WG_SIEM_PAGERDUTY_ROUTING_KEY: 'rk-resolve', WG_SIEM_PAGERDUTY_URL: pd.url('/v2/enqueue'),
      WG_SIEM_WEBHOOK_URL: hook.url('/hook'),
    });
    const t0 = Date.now() - 15_000;
    // Two sources on one host: two alerts, each to be triggered once and resolved once.
    const lines = ['203.0.113.80', '203.0.113.81'].flatMap((ip) => Array.from({ length: 12 }, (_, i) => ({
      host: 'resolve-gw', line: kernelLine(t0 + i * 1000, 'resolve-gw', `wg0: Invalid handshake initiation from ${ip}:51820`),
    })));
    await produceByHost(f, lines);

    const first = spawnRun(f);
    children.push(first);
    await waitFor('two alerts paged to both targets', 60_000, () => Promise.resolve(pd.requests.length >= 2 && hook.requests.length >= 2));
    const ids = (await alertHits(f.es, f.namespace)).map((h) => h._id).sort();
    assert.equal(ids.length, 2);
    // The kill comes once the partition's state, paging included, is saved and its offset committed.
    await waitFor('the paged alerts in the saved state', 30_000, async () =>
      JSON.stringify((await savedPagedIds(f)).sort()) === JSON.stringify(ids) && (await correlationLag(f)) === 0 && (await remainingLag(f)) === 0);
    assert.ok(!(await alertHits(f.es, f.namespace)).some((h) => h.wireguard?.alert?.status === 'resolved'), 'not resolved before the kill');
    await stopped(first, 'SIGKILL');

    const second = spawnRun(f);
    children.push(second);
    await waitFor('both resolves on both targets', 150_000, () => Promise.resolve(pd.requests.length >= 4 && hook.requests.length >= 4));
    // Anything else would come within a few evaluation ticks.
    await new Promise((r) => setTimeout(r, 4000));
    await stopped(second, 'SIGTERM');

    const pdLines = pd.bodies<PdEvent>().map((b) => `${b.event_action} ${b.dedup_key}`).sort();
    assert.deepEqual(pdLines, [...ids.map((id) => `resolve ${id}`), ...ids.map((id) => `trigger ${id}`)].sort());
    const hookLines = hook.bodies<WebhookEvent>().map((b) => `${b.action} ${b.alert_id}`).sort();
    assert.deepEqual(hookLines, [...ids.map((id) => `resolve ${id}`), ...ids.map((id) => `trigger ${id}`)].sort());
    const docs = await alertHits(f.es, f.namespace);
    assert.deepEqual(docs.map((d) => d.wireguard?.alert?.status), ['resolved', 'resolved']);
    assert.deepEqual(await savedPagedIds(f), [], 'nothing left open in the saved paging state');
  } finally {
    rules.remove();
    await pd.close();
    await hook.close();
  }
});
