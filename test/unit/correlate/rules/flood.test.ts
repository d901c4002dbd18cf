// 1,000,000 spoofed sources through the distinct rule and a per-source rule: bounded state, and the distinct rule
// fires. The time it takes is printed, not asserted (a loaded CI machine is no benchmark; see bench:alerts).
// Heap bound: 200 MB growth (cap 100,000 groups × ~1 KB + sketches); measured in the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Correlator } from '../../../../src/correlate/rules/correlator.ts';
import { T0, invalidInit, rule } from './helpers.ts';

const N = 1_000_000;
const CAP = 100_000;
const HEAP_BOUND = 200 * 1024 * 1024;

// A full collection before each measurement, so the growth is live state rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('1M spoofed source IPs: distinct rule fires, groups ≤ cap, heap growth bounded', () => {
  const c = new Correlator([rule('distributed-invalid-initiations'), rule('invalid-initiation-burst')], { maxGroupsPerRule: CAP });
  gc();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  let opened = 0, peakHeap = 0;
  let maxDistinct = 0;
  for (let i = 0; i < N; i++) {
    // 10k events per second: 1M events over 100 s, every source once
    const t = T0 + Math.floor(i / 10);
    const out = c.observe(invalidInit(t, `${(i >>> 24) + 10}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`), t);
    for (const tr of out) {
      if (tr.kind === 'opened') opened++;
      if (tr.alert.rule.id === 'distributed-invalid-initiations') maxDistinct = Math.max(maxDistinct, tr.alert.distinct ?? 0);
    }
    if (i % 100_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - started) / 1000;
  gc();
  const growth = process.memoryUsage().heapUsed - before;
  const st = c.stats();
  process.stdout.write(`# flood: ${seconds.toFixed(1)} s, heap growth ${(growth / 1048576).toFixed(1)} MB (peak sampled ${((peakHeap - before) / 1048576).toFixed(1)} MB), live ${st.groupsLive}, evicted ${st.groupsEvicted}, max distinct ${maxDistinct}\n`);
  assert.equal(opened, 1, 'one distributed alert, no per-source alert');
  assert.equal(st.perRule['distributed-invalid-initiations']?.open, 1);
  assert.ok((st.perRule['invalid-initiation-burst']?.groups ?? Infinity) <= CAP);
  assert.equal(st.perRule['invalid-initiation-burst']?.evicted, N - CAP);
  assert.ok(growth < HEAP_BOUND, `heap growth ${growth}`);
});
