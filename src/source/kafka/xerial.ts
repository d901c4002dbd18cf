// Snappy comes in two shapes on a Kafka wire: librdkafka, sarama and kafkajs write one raw Snappy block, while the
// Java client — and the broker itself whenever it recompresses a batch — writes xerial's stream framing: a 16-byte
// header, then chunks of (32-bit big-endian length, raw Snappy block). A reader has to accept both.

const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]); // "\x82SNAPPY\0"
const HEADER_BYTES = 16; // magic, version, oldest compatible version
const VERSION = 1;

export function isXerial(b: Uint8Array): boolean {
  return b.length >= HEADER_BYTES && MAGIC.equals(b.subarray(0, MAGIC.length));
}

/** The raw Snappy blocks of a xerial stream; throws when a chunk is cut short (a damaged record batch). */
export function xerialChunks(b: Buffer): Buffer[] {
  if (!isXerial(b)) throw new Error('not a xerial Snappy stream');
  const chunks: Buffer[] = [];
  let at = HEADER_BYTES;
  while (at < b.length) {
    if (at + 4 > b.length) throw new Error(`xerial Snappy stream: truncated chunk length at byte ${at}`);
    const n = b.readUInt32BE(at);
    at += 4;
    if (at + n > b.length) throw new Error(`xerial Snappy stream: chunk of ${n} bytes at byte ${at} runs past the end (${b.length})`);
    chunks.push(b.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

/** Frames raw Snappy blocks the way the Java client does (used to prove the reader against that shape). */
export function xerialFrame(blocks: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(VERSION, 8);
  header.writeUInt32BE(VERSION, 12);
  const parts: Uint8Array[] = [header];
  for (const blk of blocks) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(blk.length, 0);
    parts.push(len, blk);
  }
  return Buffer.concat(parts);
}
