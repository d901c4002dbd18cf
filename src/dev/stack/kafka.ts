import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitKafkaReady } from '../../source/kafka/client.ts';
import { pickJdk } from './java.ts';
import { run } from '../../shared/util/run.ts';
import { spawnDetached, stopProcess } from './proc.ts';
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

/**
 * One node of a cluster (`stack up --kafka-nodes N`). Every node is a combined broker+controller and every node a
 * voter of a static quorum: three JVMs instead of four (a dedicated controller would be a fourth), and losing any
 * one node keeps both a controller majority (2 of 3) and min.insync.replicas (2) for topics of replication factor 3.
 */
export interface KafkaNode {
  readonly id: number;
  /** Brokers in the cluster. */
  readonly count: number;
  /** `controller.quorum.voters`: id@host:port of every node. */
  readonly voters: string;
  /** The node's folder below the stack's state folder (`kafka-<id>`). */
  readonly dirName: string;
  /** The KRaft cluster id every node's storage is formatted with. */
  readonly clusterId: string;
}

function serverProperties(dir: string, p: KafkaPorts, secure?: KafkaSecurity, node?: KafkaNode): string {
  // One combined broker+controller with a static quorum; replication factor 1 everywhere a single node needs it.
  // In a cluster of three or more: internal topics replicated three times and written to at least two.
  const rf = node ? Math.min(3, node.count) : 1;
  const isr = rf >= 3 ? 2 : 1;
  return [
    'process.roles=broker,controller',
    `node.id=${node?.id ?? 1}`,
    `controller.quorum.voters=${node?.voters ?? `1@127.0.0.1:${p.controller}`}`,
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
    `offsets.topic.replication.factor=${rf}`,
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${isr}`,
    `share.coordinator.state.topic.replication.factor=${rf}`,
    `share.coordinator.state.topic.min.isr=${isr}`,
    // Topics created without a replication factor (auto-created ones, say) get the cluster's; min.insync.replicas
    // is set per topic by wg-siem (source/kafka/topics.ts), so a topic someone else creates keeps the broker default.
    `default.replication.factor=${rf}`,
    // A cluster creates __consumer_offsets with three replicas per partition at the first group's join: 50 of them
    // (the default) took the local cluster tens of seconds on two cores; a handful is plenty for a developer machine.
    ...(node ? ['offsets.topic.num.partitions=6'] : []),
    'unclean.leader.election.enable=false',
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

export async function startKafka(stateDir: string, install: string, ports: KafkaPorts, readyTimeoutMs: number, secure?: KafkaSecurity, node?: KafkaNode): Promise<KafkaRuntime> {
  const dir = join(stateDir, node?.dirName ?? 'kafka');
  const logs = join(dir, 'logs');
  await mkdir(join(dir, 'data'), { recursive: true });
  await mkdir(logs, { recursive: true });
  const props = join(dir, 'server.properties');
  // The properties hold the admin's password when secured: readable by this user only.
  await writeFile(props, serverProperties(dir, ports, secure, node), { mode: 0o600 });
  await writeFile(join(dir, 'log4j2.properties'), LOG4J2);
  const jdk = pickJdk('Kafka', 17, process.env.WG_SIEM_KAFKA_JAVA_HOME);
  const java = join(jdk.home, 'bin', 'java');
  const cp = join(install, 'libs', '*');
  const jvm = [`-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`, `-Dkafka.logs.dir=${logs}`, '-Djava.awt.headless=true'];
  const log = join(logs, 'server.log');
  const stdoutLog = join(logs, 'stdout.log');

  if (!existsSync(join(dir, 'data', 'meta.properties'))) {
    // A KRaft cluster id is 16 random bytes in URL-safe base64 without padding.
    const clusterId = node?.clusterId ?? randomBytes(16).toString('base64url');
    const scram = secure ? scramFormatArgs(secure.secrets) : [];
    const fmt = await run(java, [...jvm, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props, ...scram], { timeoutMs: 120_000 });
    if (fmt.code !== 0) {
      // The tool echoes the SCRAM records it writes: only its error output is shown.
      throw new Error(`Kafka: formatting the storage in ${join(dir, 'data')} failed (exit ${fmt.code}): ${(secure ? fmt.stderr : fmt.stderr || fmt.stdout).trim().slice(-1500)}`);
    }
  }

  // A cluster's brokers share a 2-core, few-GB developer machine with two Elasticsearch nodes: a smaller start heap.
  const pid = await spawnDetached(java, [node ? '-Xms128m' : '-Xms256m', '-Xmx512m', '-XX:+UseG1GC', ...jvm, '-cp', cp, 'kafka.Kafka', props], {
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
