import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

export interface Jdk {
  readonly home: string;
  readonly major: number;
}

function readJdk(home: string): Jdk | null {
  try {
    const release = readFileSync(join(home, 'release'), 'utf8');
    const m = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(release);
    if (!m || !existsSync(join(home, 'bin', 'java'))) return null;
    // Java 8 and older report "1.8".
    const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
    return { home: realpathSync(home), major };
  } catch {
    return null;
  }
}

/** Installed JDKs: JAVA_HOME first, then the distribution's JVM directory. */
export function installedJdks(env: NodeJS.ProcessEnv = process.env): Jdk[] {
  const homes: string[] = [];
  if (env.JAVA_HOME) homes.push(env.JAVA_HOME);
  for (const dir of ['/usr/lib/jvm', '/usr/java', '/opt/java']) {
    try { for (const d of readdirSync(dir)) homes.push(join(dir, d)); } catch { /* absent */ }
  }
  const seen = new Set<string>();
  const out: Jdk[] = [];
  for (const h of homes) {
    const j = readJdk(h);
    if (j && !seen.has(j.home)) { seen.add(j.home); out.push(j); }
  }
  return out;
}

/**
 * The JDK for an engine: an explicit override, else the oldest installed JDK that is new enough (the oldest
 * supported one is what the engine was tested most on), else an error naming what is needed.
 */
export function pickJdk(engine: string, minMajor: number, override: string | undefined): Jdk {
  if (override) {
    const j = readJdk(override);
    if (!j) throw new Error(`${engine}: ${override} is not a JDK (no release file or bin/java)`);
    if (j.major < minMajor) throw new Error(`${engine}: ${override} is Java ${j.major}; Java ${minMajor}+ is needed`);
    return j;
  }
  const fit = installedJdks().filter((j) => j.major >= minMajor).sort((a, b) => a.major - b.major);
  const first = fit[0];
  if (!first) {
    throw new Error(`${engine} needs Java ${minMajor} or newer and none was found in JAVA_HOME or /usr/lib/jvm `
      + `(install one, e.g. apt-get install openjdk-${Math.max(minMajor, 17)}-jre-headless, or set the override)`);
  }
  return first;
}
