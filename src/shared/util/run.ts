// Running a program to completion: the one way wg-siem does it, for the local stack's tools, the lab's `ip` and
// `wg`, and the collector's `wg show all dump`. Arguments go as an array (no shell), input on stdin (secrets never
// on a command line), output bounded, and a deadline after which the program is killed.
import { spawn } from 'node:child_process';

export interface RunResult {
  /** The exit code; 127 when the program could not be started, 128 when a signal ended it. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The program was killed at the deadline. */
  readonly timedOut: boolean;
  /** Output beyond maxOutputBytes was dropped (each stream is cut separately). */
  readonly truncated: boolean;
  /** Why the program could not be started (ENOENT: not found, EACCES: not executable), if it could not. */
  readonly startError?: string;
}

export interface RunOptions {
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Written to the command's standard input (secrets go this way, never on a command line). */
  readonly input?: string;
  /** Most bytes kept of stdout and of stderr each; default 1 MB. */
  readonly maxOutputBytes?: number;
}

/** Runs a command to completion and collects its output; never rejects (a start failure is a result too). */
export function run(cmd: string, args: readonly string[], o: RunOptions): Promise<RunResult> {
  const max = o.maxOutputBytes ?? 1_000_000;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: o.env ?? process.env, cwd: o.cwd, uid: o.uid, gid: o.gid, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
    let truncated = false;
    let timedOut = false;
    // Chunks are decoded together at the end, so a character split across two chunks stays whole.
    const collect = (stream: NodeJS.ReadableStream): { chunks: Buffer[]; bytes: number } => {
      const out = { chunks: [] as Buffer[], bytes: 0 };
      stream.on('data', (d: Buffer) => {
        const room = max - out.bytes;
        if (d.length > room) truncated = true;
        if (room <= 0) return;
        const part = d.length > room ? d.subarray(0, room) : d;
        out.chunks.push(part);
        out.bytes += part.length;
      });
      return out;
    };
    const out = collect(child.stdout);
    const err = collect(child.stderr);
    const text = (c: { chunks: Buffer[] }): string => Buffer.concat(c.chunks).toString('utf8');
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, o.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout: text(out), stderr: text(err) + e.message, timedOut, truncated, startError: e.code ?? e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = text(err);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: text(out), stderr: signal ? `${stderr}\nkilled by ${signal}` : stderr, timedOut, truncated });
    });
  });
}
