// kafkajs ships only gzip; Snappy, LZ4 and ZSTD batches — what Filebeat, Vector (librdkafka, sarama) and the Java
// client write by default or on request — fail to decode until a codec is registered. The codec libraries are
// loaded on first use, so a platform without a prebuilt LZ4 binary still starts and fails only if it meets LZ4.
//   Snappy: snappyjs (pure JavaScript) plus xerial framing (./xerial.ts).
//   LZ4:    lz4-napi (lz4_flex, prebuilt N-API binaries shipped as npm packages) in the LZ4 frame format with
//           independent blocks — the only LZ4 the Java client and broker accept.
//   ZSTD:   node:zlib (libzstd inside Node ≥ 22.15): no package at all. The zstd packages with native code fetch
//           their binaries from GitHub at install time, which fails where only the npm registry is reachable.
// Default import: Node's CommonJS export detection finds CompressionTypes in kafkajs but not CompressionCodecs.
import kafkajs, { CompressionTypes } from 'kafkajs';
import type * as Lz4Api from 'lz4-napi';
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';
import { isXerial, xerialChunks } from './xerial.ts';

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const TYPES: Record<Compression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** The kafkajs compression type of a configured codec name (`producer.send({ compression })`). */
export function compressionType(c: Compression): CompressionTypes {
  return TYPES[c];
}

/**
 * Most bytes one compressed record batch may expand to. Snappy and ZSTD headers state the output size, so a few
 * hostile bytes could otherwise make us allocate gigabytes; a real batch (≤ 1 MiB compressed by default) is far
 * below this even at 100:1.
 */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** What kafkajs expects of a codec (its typings say `any`). */
export interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

export type Registered = 'snappy' | 'lz4' | 'zstd';
const counts: Record<Registered, { compressed: number; decompressed: number }> = {
  snappy: { compressed: 0, decompressed: 0 },
  lz4: { compressed: 0, decompressed: 0 },
  zstd: { compressed: 0, decompressed: 0 },
};

/** How many batches each registered codec compressed and decompressed in this process (observability, tests). */
export function codecStats(): Readonly<Record<Registered, { readonly compressed: number; readonly decompressed: number }>> {
  return { snappy: { ...counts.snappy }, lz4: { ...counts.lz4 }, zstd: { ...counts.zstd } };
}

const require = createRequire(import.meta.url);

interface SnappyJs {
  compress(input: Buffer): Buffer;
  uncompress(input: Buffer, maxLength?: number): Buffer;
}

let snappyjs: SnappyJs | undefined;
let lz4: typeof Lz4Api | undefined;

function loadLz4(): typeof Lz4Api {
  try {
    lz4 ??= require('lz4-napi') as typeof Lz4Api;
    return lz4;
  } catch (e) {
    throw new Error(`LZ4 needs lz4-napi's prebuilt binary for ${process.platform}-${process.arch}, which did not load: ${(e as Error).message}`, { cause: e });
  }
}

export function snappyDecompress(input: Buffer, maxBytes = MAX_DECOMPRESSED_BYTES): Buffer {
  const s = (snappyjs ??= require('snappyjs') as SnappyJs);
  if (!isXerial(input)) return s.uncompress(input, maxBytes);
  const out: Buffer[] = [];
  let total = 0;
  for (const chunk of xerialChunks(input)) {
    const part = s.uncompress(chunk, maxBytes - total);
    total += part.length;
    out.push(part);
  }
  return Buffer.concat(out, total);
}

const snappy: KafkajsCodec = {
  // Raw Snappy, as librdkafka and sarama write it: the Java reader takes raw blocks as well as xerial streams.
  compress: ({ buffer }) => {
    counts.snappy.compressed++;
    return Promise.resolve((snappyjs ??= require('snappyjs') as SnappyJs).compress(buffer));
  },
  decompress: (buffer) => {
    counts.snappy.decompressed++;
    return Promise.resolve(snappyDecompress(buffer));
  },
};

const lz4Codec: KafkajsCodec = {
  // The async calls run on libuv's pool: a large batch does not stall the consumer's event loop.
  compress: async ({ buffer }) => {
    counts.lz4.compressed++;
    return loadLz4().compressFrame(buffer);
  },
  decompress: async (buffer) => {
    counts.lz4.decompressed++;
    return loadLz4().decompressFrame(buffer);
  },
};

function zstdAvailable(): boolean {
  return typeof (zlib as Partial<typeof zlib>).zstdCompress === 'function';
}

function zstdMissing(): Error {
  return new Error(`ZSTD needs Node.js ≥ 22.15 (node:zlib zstd); this is ${process.version}`);
}

const zstd: KafkajsCodec = {
  compress: ({ buffer }) => {
    counts.zstd.compressed++;
    if (!zstdAvailable()) return Promise.reject(zstdMissing());
    // Level 3 is both libzstd's and Kafka's default; the pledged size puts the content size in the frame header.
    return new Promise((resolve, reject) => zlib.zstdCompress(buffer, { pledgedSrcSize: buffer.length }, (e, out) => (e ? reject(e) : resolve(out))));
  },
  decompress: (buffer) => {
    counts.zstd.decompressed++;
    if (!zstdAvailable()) return Promise.reject(zstdMissing());
    return new Promise((resolve, reject) => zlib.zstdDecompress(buffer, { maxOutputLength: MAX_DECOMPRESSED_BYTES }, (e, out) => (e ? reject(e) : resolve(out))));
  },
};

/** The codecs kafkajs is given, by name. */
export const CODECS: Readonly<Record<Registered, KafkajsCodec>> = { snappy, lz4: lz4Codec, zstd };

let registered = false;

/** Teaches kafkajs Snappy, LZ4 and ZSTD (it ships only gzip). Safe to call any number of times. */
export function registerCodecs(): void {
  if (registered) return;
  const codecs = kafkajs.CompressionCodecs;
  codecs[CompressionTypes.Snappy] = () => snappy;
  codecs[CompressionTypes.LZ4] = () => lz4Codec;
  codecs[CompressionTypes.ZSTD] = () => zstd;
  registered = true;
}
