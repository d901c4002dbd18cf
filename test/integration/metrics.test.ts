// The metrics a real `wg-siem run` serves on /metrics, scraped while it runs against the local stack: every
// metric wg-siem defines is exposed, and the counters moved exactly as the records fed to it demand.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { createKafka } from '../../src/source/kafka/client.ts';
import { SNAPSHOT_HEADER, SNAPSHOT_KIND } from '../../src/source/collect/snapshot-record.ts';
import { pickPort } from '../../src/dev/stack/ports.ts';
import { INVALID_DOCUMENTS, RETRY_CAUSES, createMetrics } from '../../src/shared/telemetry/metrics.ts';
import { pipelineFixture, produce, remainingLag } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';
import type { PipelineFixture } from '../helpers/pipeline.ts';
import { childEnv } from '../helpers/env.ts';

const children = new Set<ChildProcess>();
after(() => { for (const c of children) c.kill('SIGKILL'); });

const INVALID = 'May 22 14:22:07 gw1 kernel: wireguard: wg0: Invalid handshake initiation from 198.51.100.7:51820';
const RECEIVED = 'May 22 14:22:07 gw1 kernel: [ 8312.401877] wireguard: wg0: Receiving handshake initiation from peer 3 (198.51.100.7:51820)';
const NOT_WIREGUARD = 'May 22 14:22:07 gw1 sshd[812]: Accepted publickey for admin from 192.0.2.4 port 50112';

function runProcess(f: PipelineFixture, port: number): ChildProcess {
  const child = spawn('bin/wg-siem', ['run'], { env: childEnv(f.env, { WG_SIEM_HTTP_PORT: String(port), WG_SIEM_LOG_LEVEL: 'warn' }), stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A collector's peer snapshot that does not follow its schema: the one schema-invalid document input can cause. */
async function produceBadSnapshot(f: PipelineFixture): Promise<void> {
  const producer = createKafka(f.kafka).producer();
  await producer.connect();
  await producer.send({ topic: f.topic, acks: -1, messages: [{ key: 'snapshot', value: JSON.stringify({ version: 1, host: 42 }), headers: { [SNAPSHOT_HEADER]: SNAPSHOT_KIND } }] });
  await producer.disconnect();
}

/** Sum of a metric's samples whose labels contain every one given (a histogram's `_count`, `_sum` are names too). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let found: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) found = (found ?? 0) + Number(m[3]);
  }
  return found;
}

test('a running wg-siem exposes every metric and counts what it was fed', async () => {
  // Correlation off: this test is about the index stage, and the correlation stage's start-up is slow.
  const f = await pipelineFixture('metrics', { WG_SIEM_CORRELATE: 'false', WG_SIEM_UNPARSED: 'index' });
  // The topic first (3 partitions, as the pipeline would create it), then the process, which takes seconds to
  // start: the records are produced meanwhile.
  await produce(f, []);
  const port = await pickPort(19_475, new Set());
  const p = runProcess(f, port);
  const lines = [INVALID, INVALID, INVALID, RECEIVED, RECEIVED, NOT_WIREGUARD, NOT_WIREGUARD, NOT_WIREGUARD, NOT_WIREGUARD];
  await produce(f, [...lines, Buffer.alloc(0)]);
  await produceBadSnapshot(f);
  const records = lines.length + 2;

  const scrape = async (): Promise<string> => {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
    return r?.ok ? r.text() : '';
  };
  await waitFor('every record consumed and committed', 60_000, async () => {
    const text = await scrape();
    return sample(text, 'wg_siem_records_in_total') === records && (await remainingLag(f)) === 0
      // The lag gauge is set right after the commit of the batch it belongs to.
      && sample(text, 'wg_siem_commit_total') === sample(text, 'wg_siem_batch_size_records_count');
  });
  const text = await scrape();

  const defined = (await createMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).map((m) => m.name);
  assert.ok(defined.length >= 25, `${defined.length} metrics defined`);
  for (const name of defined) assert.match(text, new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'), name);
  assert.match(text, /^process_cpu_user_seconds_total /m);

  const topic = { topic: f.topic };
  assert.equal(sample(text, 'wg_siem_records_in_total', topic), records);
  assert.equal(sample(text, 'wg_siem_batch_size_records_sum'), records);
  assert.equal(sample(text, 'wg_siem_documents_indexed_total', { event_action: 'wireguard-handshake-initiation-invalid' }), 3);
  assert.equal(sample(text, 'wg_siem_documents_indexed_total', { event_action: 'wireguard-handshake-initiation-received' }), 2);
  assert.equal(sample(text, 'wg_siem_documents_indexed_total', { event_action: 'unparsed' }), 4);
  assert.equal(sample(text, 'wg_siem_documents_indexed_total'), 9);
  assert.equal(sample(text, 'wg_siem_unparsed_lines_total'), 4);
  assert.equal(sample(text, 'wg_siem_duplicates_total'), 0);
  assert.equal(sample(text, 'wg_siem_dead_letters_total', { reason: 'schema-invalid' }), 1);
  assert.equal(sample(text, 'wg_siem_dead_letters_total', { reason: 'empty-record' }), 1);
  assert.equal(sample(text, 'wg_siem_dead_letters_total'), 2);
  assert.equal(sample(text, 'wg_siem_invalid_documents_total', { document: 'peer-snapshot' }), 1);
  for (const document of INVALID_DOCUMENTS.filter((d) => d !== 'peer-snapshot')) {
    assert.equal(sample(text, 'wg_siem_invalid_documents_total', { document }), 0, document);
  }
  // No decoder threw on these lines: a counter with no series yet (a failing decoder would add one).
  assert.equal(sample(text, 'wg_siem_decoder_failures_total'), undefined);
  for (const cause of RETRY_CAUSES) assert.equal(sample(text, 'wg_siem_bulk_retries_total', { cause }), 0, cause);
  assert.equal(sample(text, 'wg_siem_partitions_paused'), 0);
  const bulks = sample(text, 'wg_siem_bulk_request_duration_seconds_count') ?? 0;
  assert.ok(bulks >= 1, `${bulks} bulk requests`);
  const commits = sample(text, 'wg_siem_commit_total') ?? 0;
  assert.ok(commits >= 1 && commits <= records, `${commits} commits`);
  // Each partition that got records reports its lag after its commit: nothing is left.
  const lagSeries = text.split('\n').filter((l) => l.startsWith(`wg_siem_consumer_lag_records{topic="${f.topic}"`));
  assert.ok(lagSeries.length >= 1 && lagSeries.length <= 3, lagSeries.join('\n'));
  assert.equal(sample(text, 'wg_siem_consumer_lag_records', topic), 0);
  // Nothing was correlated or paged (correlation is off): those counters have no series.
  for (const name of ['wg_siem_alerts_raised_total', 'wg_siem_pages_sent_total', 'wg_siem_alert_transitions_total']) {
    assert.equal(sample(text, name), undefined, name);
  }

  p.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => { if (p.exitCode !== null) r(p.exitCode); else p.once('exit', r); });
  assert.equal(code, 0);
  await f.es.close();
});
