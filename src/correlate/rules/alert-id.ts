// Alert ids are derived, not random, so a replay or a restart from a snapshot writes the same alert document.
import { createHash } from 'node:crypto';

export function alertId(ruleId: string, groupKey: string, windowStartMs: number): string {
  return createHash('sha256').update(`${ruleId}\n${groupKey}\n${windowStartMs}`).digest('hex').slice(0, 32);
}
