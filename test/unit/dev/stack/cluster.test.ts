import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../../src/shared/config/load.ts';
import { describeEsCluster } from '../../../../src/sinks/elasticsearch/cluster-report.ts';
import { describeKafkaCluster } from '../../../../src/source/kafka/cluster-report.ts';
import { replicationFor } from '../../../../src/source/kafka/topics.ts';
import { clusterPorts } from '../../../../src/dev/stack/cluster.ts';
import { resolveShape } from '../../../../src/dev/stack/stack.ts';

test('a cluster\'s ports collide with neither the single-node stack nor the secured one', () => {
  const c = loadConfig({});
  const taken = new Set([19092, 19093, 19200, 19300, 19292, 19293, 19400, 19500]);
  const mine = new Set<number>();
  for (let id = 1; id <= 9; id++) for (const p of Object.values(clusterPorts(c, id))) { assert.ok(!taken.has(p) && !mine.has(p), String(p)); mine.add(p); }
  assert.deepEqual(clusterPorts(c, 1), { broker: 19492, controller: 19493, http: 19600, transport: 19700 });
});

test('the shape: the options, else the recorded one, else 1 and 1; a recorded cluster is not reshaped in place', () => {
  assert.deepEqual(resolveShape({ version: 1 }, {}), { kafkaNodes: 1, esNodes: 1 });
  assert.deepEqual(resolveShape({ version: 1 }, { kafkaNodes: 3, esNodes: 2 }), { kafkaNodes: 3, esNodes: 2 });
  const recorded = { version: 1 as const, cluster: { shape: { kafkaNodes: 3, esNodes: 2 }, clusterId: 'x', kafka: [], elasticsearch: [] } };
  assert.deepEqual(resolveShape(recorded, {}), { kafkaNodes: 3, esNodes: 2 });
  assert.throws(() => resolveShape(recorded, { kafkaNodes: 5 }), /stack down --purge/);
  assert.throws(() => resolveShape({ version: 1 }, { kafkaNodes: 0 }), /--kafka-nodes must be a whole number from 1 to 9/);
});

test('replication follows the broker count: 3 copies and min.insync.replicas 2 from three brokers on', () => {
  assert.deepEqual(replicationFor(1), { replicationFactor: 1, minInsyncReplicas: 1 });
  assert.deepEqual(replicationFor(2), { replicationFactor: 2, minInsyncReplicas: 1 });
  assert.deepEqual(replicationFor(3), { replicationFactor: 3, minInsyncReplicas: 2 });
  assert.deepEqual(replicationFor(6), { replicationFactor: 3, minInsyncReplicas: 2 });
});

const brokers = [{ nodeId: 1, host: '127.0.0.1', port: 1 }, { nodeId: 2, host: '127.0.0.1', port: 2 }, { nodeId: 3, host: '127.0.0.1', port: 3 }];

test('doctor flags under-replicated, below-min.insync and offline partitions, and a topic replicated too little', () => {
  const healthy = describeKafkaCluster({ brokers, controller: 2, topics: [{ topic: 't', exists: true, replicationFactor: 3, minInsyncReplicas: 2, partitions: [{ partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] }] }] });
  assert.deepEqual([healthy.problems, healthy.warnings], [[], []]);
  assert.match(healthy.lines.join('\n'), /kafka brokers {2}3: 1@127\.0\.0\.1:1, 2@127\.0\.0\.1:2 \(controller\), 3@.*\n.*t: 1 partition\(s\), replication factor 3, min\.insync\.replicas 2, all replicas in sync/);
  const one = describeKafkaCluster({ brokers: brokers.slice(0, 2), controller: 2, topics: [{ topic: 't', exists: true, replicationFactor: 3, minInsyncReplicas: 2, partitions: [{ partition: 0, leader: 2, replicas: [1, 2, 3], isr: [2, 3] }] }] });
  assert.deepEqual(one.problems, []);
  assert.match(one.lines[1] ?? '', /UNDER-REPLICATED p0 isr \[2,3\] of \[1,2,3\]/);
  assert.match(one.warnings[0] ?? '', /1 under-replicated partition/);
  const two = describeKafkaCluster({ brokers: brokers.slice(0, 1), controller: 1, topics: [{ topic: 't', exists: true, replicationFactor: 3, minInsyncReplicas: 2, partitions: [{ partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1] }, { partition: 1, leader: -1, replicas: [2, 3, 1], isr: [] }] }] });
  assert.match(two.problems[0] ?? '', /partition\(s\) 1 have no leader/);
  const thin = describeKafkaCluster({ brokers, controller: 1, topics: [{ topic: 'old', exists: true, replicationFactor: 1, minInsyncReplicas: 1, partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1] }] }] });
  assert.match(thin.warnings[0] ?? '', /old has replication factor 1 on a cluster of 3 brokers/);
});

test('doctor on Elasticsearch: red is a problem, yellow a warning that says why', () => {
  const base = { nodes: [{ name: 'a', roles: 'dim', master: true }], activeShards: 3, unassignedShards: 2, initializingShards: 0, relocatingShards: 0 };
  assert.match(describeEsCluster({ ...base, status: 'yellow' }).warnings[0] ?? '', /expected on a single node/);
  assert.match(describeEsCluster({ ...base, status: 'red' }).problems[0] ?? '', /health red/);
  assert.deepEqual(describeEsCluster({ ...base, status: 'green', unassignedShards: 0 }).warnings, []);
});
