// Node's test runner calls these once around the whole run: one stack for every integration test file.
import { loadConfig } from '../../src/shared/config/load.ts';
import { stackDown, stackStatus, stackUp } from '../../src/dev/stack/stack.ts';

let startedHere = false;

export async function globalSetup(): Promise<void> {
  const c = loadConfig();
  const before = await stackStatus(c);
  if (before.kafka.running && before.elasticsearch.running) {
    process.stderr.write(`test stack: reusing the running local stack (${before.kafka.brokers.join(',')}, ${before.elasticsearch.url})\n`);
    return;
  }
  const r = await stackUp(c);
  startedHere = true;
  process.stderr.write(`test stack: started in ${r.seconds.total} s${r.downloaded.length ? ` (downloaded ${r.downloaded.join(', ')})` : ''}: `
    + `${r.status.kafka.brokers.join(',')}, ${r.status.elasticsearch.url}\n`);
}

export async function globalTeardown(): Promise<void> {
  if (!startedHere) return;
  const r = await stackDown(loadConfig());
  process.stderr.write(`test stack: stopped (kafka ${r.kafka}, elasticsearch ${r.elasticsearch})\n`);
}
