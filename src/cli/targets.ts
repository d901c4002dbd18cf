// Where commands send things: the configured clusters, or the local stack when none is configured.
import type { Client } from '@elastic/elasticsearch';
import type { Config } from '../shared/config/keys.ts';
import { createEsClient } from '../sinks/elasticsearch/client.ts';
import { kafkaTarget } from '../source/kafka/client.ts';
import type { KafkaTarget } from '../source/kafka/client.ts';
import { localStackTargets } from '../dev/stack/stack.ts';

export function resolveKafka(c: Config): KafkaTarget {
  return kafkaTarget(c, c['kafka.brokers'] ? null : localStackTargets(c).brokers);
}

export function resolveEs(c: Config): Client {
  return createEsClient(c, c['elasticsearch.nodes'] ? null : localStackTargets(c).esUrl);
}
