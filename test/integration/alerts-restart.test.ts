// Restarts and paging against the real stack and a real HTTP receiver: an open window survives a restart (the
// burst is split across two runs and still alerts), a restart does not page again, and an alert storm is capped
// at stormMaxPages pages plus one aggregated page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertFixture, alertHits, correlationLag, kernelLine, produceByHost, startBoth } from '../helpers/alerts.ts';
import { HttpRecorder } from '../helpers/http-recorder.ts';
import { remainingLag, type PipelineFixture } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';

interface PdEvent { event_action: string; dedup_key: string; routing_key: string; payload?: { summary: string; severity: string; source: string } }

async function caughtUp(f: PipelineFixture): Promise<void> {
  await waitFor('both stages caught up', 60_000, async () => (await remainingLag(f)) === 0 && (await correlationLag(f)) === 0);
}

const burst = (host: string, ip: string, from: number, n: number): { host: string; line: string }[] =>
  Array.from({ length: n }, (_, i) => ({ host, line: kernelLine(from + i * 2000, host, `wg0: Invalid handshake initiation from ${ip}:51820`) }));

test('an open window survives restarts: alerted once across two runs, paged once across three', { timeout: 240_000 }, async () => {
  const pd = await HttpRecorder.start();
  const f = await alertFixture('restart', { WG_SIEM_PAGERDUTY_ROUTING_KEY: 'test-routing-key', WG_SIEM_PAGERDUTY_URL: pd.url('/v2/enqueue') });
  const t0 = Date.now() - 120_000;
  try {
    // Run 1: six lines, below the threshold of ten. The state is saved on stop.
    await produceByHost(f, burst('restart-gw', '203.0.113.70', t0, 6));
    let run = await startBoth(f);
    await caughtUp(f);
    await run.stop();
    assert.equal((await alertHits(f.es, f.namespace)).length, 0);

    // Run 2: six more. Only the restored window makes ten.
    await produceByHost(f, burst('restart-gw', '203.0.113.70', t0 + 12_000, 6));
    run = await startBoth(f);
    await caughtUp(f);
    await waitFor('the alert', 30_000, async () => (await alertHits(f.es, f.namespace)).length === 1);
    await pd.waitFor(1, 15_000);
    await run.stop();
    const [opened] = await alertHits(f.es, f.namespace);
    assert.ok(opened);
    assert.equal(opened.wireguard?.alert?.count, 12, 'the six lines of the first run count');

    // Run 3: the problem goes on; the same alert is updated, nobody is paged again.
    await produceByHost(f, burst('restart-gw', '203.0.113.70', t0 + 24_000, 4));
    run = await startBoth(f);
    await caughtUp(f);
    await waitFor('the update', 30_000, async () => (await alertHits(f.es, f.namespace))[0]?.wireguard?.alert?.count === 16);
    await run.stop();
    const after = await alertHits(f.es, f.namespace);
    assert.equal(after.length, 1);
    assert.equal(after[0]?._id, opened._id);
    const pages = pd.bodies<PdEvent>();
    assert.equal(pages.length, 1, 'one page over three runs');
    assert.equal(pages[0]?.event_action, 'trigger');
    assert.equal(pages[0]?.dedup_key, opened._id);
    assert.equal(pages[0]?.routing_key, 'test-routing-key');
    assert.equal(pages[0]?.payload?.severity, 'warning', 'medium maps to warning');
    assert.equal(pages[0]?.payload?.source, 'restart-gw');
  } finally {
    await pd.close();
  }
});

test('an alert storm from 30 sources pages stormMaxPages times plus one aggregate', { timeout: 240_000 }, async () => {
  const pd = await HttpRecorder.start();
  const f = await alertFixture('storm', {
    WG_SIEM_PAGERDUTY_ROUTING_KEY: 'rk', WG_SIEM_PAGERDUTY_URL: pd.url('/v2/enqueue'), WG_SIEM_NOTIFY_STORM_MAX: '5',
  });
  const t0 = Date.now() - 120_000;
  try {
    await produceByHost(f, Array.from({ length: 30 }, (_, i) => burst('storm-gw', `198.51.100.${i + 1}`, t0 + i * 100, 10)).flat());
    const run = await startBoth(f);
    await caughtUp(f);
    await waitFor('30 alerts', 30_000, async () => (await alertHits(f.es, f.namespace)).filter((h) => h.rule?.id === 'invalid-initiation-burst').length === 30);
    // Stopping drains the notifier, which sends the aggregate of the window that is still open.
    await run.stop();
    const pages = pd.bodies<PdEvent>();
    const triggers = pages.filter((p) => p.event_action === 'trigger' && !p.dedup_key.startsWith('wg-siem-storm-'));
    const aggregates = pages.filter((p) => p.dedup_key.startsWith('wg-siem-storm-'));
    // Besides the 30 per-source alerts, the distributed rule fires for 30 sources: 31 alerts, 5 paged.
    assert.equal(triggers.length, 5);
    assert.equal(aggregates.length, 1);
    assert.match(aggregates[0]?.payload?.summary ?? '', /26 more/);
  } finally {
    await pd.close();
  }
});
