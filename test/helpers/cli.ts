import { spawn } from 'node:child_process';
import { childEnv } from './env.ts';

export interface CliResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs bin/wg-siem as a user would, with a clean WG_SIEM_* environment plus `env`. */
export function cli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bin/wg-siem', [...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`wg-siem ${args.join(' ')} timed out\n${stderr}`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}
