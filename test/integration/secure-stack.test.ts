// wg-siem against the secured stack (`stack up --secure`, in a folder of its own): Kafka with a SASL_SSL listener,
// SCRAM users and ACLs; Elasticsearch with security on, HTTPS, and wg-siem's users holding exactly the roles of
// src/sinks/elasticsearch/roles.ts. Setup runs as the setup user, the pipeline and the correlation stage as wg-siem (Kafka
// and Elasticsearch), the lines arrive from the shipper user. Then each refusal (a wrong password on either side, a
// CA that did not sign the server's certificate, a missing ACL, a missing Elasticsearch privilege) ends the command
// with exit 1 and what to fix, within seconds, and no password appears in any output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createCorrelation } from '../../src/correlate/alerts/assemble.ts';
import { alertsIndex } from '../../src/sinks/elasticsearch/alert-doc.ts';
import { loadConfig } from '../../src/shared/config/load.ts';
import type { Config } from '../../src/shared/config/keys.ts';
import { detectCapabilities } from '../../src/sinks/elasticsearch/capabilities.ts';
import { createEsClient } from '../../src/sinks/elasticsearch/client.ts';
import { applySetup, planSetup } from '../../src/sinks/elasticsearch/setup.ts';
import { createKafka, kafkaTarget } from '../../src/source/kafka/client.ts';
import { explainKafkaError } from '../../src/source/kafka/explain-error.ts';
import { Pipeline } from '../../src/indexing/pipeline.ts';
import { SHIPPER_USER, WG_SIEM_USER } from '../../src/dev/stack/kafka-security.ts';
import { secureEnvFile, secureStackConfig, stackDown, stackUp } from '../../src/dev/stack/stack.ts';
import { ensureTls, issueClientCert } from '../../src/dev/stack/tls.ts';
import { quietLogger } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';
import { uniqueName } from '../helpers/stack.ts';
import { childEnv } from '../helpers/env.ts';

const root = mkdtempSync(join(tmpdir(), 'wg-siem-secure-'));
// Elasticsearch runs as its own user, which must reach its folders below this one.
chmodSync(root, 0o755);
const stackConfig = secureStackConfig({ ...loadConfig({}), 'stack.dir': join(root, 'stack'), 'stack.elasticsearchHeapMb': 512 });
const secrets = join(root, 'stack-secure', 'secrets');
const secret = (name: string): string => readFileSync(join(secrets, name), 'utf8').trim();
let env: Record<string, string> = {};
let config: Config;

/** The environment `stack up --secure` wrote, plus this run's own topic, group and namespace names. */
function readEnvFile(): Record<string, string> {
  return Object.fromEntries(readFileSync(secureEnvFile(stackConfig), 'utf8').split('\n').filter((l) => /^WG_SIEM_\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const LINES = Array.from({ length: 30 }, (_, i) => `${new Date(Date.now() - 60_000 + i * 1000).toISOString()} gw-secure kernel: wireguard: wg0: Invalid handshake initiation from 203.0.113.${i < 15 ? 7 : i}:51820`);

before(async () => {
  const topic = uniqueName('secure-in');
  const names = {
    WG_SIEM_KAFKA_TOPICS: topic, WG_SIEM_KAFKA_DLQ_TOPIC: `${topic}.dlq`, WG_SIEM_KAFKA_CORRELATION_TOPIC: `${topic}.correlate`,
    WG_SIEM_KAFKA_GROUP_ID: uniqueName('secure-group'), WG_SIEM_KAFKA_CORRELATION_GROUP_ID: uniqueName('secure-correlate'),
    WG_SIEM_NAMESPACE: uniqueName('secure').replace(/-/g, '_'), WG_SIEM_HTTP_PORT: '0',
  };
  await stackUp(stackConfig, { readyTimeoutMs: 180_000, secure: { names: loadConfig(names) } });
  env = { ...readEnvFile(), ...names };
  config = loadConfig(env);
});

after(async () => {
  await stackDown(stackConfig, { purge: true });
  rmSync(root, { recursive: true, force: true });
});

test('setup as the setup user, the shipper writes, both stages run as wg-siem: events indexed and the alert raised', { timeout: 180_000 }, async () => {
  assert.equal(config['kafka.sasl.username'], WG_SIEM_USER);
  assert.ok(config['elasticsearch.nodes']?.[0]?.startsWith('https://'));
  const setupConfig = loadConfig({ ...env, WG_SIEM_ES_USERNAME: 'wg-siem-setup', WG_SIEM_ES_PASSWORD_FILE: join(secrets, 'es-wg-siem-setup.password') });
  const setupEs = createEsClient(setupConfig, null);
  await applySetup(setupEs, planSetup(await detectCapabilities(setupEs), setupConfig));
  await setupEs.close();

  const kafka = kafkaTarget(config, null);
  const shipper = createKafka({ ...kafka, sasl: { mechanism: 'scram-sha-512', username: SHIPPER_USER, password: secret('kafka-shipper.password') } }).producer();
  await shipper.connect();
  await shipper.send({ topic: config['kafka.topics'][0] ?? '', acks: -1, messages: LINES.map((value) => ({ key: 'gw-secure', value })) });
  await shipper.disconnect();

  const es = createEsClient(config, null);
  const log = quietLogger();
  const pipeline = new Pipeline({ config, kafka, es, log });
  const correlation = createCorrelation({ config, kafka, es, log });
  await Promise.all([pipeline.start(), correlation.stage.start()]);
  // Read back as the superuser: wg-siem's own role may read events, not count everything.
  const admin = createEsClient(loadConfig({ ...env, WG_SIEM_ES_USERNAME: 'elastic', WG_SIEM_ES_PASSWORD_FILE: join(secrets, 'es-elastic.password') }), null);
  try {
    await waitFor('events indexed', 60_000, async () => {
      await admin.indices.refresh({ index: `logs-wireguard.log-${config.namespace}`, ignore_unavailable: true });
      return (await admin.count({ index: `logs-wireguard.log-${config.namespace}`, ignore_unavailable: true })).count === LINES.length;
    });
    await waitFor('the burst alert', 60_000, async () => {
      await admin.indices.refresh({ index: alertsIndex(config.namespace), ignore_unavailable: true });
      const r = await admin.search({ index: alertsIndex(config.namespace), ignore_unavailable: true, query: { term: { 'rule.id': 'invalid-initiation-burst' } } });
      return r.hits.hits.length > 0;
    });
  } finally {
    await Promise.all([pipeline.stop(), correlation.stage.stop()]);
    await correlation.notifier.drain(2000);
    await Promise.all([es.close(), admin.close()]);
  }
});

test('mutual TLS: the broker requires a client certificate its CA signed', { timeout: 120_000 }, async () => {
  const stranger = await issueClientCert(await ensureTls(join(root, 'stranger-tls'), 'a stranger CA'), join(root, 'clients'), 'stranger-client');
  const topics = async (change: Record<string, string>): Promise<string[]> => {
    const c = loadConfig({ ...env, ...change });
    const a = createKafka(kafkaTarget(c, null), { retry: { retries: 0 }, connectionTimeout: 5000 }).admin();
    try {
      await a.connect();
      return await a.listTopics();
    } finally {
      await a.disconnect();
    }
  };
  assert.ok((await topics({})).includes(config['kafka.topics'][0] ?? ''), 'with the stack\'s client certificate');
  const hint = (e: unknown): boolean => {
    assert.match(explainKafkaError(e, config) ?? String(e), /requires a client certificate its CA signed \(mutual TLS\): set kafka\.ssl\.certFile/);
    return true;
  };
  await assert.rejects(topics({ WG_SIEM_KAFKA_SSL_CERT_FILE: stranger.certFile, WG_SIEM_KAFKA_SSL_KEY_FILE: stranger.keyFile }), hint, 'a certificate from another CA');
  const { WG_SIEM_KAFKA_SSL_CERT_FILE: _c, WG_SIEM_KAFKA_SSL_KEY_FILE: _k, ...noCert } = env;
  void _c; void _k;
  const c = loadConfig(noCert);
  const a = createKafka(kafkaTarget(c, null), { retry: { retries: 0 }, connectionTimeout: 5000 }).admin();
  await assert.rejects(a.connect().then(() => a.listTopics()), hint, 'no certificate at all');
  await a.disconnect();
});

/** A wg-siem command with the secured stack's settings changed by `change`: exit code, output, duration. */
async function cli(args: readonly string[], change: Record<string, string>): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = Date.now();
  const child = spawn('bin/wg-siem', [...args], { env: childEnv(env, { WG_SIEM_LOG_LEVEL: 'warn' }, change), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  clearTimeout(killer);
  return { code, out, ms: Date.now() - t0 };
}

test('refusals end in exit 1 with what to fix, within seconds, and never print a password', { timeout: 600_000 }, async () => {
  const wrong = join(root, 'wrong.password');
  writeFileSync(wrong, 'not-the-password-0123', { mode: 0o600 });
  const otherCa = await ensureTls(join(root, 'other-tls'), 'some other CA');
  const RUN = ['run'];
  const cases: { what: string; args: readonly string[]; env: Record<string, string>; fix: RegExp }[] = [
    { what: 'a wrong Kafka password', args: RUN, env: { WG_SIEM_KAFKA_SASL_PASSWORD_FILE: wrong }, fix: /refused the credentials of user "wg-siem" \(scram-sha-512\): check kafka\.sasl\.username and kafka\.sasl\.password/ },
    { what: 'an untrusted Kafka certificate', args: RUN, env: { WG_SIEM_KAFKA_SSL_CA_FILE: otherCa.caFile }, fix: /Kafka broker's TLS certificate is not trusted: set kafka\.ssl\.caFile/ },
    { what: 'no Kafka ACL for the group', args: RUN, env: { WG_SIEM_KAFKA_GROUP_ID: 'a-group-nobody-granted' }, fix: /user "wg-siem" needs READ and DESCRIBE on groups "a-group-nobody-granted"/ },
    { what: 'a wrong Elasticsearch password', args: RUN, env: { WG_SIEM_ES_PASSWORD_FILE: wrong }, fix: /Elasticsearch refused user "wg-siem": check elasticsearch\.username and elasticsearch\.password/ },
    { what: 'an untrusted Elasticsearch certificate', args: RUN, env: { WG_SIEM_ES_CA_FILE: otherCa.caFile }, fix: /Elasticsearch certificate is not trusted: set elasticsearch\.caFile/ },
    { what: 'a missing Elasticsearch privilege (setup as wg-siem)', args: ['setup'], env: {}, fix: /user "wg-siem" lacks the Elasticsearch privilege named above: .*wg-siem-setup role/ },
  ];
  const passwords = ['kafka-admin.password', 'kafka-wg-siem.password', 'kafka-shipper.password', 'es-elastic.password', 'es-wg-siem.password', 'es-wg-siem-setup.password'].map(secret);
  for (const c of cases) {
    const r = await cli(c.args, c.env);
    assert.equal(r.code, 1, `${c.what}: exit 1\n${r.out}`);
    assert.ok(r.ms < 60_000, `${c.what}: ended after ${r.ms} ms`);
    assert.match(r.out, c.fix, `${c.what}:\n${r.out}`);
    for (const p of [...passwords, 'not-the-password-0123']) assert.ok(!r.out.includes(p), `${c.what}: a password in the output`);
  }
});
