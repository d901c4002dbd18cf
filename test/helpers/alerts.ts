// Runs both stages of `wg-siem run` in-process against the real stack, and reads back the alerts they wrote.
import type { Client } from '@elastic/elasticsearch';
import { createCorrelation, type Correlation } from '../../src/correlate/alerts/assemble.ts';
import { alertsIndex } from '../../src/sinks/elasticsearch/alert-doc.ts';
import type { CorrelationHooks } from '../../src/correlate/alerts/correlation-ports.ts';
import { createKafka } from '../../src/source/kafka/client.ts';
import { Pipeline } from '../../src/indexing/pipeline.ts';
import type { WgAlertDoc } from '../../src/shared/schema/generated/alert.ts';
import { groupLagOf, pipelineFixture, quietLogger, type PipelineFixture } from './pipeline.ts';
import { createTopicsReady } from '../../src/source/kafka/topics.ts';

export type AlertHit = WgAlertDoc & { _id: string; _version?: number };

/** Settings that make correlation quick to observe in a test: save often, evaluate the clock every second. */
export const FAST_CORRELATION_ENV: Readonly<Record<string, string>> = {
  WG_SIEM_CORRELATE_SNAPSHOT_MS: '300',
  WG_SIEM_CORRELATE_SCHEDULE: '* * * * * *',
  WG_SIEM_KAFKA_SESSION_TIMEOUT_MS: '10000',
};

export function alertFixture(prefix: string, env: Record<string, string> = {}): Promise<PipelineFixture> {
  return pipelineFixture(prefix, { ...FAST_CORRELATION_ENV, ...env });
}

export interface Running {
  readonly pipeline: Pipeline;
  readonly correlation: Correlation;
  stop(): Promise<void>;
}

export async function startBoth(f: PipelineFixture, hooks?: CorrelationHooks): Promise<Running> {
  const log = quietLogger();
  const pipeline = new Pipeline({ config: f.config, kafka: f.kafka, es: f.es, log });
  const correlation = createCorrelation({ config: f.config, kafka: f.kafka, es: f.es, log, ...(hooks ? { hooks } : {}) });
  await Promise.all([pipeline.start(), correlation.stage.start()]);
  return {
    pipeline, correlation,
    stop: async () => {
      await Promise.all([pipeline.stop(), correlation.stage.stop()]);
      await correlation.notifier.drain(5000);
    },
  };
}

/** ISO-timestamped syslog line from a host's kernel, the way rsyslog forwards it. */
export function kernelLine(t: number, host: string, msg: string): string {
  return `${new Date(t).toISOString()} ${host} kernel: wireguard: ${msg}`;
}

/**
 * Produces lines keyed by host, so one host's lines keep their order (as a per-host shipper sends them); a line
 * with headers goes with them (a peer snapshot carries the collector's header).
 */
export async function produceByHost(f: PipelineFixture, lines: readonly { host: string; line: string; headers?: Readonly<Record<string, string>> }[], partitions = 3): Promise<void> {
  const kafka = createKafka(f.kafka);
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(f.topic)) {
    await createTopicsReady(admin, [{ topic: f.topic, numPartitions: partitions, replicationFactor: 1 }]);
  }
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < lines.length; i += 5000) {
    await producer.send({ topic: f.topic, acks: -1, messages: lines.slice(i, i + 5000).map((l) => ({ key: l.host, value: l.line, ...(l.headers ? { headers: { ...l.headers } } : {}) })) });
  }
  await producer.disconnect();
}

export async function alertHits(es: Client, namespace: string): Promise<AlertHit[]> {
  const index = alertsIndex(namespace);
  await es.indices.refresh({ index, ignore_unavailable: true });
  const res = await es.search<WgAlertDoc>({ index, size: 10_000, ignore_unavailable: true, version: true, sort: [{ '@timestamp': 'asc' }] });
  return res.hits.hits.flatMap((h) => (h._source ? [{ ...h._source, _id: h._id ?? '', ...(h._version !== undefined ? { _version: h._version } : {}) }] : []));
}

/** Records of the intermediate topic the correlation group has not committed yet (0: correlation caught up). */
export function correlationLag(f: PipelineFixture): Promise<number> {
  return groupLagOf(f.kafka, f.config['kafka.correlationTopic'], f.config['kafka.correlationGroupId'], true);
}
