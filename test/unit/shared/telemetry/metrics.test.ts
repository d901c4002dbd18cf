import assert from 'node:assert/strict';
import { test } from 'node:test';
import { register as globalRegistry } from 'prom-client';
import { INVALID_DOCUMENTS, RETRY_CAUSES, createMetrics, pipelineHooks } from '../../../../src/shared/telemetry/metrics.ts';
import type { Metrics } from '../../../../src/shared/telemetry/metrics.ts';
import { correlationHooks } from '../../../../src/shared/telemetry/correlation-hooks.ts';

const NAMES = [
  'wg_siem_records_in_total', 'wg_siem_documents_indexed_total', 'wg_siem_duplicates_total', 'wg_siem_dead_letters_total',
  'wg_siem_unparsed_lines_total', 'wg_siem_invalid_documents_total', 'wg_siem_bulk_request_duration_seconds',
  'wg_siem_batch_size_records', 'wg_siem_bulk_retries_total', 'wg_siem_partitions_paused', 'wg_siem_consumer_lag_records',
  'wg_siem_commit_total', 'wg_siem_alerts_raised_total', 'wg_siem_late_events_total', 'wg_siem_pages_sent_total',
  'wg_siem_decoder_failures_total',
] as const;

function updateAll(m: Metrics): void {
  m.recordsIn.inc({ topic: 'wireguard.logs' }, 3);
  m.documentsIndexed.inc({ event_action: 'handshake-initiation-invalid' }, 2);
  m.duplicates.inc();
  m.deadLetters.inc({ reason: 'too-large' });
  m.unparsedLines.inc(4);
  m.invalidDocuments.inc({ document: 'event' });
  m.decoderFailures.inc({ decoder: 'syslog-3164' });
  m.bulkRequestDuration.observe(0.042);
  m.batchSize.observe(2000);
  m.bulkRetries.inc({ cause: '429' });
  m.partitionsPaused.set(2);
  m.consumerLag.set({ topic: 'wireguard.logs', partition: '0' }, 17);
  m.commits.inc();
  m.alertsRaised.inc({ rule: 'handshake-flood' });
  m.lateEvents.inc();
  m.pagesSent.inc({ target: 'pagerduty', outcome: 'sent' });
}

test('the exposition holds every metric, prefixed, with its type, after updates', async () => {
  const m = createMetrics();
  updateAll(m);
  const text = await m.registry.metrics();
  for (const name of NAMES) {
    assert.match(text, new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'), name);
    assert.match(text, new RegExp(`^${name}(_bucket|_sum|_count)?(\\{[^}]*\\})? \\d`, 'm'), name);
  }
  assert.match(text, /^wg_siem_records_in_total\{topic="wireguard.logs"\} 3$/m);
  assert.match(text, /^wg_siem_documents_indexed_total\{event_action="handshake-initiation-invalid"\} 2$/m);
  assert.match(text, /^wg_siem_consumer_lag_records\{topic="wireguard.logs",partition="0"\} 17$/m);
  assert.match(text, /^wg_siem_pages_sent_total\{target="pagerduty",outcome="sent"\} 1$/m);
  assert.match(text, /^wg_siem_bulk_retries_total\{cause="429"\} 1$/m);
  assert.match(text, /^# TYPE wg_siem_bulk_request_duration_seconds histogram$/m);
  assert.match(text, /^wg_siem_bulk_request_duration_seconds_bucket\{le="0.005"\} 0$/m);
  assert.match(text, /^wg_siem_bulk_request_duration_seconds_bucket\{le="0.05"\} 1$/m);
  assert.match(text, /^wg_siem_bulk_request_duration_seconds_bucket\{le="30"\} 1$/m);
  assert.match(text, /^wg_siem_batch_size_records_bucket\{le="2000"\} 1$/m);
  assert.match(text, /^wg_siem_batch_size_records_bucket\{le="1000"\} 0$/m);
});

test('retry causes and invalid document kinds exist at 0 before the first retry; default process metrics are on', async () => {
  const text = await createMetrics().registry.metrics();
  for (const cause of RETRY_CAUSES) assert.match(text, new RegExp(`^wg_siem_bulk_retries_total\\{cause="${cause}"\\} 0$`, 'm'));
  for (const document of INVALID_DOCUMENTS) assert.match(text, new RegExp(`^wg_siem_invalid_documents_total\\{document="${document}"\\} 0$`, 'm'));
  assert.match(text, /^process_cpu_user_seconds_total /m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  const bare = await createMetrics({ defaultMetrics: false }).registry.metrics();
  assert.doesNotMatch(bare, /^process_/m);
  assert.match(bare, /^# TYPE wg_siem_records_in_total counter$/m);
});

test('each createMetrics() has its own registry; nothing lands on the global one', async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.recordsIn.inc({ topic: 't' }, 5);
  assert.notEqual(a.registry, b.registry);
  assert.doesNotMatch(await b.registry.metrics(), /^wg_siem_records_in_total\{topic="t"\}/m);
  assert.doesNotMatch(await globalRegistry.metrics(), /wg_siem_/);
  assert.match(a.registry.contentType, /^text\/plain; version=0\.0\.4/);
});

// That every hook of PipelineHooks is bound is checked by the compiler (pipelineHooks returns PipelineHooks).
test('pipelineHooks turns every pipeline report into its metric', async () => {
  const m = createMetrics({ defaultMetrics: false });
  const h = pipelineHooks(m);
  h.recordsIn('wireguard.logs', 10);
  h.indexed('peer-handshake-completed', 7);
  h.duplicates(2);
  h.deadLettered('schema-invalid', 1);
  h.unparsed(3);
  h.bulkRequest(0.2, 7);
  h.batchSize(10);
  h.retry('5xx');
  h.paused(3);
  h.invalid('peer-snapshot', 2);
  h.lag('wireguard.logs', 1, 42);
  h.committed();
  const value = async (name: string): Promise<number> => {
    const metric = m.registry.getSingleMetric(name);
    assert.ok(metric, name);
    const v = await metric.get();
    // A histogram's values are its buckets, sum and count; the count is what says "observed once".
    const counted = (x: object): boolean => {
      const n: unknown = (x as { metricName?: unknown }).metricName;
      return n === undefined || (typeof n === 'string' && n.endsWith('_count'));
    };
    return v.values.filter(counted)
      .reduce((s, x) => s + x.value, 0);
  };
  assert.equal(await value('wg_siem_records_in_total'), 10);
  assert.equal(await value('wg_siem_documents_indexed_total'), 7);
  assert.equal(await value('wg_siem_duplicates_total'), 2);
  assert.equal(await value('wg_siem_dead_letters_total'), 1);
  assert.equal(await value('wg_siem_unparsed_lines_total'), 3);
  assert.equal(await value('wg_siem_bulk_request_duration_seconds'), 1);
  assert.equal(await value('wg_siem_batch_size_records'), 1);
  assert.equal(await value('wg_siem_bulk_retries_total'), 1);
  assert.equal(await value('wg_siem_partitions_paused'), 3);
  assert.equal(await value('wg_siem_invalid_documents_total'), 2);
  assert.equal(await value('wg_siem_consumer_lag_records'), 42);
  assert.equal(await value('wg_siem_commit_total'), 1);
  h.paused(0);
  assert.equal(await value('wg_siem_partitions_paused'), 0);
  // A partition a rebalance took away: its lag series goes, the new owner reports it.
  h.released('wireguard.logs', 1);
  assert.doesNotMatch(await m.registry.metrics(), /^wg_siem_consumer_lag_records\{/m);
});

test('correlationHooks: a released partition loses its groups series, the others keep theirs', async () => {
  const m = createMetrics({ defaultMetrics: false });
  const h = correlationHooks(m);
  h.groups(0, 12);
  h.groups(3, 5);
  h.released(0);
  const text = await m.registry.metrics();
  assert.doesNotMatch(text, /^wg_siem_correlation_groups\{partition="0"\}/m);
  assert.match(text, /^wg_siem_correlation_groups\{partition="3"\} 5$/m);
});
