// When to try a paging request again, and how long to wait first (the wait itself: shared/util/backoff.ts).
import type { Backoff } from './types.ts';

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 60_000 };
/** Retry-After is obeyed up to this: an answer saying "come back tomorrow" would hold every later page behind it. */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;


/** Retry-After in ms: delta-seconds or an HTTP date (against the wall clock, as the server meant it). */
export function parseRetryAfter(v: string | null, wallNowMs: number): number | undefined {
  if (v === null) return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Math.min(Number(s) * 1000, RETRY_AFTER_CAP_MS);
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  return Math.min(Math.max(0, t - wallNowMs), RETRY_AFTER_CAP_MS);
}
