import { createReadStream } from 'node:fs';
import { enableCompileCache } from 'node:module';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import type * as LineApi from '../../parse/normalize/line.ts';
import type { LineResult } from '../../parse/normalize/line.ts';
import type * as NearestApi from '../../parse/normalize/nearest.ts';
import type { DiagnosisDef } from '../../parse/catalog/types.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import { BatchedWriter, lineBatches } from '../stream-out.ts';

type LineModule = typeof LineApi;

/**
 * Node's on-disk compile cache (in the system's temporary directory, keyed by Node version and file content)
 * for what these commands load next: the catalog, decoders and schema are some sixty TypeScript files, and
 * stripping and compiling them again at every start is most of the time before the first line is printed.
 */
function compileCache(): void {
  try {
    enableCompileCache();
  } catch {
    // No cache (read-only temporary directory, a Node without it): slower starts, same output.
  }
}

// Loaded when a command needs it: compiling the catalog is work other commands should not pay for.
const loadLine = (): Promise<LineModule> => { compileCache(); return import('../../parse/normalize/line.ts'); };
const loadNearest = (): Promise<typeof NearestApi> => import('../../parse/normalize/nearest.ts');

interface Counts { lines: number; events: number; unparsed: number; invalid: number }

interface Sinks { readonly out: BatchedWriter; readonly err: BatchedWriter }

/**
 * Calls `fn` for every non-blank line of FILE (or stdin), in input order, at the pace of the output: `fn`
 * queues what it prints in `sinks`, which write it in large chunks, and the input is not read further while
 * stdout or stderr is full. `fn` gets one `nowMs` per input chunk (the documents' ingest time). Returns
 * early, quietly, when the reader of stdout went away (`| head`).
 */
async function eachLine(file: string | undefined, sinks: Sinks, fn: (line: string, n: number, nowMs: number) => void): Promise<void> {
  const input: Readable = !file || file === '-' ? process.stdin : createReadStream(file);
  const { out, err } = sinks;
  let n = 0;
  try {
    for await (const batch of lineBatches(input)) {
      const nowMs = Date.now();
      let skipped = 0;
      for (const line of batch.lines) {
        n++;
        if (skipped < batch.skipped.length && batch.skipped[skipped] === n) {
          skipped++;
          err.write(`line ${n}: longer than 1 MiB, skipped\n`);
          continue;
        }
        if (line.trim() === '') continue;
        fn(line, n, nowMs);
        if (out.full) { await out.drained(); if (out.closed) return; }
        if (err.full) await err.drained();
      }
      // The end of what the input had ready: readers of a live log (tail -f) see its lines now.
      out.flush();
      err.flush();
      if (out.full) await out.drained();
      if (err.full) await err.drained();
      if (out.closed) return;
    }
  } finally {
    if (input !== process.stdin) input.destroy();
  }
}

/** Queues `JSON.stringify(doc)` and a newline (encoded straight into the output chunk, no joined copy). */
export function writeDocument(out: BatchedWriter, doc: WgEventDoc): void {
  out.write(JSON.stringify(doc));
  out.write('\n');
}

function sinks(): Sinks {
  return { out: new BatchedWriter(process.stdout), err: new BatchedWriter(process.stderr) };
}

async function finish(s: Sinks): Promise<void> {
  await s.out.end();
  await s.err.end();
}

function options(o: { timezone?: string; namespace?: string }): { timezone: string; namespace: string; preserveOriginal: boolean } {
  const c = loadConfig();
  return { timezone: o.timezone ?? c['parse.timezone'], namespace: o.namespace ?? c['namespace'], preserveOriginal: c['pipeline.preserveOriginalEvent'] };
}

function report(err: BatchedWriter, c: Counts, verbose: boolean): void {
  const notWg = c.unparsed ? `, ${c.unparsed} not recognised as WireGuard` : '';
  const bad = c.invalid ? `, ${c.invalid} failed schema validation` : '';
  if (verbose || c.unparsed || c.invalid) err.write(`wg-siem: ${c.lines} lines: ${c.events} WireGuard events${notWg}${bad}\n`);
}

function tally(c: Counts, r: LineResult): void {
  c.lines++;
  if (r.kind === 'event') c.events++;
  else if (r.kind === 'unparsed') c.unparsed++;
  else c.invalid++;
}

const remote = (d: WgEventDoc): string | undefined => d.source?.address ?? d.destination?.address ?? d.wireguard?.peer?.endpoint;

/** A few lines a person reads: what, where, who, why, what to check; a diagnosis is spelled out once. */
function explainText(d: WgEventDoc, lineNo: number, shown: Set<string>, diagnosis: (id: string) => DiagnosisDef | undefined): string {
  const wg = d.wireguard;
  const where = [d.host?.name, d.observer?.ingress?.interface?.name].filter(Boolean).join(' ');
  const sev = { 2: 'CRITICAL', 3: 'ERROR', 4: 'WARNING', 5: 'NOTICE', 6: 'INFO', 7: 'DEBUG' }[d.event.severity ?? 6] ?? 'INFO';
  const out = [`line ${lineNo}  ${d['@timestamp']}  ${where || '-'}  ${sev}  ${d.event.action ?? ''}  (${wg?.implementation ?? ''})`, `  ${d.message}`];
  const facts: string[] = [];
  const r = remote(d);
  if (r) facts.push(`remote ${r}${d.source ? ' (sender)' : d.destination ? ' (receiver)' : ''}`);
  if (wg?.peer?.id) facts.push(`peer #${wg.peer.id}`);
  if (wg?.peer?.key_fragment ?? wg?.peer?.public_key) facts.push(`peer key ${wg?.peer?.key_fragment ?? wg?.peer?.public_key}`);
  if (wg?.handshake?.attempt !== undefined) facts.push(`attempt ${wg.handshake.attempt}`);
  if (wg?.handshake?.initiator_time) facts.push(`initiator's clock said ${wg.handshake.initiator_time}`);
  if (wg?.inner?.source?.ip) facts.push(`inner source ${wg.inner.source.ip}`);
  if (wg?.suppressed_count !== undefined) facts.push(`${wg.suppressed_count} lines suppressed`);
  if (wg?.rate_limited) facts.push('rate-limited message: counts are minimums');
  if (d.error?.message) facts.push(`error: ${d.error.message}`);
  if (facts.length) out.push(`  ${facts.join('; ')}`);
  // Documents carry the diagnosis id alone: its causes and checks come from the catalog.
  const dg = wg?.diagnosis?.id !== undefined ? diagnosis(wg.diagnosis.id) : undefined;
  if (dg) {
    if (shown.has(dg.id)) {
      out.push(`  why: ${dg.summary} (causes and checks above, ${dg.id})`);
    } else {
      shown.add(dg.id);
      out.push(`  why: ${dg.summary}`);
      dg.causes.forEach((c, i) => out.push(`    ${i + 1}. ${c.likelihood}: ${c.text}`));
      out.push('  check:');
      for (const c of dg.checks) out.push(`    - ${c}`);
    }
  }
  return `${out.join('\n')}\n\n`;
}

/** A line no catalog entry recognised: the nearest known message, why it is not that, and a corpus record. */
function unplacedText(p: NearestApi.Placement, line: string, lineNo: number, record: (line: string, n: NearestApi.Near) => string): string {
  if (p.kind === 'not-wireguard') {
    return p.mentionsWireGuard
      ? `line ${lineNo}  mentions WireGuard, but no known WireGuard message is near it\n\n`
      : `line ${lineNo}  not WireGuard (no known WireGuard message is near it)\n\n`;
  }
  const d = p.def;
  if (p.generic) {
    return `line ${lineNo}  probably not WireGuard: the text reads like ${d.id} (${d.impl}), but nothing in the line says WireGuard printed it (no envelope or program names it)\n\n`;
  }
  return [
    `line ${lineNo}  could not place this line: it is not any message wg-siem knows`,
    `  nearest known message: ${d.id} (${d.impl}, ${Math.round(p.similarity * 100)} % of the words alike)`,
    `    format: ${JSON.stringify(d.format.replace(/\n$/, ''))}`,
    ...(d.examples[0] ? [`    e.g.    ${d.examples[0]}`] : []),
    `  why not: ${p.reason}`,
    '  if it is a real WireGuard line: fill in source, program, format and class (embedders, apple-android, windows, rust,',
    '  platforms, pastes, lifecycle or noise), check "expect", then append this line to test/corpus/real-world/<class>.jsonl:',
    record(line, p),
    '',
    '',
  ].join('\n');
}

export function registerNormalize(program: Command): void {
  program.command('normalize')
    .description('print one ECS JSON document per recognised WireGuard line of FILE (or stdin), streaming at the '
      + 'pace of the reader; offline, no Kafka or Elasticsearch')
    .argument('[file]', 'log file, or - for standard input', '-')
    .option('--timezone <zone>', 'IANA zone for timestamps that carry none (default: WG_SIEM_TIMEZONE or UTC)')
    .option('--namespace <ns>', 'data-stream namespace written into the documents')
    .option('--no-validate', 'skip the schema validation of each document')
    .option('--unparsed', 'also print lines that are not WireGuard, as {"unparsed": ...} on stderr')
    .action(async (file: string, o: { timezone?: string; namespace?: string; validate: boolean; unparsed?: boolean }) => {
      const { processLine } = await loadLine();
      const opts = { ...options(o), validate: o.validate };
      const c: Counts = { lines: 0, events: 0, unparsed: 0, invalid: 0 };
      const s = sinks();
      await eachLine(file, s, (line, n, nowMs) => {
        const r = processLine({ value: line, nowMs }, opts);
        tally(c, r);
        if (r.kind === 'event') writeDocument(s.out, r.doc);
        else if (r.kind === 'invalid') s.err.write(`line ${n}: recognised but invalid: ${r.errors.join('; ')}\n`);
        else if (o.unparsed) s.err.write(`${JSON.stringify({ unparsed: line, line: n })}\n`);
      });
      if (!s.out.closed) report(s.err, c, false);
      await finish(s);
      process.exitCode = c.invalid ? 1 : 0;
    });

  program.command('explain')
    .description('explain each WireGuard line of FILE (or stdin) in plain words: what happened, probable causes, what to check; '
      + 'for a line it cannot place, the nearest known message, why it is not that, and a corpus record to commit')
    .argument('[file]', 'log file, or - for standard input (paste a dmesg or journalctl excerpt)', '-')
    .option('--timezone <zone>', 'IANA zone for timestamps that carry none')
    .option('--json', 'print only the ECS documents of the recognised lines (like normalize)')
    .action(async (file: string, o: { timezone?: string; json?: boolean }) => {
      const { processLine } = await loadLine();
      const nearest = o.json ? undefined : await loadNearest();
      const { CATALOG, diagnosis } = await import('../../parse/catalog/catalog.ts');
      const opts = { ...options(o), validate: true };
      const c: Counts = { lines: 0, events: 0, unparsed: 0, invalid: 0 };
      const shown = new Set<string>();
      const s = sinks();
      await eachLine(file, s, (line, n, nowMs) => {
        const r = processLine({ value: line, nowMs }, opts);
        tally(c, r);
        if (r.kind === 'event') { if (o.json) writeDocument(s.out, r.doc); else s.out.write(explainText(r.doc, n, shown, diagnosis)); }
        else if (r.kind === 'invalid') s.err.write(`line ${n}: recognised but invalid: ${r.errors.join('; ')}\n`);
        else if (nearest) s.out.write(unplacedText(nearest.nearestMessage(r.decoded, CATALOG), line, n, nearest.corpusRecord));
      });
      if (!s.out.closed) report(s.err, c, true);
      await finish(s);
    });
}
