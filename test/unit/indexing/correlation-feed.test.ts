import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Partitioners } from 'kafkajs';
import { loadRules, SHIPPED_RULES_DIR } from '../../../src/correlate/rules/load-rules.ts';
import { keyPartitioner } from '../../../src/source/kafka/partition.ts';
import { FEED_FIELDS, FeedBatch, feedEncoder, feedItems, rulePaths } from '../../../src/indexing/correlation-feed.ts';
import type { IndexAction } from '../../../src/indexing/record.ts';

const doc = (host: string | undefined, i: number): object => ({
  '@timestamp': '2026-01-01T00:00:00.000Z', message: 'long text', ecs: { version: '8' },
  event: { action: 'wireguard-handshake-initiation-invalid', original: 'the line', kind: 'event' },
  ...(host ? { host: { name: host, hostname: host } } : {}),
  observer: { ingress: { interface: { name: 'wg0' } }, vendor: 'x' },
  source: { ip: `10.0.0.${i}`, port: 51820, geo: { country_iso_code: 'DE' } },
  wireguard: { rate_limited: true, peer: { id: 3 }, diagnosis: { id: 'd' } },
});
const action = (host: string | undefined, i: number): IndexAction => ({
  index: 'logs-wireguard.log-x', id: `raw:0:${i}:0`, doc: doc(host, i), action: 'a', source: { topic: 'raw', partition: 0, offset: String(i), line: 0 },
});

test('the partition of a key is the one kafkajs gives a keyed record', () => {
  const ours = keyPartitioner(6);
  const theirs = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: 6 }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  for (const key of ['gw-1', 'gw-2', 'host-ä', '-', 'a'.repeat(300)]) {
    assert.equal(ours(key), theirs({ topic: 't', partitionMetadata, message: { key, value: null } }));
  }
});

test('a feed event carries the id, what the shipped rules read and what the peer directory reads; no long texts', () => {
  const r = loadRules(SHIPPED_RULES_DIR);
  assert.ok(r.ok);
  const paths = rulePaths(r.rules);
  assert.ok(paths.includes('event.action') && paths.includes('source.ip') && paths.includes('wireguard.rate_limited'));
  const json = JSON.parse(feedEncoder(paths)('raw:0:7:0', doc('gw', 7))) as Record<string, unknown>;
  assert.deepEqual(json, {
    _id: 'raw:0:7:0', '@timestamp': '2026-01-01T00:00:00.000Z', event: { action: 'wireguard-handshake-initiation-invalid' },
    host: { name: 'gw' }, observer: { ingress: { interface: { name: 'wg0' } } }, source: { ip: '10.0.0.7', port: 51820 },
    wireguard: { rate_limited: true, peer: { id: 3 } },
  });
  for (const f of FEED_FIELDS) assert.ok(!f.includes('message') && !f.includes('original'));
  // Without rules: the whole event minus its texts.
  const all = JSON.parse(feedEncoder(undefined)('raw:0:7:0', doc('gw', 7))) as { message?: string; event: { original?: string }; wireguard: { diagnosis?: unknown } };
  assert.equal(all.message, undefined);
  assert.equal(all.event.original, undefined);
  assert.equal(all.wireguard.diagnosis, undefined);
});

test('one source batch: one record per partition, each partition in source order, split when large', () => {
  const part = keyPartitioner(3);
  const enc = feedEncoder(['event.action']);
  const hosts = ['gw-a', 'gw-b', 'gw-c', 'gw-d', undefined];
  const b = new FeedBatch(part, enc);
  for (let i = 0; i < 100; i++) b.event(action(hosts[i % hosts.length], i));
  const records = b.records();
  assert.ok(records.length <= 3);
  const seen = new Map<number, number>();
  for (const r of records) {
    const items = feedItems(JSON.parse(String(r.value))) as { _id: string; host?: { name: string } }[];
    for (const it of items) {
      assert.equal(r.partition, part(it.host?.name ?? '-'));
      const off = Number(it._id.split(':')[2]);
      assert.ok(off > (seen.get(r.partition) ?? -1), 'source order within a partition');
      seen.set(r.partition, off);
    }
  }
  assert.equal([...records].reduce((n, r) => n + (JSON.parse(String(r.value)) as unknown[]).length, 0), 100);
  const small = new FeedBatch(() => 0, enc, 1000);
  for (let i = 0; i < 100; i++) small.event(action('gw', i));
  const split = small.records();
  assert.ok(split.length > 1);
  assert.ok(split.every((r) => String(r.value).length <= 1000));
  assert.deepEqual(split.flatMap((r) => (JSON.parse(String(r.value)) as { _id: string }[]).map((e) => e._id)), Array.from({ length: 100 }, (_, i) => `raw:0:${i}:0`));
  assert.deepEqual(feedItems({ _id: 'x' }), [{ _id: 'x' }]);
});
