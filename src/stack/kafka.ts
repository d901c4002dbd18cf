import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitKafkaReady } from '../kafka/client.ts';
import { pickJdk } from './java.ts';
import { run, spawnDetached, stopProcess } from './proc.ts';
import { tailOf } from './logs.ts';
import { adminTarget, scramFormatArgs, secureListenerProperties, type KafkaSecrets } from './kafka-security.ts';
import type { LocalTls } from './tls.ts';

export interface KafkaPorts { readonly broker: number; readonly controller: number }

export interface KafkaRuntime {
  readonly pid: number;
  /** A path only our broker has on its command line (its properties file). */
  readonly marker: string;
  readonly brokers: string[];
  readonly ports: KafkaPorts;
  readonly log: string;
  readonly java: string;
}

/** The secured broker's certificate and users (kafka-security.ts). */
export interface KafkaSecurity {
  readonly tls: LocalTls;
  readonly secrets: KafkaSecrets;
}

function serverProperties(dir: string, p: KafkaPorts, secure?: KafkaSecurity): string {
  // One combined broker+controller with a static quorum; replication factor 1 everywhere a single node needs it.
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${p.controller}`,
    ...(secure ? secureListenerProperties(p, secure.tls, secure.secrets) : [
      `listeners=PLAINTEXT://127.0.0.1:${p.broker},CONTROLLER://127.0.0.1:${p.controller}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${p.broker}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ]),
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=1',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Tests and the demo start consumer groups often; the default 3 s delay only slows them down.
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

const LOG4J2 = `status = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.filePattern = \${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
logger.apache.name = org.apache.kafka
logger.apache.level = info
`;

export async function startKafka(stateDir: string, install: string, ports: KafkaPorts, readyTimeoutMs: number, secure?: KafkaSecurity): Promise<KafkaRuntime> {
  const dir = join(stateDir, 'kafka');
  const logs = join(dir, 'logs');
  await mkdir(join(dir, 'data'), { recursive: true });
  await mkdir(logs, { recursive: true });
  const props = join(dir, 'server.properties');
  // The properties hold the admin's password when secured: readable by this user only.
  await writeFile(props, serverProperties(dir, ports, secure), { mode: 0o600 });
  await writeFile(join(dir, 'log4j2.properties'), LOG4J2);
  const jdk = pickJdk('Kafka', 17, process.env.WG_SIEM_KAFKA_JAVA_HOME);
  const java = join(jdk.home, 'bin', 'java');
  const cp = join(install, 'libs', '*');
  const jvm = [`-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`, `-Dkafka.logs.dir=${logs}`, '-Djava.awt.headless=true'];
  const log = join(logs, 'server.log');
  const stdoutLog = join(logs, 'stdout.log');

  if (!existsSync(join(dir, 'data', 'meta.properties'))) {
    // A KRaft cluster id is 16 random bytes in URL-safe base64 without padding.
    const clusterId = randomBytes(16).toString('base64url');
    const scram = secure ? scramFormatArgs(secure.secrets) : [];
    const fmt = await run(java, [...jvm, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props, ...scram], { timeoutMs: 120_000 });
    if (fmt.code !== 0) {
      // The tool echoes the SCRAM records it writes: only its error output is shown.
      throw new Error(`Kafka: formatting the storage in ${join(dir, 'data')} failed (exit ${fmt.code}): ${(secure ? fmt.stderr : fmt.stderr || fmt.stdout).trim().slice(-1500)}`);
    }
  }

  const pid = await spawnDetached(java, ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', ...jvm, '-cp', cp, 'kafka.Kafka', props], {
    env: { ...process.env, KAFKA_HEAP_OPTS: undefined }, cwd: dir, logFile: stdoutLog,
  });
  const brokers = [`127.0.0.1:${ports.broker}`];
  try {
    await waitKafkaReady(secure ? adminTarget(brokers, secure.secrets, secure.tls) : brokers, readyTimeoutMs);
  } catch (e) {
    // Never leave a broker behind that no state file records.
    await stopProcess(pid, props, 20_000);
    throw new Error(`Kafka did not become ready: ${(e as Error).message}\n  log: ${log}\n${await tailOf([log, stdoutLog], 15)}`, { cause: e });
  }
  return { pid, marker: props, brokers, ports, log, java };
}
