// Cuts a byte stream into lines without decoding it: a record carries the line's exact bytes, whatever its
// encoding. A line longer than the limit is never held in memory whole — its bytes are counted and dropped — so
// one runaway line (a binary file, a missing newline) cannot exhaust memory or stop the lines after it.

export type LineEvent =
  /** `n` counts every line from 1, blank ones included, so messages can name the line a person sees. */
  | { readonly kind: 'line'; readonly n: number; readonly bytes: Buffer }
  /** A line over the limit: only its length (at least `bytes`) is kept. */
  | { readonly kind: 'oversize'; readonly n: number; readonly bytes: number };

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private readonly maxLineBytes: number;
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Bytes of the current line already dropped because it outgrew the limit; -1 while it still fits. */
  private dropped = -1;
  private n = 0;

  constructor(maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes must be a positive integer, not ${maxLineBytes}`);
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes of an unfinished line waiting for its newline. */
  get pendingBytes(): number {
    return this.dropped >= 0 ? this.dropped : this.partBytes;
  }

  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(LF, from); nl !== -1; nl = chunk.indexOf(LF, from)) {
      out.push(this.finish(chunk.subarray(from, nl)));
      from = nl + 1;
    }
    if (from < chunk.length) this.hold(chunk.subarray(from));
    return out;
  }

  /** The last line when the input does not end with a newline. */
  end(): LineEvent[] {
    if (this.dropped < 0 && this.partBytes === 0) return [];
    return [this.finish(Buffer.alloc(0))];
  }

  private hold(part: Buffer): void {
    if (this.dropped >= 0) { this.dropped += part.length; return; }
    this.parts.push(part);
    this.partBytes += part.length;
    // One byte of slack: a line of exactly the limit may still be followed by the CR of a CRLF.
    if (this.partBytes > this.maxLineBytes + 1) {
      this.dropped = this.partBytes;
      this.parts = [];
      this.partBytes = 0;
    }
  }

  private finish(tail: Buffer): LineEvent {
    const n = ++this.n;
    if (this.dropped >= 0) {
      const bytes = this.dropped + tail.length;
      this.dropped = -1;
      return { kind: 'oversize', n, bytes };
    }
    let line = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail], this.partBytes + tail.length);
    this.parts = [];
    this.partBytes = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLineBytes) return { kind: 'oversize', n, bytes: line.length };
    return { kind: 'line', n, bytes: line };
  }
}

/** True for a line with nothing but spaces and tabs: not a log event, never shipped. */
export function isBlank(line: Buffer): boolean {
  for (const b of line) if (b !== 0x20 && b !== 0x09) return false;
  return true;
}
