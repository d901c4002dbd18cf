// Waiting for a condition that has no event to wait for (a broker joining, a topic's leaders, a node's health):
// the one polling loop of wg-siem's own code. A probe answers `true` when the condition holds, or says what it saw
// instead, so that a timeout can tell how far things got.
import { setTimeout as sleep } from 'node:timers/promises';

/** What a probe saw when the condition did not hold yet. */
export type ProbeAnswer = true | string;

/**
 * Calls `probe` every `intervalMs` (an exception counts as its message) until it answers true; resolves with
 * undefined then, or with the last answer once `timeoutMs` has passed.
 */
export async function pollUntil(probe: () => Promise<ProbeAnswer>, timeoutMs: number, intervalMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const a = await probe();
      if (a === true) return undefined;
      last = a;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() >= deadline) return last;
    await sleep(intervalMs);
  }
}
