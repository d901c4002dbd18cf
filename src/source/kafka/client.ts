// Every use of kafkajs goes through this folder: kafkajs has had no release since 2023, and keeping it behind
// a few small functions lets a maintained client replace it without touching the pipeline.
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../shared/config/keys.ts';
import { registerCodecs } from './codecs.ts';
import { isRefusedClientCertificate, isUntrustedCertificate } from '../../shared/net/tls-errors.ts';

// kafkajs 2.2.4 arms a timer with a negative delay whenever its request queue is idle; Node 24 clamps it to
// 1 ms (the intended behaviour) but warns each time. Only that one warning is dropped.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]): void => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'TimeoutNegativeWarning' || (warning instanceof Error && warning.name === 'TimeoutNegativeWarning')) return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
});

export interface KafkaTarget {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly rejectUnauthorized: boolean } | false;
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string };
}

/** The Kafka connection the configuration describes; `brokers` comes from the local stack when unset. */
export function kafkaTarget(c: Config, localBrokers: readonly string[] | null): KafkaTarget {
  const brokers = c['kafka.brokers'] ?? localBrokers;
  if (!brokers || brokers.length === 0) {
    throw new Error('no Kafka brokers: set WG_SIEM_KAFKA_BROKERS, or start the local stack with `wg-siem stack up`');
  }
  const read = (p: string | null): string | undefined => (p ? readFileSync(p, 'utf8') : undefined);
  const mech = c['kafka.sasl.mechanism'];
  return {
    brokers,
    clientId: c['kafka.clientId'],
    ssl: c['kafka.ssl.enabled']
      ? { ca: read(c['kafka.ssl.caFile']), cert: read(c['kafka.ssl.certFile']), key: read(c['kafka.ssl.keyFile']), rejectUnauthorized: c['kafka.ssl.rejectUnauthorized'] }
      : false,
    sasl: mech ? { mechanism: mech, username: c['kafka.sasl.username'] ?? '', password: c['kafka.sasl.password'] ?? '' } : undefined,
  };
}

export function createKafka(t: KafkaTarget, extra: Partial<KafkaConfig> = {}): Kafka {
  // kafkajs warns about its v2 partitioner change on every producer; the default partitioner is what we want.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  // Every client gets every codec: a consumer cannot choose how the records it meets were compressed.
  registerCodecs();
  return new Kafka({
    brokers: [...t.brokers],
    clientId: t.clientId,
    ssl: t.ssl ? { ...t.ssl } : false,
    sasl: t.sasl as SASLOptions | undefined,
    logLevel: logLevel.NOTHING,
    ...extra,
  });
}

/** Resolves once the cluster answers a metadata request; throws with the last error after `timeoutMs`. */
export async function waitKafkaReady(target: readonly string[] | KafkaTarget, timeoutMs: number): Promise<void> {
  const t: KafkaTarget = 'brokers' in target ? target : { brokers: target, clientId: 'wg-siem-readiness' };
  const brokers = t.brokers;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const admin = createKafka(t, {
      connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const d = await admin.describeCluster();
      if (d.brokers.length > 0 && d.controller !== null) return;
    } catch (e) {
      last = e;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    // Refused credentials or certificates will not change by waiting.
    if (last instanceof Error && (last.name === 'KafkaJSSASLAuthenticationError' || isUntrustedCertificate(last.message) || isRefusedClientCertificate(last.message))) {
      throw new Error(`Kafka at ${brokers.join(',')} refused the connection: ${last.message}`, { cause: last });
    }
    await sleep(250);
  }
  throw new Error(`Kafka at ${brokers.join(',')} did not answer within ${timeoutMs} ms: ${(last as Error | undefined)?.message ?? 'no reply'}`, { cause: last });
}
