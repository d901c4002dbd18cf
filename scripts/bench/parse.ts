// npm run bench:parse [-- --lines N]
// Lines per second on one core for decode + recognise + normalise (with and without ajv validation, and with
// JSON serialisation as the sink would do it), p50/p99 time per line, over three mixes: the kern.log mix of
// ../shared/bench/gen_corpus.py, journald JSON, wireguard-go stdout. When ../shared/bench/peer-parse.sh is
// present it times liblognorm's C parser on the same kern.log corpus in the same run, and the ratio is printed.
// Results go to bench/results/parse.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processLine } from '../../src/parse/normalize/line.ts';
import { journaldLines, wireguardGoLines, writeKernelCorpus } from './corpus.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' } } });
const N = Number(values.lines);
const NOW = Date.parse('2023-11-15T00:00:00Z');

interface Pass { readonly linesPerSec: number; readonly seconds: number; readonly events: number; readonly unparsed: number; readonly invalid: number }

function pass(lines: readonly string[], validate: boolean, serialise: boolean): Pass {
  const opts = { timezone: 'UTC', namespace: 'default', validate };
  let events = 0;
  let unparsed = 0;
  let invalid = 0;
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (const line of lines) {
    const r = processLine({ value: line, nowMs: NOW }, opts);
    if (r.kind === 'event') { events++; if (serialise) bytes += JSON.stringify(r.doc).length; } else if (r.kind === 'unparsed') unparsed++;
    else invalid++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (bytes < 0) process.stdout.write(''); // keeps the serialisation from being optimised away
  return { linesPerSec: Math.round(lines.length / seconds), seconds: Math.round(seconds * 1000) / 1000, events, unparsed, invalid };
}

function latency(lines: readonly string[]): { p50us: number; p99us: number; maxUs: number } {
  const opts = { timezone: 'UTC', namespace: 'default', validate: true };
  const sample = lines.slice(0, Math.min(lines.length, 200_000));
  const ns = new Float64Array(sample.length);
  sample.forEach((line, i) => {
    const t = process.hrtime.bigint();
    processLine({ value: line, nowMs: NOW }, opts);
    ns[i] = Number(process.hrtime.bigint() - t);
  });
  ns.sort();
  const q = (p: number): number => Math.round((ns[Math.min(ns.length - 1, Math.floor(p * ns.length))] ?? 0) / 10) / 100;
  return { p50us: q(0.5), p99us: q(0.99), maxUs: q(1) };
}

function peerParse(corpus: string): { linesPerSec: number; seconds: number } | null {
  const sh = '../shared/bench/peer-parse.sh';
  if (!existsSync(sh)) return null;
  const r = spawnSync('bash', [sh, corpus], { encoding: 'utf8' });
  if (r.status !== 0) { process.stderr.write(`peer-parse.sh failed: ${r.stderr}\n`); return null; }
  const j = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { lines_per_s?: number; seconds?: number };
  return j.lines_per_s ? { linesPerSec: j.lines_per_s, seconds: j.seconds ?? 0 } : null;
}

const dir = join(tmpdir(), `wg-siem-bench-${process.pid}`);
mkdirSync(dir, { recursive: true });
const kernFile = join(dir, 'kern.log');
const generator = writeKernelCorpus(kernFile, N);
const mixes: Record<string, string[]> = {
  'kern.log': readFileSync(kernFile, 'utf8').split('\n').filter((l) => l !== ''),
  'journald-json': journaldLines(Math.min(N, 300_000)),
  'wireguard-go': wireguardGoLines(Math.min(N, 300_000)),
};

// Warm up the JIT on every path before measuring.
for (const lines of Object.values(mixes)) pass(lines.slice(0, 50_000), true, true);

const results: Record<string, unknown> = {};
for (const [name, lines] of Object.entries(mixes)) {
  const noValidate = pass(lines, false, false);
  const validated = pass(lines, true, false);
  const full = pass(lines, true, true);
  const lat = latency(lines);
  results[name] = { lines: lines.length, withoutValidation: noValidate, withValidation: validated, withValidationAndJson: full, perLine: lat };
  process.stdout.write(`${name.padEnd(14)} ${lines.length} lines: ${noValidate.linesPerSec} lines/s without validation, `
    + `${validated.linesPerSec} with, ${full.linesPerSec} with validation + JSON; p50 ${lat.p50us} µs, p99 ${lat.p99us} µs per line `
    + `(${validated.events} events, ${validated.unparsed} not WireGuard, ${validated.invalid} invalid)\n`);
}

const peer = peerParse(kernFile);
const ours = (results['kern.log'] as { withValidation: Pass }).withValidation.linesPerSec;
if (peer) {
  process.stdout.write(`lognormalizer (C, 7 messages, flat JSON) on the same kern.log corpus: ${peer.linesPerSec} lines/s; `
    + `wg-siem full ECS with validation = ${(ours / peer.linesPerSec).toFixed(2)} × its speed\n`);
}
const out = {
  when: new Date().toISOString(), node: process.version, corpus: { kernel: generator, lines: N },
  results, lognormalizer: peer, ratioToLognormalizer: peer ? Math.round((ours / peer.linesPerSec) * 100) / 100 : null,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/parse.json', `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write('written to bench/results/parse.json\n');
