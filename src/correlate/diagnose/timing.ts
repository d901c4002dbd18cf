// Tying lines of two hosts together by time alone. wireguard-go prints no address for some rejections, so the
// only link between a server's "invalid mac1" and the client that caused it is that both happen at the same
// moments, every ~5 s. Two things make that weak: timestamps of 1-second resolution on unsynchronised clocks
// (hence a tolerance), and busy hosts whose lines fall near any moment by chance (hence the chance check).

/** Lines closer than this belong to the same attempt (a retry line and its initiation, a rejection and its replay line). */
export const SAME_MOMENT_MS = 1000;
/** At most this probability that chance alone lines up as many attempts: lenient, because short outages give few attempts. */
export const CHANCE_ALPHA = 0.1;

/** Sorted, distinct moments: times closer than SAME_MOMENT_MS to the first of a group count once. */
export function moments(times: readonly number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of sorted) {
    const last = out.at(-1);
    if (last === undefined || t - last >= SAME_MOMENT_MS) out.push(t);
  }
  return out;
}

/** How many attempts have a line within ±tolerance. `lines` must be sorted. */
export function coincidences(attempts: readonly number[], lines: readonly number[], toleranceMs: number): number {
  let n = 0;
  for (const a of attempts) if (hasWithin(lines, a, toleranceMs)) n++;
  return n;
}

export function hasWithin(sorted: readonly number[], t: number, toleranceMs: number): boolean {
  // First index with time ≥ t − tolerance.
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Infinity) < t - toleranceMs) lo = mid + 1;
    else hi = mid;
  }
  const v = sorted[lo];
  return v !== undefined && v <= t + toleranceMs;
}

/**
 * Probability that one attempt finds a line within ±tolerance by chance, if the host's line moments were spread
 * at random over the period (Poisson).
 */
export function chancePerAttempt(lineMoments: number, periodMs: number, toleranceMs: number): number {
  if (periodMs <= 0 || lineMoments <= 0) return 0;
  return 1 - Math.exp(-(lineMoments / periodMs) * 2 * toleranceMs);
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space so long outages do not underflow. */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logRatio = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p); // P(X = 0)
  let tail = 0;
  for (let j = 0; j < n; j++) {
    if (j >= k) tail += Math.exp(logPmf);
    logPmf += Math.log((n - j) / (j + 1)) + logRatio;
  }
  tail += Math.exp(logPmf); // P(X = n)
  return Math.min(1, tail);
}

export interface Coincidence {
  readonly matched: number;
  readonly of: number;
  /** Matches chance alone would give. */
  readonly expected: number;
  /** Probability of at least this many matches by chance. */
  readonly chance: number;
}

export function coincide(attempts: readonly number[], lineTimes: readonly number[], periodMs: number, toleranceMs: number): Coincidence {
  const sorted = [...lineTimes].sort((a, b) => a - b);
  const matched = coincidences(attempts, sorted, toleranceMs);
  const p = chancePerAttempt(moments(sorted).length, periodMs, toleranceMs);
  return { matched, of: attempts.length, expected: attempts.length * p, chance: binomialTail(matched, attempts.length, p) };
}

/** More matches than chance explains. */
export const significant = (c: Coincidence): boolean => c.matched > 0 && c.chance <= CHANCE_ALPHA;
