// Rule durations are written the way people say them ("30s", "2m", "1h"); the core works in milliseconds.
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const DURATION_PATTERN = '^[0-9]+(ms|s|m|h|d)$';

/** Milliseconds of a duration such as `30s`, `2m`, `1h`, `1d` or `250ms`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]+)(ms|s|m|h|d)$/.exec(text);
  if (!m) return undefined;
  const unit = UNIT_MS[m[2] ?? ''];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}
