// Several deployments may share a Kafka and an Elasticsearch cluster (shared/config/names.ts). If two of them are set to
// the same intermediate topic, each correlates (and waits behind) the other's events: `run` refuses to start when
// the newest record of any partition of its intermediate topic, or a state document of its state index, belongs to
// another namespace, and says which setting to change.
import type { Client } from '@elastic/elasticsearch';
import type { Config } from '../../shared/config/keys.ts';
import type { KafkaTarget } from '../../source/kafka/client.ts';
import { newestRecords } from '../../source/kafka/newest-records.ts';
import { stateIndex } from './state-store.ts';

/** Header of every intermediate record: the namespace of the deployment that wrote it. */
export const NAMESPACE_HEADER = 'wg-siem.namespace';

export interface OwnershipSample {
  readonly topic: string;
  /** Newest record per partition of the intermediate topic: its namespace header (null: a record from before the header). */
  readonly records: readonly { readonly partition: number; readonly offset: string; readonly namespace: string | null }[];
  readonly stateIndex: string;
  /** State documents: their id (group:topic:partition) and namespace field (null: saved before the field). */
  readonly states: readonly { readonly id: string; readonly namespace: string | null }[];
}

export interface OwnershipVerdict {
  /** Reasons to refuse to start, each ending in what to fix. */
  readonly problems: readonly string[];
  /** Worth a log line, not a refusal. */
  readonly notes: readonly string[];
}

type Names = Pick<Config, 'namespace' | 'kafka.correlationTopic' | 'kafka.correlationGroupId'>;

/** The pure part: what a sample says about whether this deployment may use its topic and state index. */
export function judgeOwnership(c: Names, s: OwnershipSample): OwnershipVerdict {
  const ns = c['namespace'];
  const problems: string[] = [];
  const notes: string[] = [];
  const foreign = s.records.filter((r) => r.namespace !== null && r.namespace !== ns);
  if (foreign.length) {
    const others = [...new Set(foreign.map((r) => r.namespace))].join(', ');
    problems.push(`the intermediate topic ${s.topic} carries records of another deployment (namespace ${others}; partition(s) ${foreign.map((r) => `${r.partition}@${r.offset}`).join(', ')}), `
      + `while this deployment's namespace is ${ns}: both would correlate, and wait behind, each other's events.\n`
      + `  what to fix: give this deployment a topic of its own: unset kafka.correlationTopic (WG_SIEM_KAFKA_CORRELATION_TOPIC) so it is derived from the namespace, `
      + `or set it to a topic no other deployment uses; likewise kafka.correlationGroupId (WG_SIEM_KAFKA_CORRELATION_GROUP_ID)`);
  }
  const foreignStates = s.states.filter((d) => d.namespace !== null && d.namespace !== ns);
  if (foreignStates.length) {
    problems.push(`the state index ${s.stateIndex} holds correlation state of another deployment (namespace ${[...new Set(foreignStates.map((d) => d.namespace))].join(', ')}: ${foreignStates.slice(0, 3).map((d) => d.id).join(', ')}).\n`
      + `  what to fix: check the namespace setting (WG_SIEM_NAMESPACE) of both deployments; each needs its own`);
  }
  const prefix = `${c['kafka.correlationGroupId']}:${c['kafka.correlationTopic']}:`;
  const stale = s.states.filter((d) => !d.id.startsWith(prefix)).map((d) => d.id.slice(0, d.id.lastIndexOf(':')));
  if (stale.length) {
    notes.push(`the state index ${s.stateIndex} also holds correlation state of ${[...new Set(stale)].join(', ')} (group:topic), not of this configuration's ${prefix.slice(0, -1)}: `
      + 'left from before a rename (kafka.correlationTopic and kafka.correlationGroupId are derived from the namespace unless set); set them to the old names to resume that state');
  }
  return { problems, notes };
}

/** Reads the sample: the newest record of each intermediate partition and up to 200 state documents. */
export async function sampleOwnership(c: Config, kafka: KafkaTarget, es: Client): Promise<OwnershipSample> {
  const topic = c['kafka.correlationTopic'];
  const index = stateIndex(c['namespace']);
  const [records, states] = await Promise.all([
    newestRecords(kafka, topic),
    es.search<{ namespace?: string }>({ index, size: 200, _source: ['namespace'], query: { match_all: {} } }, { ignore: [404] })
      .then((r) => (r.hits?.hits ?? []).map((h) => ({ id: h._id ?? '', namespace: h._source?.namespace ?? null }))),
  ]);
  return { topic, stateIndex: index, records: records.map((r) => ({ partition: r.partition, offset: r.offset, namespace: r.headers[NAMESPACE_HEADER] ?? null })), states };
}
