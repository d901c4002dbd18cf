// The local stack as a cluster (`stack up --kafka-nodes 3 --es-nodes 2`): several Kafka brokers and Elasticsearch
// nodes on 127.0.0.1, from the same cached distributions as the single-node stack, each in a folder of its own
// below the stack's state folder (kafka-<id>, elasticsearch-<id>) and on ports of its own.
//
// Kafka: every node is a combined broker+controller and a voter of a static quorum (kafka.ts, KafkaNode). Three
// JVMs rather than three brokers plus a dedicated controller: one JVM less on a small machine, and with three voters
// any one node may die and the quorum (2 of 3) still elects a leader.
// Elasticsearch: node 1 is the one master-eligible node, the others hold data (elasticsearch.ts, EsNode).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '../../source/kafka/client.ts';
import { startElasticsearch, type EsRuntime } from './elasticsearch.ts';
import { startKafka, type KafkaRuntime } from './kafka.ts';
import { pickPort } from './ports.ts';
import { isOurs, stopProcess } from './proc.ts';
import { pollUntil } from '../../shared/util/poll.ts';

export interface ClusterShape { readonly kafkaNodes: number; readonly esNodes: number }

export type KafkaNodeState = KafkaRuntime & { readonly id: number; readonly startedAt: string };
export type EsNodeState = EsRuntime & { readonly id: number; readonly startedAt: string };

/** What the stack's state records of a cluster: its shape and every node, running or not. */
export interface ClusterState {
  readonly shape: ClusterShape;
  /** The KRaft cluster id all brokers' storage is formatted with. */
  readonly clusterId: string;
  readonly kafka: readonly KafkaNodeState[];
  readonly elasticsearch: readonly EsNodeState[];
}

export const MAX_NODES = 9;
/**
 * A cluster's ports start 400 above the single-node stack's preferred ones (the secured stack takes +200), 10 apart
 * per node: with the defaults, brokers on 19492, 19502, 19512 (controllers one above each), Elasticsearch HTTP on
 * 19600, 19610 and transport on 19700, 19710.
 */
export const CLUSTER_PORT_OFFSET = 400;
const NODE_STEP = 10;

export interface ClusterPortsConfig {
  readonly 'stack.kafkaPort': number;
  readonly 'stack.kafkaControllerPort': number;
  readonly 'stack.elasticsearchPort': number;
  readonly 'stack.elasticsearchTransportPort': number;
}

/** The preferred ports of node `id` (1-based). */
export function clusterPorts(c: ClusterPortsConfig, id: number): { broker: number; controller: number; http: number; transport: number } {
  const d = CLUSTER_PORT_OFFSET + NODE_STEP * (id - 1);
  return { broker: c['stack.kafkaPort'] + d, controller: c['stack.kafkaControllerPort'] + d, http: c['stack.elasticsearchPort'] + d, transport: c['stack.elasticsearchTransportPort'] + d };
}

export const kafkaNodeAlive = (n: KafkaRuntime): boolean => isOurs(n.pid, n.marker);
export const esNodeAlive = (n: EsRuntime): boolean => isOurs(n.pid, n.marker);

/** The cluster id a node's storage was formatted with, if it was. */
function formattedClusterId(stateDir: string, id: number): string | undefined {
  try {
    return /^cluster\.id=(.+)$/m.exec(readFileSync(join(stateDir, `kafka-${id}`, 'data', 'meta.properties'), 'utf8'))?.[1]?.trim();
  } catch { return undefined; }
}

export interface ClusterStartOptions {
  readonly stateDir: string;
  readonly kafkaInstall: string;
  readonly esInstall: string;
  readonly config: ClusterPortsConfig & { readonly 'stack.elasticsearchHeapMb': number; readonly 'stack.elasticsearchUser': string };
  readonly shape: ClusterShape;
  readonly previous: ClusterState | undefined;
  readonly readyTimeoutMs: number;
}

export interface ClusterStartResult {
  readonly state: ClusterState;
  /** Nodes this call started (the others ran already). */
  readonly started: { readonly kafka: number[]; readonly elasticsearch: number[] };
  readonly seconds: { readonly kafka: number | null; readonly elasticsearch: number | null };
}

const since = (t: number): number => Math.round((performance.now() - t) / 10) / 100;

/**
 * Starts every node of the shape that is not running (all of them the first time; a node killed since, on the ports
 * it had), then waits until every broker is in the cluster's metadata and every Elasticsearch node has joined. On a
 * failure, stops what this call started and throws naming the node and its log.
 */
export async function startCluster(o: ClusterStartOptions): Promise<ClusterStartResult> {
  const prev = o.previous;
  const now = new Date().toISOString();
  const clusterId = prev?.clusterId ?? formattedClusterId(o.stateDir, 1) ?? randomBytes(16).toString('base64url');
  const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
  const prevKafka = new Map((prev?.kafka ?? []).map((n) => [n.id, n]));
  const prevEs = new Map((prev?.elasticsearch ?? []).map((n) => [n.id, n]));

  // Every port is chosen before anything starts: the quorum's voters and the seed hosts name all of them.
  const taken = new Set<number>();
  const choose = async (preferred: number, previous: number | undefined): Promise<number> => {
    const port = await pickPort([previous, preferred], taken);
    taken.add(port);
    return port;
  };
  const kafkaPorts = new Map<number, { broker: number; controller: number }>();
  for (const id of ids(o.shape.kafkaNodes)) {
    const was = prevKafka.get(id);
    if (was && kafkaNodeAlive(was)) { taken.add(was.ports.broker); taken.add(was.ports.controller); kafkaPorts.set(id, was.ports); }
  }
  const esPorts = new Map<number, { http: number; transport: number }>();
  for (const id of ids(o.shape.esNodes)) {
    const was = prevEs.get(id);
    if (was && esNodeAlive(was)) { taken.add(was.ports.http); taken.add(was.ports.transport); esPorts.set(id, was.ports); }
  }
  for (const id of ids(o.shape.kafkaNodes)) {
    if (kafkaPorts.has(id)) continue;
    const want = clusterPorts(o.config, id);
    const was = prevKafka.get(id)?.ports;
    kafkaPorts.set(id, { broker: await choose(want.broker, was?.broker), controller: await choose(want.controller, was?.controller) });
  }
  for (const id of ids(o.shape.esNodes)) {
    if (esPorts.has(id)) continue;
    const want = clusterPorts(o.config, id);
    const was = prevEs.get(id)?.ports;
    esPorts.set(id, { http: await choose(want.http, was?.http), transport: await choose(want.transport, was?.transport) });
  }
  const voters = ids(o.shape.kafkaNodes).map((id) => `${id}@127.0.0.1:${kafkaPorts.get(id)?.controller}`).join(',');
  const seeds = ids(o.shape.esNodes).map((id) => `127.0.0.1:${esPorts.get(id)?.transport}`);
  const heap = Math.min(o.config['stack.elasticsearchHeapMb'], 768);

  const tk = performance.now();
  const kafkaJobs = ids(o.shape.kafkaNodes).map(async (id): Promise<KafkaNodeState & { fresh: boolean }> => {
    const was = prevKafka.get(id);
    if (was && kafkaNodeAlive(was)) return { ...was, fresh: false };
    const rt = await startKafka(o.stateDir, o.kafkaInstall, kafkaPorts.get(id) ?? { broker: 0, controller: 0 }, o.readyTimeoutMs, undefined,
      { id, count: o.shape.kafkaNodes, voters, dirName: `kafka-${id}`, clusterId })
      .catch((e: unknown) => { throw new Error(`Kafka node ${id}: ${(e as Error).message}`, { cause: e }); });
    return { ...rt, id, startedAt: now, fresh: true };
  });
  const te = performance.now();
  const esJobs = ids(o.shape.esNodes).map(async (id): Promise<EsNodeState & { fresh: boolean }> => {
    const was = prevEs.get(id);
    if (was && esNodeAlive(was)) return { ...was, fresh: false };
    // Node 1 is the master: the others start once it runs, so that they find it at their first attempt.
    if (id > 1) await sleep(2000);
    const rt = await startElasticsearch(o.stateDir, o.esInstall, esPorts.get(id) ?? { http: 0, transport: 0 }, heap, o.config['stack.elasticsearchUser'], o.readyTimeoutMs, undefined,
      { id, dirName: `elasticsearch-${id}`, seeds })
      .catch((e: unknown) => { throw new Error(`Elasticsearch node ${id}: ${(e as Error).message}`, { cause: e }); });
    return { ...rt, id, startedAt: now, fresh: true };
  });
  let kafkaSeconds: number | null = null;
  let esSeconds: number | null = null;
  const kafkaAll = Promise.allSettled(kafkaJobs).then((r) => { kafkaSeconds = since(tk); return r; });
  const esAll = Promise.allSettled(esJobs).then((r) => { esSeconds = since(te); return r; });
  const [kr, er] = await Promise.all([kafkaAll, esAll]);
  const ok = <T>(r: PromiseSettledResult<T>[]): T[] => r.filter((x): x is PromiseFulfilledResult<T> => x.status === 'fulfilled').map((x) => x.value);
  const kafka = ok(kr);
  const es = ok(er);
  const stopFresh = async (): Promise<void> => {
    await Promise.all([
      ...kafka.filter((n) => n.fresh).map((n) => stopProcess(n.pid, n.marker, 20_000)),
      ...es.filter((n) => n.fresh).map((n) => stopProcess(n.pid, n.marker, 30_000)),
    ]);
  };
  const failures = [...kr, ...er].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as Error).message);
  if (failures.length) {
    await stopFresh();
    throw new Error(failures.join('\n'));
  }
  const strip = <T extends { fresh: boolean }>({ fresh: _fresh, ...rest }: T): Omit<T, 'fresh'> => rest;
  const state: ClusterState = { shape: o.shape, clusterId, kafka: kafka.map(strip), elasticsearch: es.map(strip) };
  try {
    await Promise.all([
      waitBrokers(state.kafka.map((n) => n.brokers[0] ?? ''), o.shape.kafkaNodes, o.readyTimeoutMs),
      waitEsNodes(state.elasticsearch[0]?.url ?? '', o.shape.esNodes, o.readyTimeoutMs),
    ]);
  } catch (e) {
    await stopFresh();
    throw e;
  }
  return {
    state,
    started: { kafka: kafka.filter((n) => n.fresh).map((n) => n.id), elasticsearch: es.filter((n) => n.fresh).map((n) => n.id) },
    seconds: { kafka: kafka.some((n) => n.fresh) ? kafkaSeconds : null, elasticsearch: es.some((n) => n.fresh) ? esSeconds : null },
  };
}

/** Resolves once the cluster's metadata lists `count` brokers. */
export async function waitBrokers(brokers: readonly string[], count: number, timeoutMs: number): Promise<void> {
  const last = await pollUntil(async () => {
    // Generous timeouts: brokers that just restarted on a busy machine answer slowly, and that is not "down".
    const admin = createKafka({ brokers, clientId: 'wg-siem-readiness' }, { connectionTimeout: 3000, requestTimeout: 10_000, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const seen = (await admin.describeCluster()).brokers.length;
      return seen >= count || `metadata lists ${seen}`;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }, timeoutMs, 250);
  if (last !== undefined) throw new Error(`Kafka: not all ${count} brokers joined the cluster within ${timeoutMs} ms (last answer: ${last})`);
}

/** Resolves once `count` Elasticsearch nodes have joined the cluster. */
export async function waitEsNodes(url: string, count: number, timeoutMs: number): Promise<void> {
  const last = await pollUntil(async () => {
    const r = await fetch(`${url}/_cluster/health?wait_for_nodes=${count}&timeout=2s`, { signal: AbortSignal.timeout(4000) });
    const seen = ((await r.json()) as { number_of_nodes?: number }).number_of_nodes ?? 0;
    return seen >= count || `${seen} nodes`;
  }, timeoutMs, 250);
  if (last !== undefined) throw new Error(`Elasticsearch: not all ${count} nodes joined the cluster at ${url} within ${timeoutMs} ms (last answer: ${last})`);
}
