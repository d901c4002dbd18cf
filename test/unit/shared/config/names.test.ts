import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../../src/shared/config/load.ts';
import { deploymentNames } from '../../../../src/shared/config/names.ts';

test('the default namespace keeps the names wg-siem has always used', () => {
  const c = loadConfig({});
  assert.equal(c['kafka.groupId'], 'wg-siem');
  assert.equal(c['kafka.correlationGroupId'], 'wg-siem-correlate');
  assert.equal(c['kafka.correlationTopic'], 'wireguard.correlate');
  assert.equal(c['kafka.dlqTopic'], 'wireguard.logs.dlq');
  assert.deepEqual(c['kafka.topics'], ['wireguard.logs']);
});

test('every group and wg-siem topic derives from another namespace; the raw topics do not', () => {
  const c = loadConfig({ WG_SIEM_NAMESPACE: 'production' });
  assert.equal(c['kafka.groupId'], 'wg-siem-production');
  assert.equal(c['kafka.correlationGroupId'], 'wg-siem-correlate-production');
  assert.equal(c['kafka.correlationTopic'], 'wireguard.correlate.production');
  assert.equal(c['kafka.dlqTopic'], 'wireguard.logs.dlq.production');
  assert.deepEqual(c['kafka.topics'], ['wireguard.logs']);
  const staging = deploymentNames('staging');
  for (const [k, v] of Object.entries(staging)) assert.notEqual(v, (c as Record<string, unknown>)[k], k);
});

test('explicit settings win over derived names, from the environment and from a file alike', () => {
  const c = loadConfig({ WG_SIEM_NAMESPACE: 'production', WG_SIEM_KAFKA_CORRELATION_TOPIC: 'shared.correlate', WG_SIEM_KAFKA_GROUP_ID: 'legacy' });
  assert.equal(c['kafka.correlationTopic'], 'shared.correlate');
  assert.equal(c['kafka.groupId'], 'legacy');
  assert.equal(c['kafka.correlationGroupId'], 'wg-siem-correlate-production');
});

test('a namespace Kafka cannot put in a topic name asks for explicit names', () => {
  assert.throws(() => loadConfig({ WG_SIEM_NAMESPACE: 'prod+eu' }), /"prod\+eu" gives kafka\.correlationTopic "wireguard\.correlate\.prod\+eu", which Kafka does not accept.*set kafka\.correlationTopic \(WG_SIEM_KAFKA_CORRELATION_TOPIC\)/s);
  const c = loadConfig({
    WG_SIEM_NAMESPACE: 'prod+eu', WG_SIEM_KAFKA_CORRELATION_TOPIC: 'c', WG_SIEM_KAFKA_GROUP_ID: 'g', WG_SIEM_KAFKA_CORRELATION_GROUP_ID: 'cg', WG_SIEM_KAFKA_DLQ_TOPIC: 'd',
  });
  assert.equal(c['kafka.correlationTopic'], 'c');
});
