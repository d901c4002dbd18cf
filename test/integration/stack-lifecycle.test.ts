// A second, independent local stack in a state directory of its own: up from the shared download cache (no
// network), status, down — and afterwards none of its processes remain.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/shared/config/load.ts';
import { stackPaths } from '../../src/dev/stack/paths.ts';
import { cli } from '../helpers/cli.ts';

test('stack up / status --json / down in a separate state directory leaves nothing running', async () => {
  // /tmp itself is world-searchable; mkdtemp makes the folder 700, which the Elasticsearch user cannot enter.
  const dir = mkdtempSync('/tmp/wg-siem-stack-test-');
  chmodSync(dir, 0o755);
  const env = { WG_SIEM_STACK_DIR: dir };
  const cacheDir = stackPaths(loadConfig({})).cache;
  const cachedBefore = existsSync(join(cacheDir, 'kafka-4.4.0', '.complete')) && existsSync(join(cacheDir, 'elasticsearch-9.5.4', '.complete'));
  try {
    const up = await cli(['stack', 'up', '--json'], env);
    assert.equal(up.code, 0, up.stderr);
    const report = JSON.parse(up.stdout) as { downloaded: string[]; status: { kafka: { pid: number; brokers: string[] }; elasticsearch: { pid: number; url: string } } };
    if (cachedBefore) assert.deepEqual(report.downloaded, [], 'a warm cache needs no download');

    const st = await cli(['stack', 'status', '--json'], env);
    assert.equal(st.code, 0, st.stderr);
    const s = JSON.parse(st.stdout) as { kafka: { running: boolean; brokers: string[] }; elasticsearch: { running: boolean; url: string } };
    assert.equal(s.kafka.running, true);
    assert.match(s.kafka.brokers[0] ?? '', /^127\.0\.0\.1:\d+$/);
    assert.match(s.elasticsearch.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    // The shared test stack may hold the default ports: this one must have picked others.
    const health = await fetch(`${s.elasticsearch.url}/_cluster/health`);
    assert.equal(health.status, 200);

    const pids = [report.status.kafka.pid, report.status.elasticsearch.pid];
    const down = await cli(['stack', 'down'], env);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /kafka: (stopped|killed)/);
    assert.match(down.stdout, /elasticsearch: (stopped|killed)/);
    for (const pid of pids) {
      let alive = false;
      try { alive = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir); } catch { alive = false; }
      assert.equal(alive, false, `pid ${pid} still runs`);
    }
    const after = await cli(['stack', 'status', '--json'], env);
    assert.equal(after.code, 3);
    assert.equal((JSON.parse(after.stdout) as { kafka: { running: boolean } }).kafka.running, false);
  } finally {
    await cli(['stack', 'down', '--purge'], env);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a state directory the Elasticsearch user cannot reach fails with a message that says so', { skip: process.getuid?.() !== 0 ? 'only as root' : false }, async () => {
  const dir = mkdtempSync('/tmp/wg-siem-stack-test-');
  chmodSync(dir, 0o700);
  try {
    const up = await cli(['stack', 'up'], { WG_SIEM_STACK_DIR: dir });
    assert.equal(up.code, 1);
    assert.match(up.stderr, /Elasticsearch runs as user .* cannot reach/);
    const st = await cli(['stack', 'status', '--json'], { WG_SIEM_STACK_DIR: dir });
    assert.equal((JSON.parse(st.stdout) as { kafka: { running: boolean } }).kafka.running, false, 'Kafka started by the failed call was stopped');
  } finally {
    await cli(['stack', 'down', '--purge'], { WG_SIEM_STACK_DIR: dir });
    rmSync(dir, { recursive: true, force: true });
  }
});
