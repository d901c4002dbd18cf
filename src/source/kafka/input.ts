// Where `ship` reads from: a file, standard input, or a file followed as it grows (`tail -F`). Every source yields
// fresh byte chunks and ends — rather than throws — when the signal aborts, so the caller can still flush what it
// holds and report.
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { addAbortSignal } from 'node:stream';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface InputOptions {
  /** Keep reading FILE as it grows, across truncation and rotation, until the signal aborts. */
  readonly follow?: boolean;
  readonly signal?: AbortSignal;
  /** How often a followed file is checked for new bytes once it is caught up. */
  readonly pollMs?: number;
  /** Things a person following a file wants to know: waiting for it, truncated, rotated. */
  readonly onNotice?: (message: string) => void;
}

const CHUNK_BYTES = 64 * 1024;

/** Chunks of FILE, or of standard input for `-`. */
export function inputChunks(file: string, o: InputOptions = {}): AsyncIterable<Buffer> {
  if (file === '-') return streamChunks(process.stdin, o.signal);
  if (o.follow) return followFile(file, o);
  return streamChunks(createReadStream(file, { highWaterMark: CHUNK_BYTES }), o.signal);
}

async function* streamChunks(stream: Readable, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  if (signal) addAbortSignal(signal, stream);
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer;
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  }
}

const sameFile = (a: Stats, b: Stats): boolean => a.ino === b.ino && a.dev === b.dev;

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Follows a file like `tail -F`, from its first byte: waits for it to appear, reads what is appended, starts over
 * when it is truncated (copytruncate), and after a rotation (the name now points to another file) finishes the
 * old file before opening the new one. On abort it reads what is left and ends.
 */
export async function* followFile(path: string, o: InputOptions = {}): AsyncGenerator<Buffer> {
  const pollMs = o.pollMs ?? 200;
  let fh: FileHandle | null = null;
  let current: Stats | null = null;
  let pos = 0;
  let waiting = false;

  // Reads from `pos` to the current end of the open file.
  async function* drain(h: FileHandle): AsyncGenerator<Buffer> {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await h.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  }

  try {
    for (;;) {
      if (!fh) {
        try {
          fh = await open(path, 'r');
          current = await fh.stat();
          pos = 0;
          if (waiting) o.onNotice?.(`${path} appeared`);
          waiting = false;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          if (o.signal?.aborted) return;
          if (!waiting) o.onNotice?.(`waiting for ${path} to appear`);
          waiting = true;
          await pause(pollMs, o.signal);
          continue;
        }
      }
      yield* drain(fh);
      if (o.signal?.aborted) return;

      const now = await stat(path).catch(() => null);
      if (now && current && !sameFile(now, current)) {
        // Rotated: what the writer appended to the old file before it moved on is still ours.
        yield* drain(fh);
        await fh.close();
        fh = null;
        o.onNotice?.(`${path} was rotated; reading the new file`);
        continue;
      }
      if (now && now.size < pos) {
        o.onNotice?.(`${path} was truncated; reading it again from the start`);
        pos = 0;
        continue;
      }
      await pause(pollMs, o.signal);
    }
  } finally {
    await fh?.close();
  }
}
