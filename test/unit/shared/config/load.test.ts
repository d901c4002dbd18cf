import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CONFIG_KEYS, SECRET_KEYS, keyDef } from '../../../../src/shared/config/keys.ts';
import type { ConfigKey } from '../../../../src/shared/config/keys.ts';
import { ConfigError, loadConfig, redactedConfig } from '../../../../src/shared/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'wg-siem-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function problems(env: NodeJS.ProcessEnv): readonly string[] {
  try { loadConfig(env); } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  assert.fail('expected a ConfigError');
}

test('no configuration at all gives the defaults, Kafka and Elasticsearch unset (the local stack)', () => {
  const c = loadConfig({});
  assert.equal(c['kafka.brokers'], null);
  assert.equal(c['elasticsearch.nodes'], null);
  assert.deepEqual(c['kafka.topics'], ['wireguard.logs']);
  assert.equal(c['namespace'], 'default');
  for (const k of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    // Names derived from the namespace (shared/config/names.ts) have no fixed default.
    if (keyDef(k).derived) continue;
    assert.deepEqual(c[k], keyDef(k).default, k);
  }
});

test('environment values are parsed by kind', () => {
  const c = loadConfig({
    WG_SIEM_KAFKA_BROKERS: 'a:9092, b:9093', WG_SIEM_BATCH_SIZE: '500', WG_SIEM_KAFKA_SSL: 'yes',
    WG_SIEM_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', WG_SIEM_KAFKA_SASL_USERNAME: 'u', WG_SIEM_KAFKA_SASL_PASSWORD: 'p',
    WG_SIEM_TIMEZONE: 'Europe/Berlin',
  });
  assert.deepEqual(c['kafka.brokers'], ['a:9092', 'b:9093']);
  assert.equal(c['pipeline.batchSize'], 500);
  assert.equal(c['kafka.ssl.enabled'], true);
  assert.equal(c['kafka.sasl.mechanism'], 'scram-sha-512');
  assert.equal(c['parse.timezone'], 'Europe/Berlin');
});

test('every bad key is listed at once, each naming the key and its variable', () => {
  const p = problems({
    WG_SIEM_BATCH_SIZE: 'many', WG_SIEM_HTTP_PORT: '70000', WG_SIEM_LOG_LEVEL: 'loud', WG_SIEM_TIMEZONE: 'Mars/Olympus',
    WG_SIEM_ES_NODES: 'ftp://x', WG_SIEM_KAFKA_BROKERS: 'nohostport', WG_SIEM_UNKNOWN: '1', WG_SIEM_KAFKA_SSL: 'maybe',
  });
  const expect = ['WG_SIEM_BATCH_SIZE', 'WG_SIEM_HTTP_PORT', 'WG_SIEM_LOG_LEVEL', 'WG_SIEM_TIMEZONE', 'WG_SIEM_ES_NODES', 'WG_SIEM_KAFKA_BROKERS', 'WG_SIEM_UNKNOWN', 'WG_SIEM_KAFKA_SSL'];
  for (const name of expect) assert.ok(p.some((x) => x.includes(name)), `${name} missing from:\n${p.join('\n')}`);
  assert.equal(p.length, expect.length, p.join('\n'));
});

test('cross-field rules: SASL needs credentials, a client certificate needs its key', () => {
  const p = problems({ WG_SIEM_KAFKA_SASL_MECHANISM: 'plain', WG_SIEM_KAFKA_SSL_CERT_FILE: '/x.pem' });
  assert.equal(p.length, 2, p.join('\n'));
});

test('a YAML file with nested and dotted keys; the environment wins; unknown file keys are errors', () => {
  const f = join(dir, 'c.yaml');
  writeFileSync(f, 'kafka:\n  brokers: [k1:9092]\n  groupId: g1\nelasticsearch.nodes: http://es:9200\nnamespace: prod\n');
  const c = loadConfig({ WG_SIEM_CONFIG: f, WG_SIEM_NAMESPACE: 'staging' });
  assert.deepEqual(c['kafka.brokers'], ['k1:9092']);
  assert.equal(c['kafka.groupId'], 'g1');
  assert.deepEqual(c['elasticsearch.nodes'], ['http://es:9200']);
  assert.equal(c['namespace'], 'staging');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'kafka:\n  brokerz: [x]\npipeline:\n  batchSize: -1\n');
  const p = problems({ WG_SIEM_CONFIG: bad });
  assert.ok(p.some((x) => x.includes('kafka.brokerz')), p.join('\n'));
  assert.ok(p.some((x) => x.includes('pipeline.batchSize')), p.join('\n'));
  assert.ok(problems({ WG_SIEM_CONFIG: join(dir, 'missing.yaml') })[0]?.includes('cannot read'));
});

test('secrets come from *_FILE too and are redacted when shown', () => {
  const f = join(dir, 'pw');
  writeFileSync(f, 's3cr3t-value\n');
  const c = loadConfig({ WG_SIEM_ES_USERNAME: 'wg', WG_SIEM_ES_PASSWORD_FILE: f, WG_SIEM_ES_API_KEY: 'k3y-value' });
  assert.equal(c['elasticsearch.password'], 's3cr3t-value');
  const shown = JSON.stringify(redactedConfig(c));
  assert.ok(!shown.includes('s3cr3t-value') && !shown.includes('k3y-value'), shown);
  assert.ok(SECRET_KEYS.includes('elasticsearch.password') && SECRET_KEYS.includes('kafka.sasl.password'));
});

test('a bad secret value is never echoed in an error', () => {
  const p = problems({ WG_SIEM_KAFKA_SASL_MECHANISM: 'plain', WG_SIEM_KAFKA_SASL_USERNAME: 'u', WG_SIEM_KAFKA_SASL_PASSWORD_FILE: join(dir, 'nope') });
  assert.ok(p.every((x) => !x.includes('s3cr3t')));
  assert.ok(p.some((x) => x.includes('WG_SIEM_KAFKA_SASL_PASSWORD_FILE')));
});
