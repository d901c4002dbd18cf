// docker-compose.yml cannot run here (no Docker engine); this keeps it consistent with the code instead.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import YAML from 'yaml';
import { CONFIG_KEYS, META_ENV } from '../../../../src/shared/config/keys.ts';
import { loadConfig } from '../../../../src/shared/config/load.ts';
import { ELASTICSEARCH_VERSION, KAFKA_VERSION } from '../../../../src/dev/stack/artifacts.ts';

interface Service { image?: string; environment?: Record<string, string> | string[]; command?: string[]; ports?: string[] }
// merge: true resolves the `<<: *wg-siem-env` merge key as Compose does.
const compose = YAML.parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };

function envOf(s: Service): Record<string, string> {
  const e = s.environment ?? {};
  if (!Array.isArray(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(e.map((kv) => { const i = kv.indexOf('='); return [kv.slice(0, i), kv.slice(i + 1)]; }));
}

test('every variable the wg-siem service sets is a configuration key, and together they validate', () => {
  const env = envOf(compose.services['wg-siem'] ?? {});
  const known = new Set([...Object.values(CONFIG_KEYS).map((d) => d.env), ...Object.keys(META_ENV), 'NODE_OPTIONS']);
  assert.ok(Object.keys(env).length > 0);
  for (const k of Object.keys(env)) assert.ok(known.has(k), `${k} is not a configuration variable`);
  assert.deepEqual(envOf(compose.services['wg-siem-setup'] ?? {}), Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'NODE_OPTIONS')), 'setup and run share one environment');
  // Setup imports the dashboards into the compose Kibana, which kibana.url names.
  assert.deepEqual(compose.services['wg-siem-setup']?.command, ['setup', '--kibana']);
  assert.deepEqual(compose.services['wg-siem']?.command, ['run']);
  const c = loadConfig(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('WG_SIEM_'))));
  assert.deepEqual(c['kafka.brokers'], ['kafka:9092']);
  assert.deepEqual(c['elasticsearch.nodes'], ['http://elasticsearch:9200']);
  assert.equal(c['kibana.url'], 'http://kibana:5601');
  assert.ok(compose.services.kibana?.ports?.includes('5601:5601'));
});

test('the services run the same versions as the local stack', () => {
  assert.equal(compose.services.kafka?.image, `apache/kafka:${KAFKA_VERSION}`);
  assert.equal(compose.services.elasticsearch?.image, `docker.elastic.co/elasticsearch/elasticsearch:${ELASTICSEARCH_VERSION}`);
  assert.equal(compose.services.kibana?.image, `docker.elastic.co/kibana/kibana:${ELASTICSEARCH_VERSION}`);
});

test('the wg-siem service points at the compose Kafka listener and Elasticsearch port', () => {
  const kafkaEnv = envOf(compose.services.kafka ?? {});
  assert.match(kafkaEnv.KAFKA_ADVERTISED_LISTENERS ?? '', /PLAINTEXT:\/\/kafka:9092/);
  const cmd = compose.services['wg-siem']?.command ?? [];
  assert.ok(cmd.length > 0);
});
