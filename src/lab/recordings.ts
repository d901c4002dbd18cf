// The lab recordings (lab/recordings/): real wireguard-go logs of both ends of a tunnel, replayed as syslog
// from one host per end, moved in time so that the newest line of all is `endsAgoMs` before `nowMs`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RECORDINGS_DIR = fileURLToPath(new URL('../../lab/recordings/wireguard-go/', import.meta.url));

const GO_TIME = /(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/;

/** The UTC time of a recorded wireguard-go line ("DEBUG: (wg0) 2026/11/25 01:46:33 ..."; recorded in UTC). */
export function goTime(line: string): number {
  const m = GO_TIME.exec(line);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
}

/** The line moved by `shiftMs`, in its own clock and in an ISO syslog envelope from `host`. */
export function shiftedSyslog(line: string, shiftMs: number, host: string): string {
  const t = goTime(line);
  if (Number.isNaN(t)) return `${new Date().toISOString()} ${host} wireguard-go[812]: ${line}`;
  const d = new Date(Math.floor((t + shiftMs) / 1000) * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const go = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${d.toISOString()} ${host} wireguard-go[812]: ${line.replace(GO_TIME, go)}`;
}

export interface Recording {
  readonly file: string;
  readonly scenario: string;
  readonly side: string;
  /** `<scenario>-<side>`: the host name its lines are shipped under. */
  readonly host: string;
  readonly lines: readonly string[];
}

export function readRecordings(dir = RECORDINGS_DIR): Recording[] {
  return readdirSync(dir).filter((f) => f.endsWith('.log')).sort().map((file) => {
    const [scenario = '', side = ''] = file.replace(/\.log$/, '').split('.');
    return { file, scenario, side, host: `${scenario}-${side}`, lines: readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l !== '') };
  });
}

/** Every recording as syslog lines of its host, the newest line of all `endsAgoMs` before `nowMs`. */
export function replayAsSyslog(recs: readonly Recording[], nowMs: number, endsAgoMs = 10_000): Map<Recording, string[]> {
  const newest = Math.max(...recs.flatMap((r) => r.lines.map(goTime)).filter((t) => !Number.isNaN(t)));
  const shift = nowMs - endsAgoMs - newest;
  return new Map(recs.map((r) => [r, r.lines.map((l) => shiftedSyslog(l, shift, r.host))]));
}
