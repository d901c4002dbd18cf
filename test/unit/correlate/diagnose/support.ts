// Lab captures and hand-made kernel lines as ECS documents, the way wg-siem produces them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processLine } from '../../../../src/parse/normalize/line.ts';
import type { WgEventDoc } from '../../../../src/shared/schema/generated/event.ts';

const LAB = join(import.meta.dirname, '../../../golden/lab/wireguard-go');

export const SCENARIOS = ['healthy', 'wrong-server-key', 'server-lacks-client', 'psk', 'allowedips'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * The documents wg-siem produced for one end of a lab run (its golden expectation), with host.name set to
 * `<scenario>-<end>`: the lab ran both ends on one machine, and the diagnosis tells hosts apart by name.
 */
export function labDocs(scenario: Scenario, end: 'client' | 'server'): WgEventDoc[] {
  const file = join(LAB, `${scenario}.${end}.log-expected.json`);
  const { expected } = JSON.parse(readFileSync(file, 'utf8')) as { expected: Record<string, unknown>[] };
  return expected
    .filter((e) => !('unparsed' in e) && !('invalid' in e))
    .map((e) => {
      const d = e as unknown as WgEventDoc;
      return { ...d, host: { ...d.host, name: `${scenario}-${end}` } };
    });
}

export const ms = (d: WgEventDoc): number => Date.parse(d['@timestamp']);

/** First and last time of the documents: the alert period the tests use. */
export function span(docs: readonly WgEventDoc[]): { start: number; end: number } {
  const times = docs.map(ms);
  return { start: Math.min(...times), end: Math.max(...times) };
}

export const hostOf = (scenario: Scenario, end: 'client' | 'server'): string => `${scenario}-${end}`;

const NOW = Date.parse('2026-11-25T02:00:00.000Z');

/** One raw log line (any envelope) through the real pipeline; fails the test if it is not recognised. */
export function line(raw: string): WgEventDoc {
  const r = processLine({ value: raw, nowMs: NOW }, { timezone: 'UTC', namespace: 'default', validate: true });
  if (r.kind !== 'event') throw new Error(`not recognised as a WireGuard event: ${raw}`);
  return r.doc;
}

/** RFC 3339 syslog timestamp `secondsAfter` T0, for kernel lines with sub-second precision. */
export const T0 = Date.parse('2026-11-25T03:00:00.000Z');
export function at(secondsAfter: number): string {
  return new Date(T0 + secondsAfter * 1000).toISOString().replace('Z', '+00:00');
}

/** A kernel line as rsyslog forwards it: `<time> <host> kernel: wireguard: <iface>: <text>`. */
export function kernel(secondsAfter: number, host: string, text: string): WgEventDoc {
  return line(`${at(secondsAfter)} ${host} kernel: wireguard: wg0: ${text}`);
}

/** A wireguard-go debug line on host `host` (the envelope has no host name, so it is set like the lab docs). */
export function goLine(secondsAfter: number, host: string, text: string): WgEventDoc {
  const t = new Date(T0 + secondsAfter * 1000).toISOString();
  const stamp = `${t.slice(0, 4)}/${t.slice(5, 7)}/${t.slice(8, 10)} ${t.slice(11, 19)}`;
  const d = line(`DEBUG: (wg0) ${stamp} ${text}`);
  return { ...d, host: { ...d.host, name: host } };
}
