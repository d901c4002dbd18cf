import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ELASTICSEARCH_VERSION, ELASTICSEARCH_ZIP, KAFKA_VERSION, MAVEN_DEPENDENCY_PLUGIN, kafkaPom } from './artifacts.ts';
import { run } from '../../shared/util/run.ts';

const KAFKA_SUMS = new URL('./kafka-jars.sha256', import.meta.url);

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function pinnedKafkaSums(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(KAFKA_SUMS, 'utf8').split('\n')) {
    const [sum, name] = line.trim().split(/\s+/);
    if (sum && name) m.set(name, sum);
  }
  return m;
}

async function maven(args: string[], cache: string, what: string): Promise<void> {
  const res = await run('mvn', ['-B', '-q', `-Dmaven.repo.local=${join(cache, 'm2')}`, ...args], { timeoutMs: 10 * 60_000 });
  if (res.code !== 0) {
    const tail = (res.stdout + res.stderr).split('\n').filter((l) => l.includes('ERROR')).slice(0, 6).join('\n');
    throw new Error(`downloading ${what} with Maven failed (exit ${res.code}):\n${tail || res.stderr.slice(-2000)}`);
  }
}

/** World-readable, so the unprivileged Elasticsearch user can load what root unpacked. */
async function openUp(dir: string): Promise<void> {
  await run('chmod', ['-R', 'a+rX', dir], { timeoutMs: 60_000 });
}

export interface Resolved {
  readonly dir: string;
  readonly downloaded: boolean;
}

/** Kafka's runtime class path (one folder of jars), resolved by Maven once and verified against pinned sums. */
export async function ensureKafka(cache: string): Promise<Resolved> {
  const dir = join(cache, `kafka-${KAFKA_VERSION}`);
  if (existsSync(join(dir, '.complete'))) return { dir, downloaded: false };
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, 'libs'), { recursive: true });
  await writeFile(join(tmp, 'pom.xml'), kafkaPom());
  await maven(['-C', '-f', join(tmp, 'pom.xml'), `${MAVEN_DEPENDENCY_PLUGIN}:copy-dependencies`,
    `-DoutputDirectory=${join(tmp, 'libs')}`, '-DincludeScope=runtime'], cache, `Kafka ${KAFKA_VERSION}`);
  const pinned = pinnedKafkaSums();
  const got = (await readdir(join(tmp, 'libs'))).filter((f) => f.endsWith('.jar')).sort();
  const problems: string[] = [];
  for (const f of got) {
    const want = pinned.get(f);
    if (!want) problems.push(`${f}: not in the pinned list`);
    else if ((await sha256File(join(tmp, 'libs', f))) !== want) problems.push(`${f}: checksum differs from the pinned one`);
  }
  for (const f of pinned.keys()) if (!got.includes(f)) problems.push(`${f}: pinned but not resolved`);
  if (problems.length) throw new Error(`Kafka ${KAFKA_VERSION} jars failed verification:\n  ${problems.join('\n  ')}`);
  await writeFile(join(tmp, '.complete'), new Date().toISOString());
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  await openUp(dir);
  return { dir, downloaded: true };
}

/** The Elasticsearch distribution, unpacked once into the cache. */
export async function ensureElasticsearch(cache: string): Promise<Resolved> {
  const dir = join(cache, `elasticsearch-${ELASTICSEARCH_VERSION}`);
  if (existsSync(join(dir, '.complete'))) return { dir, downloaded: false };
  const zipDir = join(cache, 'downloads');
  const zip = join(zipDir, ELASTICSEARCH_ZIP.file);
  await mkdir(zipDir, { recursive: true });
  let downloaded = false;
  if (!existsSync(zip) || (await sha256File(zip)) !== ELASTICSEARCH_ZIP.sha256) {
    const pom = join(zipDir, 'pom.xml');
    // dependency:copy wants a project; an empty one will do.
    await writeFile(pom, '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
      + '<groupId>wg-siem.local-stack</groupId><artifactId>es</artifactId><version>1</version><packaging>pom</packaging></project>\n');
    await maven(['-f', pom, `${MAVEN_DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${ELASTICSEARCH_ZIP.artifact}`,
      `-DoutputDirectory=${zipDir}`], cache, `Elasticsearch ${ELASTICSEARCH_VERSION}`);
    const sum = await sha256File(zip);
    if (sum !== ELASTICSEARCH_ZIP.sha256) {
      await rm(zip, { force: true });
      throw new Error(`${ELASTICSEARCH_ZIP.file}: SHA-256 ${sum} differs from the pinned ${ELASTICSEARCH_ZIP.sha256}`);
    }
    downloaded = true;
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const unzip = await run('unzip', ['-q', zip, '-d', tmp], { timeoutMs: 5 * 60_000 });
  if (unzip.code !== 0) throw new Error(`unpacking ${zip} failed: ${unzip.stderr.trim() || `exit ${unzip.code}`} (is unzip installed?)`);
  const inner = join(tmp, `elasticsearch-${ELASTICSEARCH_VERSION}`);
  await rm(dir, { recursive: true, force: true });
  await rename(inner, dir);
  await rm(tmp, { recursive: true, force: true });
  await chmod(dir, 0o755);
  await openUp(dir);
  await writeFile(join(dir, '.complete'), new Date().toISOString());
  return { dir, downloaded };
}
