// One recognised WireGuard line → one ECS document of the logs-wireguard.log data stream.
import type { Recognised } from '../catalog/recognise.ts';
import type { CaptureName, DiagnosisDef, Severity } from '../catalog/types.ts';
import type { Decoded } from '../decode/types.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import { CAPTURE_SETTERS } from './captures.ts';
import { isMaskedEndpoint, isMaskedKey, isMaskedName } from './masked.ts';
import type { SetterContext } from './captures.ts';

/** ECS version the documents conform to (the @elastic/ecs release the mappings were checked against). */
export const ECS_VERSION = '9.4.0';
export const EVENT_DATASET = 'wireguard.log';

/**
 * event.severity uses the syslog scale (the numbers log.syslog.severity.code would carry): lower is worse.
 * A catalog severity, not the level the implementation happened to log at, so the same event from two
 * implementations gets the same number.
 */
export const SEVERITY_CODE: Record<Severity, number> = { critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };

const SYSLOG_SEVERITY_NAME = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;
const SYSLOG_FACILITY_NAME: Record<number, string> = { 0: 'kern', 1: 'user', 3: 'daemon', 4: 'auth', 10: 'authpriv', 16: 'local0', 17: 'local1', 18: 'local2', 19: 'local3', 20: 'local4', 21: 'local5', 22: 'local6', 23: 'local7' };

const TIME_FROM_INGEST: readonly string[] = Object.freeze(['wireguard-time-from-ingest']);

export interface NormalizeContext {
  readonly namespace: string;
  /** Time the pipeline saw the record (ms). */
  readonly ingestedMs: number;
  readonly diagnosis: (id: string) => DiagnosisDef | undefined;
  /**
   * Keep the raw line in event.original and tag the event `preserve_original_event` (pipeline.preserveOriginalEvent;
   * the convention of Elastic's integration packages). Off by default: `message` already holds the text.
   */
  readonly preserveOriginal?: boolean;
}

/** The tag Elastic's integration packages add to events that keep event.original. */
export const PRESERVE_ORIGINAL_TAG = 'preserve_original_event';

// Lines arrive in bursts with the same second and the same ingest time: formatting each once is enough.
let lastMs = NaN;
let lastIso = '';
let lastIngestMs = NaN;
let lastIngestIso = '';
function iso(ms: number): string {
  if (ms !== lastMs) { lastMs = ms; lastIso = new Date(ms).toISOString(); }
  return lastIso;
}
function isoIngest(ms: number): string {
  if (ms !== lastIngestMs) { lastIngestMs = ms; lastIngestIso = new Date(ms).toISOString(); }
  return lastIngestIso;
}

type DocDiagnosis = NonNullable<NonNullable<WgEventDoc['wireguard']>['diagnosis']>;
/**
 * The document form of each diagnosis, built once and shared (documents never modify it): the id alone. The
 * causes and checks are stored once, in the diagnoses index `wg-siem setup` fills from the catalog
 * (src/sinks/elasticsearch/diagnoses.ts), and in the alerts; event.reason carries the one-line summary.
 */
const docDiagnoses = new Map<string, DocDiagnosis>();
function docDiagnosis(diag: DiagnosisDef): DocDiagnosis {
  let d = docDiagnoses.get(diag.id);
  if (!d) {
    d = Object.freeze({ id: diag.id });
    docDiagnoses.set(diag.id, d);
  }
  return d;
}

const TIME_FROM_INGEST_PRESERVED: readonly string[] = Object.freeze([...TIME_FROM_INGEST, PRESERVE_ORIGINAL_TAG]);
const PRESERVED: readonly string[] = Object.freeze([PRESERVE_ORIGINAL_TAG]);

/** Whether the person who pasted the line masked one of its values (kept as given; see masked.ts). */
function masked(r: Recognised, iface: string | undefined, host: string | undefined): boolean {
  if (r.redacted === true) return true;
  const c = r.captures;
  if (c.endpoint !== undefined && isMaskedEndpoint(c.endpoint)) return true;
  if (c.local_endpoint !== undefined && isMaskedEndpoint(c.local_endpoint)) return true;
  const key = r.peerKey ?? c.peer_key;
  if (key !== undefined && isMaskedKey(key)) return true;
  if (c.public_key !== undefined && isMaskedKey(c.public_key)) return true;
  if (c.inner_src_ip !== undefined && isMaskedEndpoint(c.inner_src_ip)) return true;
  if (c.inner_dst_ip !== undefined && isMaskedEndpoint(c.inner_dst_ip)) return true;
  if (c.peer_name !== undefined && isMaskedName(c.peer_name)) return true;
  return (iface !== undefined && isMaskedName(iface)) || (host !== undefined && isMaskedName(host));
}

export function normalize(d: Decoded, r: Recognised, ctx: NormalizeContext): WgEventDoc {
  const def = r.def;
  const ts = d.timestampMs ?? ctx.ingestedMs;
  // Built without spreads or temporary objects: this runs for every line, and object spreads are several
  // times slower than plain property stores.
  const wg: NonNullable<WgEventDoc['wireguard']> = {
    implementation: def.impl,
    envelope: d.envelope,
    message: { id: def.id, family: def.family },
  };
  const observer: NonNullable<WgEventDoc['observer']> = { vendor: 'WireGuard', product: def.impl, type: 'vpn' };
  const log: NonNullable<WgEventDoc['log']> = { level: d.level ?? def.level };
  const doc: WgEventDoc = {
    '@timestamp': iso(ts),
    ecs: { version: ECS_VERSION },
    message: d.message,
    event: {
      kind: 'event',
      category: def.category,
      type: def.type,
      action: def.action,
      outcome: def.outcome,
      code: def.id,
      severity: SEVERITY_CODE[def.severity],
      dataset: EVENT_DATASET,
      module: 'wireguard',
      provider: def.impl,
      ingested: isoIngest(ctx.ingestedMs),
    },
    data_stream: { type: 'logs', dataset: EVENT_DATASET, namespace: ctx.namespace },
    observer,
    log,
    wireguard: wg,
  };
  if (ctx.preserveOriginal === true) {
    doc.event.original = d.original;
    doc.tags = d.timestampSource === 'none' ? TIME_FROM_INGEST_PRESERVED : PRESERVED;
  } else if (d.timestampSource === 'none') {
    doc.tags = TIME_FROM_INGEST;
  }

  if (d.host) {
    doc.host = { name: d.host, hostname: d.host };
    observer.hostname = d.host;
  }
  // The logging host's own addresses from the envelope (shipper's host.ip, syslog sender); the tunnel diagnosis pairs hosts by them.
  if (d.hostIps !== undefined) (doc.host ??= {}).ip = d.hostIps;
  const iface = r.iface ?? d.iface;
  if (iface) observer.ingress = { interface: { name: iface } };

  if (d.logger) log.logger = d.logger;
  if (d.filePath) log.file = { path: d.filePath };
  const sl = d.syslog;
  if (sl && (sl.facility !== undefined || sl.severity !== undefined)) {
    log.syslog = {};
    if (sl.facility !== undefined) log.syslog.facility = { code: sl.facility, name: SYSLOG_FACILITY_NAME[sl.facility] ?? String(sl.facility) };
    if (sl.severity !== undefined) log.syslog.severity = { code: sl.severity, name: SYSLOG_SEVERITY_NAME[sl.severity] ?? String(sl.severity) };
  }
  if (d.program !== undefined || d.pid !== undefined) {
    const proc: NonNullable<WgEventDoc['process']> = {};
    if (d.program !== undefined) proc.name = d.program;
    if (d.pid !== undefined) proc.pid = d.pid;
    doc.process = proc;
  }
  if (d.agent) doc.agent = d.agent;
  if (d.uptimeSeconds !== undefined) wg.uptime_s = d.uptimeSeconds;

  const sc: SetterContext = { direction: def.direction, related: [] };
  const caps = r.captures;
  for (const name in caps) {
    const value = caps[name as CaptureName];
    if (value !== undefined) CAPTURE_SETTERS[name as CaptureName](doc, value, sc);
  }
  if (r.peerKey) {
    const peer = (wg.peer ??= {});
    if (r.peerKey.length === 44) peer.public_key = r.peerKey;
    else peer.key_fragment = r.peerKey;
  }
  if (d.hostIps !== undefined) for (const ip of d.hostIps) sc.related.push(ip);
  if (sc.related.length) doc.related = { ip: sc.related.length === 1 ? sc.related : [...new Set(sc.related)] };
  if (def.rateLimited) wg.rate_limited = true;
  if (masked(r, iface, d.host)) wg.redacted = true;

  const diag = def.diagnosis ? ctx.diagnosis(def.diagnosis) : undefined;
  if (diag) {
    wg.diagnosis = docDiagnosis(diag);
    doc.event.reason = diag.summary;
  }
  return doc;
}
