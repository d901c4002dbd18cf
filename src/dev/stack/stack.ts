import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../shared/config/keys.ts';
import { ELASTICSEARCH_VERSION, KAFKA_VERSION } from './artifacts.ts';
import { ensureElasticsearch, ensureKafka } from './download.ts';
import { esNodeAlive, kafkaNodeAlive, MAX_NODES, startCluster, type ClusterShape, type ClusterState } from './cluster.ts';
import { startElasticsearch, waitEsReady } from './elasticsearch.ts';
import type { EsRuntime } from './elasticsearch.ts';
import { startKafka } from './kafka.ts';
import type { KafkaRuntime } from './kafka.ts';
import { stackPaths } from './paths.ts';
import type { StackPaths } from './paths.ts';
import { pickPort, portOpen } from './ports.ts';
import { run } from '../../shared/util/run.ts';
import { isOurs, stopProcess } from './proc.ts';
import { adminTarget, ensureKafkaSecrets, provisionWgSiem, SHIPPER_USER, WG_SIEM_USER, type TopicNames } from './kafka-security.ts';
import { ensureTls } from './tls.ts';
import { ensureEsPassword, ensureEsUsers, ES_ELASTIC_PASSWORD_FILE, esHealth } from './es-security.ts';

/** What `stack up` leaves behind for `status`, `down` and every command that targets the local stack. */
export interface StackState {
  readonly version: 1;
  readonly kafka?: KafkaRuntime & { readonly kafkaVersion: string; readonly startedAt: string };
  readonly elasticsearch?: EsRuntime & { readonly esVersion: string; readonly startedAt: string };
  /** Set when the stack is a cluster (`up --kafka-nodes N --es-nodes M`, cluster.ts); `kafka` and `elasticsearch` are then unset. */
  readonly cluster?: ClusterState;
}

export interface EngineStatus {
  readonly running: boolean;
  readonly pid: number | null;
  readonly version: string;
  readonly log: string | null;
}

export interface KafkaNodeStatus { readonly id: number; readonly running: boolean; readonly pid: number | null; readonly broker: string; readonly log: string }
export interface EsNodeStatus { readonly id: number; readonly running: boolean; readonly pid: number | null; readonly url: string; readonly master: boolean; readonly log: string }

export interface StackStatus {
  readonly state: string;
  readonly cache: string;
  /** Nodes per engine: 1 and 1 unless the stack was brought up as a cluster. */
  readonly shape: ClusterShape;
  /** `running`: at least one broker answers; `nodes`: every broker, running or not. */
  readonly kafka: EngineStatus & { readonly brokers: string[]; readonly nodes: KafkaNodeStatus[] };
  readonly elasticsearch: EngineStatus & { readonly url: string | null; readonly health: string | null; readonly nodes: EsNodeStatus[] };
}

export interface UpReport {
  readonly status: StackStatus;
  readonly downloaded: string[];
  readonly alreadyRunning: string[];
  readonly seconds: { readonly resolve: number; readonly kafka: number | null; readonly elasticsearch: number | null; readonly total: number };
}

type StackConfig = Pick<Config, 'stack.dir' | 'stack.cacheDir' | 'stack.kafkaPort' | 'stack.kafkaControllerPort'
  | 'stack.elasticsearchPort' | 'stack.elasticsearchTransportPort' | 'stack.elasticsearchHeapMb' | 'stack.elasticsearchUser'>;

const stateFile = (p: StackPaths): string => join(p.state, 'stack.json');

export function readState(p: StackPaths): StackState {
  try {
    const s = JSON.parse(readFileSync(stateFile(p), 'utf8')) as StackState;
    if (s.version === 1) return s;
  } catch { /* no stack yet */ }
  return { version: 1 };
}

async function writeState(p: StackPaths, s: StackState): Promise<void> {
  await mkdir(p.state, { recursive: true });
  const tmp = `${stateFile(p)}.${process.pid}`;
  await writeFile(tmp, JSON.stringify(s, null, 2));
  await rename(tmp, stateFile(p));
}

const kafkaAlive = (s: StackState): boolean => (s.cluster ? s.cluster.kafka.some(kafkaNodeAlive) : !!s.kafka && isOurs(s.kafka.pid, s.kafka.marker));
const esAlive = (s: StackState): boolean => (s.cluster ? s.cluster.elasticsearch.some(esNodeAlive) : !!s.elasticsearch && isOurs(s.elasticsearch.pid, s.elasticsearch.marker));
const shapeOf = (s: StackState): ClusterShape => s.cluster?.shape ?? { kafkaNodes: 1, esNodes: 1 };
/** Every broker the stack has (a client bootstraps from any that answers). */
const allBrokers = (s: StackState): string[] => (s.cluster ? s.cluster.kafka.flatMap((n) => n.brokers) : s.kafka?.brokers ?? []);
/** The URL of the first Elasticsearch node that runs. */
const liveEsUrl = (s: StackState): string | null => (s.cluster ? s.cluster.elasticsearch.find(esNodeAlive)?.url ?? null : s.elasticsearch?.url ?? null);

async function clusterStatus(s: ClusterState): Promise<Pick<StackStatus, 'kafka' | 'elasticsearch'>> {
  const kafka = await Promise.all(s.kafka.map(async (n): Promise<KafkaNodeStatus> => {
    const running = kafkaNodeAlive(n) && (await portOpen(n.ports.broker));
    return { id: n.id, running, pid: running ? n.pid : null, broker: n.brokers[0] ?? '', log: n.log };
  }));
  const es = await Promise.all(s.elasticsearch.map(async (n): Promise<EsNodeStatus> => {
    const running = esNodeAlive(n) && (await portOpen(n.ports.http));
    return { id: n.id, running, pid: running ? n.pid : null, url: n.url, master: n.id === 1, log: n.log };
  }));
  const url = es.find((n) => n.running)?.url ?? null;
  let health: string | null = null;
  if (url) {
    try {
      const r = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(3000) });
      health = r.ok ? ((await r.json()) as { status?: string }).status ?? null : null;
    } catch { health = null; }
  }
  const k1 = kafka.find((n) => n.running);
  return {
    kafka: { running: !!k1, pid: k1?.pid ?? null, version: KAFKA_VERSION, brokers: k1 ? s.kafka.flatMap((n) => n.brokers) : [], log: s.kafka[0]?.log ?? null, nodes: kafka },
    elasticsearch: { running: health !== null, pid: es.find((n) => n.running)?.pid ?? null, version: ELASTICSEARCH_VERSION, url: health ? url : null, health, log: s.elasticsearch[0]?.log ?? null, nodes: es },
  };
}

export async function stackStatus(c: StackConfig): Promise<StackStatus> {
  const p = stackPaths(c);
  const s = readState(p);
  if (s.cluster) return { state: p.state, cache: p.cache, shape: shapeOf(s), ...(await clusterStatus(s.cluster)) };
  const k = kafkaAlive(s) ? s.kafka : undefined;
  const e = esAlive(s) ? s.elasticsearch : undefined;
  let health: string | null = null;
  if (e?.secure) {
    health = await esHealth(e.url, e.secure);
  } else if (e) {
    try {
      const r = await fetch(`${e.url}/_cluster/health`, { signal: AbortSignal.timeout(3000) });
      health = r.ok ? ((await r.json()) as { status?: string }).status ?? null : null;
    } catch { health = null; }
  }
  const kafkaUp = !!k && (await portOpen(k.ports.broker));
  const esUp = !!e && health !== null;
  return {
    state: p.state,
    cache: p.cache,
    shape: shapeOf(s),
    kafka: {
      running: kafkaUp, pid: k?.pid ?? null, version: KAFKA_VERSION, brokers: kafkaUp && k ? k.brokers : [], log: s.kafka?.log ?? null,
      nodes: s.kafka ? [{ id: 1, running: kafkaUp, pid: k?.pid ?? null, broker: s.kafka.brokers[0] ?? '', log: s.kafka.log }] : [],
    },
    elasticsearch: {
      running: esUp, pid: e?.pid ?? null, version: ELASTICSEARCH_VERSION, url: e && health ? e.url : null, health, log: s.elasticsearch?.log ?? null,
      nodes: s.elasticsearch ? [{ id: 1, running: esUp, pid: e?.pid ?? null, url: s.elasticsearch.url, master: true, log: s.elasticsearch.log }] : [],
    },
  };
}

export interface QuorumStatus {
  /** The node that leads the KRaft controller quorum (the active controller). */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly voters: readonly number[];
}

/**
 * The controller quorum of the local cluster, as Kafka's Admin client reports it (QuorumStatus.java, run with the
 * brokers' JVM and class path): kafkajs has no DescribeQuorum, and in KRaft the "controller" of a metadata response
 * is any live broker, not the quorum's leader.
 */
export async function kafkaQuorum(c: StackConfig): Promise<QuorumStatus> {
  const p = stackPaths(c);
  const s = readState(p);
  const live = (s.cluster ? s.cluster.kafka : s.kafka ? [s.kafka] : []).filter((n) => isOurs(n.pid, n.marker));
  const first = live[0];
  if (!first) throw new Error('kafka quorum: no broker of the local stack runs');
  const { dir } = await ensureKafka(p.cache);
  const source = fileURLToPath(new URL('./QuorumStatus.java', import.meta.url));
  const r = await run(first.java, ['-cp', join(dir, 'libs', '*'), source, live.map((n) => n.brokers[0] ?? '').join(',')], { timeoutMs: 90_000 });
  const field = (name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(r.stdout)?.[1]?.trim();
  const leader = field('LeaderId');
  const epoch = field('LeaderEpoch');
  const voters = field('CurrentVoters');
  if (r.code !== 0 || leader === undefined || epoch === undefined || voters === undefined) {
    throw new Error(`kafka quorum: describing the quorum failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-500)}`);
  }
  return { leaderId: Number(leader), leaderEpoch: Number(epoch), voters: voters.split(',').filter(Boolean).map(Number) };
}

/** Brokers and URL of the running local stack, or nulls: what configuration-less commands target. */
export function localStackTargets(c: Pick<Config, 'stack.dir' | 'stack.cacheDir'>): { brokers: string[] | null; esUrl: string | null } {
  const s = readState(stackPaths(c));
  return {
    brokers: kafkaAlive(s) ? allBrokers(s) : null,
    esUrl: esAlive(s) ? liveEsUrl(s) : null,
  };
}

const since = (t: number): number => Math.round((performance.now() - t) / 10) / 100;

/**
 * Brings up whatever part of the local stack is not running. Both engines start in parallel; if either fails,
 * whatever this call started is stopped again and the error names the engine, the reason and its log.
 */
export interface SecureUp {
  /** Topic and group names wg-siem's Kafka user is given (with ACLs) and that are created for it. */
  readonly names: TopicNames;
}

/**
 * The secured stack lives beside the plain one (`<stack.dir>-secure`, ports 200 higher), so both can run: its Kafka
 * takes SASL_SSL only (kafka-security.ts).
 */
export function secureStackConfig<T extends StackConfig>(c: T): T {
  return {
    ...c, 'stack.dir': `${stackPaths(c).state}-secure`, 'stack.cacheDir': stackPaths(c).cache,
    'stack.kafkaPort': c['stack.kafkaPort'] + 200, 'stack.kafkaControllerPort': c['stack.kafkaControllerPort'] + 200,
    'stack.elasticsearchPort': c['stack.elasticsearchPort'] + 200, 'stack.elasticsearchTransportPort': c['stack.elasticsearchTransportPort'] + 200,
  };
}

/** The environment file `stack up --secure` writes: what wg-siem needs to reach the secured stack as its user. */
export const secureEnvFile = (c: Pick<Config, 'stack.dir' | 'stack.cacheDir'>): string => join(stackPaths(c).state, 'wg-siem.env');

export interface UpOptions {
  readonly readyTimeoutMs?: number;
  readonly secure?: SecureUp;
  /** Brokers and Elasticsearch nodes (1–9 each). Unset: the shape the state records, else 1. */
  readonly kafkaNodes?: number;
  readonly esNodes?: number;
}

/**
 * The shape `up` brings up: the options', else the recorded one. A cluster recorded in another shape must be
 * brought down with --purge first: its brokers' storage was formatted for its quorum.
 */
export function resolveShape(prev: StackState, opts: Pick<UpOptions, 'kafkaNodes' | 'esNodes'>): ClusterShape {
  const recorded = prev.cluster?.shape;
  const shape = { kafkaNodes: opts.kafkaNodes ?? recorded?.kafkaNodes ?? 1, esNodes: opts.esNodes ?? recorded?.esNodes ?? 1 };
  for (const [k, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_NODES) throw new Error(`stack up: ${k === 'kafkaNodes' ? '--kafka-nodes' : '--es-nodes'} must be a whole number from 1 to ${MAX_NODES}, not ${v}`);
  }
  if (recorded && (recorded.kafkaNodes !== shape.kafkaNodes || recorded.esNodes !== shape.esNodes)) {
    throw new Error(`stack up: this stack is a cluster of ${recorded.kafkaNodes} broker(s) and ${recorded.esNodes} Elasticsearch node(s), not `
      + `${shape.kafkaNodes} and ${shape.esNodes}: run \`wg-siem stack down --purge\` first, or choose another WG_SIEM_STACK_DIR`);
  }
  return shape;
}

export async function stackUp(c: StackConfig, opts: UpOptions = {}): Promise<UpReport> {
  const t0 = performance.now();
  const p = stackPaths(c);
  await mkdir(p.state, { recursive: true });
  await mkdir(p.cache, { recursive: true });
  const prev = readState(p);
  const shape = resolveShape(prev, opts);
  if (prev.cluster || shape.kafkaNodes > 1 || shape.esNodes > 1) return clusterUp(c, p, prev, shape, opts, t0);
  const haveKafka = kafkaAlive(prev);
  const haveEs = esAlive(prev);
  const readyTimeoutMs = opts.readyTimeoutMs ?? 180_000;

  const [kInstall, eInstall] = await Promise.all([
    haveKafka ? null : ensureKafka(p.cache),
    haveEs ? null : ensureElasticsearch(p.cache),
  ]);
  const resolveSeconds = since(t0);
  const downloaded = [kInstall?.downloaded ? `Kafka ${KAFKA_VERSION}` : '', eInstall?.downloaded ? `Elasticsearch ${ELASTICSEARCH_VERSION}` : ''].filter(Boolean);

  // One CA, certificate and set of secrets for both engines: made once, before either starts.
  const secretsDir = join(p.state, 'secrets');
  const sec = opts.secure ? {
    tls: await ensureTls(join(p.state, 'tls')),
    kafka: await ensureKafkaSecrets(secretsDir),
    elasticPassword: await ensureEsPassword(secretsDir),
    esUsers: await ensureEsUsers(secretsDir),
  } : undefined;
  const taken = new Set<number>();
  const choose = async (preferred: number, previous: number | undefined): Promise<number> => {
    const port = await pickPort([previous, preferred], taken);
    taken.add(port);
    return port;
  };
  let kafkaSeconds: number | null = null;
  let esSeconds: number | null = null;
  const kafkaJob = kInstall
    ? (async () => {
      const t = performance.now();
      // The ports of the previous run come first: clients configured with them reconnect after a restart.
      const ports = { broker: await choose(c['stack.kafkaPort'], prev.kafka?.ports.broker), controller: await choose(c['stack.kafkaControllerPort'], prev.kafka?.ports.controller) };
      const security = sec ? { tls: sec.tls, secrets: sec.kafka } : undefined;
      const rt = await startKafka(p.state, kInstall.dir, ports, readyTimeoutMs, security);
      if (security && opts.secure) {
        // A failure here must not leave the broker running unrecorded.
        await provisionWgSiem(adminTarget(rt.brokers, security.secrets, security.tls), opts.secure.names).catch(async (e: unknown) => {
          await stopProcess(rt.pid, rt.marker, 20_000);
          throw e;
        });
      }
      kafkaSeconds = since(t);
      return rt;
    })()
    : Promise.resolve(null);
  const esJob = eInstall
    ? (async () => {
      const t = performance.now();
      const ports = { http: await choose(c['stack.elasticsearchPort'], prev.elasticsearch?.ports.http), transport: await choose(c['stack.elasticsearchTransportPort'], prev.elasticsearch?.ports.transport) };
      const security = sec
        ? { tls: sec.tls, elasticPassword: sec.elasticPassword, passwordFile: join(secretsDir, ES_ELASTIC_PASSWORD_FILE), users: sec.esUsers }
        : undefined;
      const rt = await startElasticsearch(p.state, eInstall.dir, ports, c['stack.elasticsearchHeapMb'], c['stack.elasticsearchUser'], readyTimeoutMs, security);
      esSeconds = since(t);
      return rt;
    })()
    : Promise.resolve(null);
  const [kr, er] = await Promise.allSettled([kafkaJob, esJob]);
  const now = new Date().toISOString();
  const next: StackState = {
    version: 1,
    kafka: kr.status === 'fulfilled' && kr.value ? { ...kr.value, kafkaVersion: KAFKA_VERSION, startedAt: now } : prev.kafka,
    elasticsearch: er.status === 'fulfilled' && er.value ? { ...er.value, esVersion: ELASTICSEARCH_VERSION, startedAt: now } : prev.elasticsearch,
  };
  const failures = [kr, er].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as Error).message);
  if (failures.length) {
    // Leave nothing half-started: stop what this call started, keep what was running before.
    if (kr.status === 'fulfilled' && kr.value) await stopProcess(kr.value.pid, kr.value.marker, 20_000);
    if (er.status === 'fulfilled' && er.value) await stopProcess(er.value.pid, er.value.marker, 30_000);
    await writeState(p, prev);
    throw new Error(failures.join('\n'));
  }
  await writeState(p, next);
  if (next.elasticsearch) await waitEsReady(next.elasticsearch.url, readyTimeoutMs, next.elasticsearch.secure);
  if (sec && next.kafka) {
    const user = (name: string): string => sec.esUsers.find((u) => u.name === name)?.passwordFile ?? '';
    await writeFile(secureEnvFile(c), [
      `WG_SIEM_KAFKA_BROKERS=${next.kafka.brokers.join(',')}`, 'WG_SIEM_KAFKA_SSL=true', `WG_SIEM_KAFKA_SSL_CA_FILE=${sec.tls.caFile}`,
      `WG_SIEM_KAFKA_SSL_CERT_FILE=${sec.tls.clientCertFile}`, `WG_SIEM_KAFKA_SSL_KEY_FILE=${sec.tls.clientKeyFile}`,
      'WG_SIEM_KAFKA_SASL_MECHANISM=scram-sha-512', `WG_SIEM_KAFKA_SASL_USERNAME=${WG_SIEM_USER}`, `WG_SIEM_KAFKA_SASL_PASSWORD_FILE=${sec.kafka.wgSiemPasswordFile}`,
      // `wg-siem ship` and `setup` take other identities: the shipper user (write the raw topics only) and the setup user.
      `# ship: WG_SIEM_KAFKA_SASL_USERNAME=${SHIPPER_USER} WG_SIEM_KAFKA_SASL_PASSWORD_FILE=${sec.kafka.shipperPasswordFile}`,
      `# setup: WG_SIEM_ES_USERNAME=wg-siem-setup WG_SIEM_ES_PASSWORD_FILE=${user('wg-siem-setup')}`,
      ...(next.elasticsearch ? [`WG_SIEM_ES_NODES=${next.elasticsearch.url}`] : []),
      ...(next.elasticsearch?.secure ? [`WG_SIEM_ES_CA_FILE=${next.elasticsearch.secure.caFile}`, 'WG_SIEM_ES_USERNAME=wg-siem', `WG_SIEM_ES_PASSWORD_FILE=${user('wg-siem')}`] : []), '',
    ].join('\n'), { mode: 0o600 });
  }
  return {
    status: await stackStatus(c),
    downloaded,
    alreadyRunning: [haveKafka ? 'kafka' : '', haveEs ? 'elasticsearch' : ''].filter(Boolean),
    seconds: { resolve: resolveSeconds, kafka: kafkaSeconds, elasticsearch: esSeconds, total: since(t0) },
  };
}

export interface DownReport { readonly kafka: string; readonly elasticsearch: string; readonly purged: boolean }

/** Stops exactly the processes `up` recorded (by pid, checked against their command line), nothing else. */
export async function stackDown(c: Pick<Config, 'stack.dir' | 'stack.cacheDir'>, opts: { purge?: boolean } = {}): Promise<DownReport> {
  const p = stackPaths(c);
  const s = readState(p);
  const kafkaNodes = s.cluster ? s.cluster.kafka : s.kafka ? [s.kafka] : [];
  const esNodes = s.cluster ? s.cluster.elasticsearch : s.elasticsearch ? [s.elasticsearch] : [];
  // A cluster's brokers stop together: stopping them one by one would move every partition's leadership twice.
  const worst = (r: readonly ('stopped' | 'killed' | 'not-running')[]): 'stopped' | 'killed' | 'not-running' =>
    (r.includes('killed') ? 'killed' : r.includes('stopped') ? 'stopped' : 'not-running');
  const [k, e] = await Promise.all([
    Promise.all(kafkaNodes.map((n) => stopProcess(n.pid, n.marker, 30_000))).then(worst),
    Promise.all(esNodes.map((n) => stopProcess(n.pid, n.marker, 60_000))).then(worst),
  ]);
  // The shape stays recorded without --purge: the brokers' storage is formatted for it, and `up` brings it back.
  if (existsSync(p.state)) await writeState(p, s.cluster && !opts.purge ? { version: 1, cluster: s.cluster } : { version: 1 });
  if (opts.purge) {
    await rm(join(p.state, 'kafka'), { recursive: true, force: true });
    await rm(join(p.state, 'elasticsearch'), { recursive: true, force: true });
    for (let i = 1; i <= MAX_NODES; i++) {
      await rm(join(p.state, `kafka-${i}`), { recursive: true, force: true });
      await rm(join(p.state, `elasticsearch-${i}`), { recursive: true, force: true });
    }
  }
  return { kafka: k, elasticsearch: e, purged: !!opts.purge };
}

/** `up` of a cluster (cluster.ts): the nodes of the shape that do not run are started, on the ports they had. */
async function clusterUp(c: StackConfig, p: StackPaths, prev: StackState, shape: ClusterShape, opts: UpOptions, t0: number): Promise<UpReport> {
  if (opts.secure) throw new Error('stack up: the secured stack runs as a single node only (--secure cannot be combined with --kafka-nodes or --es-nodes above 1)');
  if (!prev.cluster && (kafkaAlive(prev) || esAlive(prev))) {
    throw new Error(`stack up: a single-node stack runs in ${p.state}: stop it (\`wg-siem stack down\`) or choose another WG_SIEM_STACK_DIR for the cluster`);
  }
  const allUp = !!prev.cluster && prev.cluster.kafka.length === shape.kafkaNodes && prev.cluster.elasticsearch.length === shape.esNodes
    && prev.cluster.kafka.every(kafkaNodeAlive) && prev.cluster.elasticsearch.every(esNodeAlive);
  const [kInstall, eInstall] = await Promise.all([ensureKafka(p.cache), ensureElasticsearch(p.cache)]);
  const resolveSeconds = since(t0);
  const downloaded = [kInstall.downloaded ? `Kafka ${KAFKA_VERSION}` : '', eInstall.downloaded ? `Elasticsearch ${ELASTICSEARCH_VERSION}` : ''].filter(Boolean);
  const r = await startCluster({
    stateDir: p.state, kafkaInstall: kInstall.dir, esInstall: eInstall.dir, config: c, shape, previous: prev.cluster, readyTimeoutMs: opts.readyTimeoutMs ?? 180_000,
  });
  await writeState(p, { version: 1, cluster: r.state });
  return {
    status: await stackStatus(c),
    downloaded,
    alreadyRunning: allUp ? ['kafka', 'elasticsearch'] : [
      ...r.state.kafka.filter((n) => !r.started.kafka.includes(n.id)).map((n) => `kafka-${n.id}`),
      ...r.state.elasticsearch.filter((n) => !r.started.elasticsearch.includes(n.id)).map((n) => `elasticsearch-${n.id}`),
    ],
    seconds: { resolve: resolveSeconds, kafka: r.seconds.kafka, elasticsearch: r.seconds.elasticsearch, total: since(t0) },
  };
}
