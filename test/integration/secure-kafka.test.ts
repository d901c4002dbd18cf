// wg-siem against a secured Kafka: its own broker (src/stack/kafka-security.ts) with a SASL_SSL listener, TLS from a
// CA made for the run, SCRAM users stored at format time, the StandardAuthorizer and ACLs that give wg-siem's user
// only its topics and groups. The pipeline runs end to end over it as that user; a wrong password, a CA that did
// not sign the broker's certificate and a missing group ACL each end `wg-siem run` with exit 1 and what to fix,
// within seconds, and no password appears in any output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createKafka, kafkaTarget, type KafkaTarget } from '../../src/kafka/client.ts';
import { loadConfig } from '../../src/config/load.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { ensureKafka } from '../../src/stack/download.ts';
import { startKafka, type KafkaRuntime } from '../../src/stack/kafka.ts';
import { adminTarget, ensureKafkaSecrets, provisionWgSiem, WG_SIEM_USER, type KafkaSecrets } from '../../src/stack/kafka-security.ts';
import { stackPaths } from '../../src/stack/paths.ts';
import { pickPort } from '../../src/stack/ports.ts';
import { stopProcess } from '../../src/stack/proc.ts';
import { ensureTls, type LocalTls } from '../../src/stack/tls.ts';
import { countDocs, pipelineFixture, quietLogger, waitFor, type PipelineFixture } from '../helpers/pipeline.ts';
import { testStack } from '../helpers/stack.ts';

const dir = mkdtempSync(join(tmpdir(), 'wg-siem-secure-kafka-'));
let kafka: KafkaRuntime | undefined;
let tls: LocalTls;
let secrets: KafkaSecrets;
let admin: KafkaTarget;
let f: PipelineFixture;

const LINES = Array.from({ length: 200 }, (_, i) => `2026-12-06T05:00:${String(i % 60).padStart(2, '0')}+00:00 gw-secure kernel: wireguard: wg0: Invalid handshake initiation from 203.0.113.${i % 50 + 1}:51820`);

before(async () => {
  tls = await ensureTls(join(dir, 'tls'));
  secrets = await ensureKafkaSecrets(join(dir, 'secrets'));
  const install = await ensureKafka(stackPaths(loadConfig()).cache);
  const taken = new Set<number>();
  const port = async (p: number): Promise<number> => { const x = await pickPort([p], taken); taken.add(x); return x; };
  kafka = await startKafka(dir, install.dir, { broker: await port(19_292), controller: await port(19_293) }, 120_000, { tls, secrets });
  const plain = await testStack();
  f = await pipelineFixture('secure', {
    WG_SIEM_KAFKA_SSL: 'true', WG_SIEM_KAFKA_SSL_CA_FILE: tls.caFile, WG_SIEM_KAFKA_SASL_MECHANISM: 'scram-sha-512',
    WG_SIEM_KAFKA_SASL_USERNAME: WG_SIEM_USER, WG_SIEM_KAFKA_SASL_PASSWORD_FILE: secrets.wgSiemPasswordFile,
  }, { brokers: kafka.brokers, esUrl: plain.esUrl });
  admin = adminTarget(kafka.brokers, secrets, readFileSync(tls.caFile, 'utf8'));
  await provisionWgSiem(admin, f.config);
});

after(async () => {
  if (kafka) await stopProcess(kafka.pid, kafka.marker, 30_000);
  await f?.es.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the pipeline over SASL_SSL as its least-privileged user: every line indexed; SCRAM-SHA-256 and PLAIN work too', { timeout: 120_000 }, async () => {
  // The shipper's side (here the admin) writes the raw topic; wg-siem only reads it.
  const producer = createKafka(admin).producer();
  await producer.connect();
  await producer.send({ topic: f.topic, acks: -1, messages: LINES.map((value, i) => ({ key: `k${i % 7}`, value })) });
  await producer.disconnect();
  const target = kafkaTarget(f.config, null);
  assert.equal(target.sasl?.username, WG_SIEM_USER);
  const pipeline = new Pipeline({ config: f.config, kafka: target, es: f.es, log: quietLogger() });
  await pipeline.start();
  try {
    await waitFor('every line indexed', 60_000, async () => (await countDocs(f.es, `logs-wireguard.log-${f.namespace}`)) === LINES.length);
  } finally {
    await pipeline.stop();
  }
  for (const mechanism of ['scram-sha-256', 'plain'] as const) {
    const a = createKafka({ ...target, sasl: { mechanism, username: WG_SIEM_USER, password: secrets.wgSiemPassword } }).admin();
    await a.connect();
    // Its own topics are all it can see.
    const visible = await a.listTopics();
    await a.disconnect();
    assert.deepEqual(visible.sort(), [f.topic, `${f.topic}.correlate`, `${f.topic}.dlq`].sort(), mechanism);
  }
});

/** `wg-siem run` with the fixture's configuration changed by `env`: its exit code, output and how long it took. */
async function runWith(env: Record<string, string>): Promise<{ code: number | null; out: string; ms: number }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WG_SIEM_') && k !== 'NODE_TEST_CONTEXT'));
  const t0 = Date.now();
  const child = spawn('bin/wg-siem', ['run', '--stage', 'index'], { env: { ...base, ...f.env, WG_SIEM_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  clearTimeout(killer);
  return { code, out, ms: Date.now() - t0 };
}

test('refusals end in exit 1 with what to fix, within seconds, and never print a password', { timeout: 300_000 }, async () => {
  const wrong = join(dir, 'wrong.password');
  writeFileSync(wrong, 'not-the-password-0123', { mode: 0o600 });
  const otherCa = await ensureTls(join(dir, 'other-tls'), 'some other CA');
  const cases: { what: string; env: Record<string, string>; fix: RegExp }[] = [
    { what: 'a wrong password', env: { WG_SIEM_KAFKA_SASL_PASSWORD_FILE: wrong }, fix: /refused the credentials of user "wg-siem" \(scram-sha-512\): check kafka\.sasl\.username and kafka\.sasl\.password/ },
    { what: 'an untrusted certificate', env: { WG_SIEM_KAFKA_SSL_CA_FILE: otherCa.caFile }, fix: /TLS certificate is not trusted: set kafka\.ssl\.caFile/ },
    { what: 'no ACL for the group', env: { WG_SIEM_KAFKA_GROUP_ID: 'a-group-nobody-granted' }, fix: /user "wg-siem" needs READ and DESCRIBE on groups "a-group-nobody-granted"/ },
  ];
  for (const c of cases) {
    const r = await runWith(c.env);
    assert.equal(r.code, 1, `${c.what}: exit 1\n${r.out}`);
    assert.ok(r.ms < 60_000, `${c.what}: ended after ${r.ms} ms`);
    assert.match(r.out, c.fix, `${c.what}:\n${r.out}`);
    for (const secret of [secrets.wgSiemPassword, secrets.adminPassword, 'not-the-password-0123']) assert.ok(!r.out.includes(secret), `${c.what}: a password in the output`);
  }
});
