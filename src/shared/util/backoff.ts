// How long to wait before trying again, for everything wg-siem retries (bulk requests to Elasticsearch, paging
// requests). Capped exponential backoff with full jitter: the wait is drawn uniformly from [0, step), the step
// doubling per attempt up to the cap. Of the usual schemes full jitter spreads the retries of many clients that
// failed together the most evenly, so a recovering server is not hit by them in step, and it needs no state
// between attempts (decorrelated jitter needs the previous wait, which each caller would have to carry). A floor
// of half the first step keeps a draw near zero from retrying at once.

export interface BackoffBounds {
  /** The first step; its half is the shortest wait. */
  readonly initialMs: number;
  /** The longest wait. */
  readonly maxMs: number;
}

/** The wait before retrying; attempt counts from 1 (the attempt that failed). */
export function backoffDelay(attempt: number, b: BackoffBounds, random: () => number = Math.random): number {
  // The exponent is capped so that a long outage cannot overflow the step to Infinity.
  const step = Math.min(b.maxMs, b.initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.max(b.initialMs / 2, random() * step);
}
