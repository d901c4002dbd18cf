// The secured local Kafka: a SASL_SSL listener (TLS with the local CA; SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN),
// SCRAM users written into the metadata when the storage is formatted, the StandardAuthorizer with nothing allowed
// by default, and ACLs that give wg-siem's user exactly what `wg-siem run` does: read its input topics and its
// consumer groups, write its dead-letter topic, read and write its intermediate topic. The topics are created by
// the admin, so wg-siem needs no right to create any.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../shared/config/keys.ts';
import { grantAcls, type AclGrant } from '../../source/kafka/acls.ts';
import { createKafka, type KafkaTarget } from '../../source/kafka/client.ts';
import { createTopicsReady } from '../../source/kafka/topics.ts';
import type { LocalTls } from './tls.ts';

export const ADMIN_USER = 'admin';
export const WG_SIEM_USER = 'wg-siem';
/** The log shippers' user: may only write the raw topics. */
export const SHIPPER_USER = 'shipper';

export interface KafkaSecrets {
  readonly dir: string;
  readonly adminPassword: string;
  readonly wgSiemPassword: string;
  /** File holding wg-siem's password (WG_SIEM_KAFKA_SASL_PASSWORD_FILE). */
  readonly wgSiemPasswordFile: string;
  readonly shipperPassword: string;
  readonly shipperPasswordFile: string;
}

/** The 0700 folder of the stack's secrets (each a 0600 file). */
export async function ensureSecretsDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

/** Random passwords, made once and kept in 0600 files of a 0700 folder; never printed. */
export async function ensureKafkaSecrets(dir: string): Promise<KafkaSecrets> {
  await ensureSecretsDir(dir);
  const secret = async (name: string): Promise<string> => {
    const f = join(dir, name);
    if (!existsSync(f)) await writeFile(f, randomBytes(24).toString('base64url'), { mode: 0o600 });
    return (await readFile(f, 'utf8')).trim();
  };
  return {
    dir, adminPassword: await secret('kafka-admin.password'),
    wgSiemPassword: await secret('kafka-wg-siem.password'), wgSiemPasswordFile: join(dir, 'kafka-wg-siem.password'),
    shipperPassword: await secret('kafka-shipper.password'), shipperPasswordFile: join(dir, 'kafka-shipper.password'),
  };
}

const jaas = (module: 'plain' | 'scram', fields: Readonly<Record<string, string>>): string =>
  `org.apache.kafka.common.security.${module}.${module === 'plain' ? 'PlainLoginModule' : 'ScramLoginModule'} required ${Object.entries(fields).map(([k, v]) => `${k}="${v}"`).join(' ')};`;

/** Listener lines of server.properties for the secured broker (everything else is as for the plain one). */
export function secureListenerProperties(p: { broker: number; controller: number }, tls: LocalTls, s: KafkaSecrets): string[] {
  const admin = { username: ADMIN_USER, password: s.adminPassword };
  return [
    `listeners=CLIENTS://127.0.0.1:${p.broker},CONTROLLER://127.0.0.1:${p.controller}`,
    `advertised.listeners=CLIENTS://127.0.0.1:${p.broker}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=CLIENTS',
    'listener.security.protocol.map=CLIENTS:SASL_SSL,CONTROLLER:SASL_SSL',
    // SCRAM credentials live in the metadata the controller serves, so the controller listener itself uses PLAIN.
    'sasl.mechanism.controller.protocol=PLAIN',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=${jaas('plain', { ...admin, [`user_${ADMIN_USER}`]: s.adminPassword })}`,
    'listener.name.clients.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
    `listener.name.clients.scram-sha-512.sasl.jaas.config=${jaas('scram', admin)}`,
    `listener.name.clients.scram-sha-256.sasl.jaas.config=${jaas('scram', {})}`,
    `listener.name.clients.plain.sasl.jaas.config=${jaas('plain', { [`user_${ADMIN_USER}`]: s.adminPassword, [`user_${WG_SIEM_USER}`]: s.wgSiemPassword })}`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${tls.keystoreFile}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${tls.caFile}`,
    'ssl.endpoint.identification.algorithm=https',
    // Mutual TLS: every client shows a certificate the CA signed; who it is stays SASL's to say. On SASL_SSL
    // listeners only the listener-prefixed setting counts (KIP-684).
    'listener.name.clients.ssl.client.auth=required',
    'listener.name.controller.ssl.client.auth=required',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${ADMIN_USER}`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

/** `StorageTool format` arguments that store the SCRAM users (both mechanisms for wg-siem, SHA-512 for the others). */
export function scramFormatArgs(s: KafkaSecrets): string[] {
  return [
    '--add-scram', `SCRAM-SHA-512=[name=${ADMIN_USER},password=${s.adminPassword}]`,
    '--add-scram', `SCRAM-SHA-512=[name=${WG_SIEM_USER},password=${s.wgSiemPassword}]`,
    '--add-scram', `SCRAM-SHA-256=[name=${WG_SIEM_USER},password=${s.wgSiemPassword}]`,
    '--add-scram', `SCRAM-SHA-512=[name=${SHIPPER_USER},password=${s.shipperPassword}]`,
  ];
}

/** The stack's admin identity (super user): creates topics and ACLs, and checks readiness. */
export function adminTarget(brokers: readonly string[], s: KafkaSecrets, tls: LocalTls): KafkaTarget {
  return {
    brokers, clientId: 'wg-siem-stack-admin',
    ssl: { ca: readFileSync(tls.caFile, 'utf8'), cert: readFileSync(tls.clientCertFile, 'utf8'), key: readFileSync(tls.clientKeyFile, 'utf8'), rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: ADMIN_USER, password: s.adminPassword },
  };
}

export type TopicNames = Pick<Config, 'kafka.topics' | 'kafka.dlqTopic' | 'kafka.correlationTopic' | 'kafka.groupId' | 'kafka.correlationGroupId' | 'kafka.correlationPartitions'>;

/** What wg-siem's user may do, as data: (resource type, name, operations). */
export function wgSiemAcls(n: TopicNames): AclGrant[] {
  return [
    ...n['kafka.topics'].map((t): AclGrant => ({ type: 'topic', name: t, operations: ['READ', 'DESCRIBE'] })),
    { type: 'topic', name: n['kafka.dlqTopic'], operations: ['WRITE', 'DESCRIBE'] },
    { type: 'topic', name: n['kafka.correlationTopic'], operations: ['READ', 'WRITE', 'DESCRIBE'] },
    { type: 'group', name: n['kafka.groupId'], operations: ['READ', 'DESCRIBE'] },
    { type: 'group', name: n['kafka.correlationGroupId'], operations: ['READ', 'DESCRIBE'] },
  ];
}

/** Creates wg-siem's topics (as the admin) and grants its user exactly the ACLs above (literal names). */
export async function provisionWgSiem(admin: KafkaTarget, n: TopicNames): Promise<void> {
  const a = createKafka(admin).admin();
  await a.connect();
  try {
    const existing = new Set(await a.listTopics());
    const topics = [...n['kafka.topics'].map((t) => ({ topic: t, numPartitions: 3 })), { topic: n['kafka.dlqTopic'], numPartitions: 1 }, { topic: n['kafka.correlationTopic'], numPartitions: n['kafka.correlationPartitions'] }];
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await createTopicsReady(a, missing.map((t) => ({ ...t, replicationFactor: 1 })));
  } finally {
    await a.disconnect();
  }
  await grantAcls(admin, `User:${WG_SIEM_USER}`, wgSiemAcls(n));
  await grantAcls(admin, `User:${SHIPPER_USER}`, n['kafka.topics'].map((t): AclGrant => ({ type: 'topic', name: t, operations: ['WRITE', 'DESCRIBE'] })));
}
