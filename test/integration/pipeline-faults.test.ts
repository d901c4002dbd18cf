// The pipeline as a process, hurt on purpose: kill -9 at random moments, SIGTERM, and Elasticsearch going away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '../../src/shared/config/load.ts';
import { processLine } from '../../src/parse/normalize/line.ts';
import { stackDown, stackStatus, stackUp } from '../../src/dev/stack/stack.ts';
import { readState } from '../../src/dev/stack/stack.ts';
import { stackPaths } from '../../src/dev/stack/paths.ts';
import { stopProcess } from '../../src/dev/stack/proc.ts';
import { pickPort } from '../../src/dev/stack/ports.ts';
import { writeKernelCorpus } from '../../scripts/bench/corpus.ts';
import { countDocs, pipelineFixture, produce, remainingLag, startPipeline } from '../helpers/pipeline.ts';
import { waitFor } from '../helpers/wait.ts';
import type { PipelineFixture } from '../helpers/pipeline.ts';
import { childEnv } from '../helpers/env.ts';

function corpus(n: number, seed: number): { lines: string[]; expected: number } {
  const file = join(tmpdir(), `wg-siem-faults-${process.pid}-${seed}.log`);
  writeKernelCorpus(file, n, seed);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  rmSync(file);
  const now = Date.now();
  const expected = lines.filter((l) => processLine({ value: l, nowMs: now }, { timezone: 'UTC', namespace: 'x', validate: true }).kind === 'event').length;
  return { lines, expected };
}

// A failed assertion must not leave a pipeline running: it would keep the test file (and CI) from ending.
const children = new Set<ChildProcess>();
after(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });

function runProcess(f: PipelineFixture): ChildProcess {
  // TEST_CHILD_LOG=file keeps the child's log (info level) for a failure's post-mortem.
  const log = process.env.TEST_CHILD_LOG;
  const out = log ? openSync(log, 'a') : 'ignore';
  const child = spawn('bin/wg-siem', ['run'], { env: childEnv(f.env, { WG_SIEM_LOG_LEVEL: log ? 'info' : 'warn' }), stdio: ['ignore', out, out] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const exited = (p: ChildProcess): Promise<number | null> => new Promise((r) => {
  if (p.exitCode !== null || p.signalCode !== null) r(p.exitCode);
  else p.once('exit', (code) => r(code));
});

test('kill -9 of the pipeline at random moments, restarted each time: every document exactly once', async () => {
  const f = await pipelineFixture('kill9');
  const { lines, expected } = corpus(60_000, 31);
  await produce(f, lines);
  for (let round = 0; round < 3; round++) {
    const p = runProcess(f);
    // Somewhere between "just connected" and "well into the backlog".
    await new Promise((r) => setTimeout(r, 2500 + Math.random() * 3000));
    p.kill('SIGKILL');
    await exited(p);
  }
  const port = await pickPort(19_465, new Set());
  const last = runProcess({ ...f, env: { ...f.env, WG_SIEM_HTTP_PORT: String(port) } });
  await waitFor('the backlog committed after the kills', 180_000, async () => (await remainingLag(f)) === 0);
  // Both consumer groups joined (the killed instances' sessions expired): a SIGTERM in the middle of a rebalance
  // would wait for it and could run past the shutdown timeout.
  await waitFor('the pipeline ready', 120_000, async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200);
  last.kill('SIGTERM');
  assert.equal(await exited(last), 0);
  assert.equal(await countDocs(f.es, `logs-wireguard.log-${f.namespace}`), expected, 'no document lost, none twice');
  await f.es.close();
});

test('SIGTERM: the process finishes its batch, commits and exits 0; a restart indexes the rest exactly once', async () => {
  const f = await pipelineFixture('sigterm');
  const { lines, expected } = corpus(40_000, 41);
  await produce(f, lines);
  const port = await pickPort(19_464, new Set());
  const p = runProcess({ ...f, env: { ...f.env, WG_SIEM_HTTP_PORT: String(port) } });
  await waitFor('the pipeline serving /readyz', 60_000, async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200);
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  p.kill('SIGTERM');
  assert.equal(await exited(p), 0, 'clean exit');
  assert.ok(Date.now() - t0 < 30_000, 'within the shutdown timeout');
  const docsAfterStop = await countDocs(f.es, `logs-wireguard.log-${f.namespace}`);
  const lagAfterStop = await remainingLag(f);
  // Whatever was committed is indexed: committed records = all records - lag.
  assert.ok(docsAfterStop > 0, 'some documents were indexed before the stop');
  assert.ok(lagAfterStop < lines.length);
  const again = runProcess(f);
  await waitFor('the rest committed', 120_000, async () => (await remainingLag(f)) === 0);
  again.kill('SIGTERM');
  assert.equal(await exited(again), 0);
  assert.equal(await countDocs(f.es, `logs-wireguard.log-${f.namespace}`), expected);
  await f.es.close();
});

test('Elasticsearch stopped for 30 s mid-run: the pipeline pauses, retries and recovers by itself, nothing lost or doubled', async (t) => {
  // A stack of its own: stopping the shared Elasticsearch would disturb other tests.
  const dir = mkdtempSync('/tmp/wg-siem-esdown-');
  chmodSync(dir, 0o755);
  const c = loadConfig({ WG_SIEM_STACK_DIR: dir });
  const up = await stackUp(c);
  t.after(async () => { await stackDown(c, { purge: true }); rmSync(dir, { recursive: true, force: true }); });
  const url = up.status.elasticsearch.url ?? '';
  const f = await pipelineFixture('esdown', { WG_SIEM_KAFKA_BROKERS: up.status.kafka.brokers.join(','), WG_SIEM_ES_NODES: url }, { brokers: up.status.kafka.brokers, esUrl: url });
  const { lines, expected } = corpus(60_000, 51);
  await produce(f, lines);
  let paused = 0;
  let resumed = 0;
  const p = startPipeline(f, { ...(await import('../../src/indexing/pipeline.ts')).NO_HOOKS, paused: (v) => { if (v) paused++; else resumed++; } });
  await p.start();
  await waitFor('some documents indexed', 60_000, async () => (await countDocs(f.es, `logs-wireguard.log-${f.namespace}`)) > 0);
  const es = readState(stackPaths(c)).elasticsearch;
  assert.ok(es);
  await stopProcess(es.pid, es.marker, 60_000);
  // Records that arrive during the outage can only be committed once they are indexed: however much of the first
  // corpus the pipeline got through before the stop (all of it, on a fast machine), these are work left for after.
  const during = corpus(5_000, 52);
  await produce(f, during.lines);
  await new Promise((r) => setTimeout(r, 30_000));
  const lagWhileDown = await remainingLag(f);
  await stackUp(c);
  await waitFor('the backlog committed after the outage', 240_000, async () => (await remainingLag(f)) === 0);
  await p.stop();
  assert.ok(lagWhileDown >= during.lines.length, `${lagWhileDown} records uncommitted while Elasticsearch was down, ${during.lines.length} produced during the outage`);
  assert.ok(paused >= 1 && resumed >= 1, `paused ${paused}, resumed ${resumed}`);
  const fresh = new Client({ node: url });
  assert.equal(await countDocs(fresh, `logs-wireguard.log-${f.namespace}`), expected + during.expected);
  await fresh.close();
  await f.es.close();
  assert.equal((await stackStatus(c)).elasticsearch.running, true);
});
