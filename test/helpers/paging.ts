// Paging tests with `wg-siem run` as a child process (killed with SIGKILL, restarted), a rule with a short quiet
// period, what the correlation stage saved, and a real Prometheus Alertmanager on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../../src/correlate/alerts/state-store.ts';
import { childEnv } from './env.ts';
import type { PipelineFixture } from './pipeline.ts';
import { waitFor } from './wait.ts';

/** `bin/wg-siem run` (both stages) with the fixture's environment plus `env`. */
export function spawnRun(f: PipelineFixture, env: Record<string, string> = {}): ChildProcess {
  return spawn('bin/wg-siem', ['run'], {
    env: childEnv(f.env, { WG_SIEM_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' }, env),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function stopped(c: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { c.once('exit', () => resolve()); c.kill(signal); });
}

/** A rules folder holding only invalid-initiation-burst, with the given quiet period (so it resolves in a test). */
export function burstRuleDir(quietPeriod: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'wg-siem-rules-'));
  const rule = readFileSync('alerts/invalid-initiation-burst.yaml', 'utf8').replace(/^quiet_period: .*$/m, `quiet_period: ${quietPeriod}`);
  writeFileSync(join(dir, 'invalid-initiation-burst.yaml'), rule);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

interface SavedPaging { paging?: { alerts?: [string, { s: string }][] } | null }

/** Alert ids recorded as paged in the saved state of any correlation partition. */
export async function savedPagedIds(f: PipelineFixture): Promise<string[]> {
  const store = new StateStore(f.es, f.namespace);
  const c = f.config;
  const ids: string[] = [];
  for (let p = 0; p < c['kafka.correlationPartitions']; p++) {
    const s = await store.load<SavedPaging>(`${c['kafka.correlationGroupId']}:${c['kafka.correlationTopic']}:${p}`).catch(() => undefined);
    for (const [id, e] of s?.state.paging?.alerts ?? []) if (e.s === 'paged') ids.push(id);
  }
  return ids;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Debian's package installs it as prometheus-alertmanager; upstream's binary is alertmanager. */
export function alertmanagerBinary(): string | undefined {
  const dirs = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':');
  for (const name of ['prometheus-alertmanager', 'alertmanager']) {
    for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  }
  return undefined;
}

export interface RunningAlertmanager {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts Alertmanager on 127.0.0.1 with a route grouping by [alertname, host] and one webhook receiver (resolved
 * notifications included). Its storage and config live in a temporary folder removed by stop().
 */
export async function startAlertmanager(bin: string, webhookUrl: string, o: { groupWait: string; groupInterval: string }): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'wg-siem-am-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'alertmanager.yml'), [
    'route:',
    '  receiver: recorder',
    '  group_by: [alertname, host]',
    `  group_wait: ${o.groupWait}`,
    `  group_interval: ${o.groupInterval}`,
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: recorder',
    '    webhook_configs:',
    `      - url: ${webhookUrl}`,
    '        send_resolved: true',
    '',
  ].join('\n'));
  const port = await freePort();
  const child = spawn(bin, [
    `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopped(child, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => `alertmanager ready on ${url}: ${stderr}`, 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`alertmanager exited (${child.exitCode}): ${stderr}`);
      return fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    }, 200);
  } catch (e) {
    await stop();
    throw e;
  }
  if (child.pid === undefined) throw new Error('alertmanager has no pid');
  return { url, pid: child.pid, stop };
}
