// The lab recordings (lab/recordings/): real wireguard-go logs of both ends of a tunnel, replayed as syslog
// from one host per end, moved in time so that the newest line of all is `endsAgoMs` before `nowMs`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_HEADER, SNAPSHOT_KIND, type SnapshotRecord } from '../../source/collect/snapshot-record.ts';
import type { WaveManifest } from './wave.ts';

export const RECORDINGS_DIR = fileURLToPath(new URL('../../../lab/recordings/wireguard-go/', import.meta.url));

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

// ------------------------------------------------------------------------------------------- the wave

/** The concurrency wave's recording (scripts/lab-wave.ts): a log and peer snapshots per host, and a manifest. */
export const WAVE_RECORDING_DIR = fileURLToPath(new URL('../../../lab/recordings/wave/', import.meta.url));

export interface WaveRecording {
  readonly manifest: WaveManifest;
  /** Per host, its wireguard-go lines. */
  readonly logs: ReadonlyMap<string, readonly string[]>;
  /** Per host, the records `wg-siem collect` published for it (no private or preshared keys). */
  readonly snapshots: ReadonlyMap<string, readonly SnapshotRecord[]>;
}

export function readWaveRecording(dir = WAVE_RECORDING_DIR): WaveRecording {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as WaveManifest;
  const read = (file: string): string[] => readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l !== '');
  const logs = new Map<string, string[]>();
  const snapshots = new Map<string, SnapshotRecord[]>();
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.peers.jsonl')) snapshots.set(f.slice(0, -'.peers.jsonl'.length), read(f).map((l) => JSON.parse(l) as SnapshotRecord));
    else if (f.endsWith('.log')) logs.set(f.slice(0, -'.log'.length), read(f));
  }
  return { manifest, logs, snapshots };
}

/** One record to produce, keyed by host: a syslog line, or (with `headers`) a peer snapshot as the collector sends it. */
export interface ReplayRecord {
  readonly host: string;
  readonly value: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly t: number;
}

const shiftIso = (iso: string | null, shiftMs: number): string | null => (iso === null ? null : new Date(Date.parse(iso) + shiftMs).toISOString());

/** A snapshot record moved in time by `shiftMs` (its collection time and every handshake time in it). */
export function shiftedSnapshot(r: SnapshotRecord, shiftMs: number): SnapshotRecord {
  return {
    ...r,
    collected_at: shiftIso(r.collected_at, shiftMs) ?? r.collected_at,
    peers: r.peers.map((p) => ({ ...p, latest_handshake: shiftIso(p.latest_handshake, shiftMs) })),
    changes: r.changes.map((c) => ({ ...c, latest_handshake: shiftIso(c.latest_handshake, shiftMs) })),
  };
}

/**
 * The wave as records to produce, each host's in time order, moved so that its newest log line is `endsAgoMs`
 * before `nowMs`: log lines as syslog from their host, and, with `snapshots`, the host's peer snapshots (no later
 * than `nowMs`) with the collector's header.
 */
export function replayWave(rec: WaveRecording, nowMs: number, o: { snapshots: boolean; endsAgoMs?: number }): ReplayRecord[] {
  const newest = Math.max(...[...rec.logs.values()].flatMap((ls) => ls.map(goTime)).filter((t) => !Number.isNaN(t)));
  const shift = nowMs - (o.endsAgoMs ?? 10_000) - newest;
  const out: ReplayRecord[] = [];
  for (const [host, lines] of rec.logs) {
    const mine: ReplayRecord[] = lines.map((l) => ({ host, value: shiftedSyslog(l, shift, host), t: goTime(l) + shift }));
    if (o.snapshots) {
      for (const s of rec.snapshots.get(host) ?? []) {
        const moved = shiftedSnapshot(s, Math.min(shift, nowMs - Date.parse(s.collected_at)));
        mine.push({ host, value: JSON.stringify(moved), headers: { [SNAPSHOT_HEADER]: SNAPSHOT_KIND }, t: Date.parse(moved.collected_at) });
      }
    }
    // Stable: lines of one second keep their order; a snapshot goes after the lines of its second.
    out.push(...mine.map((r, i) => ({ r, i })).sort((a, b) => a.r.t - b.r.t || a.i - b.i).map(({ r }) => r));
  }
  return out;
}
