// Streaming text through the CLI's stdin/stdout/stderr at the speed of the slower end, with bounded memory.
// Output is gathered into chunks of about 64 KiB and written as one string each (a write per document costs
// more than the document); when the stream reports back-pressure the caller waits for 'drain' before it reads
// more input. A reader that goes away (EPIPE: `| head -5`) ends the output quietly.
import type { Readable, Writable } from 'node:stream';

/** Output is written in chunks of up to this many bytes (or smaller when the caller flushes). */
export const BATCH_BYTES = 64 * 1024;

export class BatchedWriter {
  /** Text is encoded straight into this chunk (no intermediate joined string); a new one after each write. */
  private chunk: Buffer;
  private used = 0;
  private readonly batchBytes: number;
  private readonly stream: Writable;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  /** The reader closed its end (EPIPE): nothing more is written, and nothing more needs to be produced. */
  closed = false;
  /** The stream refused more (back-pressure): the producer must await drained() before it goes on. */
  full = false;

  constructor(stream: Writable, batchBytes = BATCH_BYTES) {
    this.stream = stream;
    this.batchBytes = batchBytes;
    this.chunk = Buffer.allocUnsafe(batchBytes);
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else this.failure ??= e;
      this.used = 0;
      this.wakeUp();
    });
    stream.on('drain', () => this.wakeUp());
    stream.on('close', () => { this.closed = true; this.wakeUp(); });
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Queues text; a chunk is written once about 64 KiB are queued. Check `full` afterwards. */
  write(text: string): void {
    if (this.closed) return;
    // At most 3 bytes per UTF-16 unit: when the text might not fit, write out what is queued first.
    if (text.length * 3 > this.batchBytes - this.used) {
      this.flush();
      if (text.length * 3 > this.batchBytes) { this.send(Buffer.from(text, 'utf8')); return; }
    }
    this.used += this.chunk.write(text, this.used);
  }

  /** Writes what is queued now (the end of an input chunk: interactive readers see lines as they come). */
  flush(): void {
    if (this.closed || this.used === 0) return;
    const data = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(this.batchBytes);
    this.used = 0;
    this.send(data);
  }

  private send(data: Buffer): void {
    if (!this.stream.write(data)) this.full = true;
  }

  /** Resolves when the stream has room again (or was closed); rejects on a write error other than EPIPE. */
  async drained(): Promise<void> {
    while (!this.closed && this.failure === undefined && this.stream.writableNeedDrain) {
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
    this.full = false;
    if (this.failure) throw this.failure;
  }

  /** Flushes, and waits until the stream has room again (what it holds, it writes before the process exits). */
  async end(): Promise<void> {
    this.flush();
    await this.drained();
  }
}

/** Longer lines are not held in memory: they are skipped (no catalog message comes near this size). */
export const MAX_LINE_CHARS = 1 << 20;

export interface LineBatch {
  /** The complete lines of one input chunk, without their terminators. */
  readonly lines: string[];
  /** Over-long lines skipped in this chunk, by line number. */
  readonly skipped: number[];
}

/**
 * The lines of a text stream, one batch per input chunk, split as readline does with crlfDelay Infinity:
 * "\n", "\r\n" and a lone "\r" each end a line; a last line without terminator counts. The reader pulls the
 * next chunk only when the consumer asks for the next batch, so a consumer that waits pauses the input.
 */
export async function* lineBatches(input: Readable, maxLine = MAX_LINE_CHARS): AsyncGenerator<LineBatch> {
  input.setEncoding('utf8');
  let rest = '';
  let lineNo = 0;
  /** Set while the tail of an over-long line is being discarded. */
  let discarding = false;
  for await (const chunk of input as AsyncIterable<string>) {
    let text = rest === '' ? chunk : rest + chunk;
    const skipped: number[] = [];
    // A "\r" at the very end may be the first half of "\r\n": wait for the next chunk to say.
    let held = '';
    if (text.charCodeAt(text.length - 1) === 13) { held = '\r'; text = text.slice(0, -1); }
    const lines = text.indexOf('\r') < 0 ? text.split('\n') : text.split(/\r\n|\r|\n/);
    rest = (lines.pop() as string) + held;
    if (discarding) {
      if (lines.length === 0) { rest = ''; continue; }
      // The first piece is the end of the over-long line, reported already: it stays a line, empty.
      lines[0] = '';
      discarding = false;
    }
    for (let i = 0; i < lines.length; i++) if ((lines[i] as string).length > maxLine) { skipped.push(lineNo + i + 1); lines[i] = ''; }
    lineNo += lines.length;
    if (rest.length > maxLine) {
      skipped.push(lineNo + 1);
      rest = '';
      discarding = true;
    }
    yield { lines, skipped };
  }
  if (rest !== '' && rest !== '\r' && !discarding) yield { lines: [rest.endsWith('\r') ? rest.slice(0, -1) : rest], skipped: [] };
}
