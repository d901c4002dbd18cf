import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type * as LineApi from '../../normalize/line.ts';
import type { LineResult } from '../../normalize/line.ts';
import type { WgEventDoc } from '../../schema/generated/event.ts';

type LineModule = typeof LineApi;
// Loaded when a command needs it: compiling the catalog is work other commands should not pay for.
const loadLine = (): Promise<LineModule> => import('../../normalize/line.ts');

interface Counts { lines: number; events: number; unparsed: number; invalid: number }

async function eachLine(file: string | undefined, fn: (line: string, n: number) => void): Promise<void> {
  const input = !file || file === '-' ? process.stdin : createReadStream(file);
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '') continue;
    fn(line, n);
  }
}

function options(o: { timezone?: string; namespace?: string }): { timezone: string; namespace: string } {
  const c = loadConfig();
  return { timezone: o.timezone ?? c['parse.timezone'], namespace: o.namespace ?? c['namespace'] };
}

function report(c: Counts, verbose: boolean): void {
  const notWg = c.unparsed ? `, ${c.unparsed} not recognised as WireGuard` : '';
  const bad = c.invalid ? `, ${c.invalid} failed schema validation` : '';
  if (verbose || c.unparsed || c.invalid) process.stderr.write(`wg-siem: ${c.lines} lines: ${c.events} WireGuard events${notWg}${bad}\n`);
}

function tally(c: Counts, r: LineResult): void {
  c.lines++;
  if (r.kind === 'event') c.events++;
  else if (r.kind === 'unparsed') c.unparsed++;
  else c.invalid++;
}

const remote = (d: WgEventDoc): string | undefined => d.source?.address ?? d.destination?.address ?? d.wireguard?.peer?.endpoint;

/** A few lines a person reads: what, where, who, why, what to check; a diagnosis is spelled out once. */
function explainText(d: WgEventDoc, lineNo: number, shown: Set<string>): string {
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
  const dg = wg?.diagnosis;
  if (dg?.id) {
    if (shown.has(dg.id)) {
      out.push(`  why: ${dg.summary ?? ''} (causes and checks above, ${dg.id})`);
    } else {
      shown.add(dg.id);
      out.push(`  why: ${dg.summary ?? ''}`);
      (dg.causes ?? []).forEach((c, i) => out.push(`    ${i + 1}. ${c}`));
      out.push('  check:');
      for (const c of dg.checks ?? []) out.push(`    - ${c}`);
    }
  }
  return `${out.join('\n')}\n\n`;
}

export function registerNormalize(program: Command): void {
  program.command('normalize')
    .description('print one ECS JSON document per recognised WireGuard line of FILE (or stdin); offline, no Kafka or Elasticsearch')
    .argument('[file]', 'log file, or - for standard input', '-')
    .option('--timezone <zone>', 'IANA zone for timestamps that carry none (default: WG_SIEM_TIMEZONE or UTC)')
    .option('--namespace <ns>', 'data-stream namespace written into the documents')
    .option('--no-validate', 'skip the schema validation of each document')
    .option('--unparsed', 'also print lines that are not WireGuard, as {"unparsed": ...} on stderr')
    .action(async (file: string, o: { timezone?: string; namespace?: string; validate: boolean; unparsed?: boolean }) => {
      const { processLine } = await loadLine();
      const opts = { ...options(o), validate: o.validate };
      const c: Counts = { lines: 0, events: 0, unparsed: 0, invalid: 0 };
      await eachLine(file, (line, n) => {
        const r = processLine({ value: line, nowMs: Date.now() }, opts);
        tally(c, r);
        if (r.kind === 'event') process.stdout.write(`${JSON.stringify(r.doc)}\n`);
        else if (r.kind === 'invalid') process.stderr.write(`line ${n}: recognised but invalid: ${r.errors.join('; ')}\n`);
        else if (o.unparsed) process.stderr.write(`${JSON.stringify({ unparsed: line, line: n })}\n`);
      });
      report(c, false);
      process.exitCode = c.invalid ? 1 : 0;
    });

  program.command('explain')
    .description('explain each WireGuard line of FILE (or stdin) in plain words: what happened, probable causes, what to check')
    .argument('[file]', 'log file, or - for standard input (paste a dmesg or journalctl excerpt)', '-')
    .option('--timezone <zone>', 'IANA zone for timestamps that carry none')
    .option('--json', 'print the ECS documents instead (like normalize)')
    .action(async (file: string, o: { timezone?: string; json?: boolean }) => {
      const { processLine } = await loadLine();
      const opts = { ...options(o), validate: true };
      const c: Counts = { lines: 0, events: 0, unparsed: 0, invalid: 0 };
      const shown = new Set<string>();
      await eachLine(file, (line, n) => {
        const r = processLine({ value: line, nowMs: Date.now() }, opts);
        tally(c, r);
        if (r.kind !== 'event') return;
        process.stdout.write(o.json ? `${JSON.stringify(r.doc)}\n` : explainText(r.doc, n, shown));
      });
      report(c, true);
    });
}
