// Real WireGuard lines turned into ECS events the way the pipeline does, and the keys the tests share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processLine } from '../../../src/parse/normalize/line.ts';
import type { WgEventDoc } from '../../../src/shared/schema/generated/event.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const LAB = join(import.meta.dirname, '../../golden/lab/wireguard-go');

/** The syslog lines carry no year: it is taken from "now". */
export const NOW = Date.parse('2025-05-23T00:00:00.000Z');

export const ALICE = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
export const GATEWAY = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';
export const LAB_CLIENT = 'HsGBlabclientlabclientlabclientlabclienG/WY=';
/** Shares ALICE's fragment xTIB…p8Dg: the rare collision wireguard-go's short names allow. */
export const ALICE_TWIN = 'xTIBtwintwintwintwintwintwintwintwintwip8Dg=';
export const BOB = 'bObBbobbobbobbobbobbobbobbobbobbobbobbobboA=';

export function event(line: string, nowMs = NOW): WgEventDoc {
  const r = processLine({ value: line, nowMs }, { timezone: 'UTC', namespace: 'default', validate: true });
  if (r.kind !== 'event') throw new Error(`not a WireGuard event: ${line}`);
  return r.doc;
}

/** Every line of a lab capture that is a WireGuard event ("now" as in the lab's golden config). */
export function labEvents(file: string): WgEventDoc[] {
  const now = Date.parse('2026-11-25T02:00:00.000Z');
  const out: WgEventDoc[] = [];
  for (const line of readFileSync(join(LAB, file), 'utf8').split('\n')) {
    if (line === '') continue;
    const r = processLine({ value: line, nowMs: now }, { timezone: 'UTC', namespace: 'default', validate: true });
    if (r.kind === 'event') out.push(r.doc);
  }
  return out;
}

export const kernel = (host: string, body: string, time = 'May 22 14:22:07'): string => `${time} ${host} kernel: wireguard: ${body}`;
