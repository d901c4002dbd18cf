// Several deployments (staging, production) may share one Kafka cluster and one Elasticsearch cluster. What is
// wg-siem's own there is named after the deployment's namespace, so that they share nothing by accident:
//   kafka.groupId              wg-siem-<ns>              the raw topics' consumer group
//   kafka.correlationGroupId   wg-siem-correlate-<ns>
//   kafka.correlationTopic     wireguard.correlate.<ns>  the intermediate topic
//   kafka.dlqTopic             wireguard.logs.dlq.<ns>
//   state index                wg-siem-state-<ns>        (correlate/alerts/state-store.ts, always per namespace)
// The raw topics (kafka.topics) are not derived: they are the shippers' contract, set by whoever runs them, and two
// deployments may well read the same raw topic, each with its own group. The `default` namespace keeps the names
// wg-siem has always used, so an existing single deployment changes nothing. An explicit setting always wins.
import type { ConfigKey } from './keys.ts';

export type DerivedKey = 'kafka.groupId' | 'kafka.correlationGroupId' | 'kafka.correlationTopic' | 'kafka.dlqTopic';

export const DEFAULT_NAMESPACE = 'default';

export function deploymentNames(namespace: string): Readonly<Record<DerivedKey, string>> {
  if (namespace === DEFAULT_NAMESPACE) {
    return { 'kafka.groupId': 'wg-siem', 'kafka.correlationGroupId': 'wg-siem-correlate', 'kafka.correlationTopic': 'wireguard.correlate', 'kafka.dlqTopic': 'wireguard.logs.dlq' };
  }
  return {
    'kafka.groupId': `wg-siem-${namespace}`,
    'kafka.correlationGroupId': `wg-siem-correlate-${namespace}`,
    'kafka.correlationTopic': `wireguard.correlate.${namespace}`,
    'kafka.dlqTopic': `wireguard.logs.dlq.${namespace}`,
  };
}

export const isDerivedKey = (k: ConfigKey): k is DerivedKey => k === 'kafka.groupId' || k === 'kafka.correlationGroupId' || k === 'kafka.correlationTopic' || k === 'kafka.dlqTopic';

/** Kafka's rule for topic names (and a sane one for group ids). */
export const KAFKA_NAME = /^[A-Za-z0-9._-]{1,249}$/;
