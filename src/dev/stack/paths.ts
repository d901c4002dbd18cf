import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../shared/config/keys.ts';

export interface StackPaths {
  /** Data, logs, configuration and pid files of the running engines. */
  readonly state: string;
  /** Downloads and unpacked distributions; survives `stack down`. */
  readonly cache: string;
}

const isRoot = (): boolean => process.getuid?.() === 0;

// Root's home is often mode 700, and Elasticsearch runs as its own user: as root everything lives under /var.
export function stackPaths(c: Pick<Config, 'stack.dir' | 'stack.cacheDir'>, env: NodeJS.ProcessEnv = process.env): StackPaths {
  const home = homedir();
  const state = c['stack.dir']
    ?? (isRoot() ? '/var/lib/wg-siem/stack' : join(env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'wg-siem', 'stack'));
  const cache = c['stack.cacheDir']
    ?? (isRoot() ? '/var/cache/wg-siem' : join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'wg-siem'));
  return { state, cache };
}
