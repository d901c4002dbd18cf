// Every metric the pipeline updates, in one typed object on a registry of its own: tests create as many as they
// like without "metric already registered" clashes, and nothing a dependency puts on prom-client's global
// registry leaks into /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InvalidDocument } from '../../indexing/record.ts';

export const METRIC_PREFIX = 'wg_siem_';

/** Why a bulk request is retried; the same values as the pipeline's RetryCause. */
export const RETRY_CAUSES = ['unreachable', '429', '5xx'] as const;

/** What can fail schema validation; the same values as the pipeline's InvalidDocument. */
export const INVALID_DOCUMENTS = ['event', 'unparsed', 'peer-state', 'peer-snapshot'] as const satisfies readonly InvalidDocument[];

export interface Metrics {
  readonly registry: Registry;
  /** wg_siem_records_in_total{topic}: Kafka records consumed. */
  readonly recordsIn: Counter<'topic'>;
  /** wg_siem_documents_indexed_total{event_action}: documents Elasticsearch accepted. */
  readonly documentsIndexed: Counter<'event_action'>;
  /** wg_siem_duplicates_total: documents already indexed (a redelivery after a crash), not indexed twice. */
  readonly duplicates: Counter;
  /** wg_siem_dead_letters_total{reason}: records or documents sent to the dead-letter topic. */
  readonly deadLetters: Counter<'reason'>;
  /** wg_siem_unparsed_lines_total: lines that are not WireGuard. */
  readonly unparsedLines: Counter;
  /** wg_siem_invalid_documents_total{document}: documents that failed schema validation (event, unparsed, peer-state, peer-snapshot). */
  readonly invalidDocuments: Counter<'document'>;
  /** wg_siem_decoder_failures_total{decoder}: lines whose envelope decoder threw (kept, as raw lines). */
  readonly decoderFailures: Counter<'decoder'>;
  /** wg_siem_bulk_request_duration_seconds: one Elasticsearch bulk request, retries not included. */
  readonly bulkRequestDuration: Histogram;
  /** wg_siem_batch_size_records: Kafka records per processed batch. */
  readonly batchSize: Histogram;
  /** wg_siem_bulk_retries_total{cause}: cause is unreachable, 429 or 5xx. */
  readonly bulkRetries: Counter<'cause'>;
  /** wg_siem_partitions_paused: partitions (of kafka.topics) not fetched because Elasticsearch is unavailable. */
  readonly partitionsPaused: Gauge;
  /** wg_siem_consumer_lag_records{topic,partition}: high watermark minus the committed offset. */
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  /** wg_siem_commit_total: offset commits. */
  readonly commits: Counter;
  /** wg_siem_alerts_raised_total{rule}: alerts written (a problem raised once, not per event). */
  readonly alertsRaised: Counter<'rule'>;
  /** wg_siem_late_events_total: events that arrived after their correlation window had closed. */
  readonly lateEvents: Counter;
  /** wg_siem_pages_sent_total{target,outcome}: pages to the on-call engineer. */
  readonly pagesSent: Counter<'target' | 'outcome'>;
  /** wg_siem_pages_suppressed_total{reason}: pages not sent (severity, storm, duplicate, queue-full, not-triggered). */
  readonly pagesSuppressed: Counter<'reason'>;
  /** wg_siem_page_queue_depth: pages waiting to be sent. */
  readonly pageQueueDepth: Gauge;
  /** wg_siem_alert_transitions_total{rule,kind}: alert documents written (opened, updated, resolved). */
  readonly alertTransitions: Counter<'rule' | 'kind'>;
  /** wg_siem_alert_documents_rejected_total: alert documents Elasticsearch refused (a mapping bug). */
  readonly alertsRejected: Counter;
  /** wg_siem_correlation_groups{partition}: live correlation groups (all rules) of an owned partition. */
  readonly correlationGroups: Gauge<'partition'>;
  /** wg_siem_correlation_groups_evicted_total: groups dropped at the per-rule cap (a flood of sources). */
  readonly groupsEvicted: Counter;
  /** wg_siem_correlation_duplicates_total: events re-sent by the indexing stage after a crash, skipped. */
  readonly correlationDuplicates: Counter;
  /** wg_siem_correlation_state_save_seconds: saving one partition's correlation state. */
  readonly stateSaveDuration: Histogram;
  /** wg_siem_correlation_state_bytes: compressed size of the last saved partition state. */
  readonly stateBytes: Gauge;
}

export interface CreateMetricsOptions {
  /** Node process metrics (CPU, memory, event-loop lag, GC, handles). Default true. */
  readonly defaultMetrics?: boolean;
}

// From a single document on a fast local node (~5 ms) to the request timeout's order of magnitude (30 s).
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// pipeline.batchSize is 1 … 100000, default 2000.
const BATCH_BUCKETS = [1, 10, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 25000, 50000, 100000];

export function createMetrics(opts: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  // Standard names (process_*, nodejs_*), unprefixed, so stock Node.js dashboards work as they are.
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const name = (n: string): string => `${METRIC_PREFIX}${n}`;

  const metrics: Metrics = {
    registry,
    recordsIn: new Counter({ name: name('records_in_total'), help: 'Kafka records consumed.', labelNames: ['topic'], registers }),
    documentsIndexed: new Counter({
      name: name('documents_indexed_total'), help: 'Documents Elasticsearch accepted, by event.action.', labelNames: ['event_action'], registers,
    }),
    duplicates: new Counter({ name: name('duplicates_total'), help: 'Documents that were already indexed (redelivered records).', registers }),
    deadLetters: new Counter({ name: name('dead_letters_total'), help: 'Records or documents sent to the dead-letter topic.', labelNames: ['reason'], registers }),
    unparsedLines: new Counter({ name: name('unparsed_lines_total'), help: 'Lines that are not WireGuard log lines.', registers }),
    invalidDocuments: new Counter({
      name: name('invalid_documents_total'), help: 'Documents that failed schema validation (dead-lettered), by document.', labelNames: ['document'], registers,
    }),
    decoderFailures: new Counter({
      name: name('decoder_failures_total'), help: 'Lines whose envelope decoder threw (a bug); the line goes on as raw.', labelNames: ['decoder'], registers,
    }),
    bulkRequestDuration: new Histogram({
      name: name('bulk_request_duration_seconds'), help: 'Duration of one Elasticsearch bulk request.', buckets: DURATION_BUCKETS, registers,
    }),
    batchSize: new Histogram({ name: name('batch_size_records'), help: 'Kafka records per processed batch.', buckets: BATCH_BUCKETS, registers }),
    bulkRetries: new Counter({ name: name('bulk_retries_total'), help: 'Bulk requests retried, by cause (unreachable, 429, 5xx).', labelNames: ['cause'], registers }),
    partitionsPaused: new Gauge({ name: name('partitions_paused'), help: 'Partitions paused because Elasticsearch is unavailable.', registers }),
    consumerLag: new Gauge({
      name: name('consumer_lag_records'), help: 'Records behind the high watermark, per partition.', labelNames: ['topic', 'partition'], registers,
    }),
    commits: new Counter({ name: name('commit_total'), help: 'Kafka offset commits.', registers }),
    alertsRaised: new Counter({ name: name('alerts_raised_total'), help: 'Alerts raised, by rule.', labelNames: ['rule'], registers }),
    lateEvents: new Counter({ name: name('late_events_total'), help: 'Events that arrived after their correlation window closed.', registers }),
    pagesSent: new Counter({ name: name('pages_sent_total'), help: 'Pages sent, by target and outcome.', labelNames: ['target', 'outcome'], registers }),
    pagesSuppressed: new Counter({ name: name('pages_suppressed_total'), help: 'Pages not sent, by reason.', labelNames: ['reason'], registers }),
    pageQueueDepth: new Gauge({ name: name('page_queue_depth'), help: 'Pages waiting to be sent.', registers }),
    alertTransitions: new Counter({
      name: name('alert_transitions_total'), help: 'Alert documents written, by rule and transition (opened, updated, resolved).', labelNames: ['rule', 'kind'], registers,
    }),
    alertsRejected: new Counter({ name: name('alert_documents_rejected_total'), help: 'Alert documents Elasticsearch refused.', registers }),
    correlationGroups: new Gauge({ name: name('correlation_groups'), help: 'Live correlation groups of an owned partition.', labelNames: ['partition'], registers }),
    groupsEvicted: new Counter({ name: name('correlation_groups_evicted_total'), help: 'Correlation groups evicted at the per-rule cap.', registers }),
    correlationDuplicates: new Counter({ name: name('correlation_duplicates_total'), help: 'Re-sent events the correlation stage skipped.', registers }),
    stateSaveDuration: new Histogram({
      name: name('correlation_state_save_seconds'), help: 'Saving one partition\'s correlation state.', buckets: DURATION_BUCKETS, registers,
    }),
    stateBytes: new Gauge({ name: name('correlation_state_bytes'), help: 'Compressed size of the last saved partition state.', registers }),
  };
  // Series with a known, closed set of label values exist from the start at 0, so rate() and alerts on them work
  // before the first retry ever happens.
  for (const cause of RETRY_CAUSES) metrics.bulkRetries.inc({ cause }, 0);
  for (const document of INVALID_DOCUMENTS) metrics.invalidDocuments.inc({ document }, 0);
  return metrics;
}

export { pipelineHooks } from './pipeline-hooks.ts';
export { watchDecoderFailures } from './decoder-failures.ts';
