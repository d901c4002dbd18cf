// npm run bench:cli [-- --lines N --runs R]
// `wg-siem normalize FILE | wc -l` through a real pipe, against the library in the same run: lines/s of the
// CLI (whole command, start-up included, and from its first document on), the library's lines/s for the
// same work in one process (processLine with validation + JSON.stringify, as bench:parse measures it), their
// ratio, and the time to first line (`echo LINE | wg-siem normalize`, and the first document of the big
// file). When ../shared/bench/peer-parse.sh is present, liblognorm's lognormalizer on the same corpus too.
// The corpus is the kern.log mix of bench:parse (scripts/bench/corpus.ts). Results go to bench/results/cli.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processLine } from '../../src/parse/normalize/line.ts';
import { writeKernelCorpus } from './corpus.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '500000' }, runs: { type: 'string', default: '3' } } });
const N = Number(values.lines);
const RUNS = Math.max(1, Number(values.runs));
const NOW = Date.parse('2023-11-15T00:00:00Z');
const WG_SIEM = join(import.meta.dirname, '../../bin/wg-siem');

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = (x: number, d = 0): number => Math.round(x * 10 ** d) / 10 ** d;

/** The library, warmed up: processLine with validation, then JSON.stringify, as bench:parse's third pass. */
function library(lines: readonly string[]): number {
  const opts = { timezone: 'UTC', namespace: 'default', validate: true };
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (const line of lines) {
    const r = processLine({ value: line, nowMs: NOW }, opts);
    if (r.kind === 'event') bytes += JSON.stringify(r.doc).length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (bytes < 0) process.stdout.write('');
  return lines.length / seconds;
}

interface CliRun { readonly seconds: number; readonly firstLineMs: number; readonly documents: number }

/**
 * `wg-siem normalize FILE | wc -l` in a shell, timed from spawn to exit. The shell takes the first byte
 * alone (dd), says so (the time of the first document), and `wc -l` counts the rest, newline of the first
 * document included.
 */
function cli(file: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const script = `"${WG_SIEM}" normalize "${file}" 2>/dev/null | { dd bs=1 count=1 of=/dev/null 2>/dev/null; echo first; wc -l; }`;
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let firstLineMs = NaN;
    child.stdout.on('data', (d: Buffer) => {
      if (Number.isNaN(firstLineMs)) firstLineMs = Number(process.hrtime.bigint() - t0) / 1e6;
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const count = Number(/first\s+(\d+)/.exec(out)?.[1]);
      if (code !== 0 || !Number.isFinite(count)) { reject(new Error(`wg-siem normalize | wc -l failed (${code}): ${out}`)); return; }
      resolve({ seconds, firstLineMs, documents: count });
    });
  });
}

/** `echo LINE | wg-siem normalize`: milliseconds from spawn to the first byte of output, and to exit. */
function oneLine(line: string): Promise<{ firstByteMs: number; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(WG_SIEM, ['normalize'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let firstByteMs = NaN;
    child.stdout.on('data', () => { if (Number.isNaN(firstByteMs)) firstByteMs = Number(process.hrtime.bigint() - t0) / 1e6; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || Number.isNaN(firstByteMs)) { reject(new Error(`echo LINE | wg-siem normalize failed (${code})`)); return; }
      resolve({ firstByteMs, exitMs: Number(process.hrtime.bigint() - t0) / 1e6 });
    });
    child.stdin.end(`${line}\n`);
  });
}

function peerParse(corpus: string): { linesPerSec: number; seconds: number } | { error: string } {
  const sh = join(import.meta.dirname, '../../../shared/bench/peer-parse.sh');
  if (!existsSync(sh)) return { error: `${sh} not present` };
  const r = spawnSync('bash', [sh, corpus], { encoding: 'utf8' });
  if (r.status !== 0) return { error: `peer-parse.sh failed (${r.status}): ${r.stderr.trim()}` };
  const j = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { lines_per_s?: number; seconds?: number };
  return j.lines_per_s ? { linesPerSec: j.lines_per_s, seconds: j.seconds ?? 0 } : { error: `no figure in: ${r.stdout}` };
}

const dir = join(tmpdir(), `wg-siem-bench-cli-${process.pid}`);
mkdirSync(dir, { recursive: true });
try {
  const kernFile = join(dir, 'kern.log');
  const generator = writeKernelCorpus(kernFile, N);
  const lines = readFileSync(kernFile, 'utf8').split('\n').filter((l) => l !== '');
  const sample = lines[0] ?? '';

  // Warm up the library's JIT (the CLI warms up inside its own run, as a user's does).
  library(lines.slice(0, 50_000));
  const libRates: number[] = [];
  const cliRuns: CliRun[] = [];
  // Interleaved, so that a busy moment of a shared machine falls on both sides.
  for (let i = 0; i < RUNS; i++) {
    libRates.push(library(lines));
    const run = await cli(kernFile);
    cliRuns.push(run);
    process.stdout.write(`run ${i + 1}: library ${round(libRates[i] ?? 0)} lines/s; wg-siem normalize | wc -l ${round(run.seconds, 2)} s `
      + `(${round(lines.length / run.seconds)} lines/s, first document after ${round(run.firstLineMs)} ms, ${run.documents} documents)\n`);
  }
  const firsts: number[] = [];
  const exits: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await oneLine(sample);
    firsts.push(r.firstByteMs);
    exits.push(r.exitMs);
  }

  const lib = median(libRates);
  const cliSeconds = median(cliRuns.map((r) => r.seconds));
  const cliRate = lines.length / cliSeconds;
  const firstDoc = median(cliRuns.map((r) => r.firstLineMs));
  const steady = lines.length / (cliSeconds - firstDoc / 1000);
  const peer = peerParse(kernFile);

  process.stdout.write(`\nkern.log corpus (${generator}), ${lines.length} lines, medians of ${RUNS} runs:\n`
    + `  library (processLine + validation + JSON.stringify, one process): ${round(lib)} lines/s\n`
    + `  wg-siem normalize FILE | wc -l: ${round(cliRate)} lines/s = ${round(cliRate / lib, 2)} × the library `
    + `(${round(steady)} lines/s = ${round(steady / lib, 2)} × from the first document on)\n`
    + `  time to first line: echo LINE | wg-siem normalize: ${round(median(firsts))} ms (exit after ${round(median(exits))} ms); `
    + `first document of the big file after ${round(firstDoc)} ms\n`);
  if ('linesPerSec' in peer) {
    process.stdout.write(`  lognormalizer (C, 7 messages, flat JSON) on the same corpus: ${peer.linesPerSec} lines/s; `
      + `wg-siem normalize = ${round(cliRate / peer.linesPerSec, 2)} × its speed\n`);
  } else {
    process.stdout.write(`  lognormalizer: not measured (${peer.error})\n`);
  }
  const out = {
    when: new Date().toISOString(), node: process.version, corpus: { kernel: generator, lines: lines.length }, runs: RUNS,
    library: { linesPerSec: round(lib), runs: libRates.map((x) => round(x)) },
    cli: {
      linesPerSec: round(cliRate), linesPerSecAfterFirstDocument: round(steady), ratioToLibrary: round(cliRate / lib, 2),
      runs: cliRuns.map((r) => ({ seconds: round(r.seconds, 3), firstDocumentMs: round(r.firstLineMs), documents: r.documents })),
    },
    timeToFirstLineMs: { oneLine: round(median(firsts)), oneLineExit: round(median(exits)), bigFile: round(firstDoc), oneLineRuns: firsts.map((x) => round(x)) },
    lognormalizer: 'linesPerSec' in peer ? peer : null,
    lognormalizerError: 'error' in peer ? peer.error : undefined,
    ratioToLognormalizer: 'linesPerSec' in peer ? round(cliRate / peer.linesPerSec, 2) : null,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cli.json', `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write('written to bench/results/cli.json\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
