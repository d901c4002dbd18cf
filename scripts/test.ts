// `npm test`: type check, lint, then every test with node's test runner: the unit tests, then the integration tests one file at a time against one local stack, brought up (or reused) by
// test/helpers/global-setup.ts and stopped afterwards if the run started it. Ends with one line
// "tests: N passed, N failed, N skipped" for both runs together.
//   --unit   only the unit tests (no stack)
//   --only-tests   skip type check and lint
import { spawn, spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const args = new Set(process.argv.slice(2));
const bin = (n: string): string => `node_modules/.bin/${n}`;

function step(name: string, cmd: string, argv: string[]): void {
  const t = performance.now();
  const r = spawnSync(cmd, argv, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`\n${name} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
  process.stderr.write(`${name}: ok (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}

interface RunResult { readonly code: number; readonly pass: number; readonly fail: number; readonly skipped: number; readonly seconds: number }

/** One node --test run, its output passed through, its summary counts read from the spec reporter's last lines. */
function run(name: string, files: readonly string[], extra: readonly string[]): Promise<RunResult> {
  const t = performance.now();
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-timeout=600000', ...extra, ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
  const counts = { pass: 0, fail: 0, skipped: 0 };
  // The reporter's summary ("ℹ pass 12") comes before its list of failures, which can be long: read it line by line.
  let partial = '';
  const SUMMARY = /^ℹ (pass|fail|skipped) (\d+)$/;
  child.stdout.on('data', (b: Buffer) => {
    process.stdout.write(b);
    const lines = (partial + b.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = SUMMARY.exec(line);
      if (m) counts[m[1] as 'pass' | 'fail' | 'skipped'] = Number(m[2]);
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t) / 1000;
      process.stderr.write(`${name}: ${counts.pass} passed, ${counts.fail} failed, ${counts.skipped} skipped (${seconds.toFixed(1)} s)\n`);
      resolve({ code: code ?? (signal ? 1 : 0), ...counts, seconds });
    });
  });
}

if (!args.has('--only-tests')) {
  step('typecheck', bin('tsc'), ['-p', 'tsconfig.json']);
  step('lint', bin('eslint'), ['.']);
}

const unit = globSync('test/unit/**/*.test.ts').sort();
const integration = args.has('--unit') ? [] : globSync('test/integration/**/*.test.ts').sort();
if (unit.length + integration.length === 0) { process.stderr.write('no test files found\n'); process.exit(1); }

const results: RunResult[] = [];
// Unit tests hold no wall-clock budget (cost is measured against a reference on the same machine at the same
// moment, test/helpers/cost.ts; budgets are `npm run bench:budgets`), so files run side by side, one per core.
// WG_SIEM_TEST_JOBS=N sets another number (1: one file at a time).
const cores = availableParallelism();
const jobs = Number(process.env['WG_SIEM_TEST_JOBS'] ?? String(cores));
results.push(await run('unit tests', unit, [`--test-concurrency=${Number.isInteger(jobs) && jobs >= 1 ? Math.min(jobs, cores) : cores}`]));
// Integration files share one stack and measure exact counts: one file at a time.
if (integration.length > 0) results.push(await run('integration tests', integration, ['--test-global-setup=test/helpers/global-setup.ts', '--test-concurrency=1']));

const sum = (k: 'pass' | 'fail' | 'skipped'): number => results.reduce((n, r) => n + r[k], 0);
const failed = results.some((r) => r.code !== 0);
process.stdout.write(`\ntests: ${sum('pass')} passed, ${sum('fail')} failed, ${sum('skipped')} skipped\n`);
process.exit(failed ? 1 : 0);
