import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { CODECS, codecStats, registerCodecs, snappyDecompress } from '../../../../src/source/kafka/codecs.ts';
import type { Registered } from '../../../../src/source/kafka/codecs.ts';
import { isXerial, xerialChunks, xerialFrame } from '../../../../src/source/kafka/xerial.ts';

const NAMES: readonly Registered[] = ['snappy', 'lz4', 'zstd'];
// Log-like text (compressible), binary noise (not), and both across LZ4's and xerial's block sizes.
const SAMPLES = [
  Buffer.from('wireguard: wg0: Invalid handshake initiation from 203.0.113.7:51820 — Zürich 東京 🚀\n'.repeat(3000)),
  randomBytes(300_000),
  Buffer.from('x'),
];

for (const name of NAMES) {
  test(`${name}: what it compresses it decompresses byte for byte, and it counts both`, async () => {
    const before = codecStats()[name];
    for (const s of SAMPLES) {
      const packed = await CODECS[name].compress({ buffer: s });
      assert.ok((await CODECS[name].decompress(packed)).equals(s));
    }
    const after = codecStats()[name];
    assert.equal(after.compressed - before.compressed, SAMPLES.length);
    assert.equal(after.decompressed - before.decompressed, SAMPLES.length);
  });
}

test('registerCodecs can be called again', () => {
  registerCodecs();
  registerCodecs();
});

test('lz4 writes an LZ4 frame with independent blocks (the Java client and broker refuse dependent ones)', async () => {
  const f = await CODECS.lz4.compress({ buffer: SAMPLES[0] ?? Buffer.alloc(0) });
  assert.equal(f.readUInt32LE(0), 0x184d2204, 'LZ4 frame magic');
  const flg = f[4] ?? 0;
  assert.equal(flg >> 6, 1, 'frame version 01');
  assert.equal(flg & 0x20, 0x20, 'block independence flag');
});

test('snappy reads raw blocks and xerial streams of several chunks (what the Java client writes)', async () => {
  const a = Buffer.from('first chunk — ü\n'.repeat(100));
  const b = randomBytes(1000);
  const raw = (x: Buffer): Promise<Buffer> => CODECS.snappy.compress({ buffer: x });
  const framed = xerialFrame([await raw(a), await raw(b)]);
  assert.ok(isXerial(framed));
  assert.equal(xerialChunks(framed).length, 2);
  assert.ok(snappyDecompress(framed).equals(Buffer.concat([a, b])));
  assert.ok(snappyDecompress(await raw(a)).equals(a));
  assert.ok(!isXerial(await raw(a)));
});

test('snappy refuses a cut xerial stream and output over the limit instead of allocating it', async () => {
  const framed = xerialFrame([await CODECS.snappy.compress({ buffer: Buffer.alloc(5000, 0x61) })]);
  assert.throws(() => snappyDecompress(framed.subarray(0, framed.length - 3)), /runs past the end/);
  assert.throws(() => snappyDecompress(framed.subarray(0, 18)), /truncated chunk length/);
  assert.throws(() => snappyDecompress(framed, 4000), /too big/);
  // A raw block whose header claims 1 GiB: refused from the header alone.
  assert.throws(() => snappyDecompress(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00])), /too big/);
});

test('zstd reads frames without a content size (what a streaming compressor such as zstd-jni writes)', async () => {
  const { createZstdCompress } = await import('node:zlib');
  const s = SAMPLES[0] ?? Buffer.alloc(0);
  // Written in two parts, the size is unknown when the frame header is written: the header has no content size.
  const z = createZstdCompress();
  const parts: Buffer[] = [];
  z.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise((resolve) => z.on('end', resolve));
  z.write(s.subarray(0, 1000));
  await new Promise((resolve) => setImmediate(resolve));
  z.end(s.subarray(1000));
  await done;
  const frame = Buffer.concat(parts);
  assert.equal((frame[4] ?? 0) >> 6, 0, 'no Frame_Content_Size in the header');
  assert.ok((await CODECS.zstd.decompress(frame)).equals(s));
});

test('a cut batch is an error, not a shorter batch', async () => {
  // Raw Snappy and LZ4 frames without block checksums cannot notice flipped bits; a cut they must notice.
  for (const name of NAMES) {
    const packed = await CODECS[name].compress({ buffer: SAMPLES[0] ?? Buffer.alloc(0) });
    await assert.rejects(async () => CODECS[name].decompress(packed.subarray(0, packed.length - 7)), `${name} accepted a cut batch`);
  }
});
