// `npm test`: type check, lint, then every test with node's test runner. Integration tests share one local
// stack, brought up (or reused) by test/helpers/global-setup.ts and stopped afterwards if the run started it.
//   --unit   only the unit tests (no stack)
//   --only-tests   skip type check and lint
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

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

if (!args.has('--only-tests')) {
  step('typecheck', bin('tsc'), ['-p', 'tsconfig.json']);
  step('lint', bin('eslint'), ['.']);
}

const files = [
  ...globSync('test/unit/**/*.test.ts'),
  ...(args.has('--unit') ? [] : globSync('test/integration/**/*.test.ts')),
].sort();
if (files.length === 0) { process.stderr.write('no test files found\n'); process.exit(1); }

const r = spawnSync(process.execPath, [
  '--test',
  '--test-reporter=spec',
  ...(args.has('--unit') ? [] : ['--test-global-setup=test/helpers/global-setup.ts']),
  '--test-timeout=600000',
  // Integration files share one stack and measure exact counts: one file at a time.
  '--test-concurrency=1',
  ...files,
], { stdio: 'inherit' });
process.exit(r.status ?? 1);
