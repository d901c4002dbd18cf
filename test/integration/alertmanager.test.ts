// Paging to a real Prometheus Alertmanager (Debian's prometheus-alertmanager, started here on 127.0.0.1): the alerts
// wg-siem posts appear in its API with wg-siem's labels, are grouped by its route (one notification for the group
// at its webhook receiver), survive a restart of wg-siem (the new process re-posts them: no resolve, no second
// notification), and a resolve makes Alertmanager send a "resolved" notification.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { alertFixture, alertHits, kernelLine, produceByHost } from '../helpers/alerts.ts';
import { HttpRecorder } from '../helpers/http-recorder.ts';
import { alertmanagerBinary, burstRuleDir, spawnRun, startAlertmanager, stopped, type RunningAlertmanager } from '../helpers/paging.ts';
import { waitFor } from '../helpers/wait.ts';

interface AmApiAlert { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; status: { state: string } }
interface AmNotification { status: 'firing' | 'resolved'; groupLabels: Record<string, string>; alerts: { status: string; labels: Record<string, string> }[] }

const bin = alertmanagerBinary();
const children: ChildProcess[] = [];
let am: RunningAlertmanager | undefined;
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await am?.stop();
});

async function amAlerts(url: string): Promise<AmApiAlert[]> {
  const res = await fetch(`${url}/api/v2/alerts?active=true&silenced=false&inhibited=false`);
  return ((await res.json()) as AmApiAlert[]).filter((a) => a.labels.service === 'wireguard');
}

const REPEAT_MS = 5000;

test('Alertmanager: labels, grouping, open alerts kept across a restart, resolved notification', {
  timeout: 480_000,
  skip: bin ? false : 'the Alertmanager binary is absent: apt-get install -y --no-install-recommends prometheus-alertmanager',
}, async () => {
  assert.ok(bin);
  const receiver = await HttpRecorder.start();
  const rules = burstRuleDir('90s');
  try {
    // Alertmanager notifies at once for an alert that started longer than group_wait ago; the lines are recent and
    // group_wait long enough for both alerts to be in the group's first notification.
    am = await startAlertmanager(bin, receiver.url('/am-hook'), { groupWait: '30s', groupInterval: '2s' });
    const f = await alertFixture('am', {
      WG_SIEM_RULES_DIR: rules.dir, WG_SIEM_ALERTMANAGER_URL: am.url, WG_SIEM_ALERTMANAGER_REPEAT_MS: String(REPEAT_MS),
      WG_SIEM_KIBANA_URL: 'http://kibana.test:5601',
    });
    const t0 = Date.now() - 3000;
    const lines = ['203.0.113.90', '203.0.113.91'].flatMap((ip) => Array.from({ length: 12 }, (_, i) => ({
      host: 'am-gw', line: kernelLine(t0 + i * 200, 'am-gw', `wg0: Invalid handshake initiation from ${ip}:51820`),
    })));
    await produceByHost(f, lines);

    let run = spawnRun(f);
    children.push(run);
    let posted: AmApiAlert[] = [];
    await waitFor('two alerts in Alertmanager', 150_000, async () => (posted = await amAlerts(am!.url)).length === 2);
    const ids = (await alertHits(f.es, f.namespace)).map((h) => h._id).sort();
    assert.deepEqual(posted.map((a) => a.labels.alert_id).sort(), ids);
    for (const a of posted) {
      assert.equal(a.labels.alertname, 'invalid-initiation-burst');
      assert.equal(a.labels.host, 'am-gw');
      assert.equal(a.labels.severity, 'medium');
      assert.equal(a.labels.interface, 'wg0');
      assert.match(a.labels.group ?? '', /^host\.name=am-gw,observer\.ingress\.interface\.name=wg0,source\.ip=203\.0\.113\.9[01]$/);
      assert.match(a.annotations.title ?? '', /invalid handshake initiations from 203\.0\.113\.9[01] on am-gw wg0/);
      assert.ok(a.annotations.summary);
      assert.match(a.annotations.kibana ?? '', /^http:\/\/kibana\.test:5601\/app\/discover#/);
      assert.equal(a.status.state, 'active');
    }
    // Grouped by [alertname, host]: one notification carrying both.
    await waitFor('the group notification', 120_000, () => Promise.resolve(receiver.requests.length >= 1));
    const [firing] = receiver.bodies<AmNotification>();
    assert.equal(firing?.status, 'firing');
    assert.deepEqual(firing?.groupLabels, { alertname: 'invalid-initiation-burst', host: 'am-gw' });
    assert.deepEqual(firing?.alerts.map((a) => a.labels.alert_id).sort(), ids);

    // A restart: the new process re-posts the open alerts; three intervals later they are still active and
    // Alertmanager has said nothing more.
    const startsAt = new Map(posted.map((a) => [a.labels.alert_id, a.startsAt]));
    await stopped(run, 'SIGTERM');
    run = spawnRun(f);
    children.push(run);
    const restartedAt = Date.now();
    while (Date.now() - restartedAt < 3 * REPEAT_MS + 2000) {
      const now = await amAlerts(am.url);
      assert.equal(now.length, 2, 'both alerts stay active across the restart');
      for (const a of now) assert.equal(a.startsAt, startsAt.get(a.labels.alert_id ?? ''), 'startsAt kept');
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(receiver.requests.length, 1, 'no resolve, no second notification for the group');
    const open = await amAlerts(am.url);
    assert.ok(open.every((a) => Date.parse(a.endsAt) > Date.now() + REPEAT_MS), 'endsAt kept ahead by the re-posts');

    // The quiet period passes: wg-siem resolves both, Alertmanager notifies the group as resolved.
    await waitFor('the resolved notification', 180_000, () => Promise.resolve(receiver.bodies<AmNotification>().some((b) => b.status === 'resolved')));
    await stopped(run, 'SIGTERM');
    const notes = receiver.bodies<AmNotification>();
    const resolved = notes.filter((b) => b.status === 'resolved');
    assert.equal(resolved.length, 1);
    assert.deepEqual(resolved[0]?.alerts.map((a) => `${a.status} ${a.labels.alert_id}`).sort(), ids.map((id) => `resolved ${id}`));
    assert.equal(notes.filter((b) => b.status === 'firing' && b.alerts.every((a) => a.status === 'firing')).length, 1, 'fired once');
    assert.deepEqual(await amAlerts(am.url), []);
  } finally {
    rules.remove();
    await receiver.close();
    await am?.stop();
    am = undefined;
  }
});
