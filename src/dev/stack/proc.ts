import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DetachedOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** stdout and stderr of the process are appended here. */
  readonly logFile: string;
  readonly uid?: number;
  readonly gid?: number;
}

/** Starts a long-lived process in its own session so it outlives the CLI; returns its pid. */
export function spawnDetached(cmd: string, args: readonly string[], o: DetachedOptions): Promise<number> {
  const fd = openSync(o.logFile, 'a');
  try {
    const child = spawn(cmd, args, { env: o.env, cwd: o.cwd, uid: o.uid, gid: o.gid, detached: true, stdio: ['ignore', fd, fd] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => { child.unref(); resolve(child.pid ?? -1); });
    });
  } finally {
    closeSync(fd);
  }
}

/** True when the process has exited: gone from /proc, or a zombie whose parent has not called wait() yet. */
export function hasExited(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * True when `pid` runs and its command line contains `marker` (a path only our own process has), so a pid
 * reused by an unrelated process after a crash is never taken for ours.
 */
export function isOurs(pid: number, marker: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || hasExited(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.includes(marker));
  } catch {
    return false;
  }
}

/** SIGTERM, wait, then SIGKILL; resolves once the process is gone. Only ever signals a pid that is ours. */
export async function stopProcess(pid: number, marker: string, graceMs: number): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isOurs(pid, marker)) return 'not-running';
  try { process.kill(pid, 'SIGTERM'); } catch { return 'not-running'; }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isOurs(pid, marker)) return 'stopped';
    await sleep(100);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  for (let i = 0; i < 50 && isOurs(pid, marker); i++) await sleep(100);
  return 'killed';
}
