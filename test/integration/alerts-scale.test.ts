// Scale-out: three `wg-siem run` processes in one consumer group, one killed with SIGKILL mid-stream, raise
// exactly the alerts a single instance raises over the same input: same ids, same counts, none twice.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { createKafka } from '../../src/source/kafka/client.ts';
import { alertFixture, alertHits, correlationLag, kernelLine, produceByHost, type AlertHit } from '../helpers/alerts.ts';
import { remainingLag, type PipelineFixture } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';
import { childEnv } from '../helpers/env.ts';

function instance(f: PipelineFixture): ChildProcess {
  return spawn('bin/wg-siem', ['run'], { env: childEnv(f.env, { WG_SIEM_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' }), stdio: ['ignore', 'ignore', 'inherit'] });
}

function stopped(c: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { c.once('exit', () => resolve()); c.kill(signal); });
}

const HOSTS = 24;
const WAVES = 4;

/** Wave w: every host gets 4 invalid initiations from its own source, 10 s of event time after the last wave. */
function wave(w: number, base: number): { host: string; line: string }[] {
  const out: { host: string; line: string }[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const host = `gw-${h}`;
    for (let i = 0; i < 4; i++) {
      const t = base + (w * 4 + i) * 2500;
      out.push({ host, line: kernelLine(t, host, `wg0: Invalid handshake initiation from 198.18.${h}.1:51820`) });
    }
    // A second source per host that stays below the threshold: must never alert, in any run.
    out.push({ host, line: kernelLine(base + w * 10_000, host, `wg0: Invalid handshake initiation from 198.18.${h}.2:51820`) });
  }
  return out;
}

const summary = (hits: AlertHit[]): Map<string, string> =>
  new Map(hits.map((h) => [h._id, `${h.rule?.id ?? ''} ${h.host?.name ?? ''} ${h.source?.ip ?? ''} count=${h.wireguard?.alert?.count ?? 0}`]));

/** Every host's bursting source sends 4 initiations per wave: its alert must count them all. */
const EXPECTED_COUNT = 4 * WAVES;

async function settled(f: PipelineFixture, expectAlerts: number): Promise<AlertHit[]> {
  let hits: AlertHit[] = [];
  // An alert's count reaches its document on an evaluation tick after the backlog is empty, so "two equal reads"
  // can still be a stale document on a loaded machine: settled is the known final state, every count complete.
  await waitFor(`${expectAlerts} alerts counting ${EXPECTED_COUNT} each, and an empty backlog`, 150_000, async () => {
    hits = await alertHits(f.es, f.namespace);
    return hits.length >= expectAlerts && hits.every((h) => (h.wireguard?.alert?.count ?? 0) >= EXPECTED_COUNT)
      && (await remainingLag(f)) === 0 && (await correlationLag(f)) === 0;
  });
  return hits;
}

test('3 instances with one killed mid-stream raise the same alerts as one instance', { timeout: 400_000 }, async () => {
  const base = Date.now() - 5 * 60_000;
  const waves = Array.from({ length: WAVES }, (_, w) => wave(w, base));

  // One instance, all waves.
  const single = await alertFixture('scale1');
  await produceByHost(single, waves.flat());
  const one = instance(single);
  let expected: AlertHit[];
  try {
    expected = await settled(single, HOSTS);
  } finally {
    await stopped(one, 'SIGTERM');
  }
  assert.equal(expected.length, HOSTS, 'one alert per host: the bursting source');
  for (const h of expected) assert.equal(h.wireguard?.alert?.count, EXPECTED_COUNT, `${h.host?.name ?? ''}: every initiation counted once`);

  // Three instances; the waves arrive over time and one instance dies between them.
  const multi = await alertFixture('scale3');
  await produceByHost(multi, waves[0] ?? []);
  const procs = [instance(multi), instance(multi), instance(multi)];
  try {
    await waitFor('the first wave committed', 120_000, async () => (await remainingLag(multi)) === 0);
    await produceByHost(multi, waves[1] ?? []);
    await waitFor('the second wave committed', 120_000, async () => (await remainingLag(multi)) === 0);
    // Mid-stream: the next waves are on their way when one member dies without a chance to save anything.
    await produceByHost(multi, waves[2] ?? []);
    const victim = procs[1];
    assert.ok(victim);
    await stopped(victim, 'SIGKILL');
    await produceByHost(multi, waves[3] ?? []);
    // Both groups notice the death (session timeout) and hand its partitions to the survivors before the
    // result is taken: the survivors must finish the dead member's work.
    const admin = createKafka(multi.kafka).admin();
    await admin.connect();
    try {
      await waitFor('both groups down to the two survivors', 60_000, async () => {
        const { groups } = await admin.describeGroups([multi.config['kafka.groupId'], multi.config['kafka.correlationGroupId']]);
        return groups.every((g) => g.members.length === 2 && g.state === 'Stable');
      });
    } finally {
      await admin.disconnect();
    }
    const got = await settled(multi, HOSTS);
    // Saved state and replays are idempotent: give late duplicates a moment to show up if they existed.
    await new Promise((r) => setTimeout(r, 3000));
    const final = await alertHits(multi.es, multi.namespace);
    assert.equal(final.length, got.length, 'no alert appeared after settling');
    assert.deepEqual([...summary(final)].sort(), [...summary(expected)].sort());
    for (const h of final) assert.equal(h.wireguard?.alert?.status, 'open');
  } finally {
    await Promise.all(procs.map((p) => stopped(p, 'SIGTERM')));
  }
});
