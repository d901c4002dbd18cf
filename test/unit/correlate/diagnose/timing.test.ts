import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialTail, chancePerAttempt, coincide, hasWithin, moments, significant } from '../../../../src/correlate/diagnose/timing.ts';

test('binomial tail: exact small cases and no underflow on long outages', () => {
  assert.equal(binomialTail(0, 5, 0.3), 1);
  assert.equal(binomialTail(3, 2, 0.3), 0);
  assert.equal(binomialTail(1, 4, 0), 0);
  assert.equal(binomialTail(4, 4, 1), 1);
  assert.ok(Math.abs(binomialTail(1, 2, 0.5) - 0.75) < 1e-12);
  assert.ok(Math.abs(binomialTail(2, 2, 0.1) - 0.01) < 1e-12);
  assert.ok(Math.abs(binomialTail(1, 1000, 0.001) - (1 - 0.999 ** 1000)) < 1e-9);
  const t = binomialTail(900, 1000, 0.5);
  assert.ok(t > 0 && t < 1e-100);
});

test('moments: lines within a second of the first of a group count once', () => {
  assert.deepEqual(moments([5000, 0, 400, 999, 1000]), [0, 1000, 5000]);
  assert.deepEqual(moments([]), []);
});

test('hasWithin is inclusive at both ends of the tolerance', () => {
  const lines = [1000, 8000];
  assert.ok(hasWithin(lines, 3000, 2000));
  assert.ok(hasWithin(lines, 6000, 2000));
  assert.ok(!hasWithin(lines, 3001, 2000));
  assert.ok(!hasWithin(lines, 4500, 2000));
  assert.ok(!hasWithin([], 0, 2000));
});

test('coincide: matches counted per attempt, chance grows with the density of the other host\'s lines', () => {
  const attempts = [0, 5000, 10000, 15000];
  const sparse = coincide(attempts, [300, 5100, 9800, 15200], 60_000, 2000);
  assert.equal(sparse.matched, 4);
  assert.ok(significant(sparse));
  const dense = coincide(attempts, Array.from({ length: 60 }, (_, i) => i * 1000 - 20_000), 60_000, 2000);
  assert.equal(dense.matched, 4);
  assert.ok(!significant(dense), `chance ${dense.chance}`);
  assert.ok(chancePerAttempt(60, 60_000, 2000) > 0.98);
  assert.equal(chancePerAttempt(0, 60_000, 2000), 0);
  assert.ok(!significant(coincide(attempts, [], 60_000, 2000)));
});
