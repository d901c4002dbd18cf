// The foundation's proof: a real broker and a real Elasticsearch node, nothing mocked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { createKafka } from '../../src/source/kafka/client.ts';
import { testStack, uniqueName, within } from '../helpers/stack.ts';
import { createTopicsReady } from '../../src/source/kafka/topics.ts';

const N = 1000;

test('1,000 messages: produced with kafkajs, consumed in a group, bulk-indexed, counted exactly', async () => {
  const stack = await testStack();
  const topic = uniqueName('smoke');
  const index = uniqueName('smoke');
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'wg-siem-test' });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }]);

  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: N }, (_, i) => ({ key: `k${i % 17}`, value: JSON.stringify({ seq: i, message: `wireguard: wg0: Invalid handshake initiation from 203.0.113.${i % 250}:51820` }) }));
  await producer.send({ topic, messages });
  await producer.disconnect();

  const es = new Client({ node: stack.esUrl });
  const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set<number>();
  const done = new Promise<void>((resolve, reject) => {
    consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
        const operations = batch.messages.flatMap((m) => {
          const doc = JSON.parse(m.value?.toString('utf8') ?? '{}') as { seq: number };
          seen.add(doc.seq);
          // Deterministic ids: a redelivered record overwrites nothing and creates nothing twice.
          return [{ create: { _index: index, _id: `${batch.topic}-${batch.partition}-${m.offset}` } }, doc];
        });
        const r = await es.bulk({ operations, refresh: false });
        if (r.errors) reject(new Error(JSON.stringify(r.items.find((i) => i.create?.error))));
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
        if (seen.size === N) resolve();
      },
    }).catch(reject);
  });
  await within(60_000, () => `consumed ${seen.size} of ${N}`, done);
  await consumer.disconnect();
  await es.indices.refresh({ index });
  const { count } = await es.count({ index });
  assert.equal(count, N);
  assert.equal(seen.size, N);

  await es.indices.delete({ index });
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  await es.close();
});
