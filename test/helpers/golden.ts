// Golden files, in the manner of Elastic's pipeline tests: `<name>.log` holds input lines, one record per line;
// `<name>.log-expected.json` holds {"expected": [...]}, one entry per line: the ECS document, or
// {"unparsed": "<decoded message>"} for a line that is not WireGuard. An optional `<name>.log-config.json`
// (or the folder's `config.json`) sets {"timezone", "now", "recordTimestamp"} (defaults below). `npm run golden -- --update` rewrites the
// expectations from the current code; review the diff before committing.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { processLine } from '../../src/parse/normalize/line.ts';

export const GOLDEN_ROOT = 'test/golden';

export interface GoldenConfig {
  readonly timezone: string;
  /** ISO time used as "now" and as event.ingested, so expectations are stable. */
  readonly now: string;
  /** ISO time standing in for the Kafka record's timestamp (lines without time of their own). */
  readonly recordTimestamp?: string;
}

const DEFAULTS: GoldenConfig = { timezone: 'UTC', now: '2026-01-15T12:00:00.000Z' };

export function goldenFiles(root = GOLDEN_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.log')) out.push(p);
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

/** `<name>.log-config.json`, else the folder's `config.json`, else the defaults. */
export function goldenConfig(logFile: string): GoldenConfig {
  for (const p of [`${logFile}-config.json`, join(dirname(logFile), 'config.json')]) {
    if (existsSync(p)) return { ...DEFAULTS, ...(JSON.parse(readFileSync(p, 'utf8')) as Partial<GoldenConfig>) };
  }
  return DEFAULTS;
}

export type GoldenEntry = Record<string, unknown>;

/** What the current code makes of every line of a golden input file. */
export function runGolden(logFile: string): GoldenEntry[] {
  const cfg = goldenConfig(logFile);
  const nowMs = Date.parse(cfg.now);
  const recordTimestampMs = cfg.recordTimestamp ? Date.parse(cfg.recordTimestamp) : undefined;
  const lines = readFileSync(logFile, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => {
    const r = processLine({ value: line, nowMs, recordTimestampMs }, { timezone: cfg.timezone, namespace: 'default', validate: true });
    if (r.kind === 'event') return JSON.parse(JSON.stringify(r.doc)) as GoldenEntry;
    if (r.kind === 'invalid') return { invalid: r.errors };
    return { unparsed: r.decoded.message };
  });
}

export const expectedPath = (logFile: string): string => `${logFile}-expected.json`;

export function readExpected(logFile: string): GoldenEntry[] | null {
  const p = expectedPath(logFile);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { expected: GoldenEntry[] }).expected : null;
}
