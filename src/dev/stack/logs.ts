import { open } from 'node:fs/promises';

async function lastLines(path: string, n: number): Promise<string[]> {
  let fh;
  try { fh = await open(path, 'r'); } catch { return []; }
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return buf.toString('utf8').split('\n').filter((l) => l.trim() !== '').slice(-n);
  } finally {
    await fh.close();
  }
}

/** The last lines of an engine's logs, indented, for an error message that says why it failed. */
export async function tailOf(paths: readonly string[], n: number): Promise<string> {
  const parts: string[] = [];
  for (const p of paths) {
    const lines = await lastLines(p, n);
    if (lines.length) parts.push(`  --- last lines of ${p}\n${lines.map((l) => `  | ${l.slice(0, 400)}`).join('\n')}`);
  }
  return parts.join('\n');
}
