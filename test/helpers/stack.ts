// Integration tests talk to the real local stack: a real Kafka broker (KRaft) and a real Elasticsearch node.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/shared/config/load.ts';
import { stackStatus, stackUp } from '../../src/dev/stack/stack.ts';

export interface TestStack {
  readonly brokers: string[];
  readonly esUrl: string;
}

let cached: Promise<TestStack> | undefined;

/** The running local stack; brought up (downloads cached) when a test file runs on its own. */
export function testStack(): Promise<TestStack> {
  cached ??= (async () => {
    const c = loadConfig();
    let s = await stackStatus(c);
    if (!s.kafka.running || !s.elasticsearch.running) s = (await stackUp(c)).status;
    if (!s.elasticsearch.url) throw new Error('local Elasticsearch is not reachable');
    return { brokers: s.kafka.brokers, esUrl: s.elasticsearch.url };
  })();
  return cached;
}

/** A name no other test (or earlier run) uses: data streams cannot be deleted on the minimal build. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Rejects after `ms` with a message saying what was awaited; the timer never keeps the process alive. */
export async function within<T>(ms: number, what: () => string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
