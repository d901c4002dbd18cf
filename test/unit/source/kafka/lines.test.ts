import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineSplitter, isBlank } from '../../../../src/source/kafka/lines.ts';
import type { LineEvent } from '../../../../src/source/kafka/lines.ts';

function split(chunks: readonly (string | Buffer)[], max = 1024): LineEvent[] {
  const s = new LineSplitter(max);
  return [...chunks.flatMap((c) => s.push(typeof c === 'string' ? Buffer.from(c) : c)), ...s.end()];
}

const shown = (events: readonly LineEvent[]): string[] =>
  events.map((e) => (e.kind === 'line' ? `${e.n}:${e.bytes.toString()}` : `${e.n}:oversize ${e.bytes}`));

test('lines split across chunks come out whole, numbered from 1, blank lines counted', () => {
  assert.deepEqual(shown(split(['ab', 'c\nd', 'e\n\nf\n'])), ['1:abc', '2:de', '3:', '4:f']);
});

test('CRLF loses its CR; a last line without a newline is kept; an empty input has no lines', () => {
  assert.deepEqual(shown(split(['one\r\ntwo\r', '\nthree'])), ['1:one', '2:two', '3:three']);
  assert.deepEqual(split([]), []);
  assert.deepEqual(split(['']), []);
});

test('bytes are kept as they are, invalid UTF-8 included', () => {
  const raw = Buffer.from([0x66, 0xff, 0xfe, 0xc3, 0x0a, 0xe6, 0x9d, 0xb1, 0x0a]);
  const out = split([raw]);
  assert.deepEqual(out.map((e) => (e.kind === 'line' ? [...e.bytes] : [])), [[0x66, 0xff, 0xfe, 0xc3], [0xe6, 0x9d, 0xb1]]);
});

test('a line over the limit is reported with its length and skipped; the next line is intact', () => {
  const long = 'x'.repeat(50);
  assert.deepEqual(shown(split(['before\n', long.slice(0, 20), long.slice(20), '\nafter\n'], 10)), ['1:before', '2:oversize 50', '3:after']);
  // Over the limit within one chunk, and as the last line without a newline.
  assert.deepEqual(shown(split([`${long}\nok\n${long}`], 10)), ['1:oversize 50', '2:ok', '3:oversize 50']);
});

test('a line of exactly the limit passes, with or without CRLF; one byte more does not', () => {
  assert.deepEqual(shown(split(['0123456789\r\n0123456789\n'], 10)), ['1:0123456789', '2:0123456789']);
  assert.deepEqual(shown(split(['0123456789A\r\n'], 10)), ['1:oversize 11']);
  assert.deepEqual(shown(split(['01234', '56789', '\r', '\n'], 10)), ['1:0123456789']);
});

test('an oversize line is not buffered: only a counter grows', () => {
  const s = new LineSplitter(100);
  for (let i = 0; i < 100; i++) s.push(Buffer.alloc(10_000, 0x61));
  assert.equal(s.pendingBytes, 1_000_000);
  assert.deepEqual(shown(s.push(Buffer.from('\nnext\n'))), ['1:oversize 1000000', '2:next']);
});

test('isBlank: spaces and tabs only', () => {
  assert.ok(isBlank(Buffer.from('')));
  assert.ok(isBlank(Buffer.from(' \t ')));
  assert.ok(!isBlank(Buffer.from(' x ')));
});

test('property: any chunking of the input gives the same lines as splitting it whole', () => {
  fc.assert(fc.property(
    fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', '\r', ''), fc.string({ maxLength: 30 })), { maxLength: 40 }),
    fc.array(fc.nat({ max: 50 }), { maxLength: 20 }),
    fc.integer({ min: 1, max: 40 }),
    (parts, cuts, max) => {
      const whole = Buffer.from(parts.join(''));
      const chunks: Buffer[] = [];
      let at = 0;
      for (const c of cuts) { const end = Math.min(whole.length, at + c); chunks.push(whole.subarray(at, end)); at = end; }
      chunks.push(whole.subarray(at));
      const expected = whole.length === 0 ? [] : whole.toString('latin1').split('\n');
      if (expected.at(-1) === '') expected.pop();
      const want = expected.map((l, i) => {
        const line = l.endsWith('\r') ? l.slice(0, -1) : l;
        return Buffer.byteLength(line, 'latin1') > max ? `${i + 1}:oversize` : `${i + 1}:${line}`;
      });
      const got = split(chunks, max).map((e) => (e.kind === 'line' ? `${e.n}:${e.bytes.toString('latin1')}` : `${e.n}:oversize`));
      assert.deepEqual(got, want);
    },
  ));
});
