import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hll } from '../../../../src/correlate/rules/hll.ts';

function relError(n: number, prefix: string): number {
  const h = new Hll();
  for (let i = 0; i < n; i++) h.add(`${prefix}${(i >>> 24) & 255}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`);
  return Math.abs(h.estimate() - n) / n;
}

test('HyperLogLog error within 3 % on 100k and 1M distinct IPv4 addresses', () => {
  for (const n of [100_000, 1_000_000]) {
    const e = relError(n, '');
    assert.ok(e < 0.03, `n=${n}: error ${(e * 100).toFixed(2)} %`);
  }
});

test('HyperLogLog: small counts (linear counting) and duplicates', () => {
  const h = new Hll();
  for (let r = 0; r < 3; r++) for (let i = 0; i < 1000; i++) h.add(`2001:db8::${i.toString(16)}`);
  assert.ok(Math.abs(h.estimate() - 1000) < 30);
});
