// The one polling helper of the tests, for what has no event to wait for (a count in Elasticsearch, a hook's log,
// a file another process writes).

/**
 * Calls `check` every `intervalMs` until it holds; after `timeoutMs` fails, naming `what` (a function is asked
 * at that moment, so the message can tell how far things got).
 */
export async function waitFor(what: string | (() => string), timeoutMs: number, check: () => boolean | Promise<boolean>, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
}
