// The pure parts of the producer wg-siem relies on: which partition each record goes to, how a partition's records
// are cut into requests, and when a broker's answer counts as an acknowledgement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordMetadata } from 'kafkajs';
import { recordBytes } from '../../../../src/source/kafka/batch.ts';
import { keyPartitioner } from '../../../../src/source/kafka/partition.ts';
import { acknowledges, byPartition, requestSlices, type OutgoingRecord } from '../../../../src/source/kafka/reliable-producer.ts';

const answer = (partition: number, errorCode = 0, baseOffset: string | null = '41'): RecordMetadata =>
  ({ topicName: 't', partition, errorCode, ...(baseOffset === null ? {} : { baseOffset }) });

test('an answer acknowledges only its own topic and partition, with an offset and no error', () => {
  assert.equal(acknowledges([answer(2)], 't', 2), true);
  assert.equal(acknowledges([answer(1)], 't', 2), false, 'another partition answered: the records of 2 were dropped');
  assert.equal(acknowledges([], 't', 2), false, 'a send that resolved with no answer at all');
  assert.equal(acknowledges([answer(2, 6)], 't', 2), false, 'NOT_LEADER_OR_FOLLOWER is not an acknowledgement');
  assert.equal(acknowledges([answer(2, 0, null)], 't', 2), false);
  assert.equal(acknowledges([{ ...answer(2), topicName: 'u' }], 't', 2), false);
});

test('records go to the partition kafkajs gives their key; named partitions win; keyless ones take turns', () => {
  const partitionOf = keyPartitioner(3);
  const hosts = Array.from({ length: 40 }, (_, i) => `gw-${i}`);
  const records: OutgoingRecord[] = [
    ...hosts.map((h, i) => ({ key: i % 2 ? h : Buffer.from(h), value: `line ${i}` })),
    { key: 'gw-0', value: 'pinned', partition: 2 },
    { key: null, value: 'a' }, { key: null, value: 'b' }, { key: null, value: 'c' }, { key: null, value: 'd' },
  ];
  const turn = { next: 1 };
  const groups = byPartition(records, partitionOf, 3, turn);
  assert.deepEqual([...groups.keys()].sort(), [0, 1, 2]);
  for (const [p, list] of groups) {
    for (const r of list) {
      if (r.value === 'pinned') assert.equal(p, 2);
      else if (r.key !== null) assert.equal(p, partitionOf(String(r.key)), `${String(r.key)} lands where a keyed kafkajs record would`);
    }
  }
  const keyless = [...groups].flatMap(([p, list]) => list.filter((r) => r.key === null).map((r) => `${String(r.value)}${p}`)).sort();
  assert.deepEqual(keyless, ['a1', 'b2', 'c0', 'd1'], 'in turn from where the last send stopped');
  assert.equal(turn.next, 5);
  // Every record once, each partition's records in the order given (a host's lines stay in order).
  assert.equal([...groups.values()].reduce((n, l) => n + l.length, 0), records.length);
  for (const list of groups.values()) {
    const order = list.map((r) => records.indexOf(r));
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  }
});

test('a partition\'s records are cut into requests of bounded bytes, in order; a record over the bound goes alone', () => {
  const records: OutgoingRecord[] = [100, 100, 100, 1000, 50, 50].map((n, i) => ({ key: `k${i}`, value: 'x'.repeat(n) }));
  const limit = recordBytes(records[0] as OutgoingRecord) * 2 + 10;
  const slices = requestSlices(records, limit);
  assert.deepEqual(slices.map((s) => s.map((r) => records.indexOf(r))), [[0, 1], [2], [3], [4, 5]]);
  for (const s of slices) if (s.length > 1) assert.ok(s.reduce((n, r) => n + recordBytes(r), 0) <= limit);
  assert.deepEqual(requestSlices([], limit), []);
});
