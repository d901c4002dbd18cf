// npm run bench:budgets
// The speed budgets the unit tests used to hold, measured on this machine: the unit tests prove cost that grows
// with the input's length, not its square (test/helpers/cost.ts), since a loaded 2-core CI machine makes any
// millisecond figure flaky. Run this on a quiet machine. Prints each figure against its budget, writes
// bench/results/budgets.json, and exits 1 if a figure is over its budget.
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { CATALOG } from '../../src/parse/catalog/catalog.ts';
import { compilePattern } from '../../src/parse/catalog/macros.ts';
import { Notifier, pageInfo } from '../../src/sinks/notify/notifier.ts';
import { Outbox } from '../../src/sinks/notify/outbox.ts';
import { processLine } from '../../src/parse/normalize/line.ts';
import { processRecord, type RecordContext } from '../../src/indexing/record.ts';
import { fuzzRecordArb } from '../../test/helpers/fuzz-records.ts';
import { HOSTILE_LINES } from '../../test/helpers/hostile-lines.ts';
import { floodDirectory, spoofedHandshake } from '../../test/unit/enrich/flood-input.ts';
import { event, kernel } from '../../test/unit/enrich/helpers.ts';
import { alert, config, countingHooks, FAST_BACKOFF, silent } from '../../test/unit/sinks/notify/support.ts';

interface Figure { readonly name: string; readonly value: number; readonly unit: string; readonly budget: number; readonly worst?: string }

const ms = (t: number): number => Math.round((performance.now() - t) * 1000) / 1000;

/** Slowest single exec of any catalog pattern on long runs of the characters its macros accept (budget of the catalog tests). */
function catalogPatterns(): Figure {
  const hostile = ['x'.repeat(20_000), ' '.repeat(20_000), '1'.repeat(20_000), '('.repeat(5000), ':'.repeat(20_000), '\\"'.repeat(5000), 'f:'.repeat(2000), `Failed to ${'x: '.repeat(7000)}`];
  let worst = { value: 0, what: '' };
  for (const def of CATALOG) {
    const re = compilePattern(def.pattern);
    for (const example of def.examples.slice(0, 2)) {
      for (const h of hostile) {
        for (const input of [example + h, example.slice(0, Math.ceil(example.length / 2)) + h]) {
          const t = performance.now();
          re.exec(input);
          const d = ms(t);
          if (d > worst.value) worst = { value: d, what: `${def.id} on ${JSON.stringify(input.slice(0, 50))}…` };
        }
      }
    }
  }
  return { name: 'catalog pattern on hostile input, slowest exec', value: worst.value, unit: 'ms', budget: 50, worst: worst.what };
}

/** Slowest processLine on adversarial lines of up to 1 MB (normalize/hostile's budget). */
function hostileLines(): Figure {
  let worst = { value: 0, what: '' };
  for (const line of HOSTILE_LINES) {
    const t = performance.now();
    processLine({ value: line, nowMs: Date.parse('2025-05-23T00:00:00Z') }, { timezone: 'Europe/Berlin', namespace: 'default', validate: true });
    const d = ms(t);
    if (d > worst.value) worst = { value: d, what: `${line.length} characters starting ${JSON.stringify(line.slice(0, 40))}` };
  }
  return { name: 'processLine on an adversarial line, slowest', value: worst.value, unit: 'ms', budget: 100, worst: worst.what };
}

/** Slowest processRecord over the fuzz test's hostile records (1 MB lines, 100,000-deep JSON). */
function fuzzRecords(): Figure {
  const ctx: RecordContext = { namespace: 'fuzz', timezone: 'UTC', validate: true, maxRecordBytes: 1_048_576, keepUnparsed: true, nowMs: Date.parse('2026-11-25T04:00:00Z') };
  let worst = { value: 0, what: '' };
  fc.sample(fuzzRecordArb(), { numRuns: 1500, seed: 20261206 }).forEach((r, offset) => {
    const t = performance.now();
    processRecord({ topic: 'fuzz', partition: 0, offset: String(offset), timestampMs: ctx.nowMs, key: null, value: Buffer.from(r.value), headers: r.headers }, ctx);
    const d = ms(t);
    if (d > worst.value) worst = { value: d, what: r.kind };
  });
  return { name: 'processRecord on a hostile record, slowest', value: worst.value, unit: 'ms', budget: 1000, worst: worst.what };
}

/** notify() while nothing can be delivered: mean and p99 per call over 5000 alerts (notify/delivery's budget). */
async function notifyCalls(): Promise<Figure[]> {
  // Port 9 refuses: every request fails and is retried, so the queue fills as it does behind a hung receiver.
  const notifier = new Notifier(
    config({ 'notify.pagerduty.routingKey': 'R0ut1ngKey-0123456789abcdef0123', 'notify.stormMaxPages': 100_000, 'notify.queueSize': 1000 }),
    { log: silent, hooks: countingHooks(), backoff: FAST_BACKOFF },
  );
  const N = 5000;
  const each: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    notifier.notify(alert(i));
    each.push(performance.now() - t);
  }
  const total = performance.now() - t0;
  await notifier.drain(200);
  each.sort((x, y) => x - y);
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  return [
    { name: 'notify() per call, mean', value: round(total / N), unit: 'ms', budget: 0.1 },
    { name: 'notify() per call, p99', value: round(each[Math.floor(N * 0.99)] ?? Infinity), unit: 'ms', budget: 1 },
  ];
}

/** 200,000 triggers into a full outbox of 1000 behind a resolve (notify/outbox's budget). */
function outboxStorm(): Figure {
  const box = new Outbox(1000);
  box.push({ kind: 'resolve', n: alert(-1), page: pageInfo(alert(-1)) });
  const page = pageInfo(alert(0));
  const t = performance.now();
  for (let i = 0; i < 200_000; i++) box.push({ kind: 'trigger', n: alert(i), page });
  return { name: 'outbox: 200,000 pushes into a full queue', value: ms(t), unit: 'ms', budget: 2000 };
}

/** 1,000,000 spoofed handshake lines through the peer directory (enrich/flood's budget). */
function peerDirectoryFlood(): Figure {
  const dir = floodDirectory();
  dir.observe(event(kernel('gw1', 'wg0: Receiving handshake initiation from peer 3 (192.0.2.7:51820)')));
  const { doc: spoofed, spoof } = spoofedHandshake();
  const t = performance.now();
  for (let i = 0; i < 1_000_000; i++) {
    spoof(i);
    dir.observe(spoofed);
    dir.enrich(spoofed);
  }
  return { name: 'peer directory: 1,000,000 spoofed sources', value: Math.round(ms(t)) / 1000, unit: 's', budget: 5 };
}

const figures: Figure[] = [catalogPatterns(), hostileLines(), fuzzRecords(), ...(await notifyCalls()), outboxStorm(), peerDirectoryFlood()];
for (const f of figures) {
  const verdict = f.value <= f.budget ? 'ok' : 'OVER BUDGET';
  process.stdout.write(`${f.name}: ${f.value} ${f.unit} (budget ${f.budget} ${f.unit}) ${verdict}${f.worst ? ` — ${f.worst}` : ''}\n`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/budgets.json', `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`);
process.stdout.write('written to bench/results/budgets.json\n');
process.exit(figures.every((f) => f.value <= f.budget) ? 0 : 1);
