import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Batcher, RECORD_OVERHEAD_BYTES, recordBytes } from '../../../../src/source/kafka/batch.ts';
import type { OutRecord } from '../../../../src/source/kafka/batch.ts';

const rec = (value: string, key: string | null = null): OutRecord => ({ key, value: Buffer.from(value) });

test('recordBytes: value, key and the per-record overhead (key counted in UTF-8 bytes)', () => {
  assert.equal(recordBytes(rec('abc')), RECORD_OVERHEAD_BYTES + 3);
  assert.equal(recordBytes(rec('abc', 'gw-ü')), RECORD_OVERHEAD_BYTES + 3 + 5);
});

test('a batch closes when it reaches the record count', () => {
  const b = new Batcher({ maxRecords: 3, maxBytes: 1 << 20 });
  assert.deepEqual(b.add(rec('1')), []);
  assert.deepEqual(b.add(rec('2')), []);
  const full = b.add(rec('3'));
  assert.equal(full.length, 1);
  assert.deepEqual(full[0]?.map((r) => r.value.toString()), ['1', '2', '3']);
  assert.equal(b.size, 0);
  assert.equal(b.pendingBytes, 0);
});

test('a record that would push the open batch over the byte bound starts the next batch', () => {
  const per = RECORD_OVERHEAD_BYTES + 10;
  const b = new Batcher({ maxRecords: 100, maxBytes: per * 2 + 5 });
  assert.deepEqual(b.add(rec('a'.repeat(10))), []);
  assert.deepEqual(b.add(rec('b'.repeat(10))), []);
  const full = b.add(rec('c'.repeat(10)));
  assert.deepEqual(full.map((batch) => batch.map((r) => r.value.toString()[0])), [['a', 'b']]);
  assert.equal(b.size, 1);
  assert.equal(b.pendingBytes, per);
});

test('a batch that reaches the byte bound exactly is closed at once', () => {
  const per = RECORD_OVERHEAD_BYTES + 10;
  const b = new Batcher({ maxRecords: 100, maxBytes: per * 2 });
  b.add(rec('a'.repeat(10)));
  assert.equal(b.add(rec('b'.repeat(10))).length, 1);
  assert.equal(b.size, 0);
});

test('a record larger than the byte bound goes alone, after the open batch', () => {
  const b = new Batcher({ maxRecords: 100, maxBytes: 100 });
  b.add(rec('small'));
  const full = b.add(rec('x'.repeat(500)));
  assert.deepEqual(full.map((batch) => batch.length), [1, 1]);
  assert.equal(full[1]?.[0]?.value.length, 500);
  assert.equal(b.size, 0);
});

test('take() hands over the open batch, empty or not', () => {
  const b = new Batcher({ maxRecords: 10, maxBytes: 1000 });
  assert.deepEqual(b.take(), []);
  b.add(rec('x', 'h'));
  assert.deepEqual(b.take(), [rec('x', 'h')]);
  assert.deepEqual(b.take(), []);
});

test('limits must be positive whole numbers', () => {
  assert.throws(() => new Batcher({ maxRecords: 0, maxBytes: 10 }), RangeError);
  assert.throws(() => new Batcher({ maxRecords: 1, maxBytes: 1.5 }), RangeError);
});

test('property: batches keep every record once, in order, and within both bounds unless a record is alone', () => {
  fc.assert(fc.property(
    fc.array(fc.record({ size: fc.nat({ max: 400 }), key: fc.option(fc.string({ maxLength: 8 })) }), { maxLength: 200 }),
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 1, max: 2000 }),
    (specs, maxRecords, maxBytes) => {
      const records = specs.map((s, i) => ({ key: s.key, value: Buffer.alloc(s.size, i % 251) }));
      const b = new Batcher({ maxRecords, maxBytes });
      const batches = records.flatMap((r) => b.add(r));
      const last = b.take();
      if (last.length) batches.push(last);
      assert.deepEqual(batches.flat(), records);
      for (const batch of batches) {
        assert.ok(batch.length >= 1 && batch.length <= maxRecords);
        const bytes = batch.reduce((n, r) => n + recordBytes(r), 0);
        assert.ok(batch.length === 1 || bytes <= maxBytes, `${batch.length} records, ${bytes} bytes > ${maxBytes}`);
      }
    },
  ));
});
