import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pickJdk } from './java.ts';
import { tailOf } from './logs.ts';
import { run } from '../../shared/util/run.ts';
import { stopProcess } from './proc.ts';
import { existsSync, readFileSync } from 'node:fs';
import { esHealth, rolesYaml, secureEsSettings, type EsUser } from './es-security.ts';
import type { LocalTls } from './tls.ts';

export interface EsPorts { readonly http: number; readonly transport: number }

export interface EsRuntime {
  readonly pid: number;
  /** The node's temp directory, which appears on the server JVM's command line (-Djava.io.tmpdir). */
  readonly marker: string;
  readonly url: string;
  readonly ports: EsPorts;
  readonly log: string;
  readonly user: string | null;
  readonly javaHome: string;
  /** Set when security is on: HTTPS with this CA, and the `elastic` user's password in this file. */
  readonly secure?: { readonly caFile: string; readonly passwordFile: string };
}

/** What the secured node needs at start: the local CA's files and the `elastic` password (and the file it is in). */
export interface EsSecurity {
  readonly tls: LocalTls;
  readonly elasticPassword: string;
  readonly passwordFile: string;
  readonly users: readonly EsUser[];
}

interface Ids { readonly uid: number; readonly gid: number }

/** Elasticsearch refuses to run as root: as root, a dedicated system user runs it. */
async function serviceUser(name: string): Promise<Ids | null> {
  if (process.getuid?.() !== 0) return null;
  let id = await run('id', ['-u', name], { timeoutMs: 10_000 });
  if (id.code !== 0) {
    const add = await run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], { timeoutMs: 30_000 });
    if (add.code !== 0 && !/already exists/.test(add.stderr)) {
      throw new Error(`Elasticsearch: could not create system user ${name}: ${add.stderr.trim()}`);
    }
    id = await run('id', ['-u', name], { timeoutMs: 10_000 });
  }
  const gid = await run('id', ['-g', name], { timeoutMs: 10_000 });
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * One node of a cluster (`stack up --es-nodes N`). Node 1 alone is master-eligible, the others hold data only: with
 * two nodes there is no majority to keep after a loss anyway, so this says plainly which loss the cluster survives
 * (any node but the first: health turns yellow, replicas are promoted) and which it does not (the first).
 */
export interface EsNode {
  readonly id: number;
  /** The node's folder below the stack's state folder (`elasticsearch-<id>`). */
  readonly dirName: string;
  /** Transport addresses of every node (discovery.seed_hosts). */
  readonly seeds: readonly string[];
}

const nodeName = (id: number): string => `wg-siem-local-${id}`;

function settings(dir: string, p: EsPorts, secure: boolean, node?: EsNode): string {
  return [
    'cluster.name: wg-siem-local',
    `node.name: ${nodeName(node?.id ?? 1)}`,
    `path.data: ${join(dir, 'data')}`,
    `path.logs: ${join(dir, 'logs')}`,
    'network.host: 127.0.0.1',
    `http.port: ${p.http}`,
    `transport.port: ${p.transport}`,
    ...(node ? [
      `discovery.seed_hosts: [${node.seeds.map((a) => `"${a}"`).join(', ')}]`,
      `cluster.initial_master_nodes: ["${nodeName(1)}"]`,
      node.id === 1 ? 'node.roles: [master, data, ingest]' : 'node.roles: [data, ingest]',
    ] : ['discovery.type: single-node']),
    ...(secure ? secureEsSettings() : ['xpack.security.enabled: false']),
    // A developer machine's disk may be nearly full; the watermarks would turn indices read-only mid-test.
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'action.destructive_requires_name: false',
    '',
  ].join('\n');
}

async function health(url: string, secure?: EsRuntime['secure']): Promise<string | null> {
  try {
    if (secure) return await esHealth(url, secure, '?wait_for_status=yellow&timeout=2s');
    const r = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, { signal: AbortSignal.timeout(4000) });
    if (r.status !== 200) return null;
    const body = await r.json() as { status?: string };
    return body.status ?? null;
  } catch {
    return null;
  }
}

/** Cluster health answers even on builds where `GET /` does not (the integ-test build replies 405 there). */
export async function waitEsReady(url: string, timeoutMs: number, secure?: EsRuntime['secure']): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await health(url, secure);
    if (s === 'yellow' || s === 'green') return s;
    await sleep(250);
  }
  throw new Error(`Elasticsearch at ${url} did not report yellow or green health within ${timeoutMs} ms`);
}

export async function startElasticsearch(stateDir: string, install: string, ports: EsPorts, heapMb: number, userName: string, readyTimeoutMs: number, secure?: EsSecurity, node?: EsNode): Promise<EsRuntime> {
  const dir = join(stateDir, node?.dirName ?? 'elasticsearch');
  const conf = join(dir, 'config');
  const logs = join(dir, 'logs');
  for (const d of [conf, join(conf, 'jvm.options.d'), join(dir, 'data'), logs, join(dir, 'tmp')]) await mkdir(d, { recursive: true });
  for (const f of await readdir(join(install, 'config'))) {
    if (f.endsWith('.yml') && f !== 'elasticsearch.yml' || f === 'jvm.options' || f === 'log4j2.properties' || f === 'users' || f === 'users_roles') {
      await copyFile(join(install, 'config', f), join(conf, f));
    }
  }
  await writeFile(join(conf, 'elasticsearch.yml'), settings(dir, ports, secure !== undefined, node));
  if (secure) {
    // Elasticsearch reads certificates only from inside its configuration folder.
    await mkdir(join(conf, 'certs'), { recursive: true });
    for (const [from, to] of [[secure.tls.caFile, 'ca.pem'], [secure.tls.certFile, 'server.pem'], [secure.tls.keyFile, 'server.key']] as const) await copyFile(from, join(conf, 'certs', to));
    await writeFile(join(conf, 'roles.yml'), rolesYaml());
  }
  await writeFile(join(conf, 'jvm.options.d', 'wg-siem.options'), `-Xms${heapMb}m\n-Xmx${heapMb}m\n`);
  const ids = await serviceUser(userName);
  if (ids) await run('chown', ['-R', `${ids.uid}:${ids.gid}`, dir], { timeoutMs: 60_000 });
  if (ids) {
    const probe = await run('runuser', ['-u', userName, '--', 'test', '-w', dir], { timeoutMs: 10_000 });
    if (probe.code !== 0) {
      throw new Error(`Elasticsearch runs as user ${userName}, which cannot reach ${dir}: every parent directory must be `
        + 'searchable by it (a home directory of mode 700 is not); choose another WG_SIEM_STACK_DIR');
    }
  }

  const jdk = pickJdk('Elasticsearch', 21, process.env.ES_JAVA_HOME);
  const toolEnv = { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8', ES_JAVA_HOME: jdk.home, ES_PATH_CONF: conf, ES_TMPDIR: join(dir, 'tmp') };
  if (secure && !existsSync(join(conf, 'elasticsearch.keystore'))) {
    // The superuser's password, read once at first start; given on standard input, never on a command line.
    const ks = join(install, 'bin', 'elasticsearch-keystore');
    const steps: [string[], string | undefined][] = [[['create'], undefined], [['add', '-x', '-f', 'bootstrap.password'], secure.elasticPassword]];
    for (const [args, input] of steps) {
      const r = await run(ks, args, { timeoutMs: 120_000, cwd: dir, uid: ids?.uid, gid: ids?.gid, env: toolEnv, ...(input !== undefined ? { input } : {}) });
      if (r.code !== 0) throw new Error(`Elasticsearch: elasticsearch-keystore ${args[0] ?? ''} failed (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
    }
  }
  if (secure) {
    const known = new Set(readFileSync(join(conf, 'users'), 'utf8').split('\n').map((l) => l.split(':')[0]));
    for (const u of secure.users.filter((x) => !known.has(x.name))) {
      const r = await run(join(install, 'bin', 'elasticsearch-users'), ['useradd', u.name, '-r', u.role], {
        timeoutMs: 120_000, cwd: dir, uid: ids?.uid, gid: ids?.gid, env: toolEnv, input: `${u.password}\n${u.password}\n`,
      });
      if (r.code !== 0) throw new Error(`Elasticsearch: elasticsearch-users useradd ${u.name} failed (exit ${r.code}): ${r.stderr.trim().slice(-300)}`);
    }
  }
  const pidFile = join(dir, 'elasticsearch.pid');
  const log = join(logs, 'wg-siem-local.log');
  const url = `${secure ? 'https' : 'http'}://127.0.0.1:${ports.http}`;
  const security = secure ? { caFile: secure.tls.caFile, passwordFile: secure.passwordFile } : undefined;
  // -d: the launcher returns once the node has started (or failed) and leaves the server's pid in the file.
  const res = await run(join(install, 'bin', 'elasticsearch'), ['-d', '-p', pidFile], {
    timeoutMs: readyTimeoutMs,
    cwd: dir,
    uid: ids?.uid,
    gid: ids?.gid,
    env: toolEnv,
  });
  if (res.code !== 0) {
    throw new Error(`Elasticsearch failed to start (exit ${res.code}): ${(res.stderr || res.stdout).trim().split('\n').slice(-8).join('\n')}\n  log: ${log}\n${await tailOf([log], 15)}`);
  }
  let pid = NaN;
  try { pid = Number(readFileSync(pidFile, 'utf8').trim()); } catch { /* reported below */ }
  if (!Number.isInteger(pid)) throw new Error(`Elasticsearch started but wrote no pid file at ${pidFile}\n  log: ${log}`);
  try {
    await waitEsReady(url, readyTimeoutMs, security);
  } catch (e) {
    // Never leave a node behind that no state file records.
    await stopProcess(pid, join(dir, 'tmp'), 30_000);
    throw new Error(`${(e as Error).message}\n  log: ${log}\n${await tailOf([log], 15)}`, { cause: e });
  }
  return { pid, marker: join(dir, 'tmp'), url, ports, log, user: ids ? userName : null, javaHome: jdk.home, ...(security ? { secure: security } : {}) };
}
