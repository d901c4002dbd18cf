// Event counts per time bucket, as a flat [index, count, index, count, ...] array sorted by index. A group keeps
// only the buckets of its window plus the allowed lateness, so its memory is bounded by the rule, never by the
// number of events (no event is stored).

/** Bucket width for a window: window/60, at least one second. */
export function bucketWidth(windowMs: number): number {
  return Math.max(1000, Math.floor(windowMs / 60));
}

export function bucketAdd(b: number[], idx: number, n: number): void {
  // Most events land in the newest bucket; walk from the end.
  let i = b.length - 2;
  while (i >= 0 && (b[i] ?? 0) > idx) i -= 2;
  if (i >= 0 && b[i] === idx) { b[i + 1] = (b[i + 1] ?? 0) + n; return; }
  b.splice(i + 2, 0, idx, n);
}

/** Sum of buckets with from <= index <= to. */
export function bucketSum(b: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) {
    const idx = b[i] ?? 0;
    if (idx >= from && idx <= to) s += b[i + 1] ?? 0;
  }
  return s;
}

/** Oldest bucket index >= from, or undefined. */
export function bucketOldest(b: readonly number[], from: number): number | undefined {
  for (let i = 0; i < b.length; i += 2) if ((b[i] ?? 0) >= from) return b[i];
  return undefined;
}

export function bucketPrune(b: number[], minIdx: number): void {
  let k = 0;
  while (k < b.length && (b[k] ?? 0) < minIdx) k += 2;
  if (k > 0) b.splice(0, k);
}
