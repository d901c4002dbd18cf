// JSON records: the journal (journalctl -o json), Filebeat / Elastic Agent events and Vector log events. The
// shippers' `message` is usually a whole log line with its own envelope (a kern.log line), which is decoded with
// the text envelopes; what the line says about time, host and program beats what the shipper added.
import type { InnerDecoder, JsonEnvelope } from './envelopes.ts';
import { MAX_HOST_IPS, addHostIp, hostIpOf, newOut, rest, setLineTime, setSyslog } from './fields.ts';
import type { Ctx, Out } from './fields.ts';
import { unwrapMessage } from './inner.ts';
import { present, str, text, uint } from './json-fields.ts';
import { OBJECT, get, jsonList, jsonPath } from './json-scan.ts';
import type { JsonPath, JsonRecord } from './json-scan.ts';
import { FACILITY_BY_NAME, SEVERITY_BY_NAME } from './names.ts';
import { isKnownZone, parseIso, zoneOf } from './time.ts';
import type { Decoded } from './types.ts';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** journald writes a value that is not valid UTF-8 (or has control characters) as an array of byte values. */
function fromBytes(v: readonly unknown[]): string | undefined {
  const b = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 255) return undefined;
    b[i] = x;
  }
  return utf8.decode(b);
}

/**
 * A journal field value: a string, a byte array, or — when the entry has the field more than once — an array
 * of those, of which the first is taken.
 */
function journalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) return undefined;
  const first: unknown = v[0];
  if (typeof first === 'string') return first;
  if (Array.isArray(first)) return fromBytes(first);
  return fromBytes(v);
}

const J = {
  message: jsonPath('MESSAGE'),
  hostname: jsonPath('_HOSTNAME'),
  facility: jsonPath('SYSLOG_FACILITY'),
  priority: jsonPath('PRIORITY'),
  identifier: jsonPath('SYSLOG_IDENTIFIER'),
  comm: jsonPath('_COMM'),
  pid: jsonPath('_PID'),
  syslogPid: jsonPath('SYSLOG_PID'),
  transport: jsonPath('_TRANSPORT'),
  monotonic: jsonPath('_SOURCE_MONOTONIC_TIMESTAMP'),
  sourceRealtime: jsonPath('_SOURCE_REALTIME_TIMESTAMP'),
  realtime: jsonPath('__REALTIME_TIMESTAMP'),
  cursor: jsonPath('__CURSOR'),
};

/** Journal metadata (journalctl -o json, and Vector's journald source which keeps the same keys). */
function journalFields(out: Out, o: JsonRecord): void {
  const host = text(o, J.hostname);
  if (host !== undefined && out.host === undefined) out.host = host;
  if (out.syslog === undefined) setSyslog(out, uint(o, J.facility), uint(o, J.priority));
  const identifier = text(o, J.identifier);
  // journalctl shows _COMM when the sender gave no identifier.
  const program = identifier ?? text(o, J.comm);
  if (program !== undefined && out.program === undefined) out.program = program;
  if (identifier !== undefined && out.logger === undefined) out.logger = identifier;
  const pid = uint(o, J.pid) ?? uint(o, J.syslogPid);
  if (pid !== undefined && out.pid === undefined) out.pid = pid;
  if (str(o, J.transport) === 'kernel') {
    out.implHint = 'linux-kernel';
    // The kernel's own stamp, the number dmesg prints in brackets.
    const mono = uint(o, J.monotonic);
    if (mono !== undefined) out.uptimeSeconds = mono / 1e6;
  }
}

/** Epoch ms of the journal's microsecond clocks; the sender's stamp first, as journalctl does. */
function journalTime(o: JsonRecord): number {
  const us = uint(o, J.sourceRealtime) ?? uint(o, J.realtime);
  return us === undefined ? NaN : us / 1000;
}

export const JOURNALD: JsonEnvelope = {
  id: 'journald-json',
  variant: 'journalctl -o json',
  detect: (o) => present(o, J.message) || present(o, J.realtime) || present(o, J.cursor),
  extract(o, line, ctx) {
    const out = newOut('journald-json', line, rest(journalText(get(o, J.message)) ?? '', 0));
    setLineTime(out, journalTime(o));
    journalFields(out, o);
    // The journal's clock is exact, so a wrapped wireguard-go line keeps it.
    return unwrapMessage(out, ctx, true);
  },
};

// ---- shippers -----------------------------------------------------------------------------------------------

/**
 * What a shipper's record says besides the message. Each reader is only asked for what the inner line did
 * not say, so a kern.log line in a Filebeat event costs few lookups.
 */
interface Shipper {
  readonly id: 'filebeat-json' | 'vector-json';
  readonly message: (o: JsonRecord) => string;
  readonly time: (o: JsonRecord, ctx: Ctx) => number;
  /** The zone the record names for zone-less times in its message. */
  readonly zone: (o: JsonRecord) => string | undefined;
  readonly host: (o: JsonRecord) => string | undefined;
  readonly program: (o: JsonRecord) => string | undefined;
  readonly pid: (o: JsonRecord) => number | undefined;
  readonly level: (o: JsonRecord) => string | undefined;
  readonly facility: (o: JsonRecord) => number | undefined;
  readonly severity: (o: JsonRecord) => number | undefined;
  readonly logger: (o: JsonRecord) => string | undefined;
  readonly filePath: (o: JsonRecord) => string | undefined;
  readonly agent: (o: JsonRecord) => Decoded['agent'];
  /** Records that carry journal fields next to the message (Vector's journald source). */
  readonly journal: (o: JsonRecord) => boolean;
  /** Adds the logging host's addresses the record carries (after the line's own). */
  readonly hostIps: (out: Out, o: JsonRecord) => void;
}

/** A field holding one address or a list of them. */
function addHostIps(out: Out, v: unknown, port = false): void {
  if (!Array.isArray(v)) addHostIp(out, v, port);
  else for (let i = 0; i < v.length && i < MAX_HOST_IPS; i++) addHostIp(out, v[i], port);
}

/**
 * Decodes the shipper's message as a line of its own (with the record's time as "now" for year-less stamps,
 * and the record's zone when it names one), then fills what the line did not say from the record.
 */
function decodeShipped(s: Shipper, o: JsonRecord, line: string, ctx: Ctx, inner: InnerDecoder): Out {
  const outerTime = s.time(o, ctx);
  const zoneName = s.zone(o);
  const zone = zoneName !== undefined && isKnownZone(zoneName) ? zoneOf(zoneName) : ctx.zone;
  const nowMs = Number.isFinite(outerTime) ? outerTime : ctx.nowMs;
  const d = inner(s.message(o), zone === ctx.zone && nowMs === ctx.nowMs ? ctx : { zone, nowMs });
  const out: Out = { ...d, envelope: s.id, original: line };
  if (out.timestampSource !== 'line') setLineTime(out, outerTime);
  if (s.journal(o)) journalFields(out, o);
  s.hostIps(out, o);
  if (out.host === undefined) {
    const host = s.host(o);
    if (host !== undefined) out.host = host;
  }
  if (out.program === undefined) {
    const program = s.program(o);
    if (program !== undefined) out.program = program;
  }
  if (out.pid === undefined) {
    const pid = s.pid(o);
    if (pid !== undefined) out.pid = pid;
  }
  if (out.logger === undefined) {
    const logger = s.logger(o);
    if (logger !== undefined) out.logger = logger;
  }
  if (out.level === undefined) {
    const level = s.level(o);
    if (level !== undefined) out.level = level;
  }
  if (out.syslog === undefined) setSyslog(out, s.facility(o), s.severity(o));
  const filePath = s.filePath(o);
  if (filePath !== undefined) out.filePath = filePath;
  const agent = s.agent(o);
  if (agent !== undefined) out.agent = agent;
  return out;
}

const none = (): undefined => undefined;

const F = {
  timestamp: jsonPath('@timestamp'),
  message: jsonPath('message'),
  original: jsonPath('event.original'),
  timezone: jsonPath('event.timezone'),
  hostName: jsonPath('host.name'),
  hostHostname: jsonPath('host.hostname'),
  host: jsonPath('host'),
  // add_host_metadata writes a list; bounded, since a record may be anyone's.
  hostIp: jsonList('host.ip', MAX_HOST_IPS),
  sourceAddress: jsonPath('log.source.address'),
  syslogHostname: jsonPath('log.syslog.hostname'),
  appname: jsonPath('log.syslog.appname'),
  processName: jsonPath('process.name'),
  processPid: jsonPath('process.pid'),
  procid: jsonPath('log.syslog.procid'),
  level: jsonPath('log.level'),
  facility: jsonPath('log.syslog.facility.code'),
  severity: jsonPath('log.syslog.severity.code'),
  priority: jsonPath('log.syslog.priority'),
  logger: jsonPath('log.logger'),
  filePath: jsonPath('log.file.path'),
  agentType: jsonPath('agent.type'),
  agentName: jsonPath('agent.name'),
  agentId: jsonPath('agent.id'),
  agentVersion: jsonPath('agent.version'),
};

function agentOf(o: JsonRecord): Decoded['agent'] {
  const type = text(o, F.agentType);
  const name = text(o, F.agentName);
  const id = text(o, F.agentId);
  const version = text(o, F.agentVersion);
  if (type === undefined && name === undefined && id === undefined && version === undefined) return undefined;
  const agent: { type?: string; name?: string; id?: string; version?: string } = {};
  if (type !== undefined) agent.type = type;
  if (name !== undefined) agent.name = name;
  if (id !== undefined) agent.id = id;
  if (version !== undefined) agent.version = version;
  return agent;
}

function isoAt(o: JsonRecord, p: JsonPath, ctx: Ctx): number {
  const ts = str(o, p);
  return ts === undefined ? NaN : parseIso(ts, ctx.zone);
}

const ADDRESS_LIKE = /^[\d.]+$|:/;

/** Whether two names are one host: case aside, and a short name against its qualified form ("gw1", "gw1.example.net"). */
function sameHost(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  // An address is nobody's short name ("10.0.0" is no host of "10.0.0.1").
  if (ADDRESS_LIKE.test(x) || ADDRESS_LIKE.test(y)) return false;
  return x.startsWith(`${y}.`) || y.startsWith(`${x}.`);
}

/**
 * The sender of a Filebeat event received over the network (the syslog, tcp and udp inputs): the address in
 * log.source.address, unless it is this host's own (loopback: a local rsyslog forwarding to Filebeat) or no
 * address (a unix socket). The event's host.* are then the receiver's (add_host_metadata replaces them).
 */
function remoteSender(o: JsonRecord): string | undefined {
  const source = str(o, F.sourceAddress);
  return source === undefined ? undefined : hostIpOf(source, true);
}

/**
 * The sender's address for an event received over the network. Otherwise host.ip are the shipper's own
 * addresses, which are the logging host's unless the line names another host (a central server reading the
 * files its syslog daemon writes for other hosts).
 */
function filebeatHostIps(out: Out, o: JsonRecord): void {
  const sender = remoteSender(o);
  if (sender !== undefined) {
    addHostIp(out, sender);
    return;
  }
  const ips = get(o, F.hostIp);
  if (ips === undefined) return;
  const shipper = text(o, F.hostName) ?? text(o, F.hostHostname);
  if (out.host !== undefined && (shipper === undefined || !sameHost(out.host, shipper))) return;
  addHostIps(out, ips);
}

/** The sender's name (or address) for an event received over the network; the shipper's host otherwise. */
function filebeatHost(o: JsonRecord): string | undefined {
  const sender = remoteSender(o);
  if (sender !== undefined) return text(o, F.syslogHostname) ?? sender;
  return text(o, F.hostName) ?? text(o, F.hostHostname) ?? text(o, F.host) ?? text(o, F.syslogHostname);
}

const FILEBEAT_SHIPPER: Shipper = {
  id: 'filebeat-json',
  message: (o) => str(o, F.message) ?? str(o, F.original) ?? '',
  time: (o, ctx) => isoAt(o, F.timestamp, ctx),
  // add_locale writes the shipper's zone; a zone-less line is local to it.
  zone: (o) => text(o, F.timezone),
  host: filebeatHost,
  program: (o) => text(o, F.appname) ?? text(o, F.processName),
  pid: (o) => uint(o, F.processPid) ?? uint(o, F.procid),
  level: (o) => text(o, F.level)?.toLowerCase(),
  facility: (o) => uint(o, F.facility),
  severity: (o) => uint(o, F.severity) ?? uint(o, F.priority),
  logger: (o) => text(o, F.logger),
  filePath: (o) => text(o, F.filePath),
  agent: agentOf,
  journal: () => false,
  hostIps: filebeatHostIps,
};

/**
 * What marks an ECS shipper's event: these keys holding objects, or their dotted leaves. A string "log" does
 * not count: Docker's json-file lines are {"log": "...", "stream": ..., "time": ...} and stay raw.
 */
const FILEBEAT_OBJECTS: readonly JsonPath[] = ['@metadata', 'agent', 'ecs', 'input', 'log'].map(jsonPath);
const ECS_VERSION = jsonPath('ecs.version');

function isFilebeat(o: JsonRecord): boolean {
  return str(o, F.timestamp) !== undefined || FILEBEAT_OBJECTS.some((k) => get(o, k) === OBJECT) ||
    present(o, F.filePath) || present(o, F.agentType) || present(o, ECS_VERSION);
}

export const FILEBEAT: JsonEnvelope = {
  id: 'filebeat-json',
  variant: 'Filebeat / Elastic Agent event (nested or dotted ECS keys)',
  detect: isFilebeat,
  extract: (o, line, ctx, inner) => decodeShipped(FILEBEAT_SHIPPER, o, line, ctx, inner),
};

export const FILEBEAT_BY_MESSAGE: JsonEnvelope = {
  id: 'filebeat-json',
  variant: 'any other JSON record with an ECS "message"',
  detect: (o) => str(o, F.message) !== undefined,
  extract: (o, line, ctx, inner) => decodeShipped(FILEBEAT_SHIPPER, o, line, ctx, inner),
};

const V = {
  timestamp: jsonPath('timestamp'),
  message: jsonPath('message'),
  host: jsonPath('host'),
  hostname: jsonPath('hostname'),
  appname: jsonPath('appname'),
  procid: jsonPath('procid'),
  facility: jsonPath('facility'),
  severity: jsonPath('severity'),
  file: jsonPath('file'),
  sourceType: jsonPath('source_type'),
  sourceIp: jsonPath('source_ip'),
};

function named(map: ReadonlyMap<string, number>, name: string | undefined): number | undefined {
  return name === undefined ? undefined : map.get(name);
}

const VECTOR_SHIPPER: Shipper = {
  id: 'vector-json',
  message: (o) => str(o, V.message) ?? '',
  time: (o, ctx) => isoAt(o, V.timestamp, ctx),
  zone: none,
  // The syslog source names the sender "hostname" and keeps the receiving host in "host".
  host: (o) => text(o, V.hostname) ?? text(o, V.host),
  program: (o) => text(o, V.appname),
  pid: (o) => uint(o, V.procid),
  level: none,
  facility: (o) => named(FACILITY_BY_NAME, str(o, V.facility)),
  severity: (o) => named(SEVERITY_BY_NAME, str(o, V.severity)),
  logger: none,
  filePath: (o) => text(o, V.file),
  agent: none,
  journal: (o) => str(o, V.sourceType) === 'journald',
  // The socket and syslog sources' peer: source_ip, and host when the message named no host (an address then).
  hostIps: (out, o) => {
    addHostIp(out, get(o, V.sourceIp), true);
    addHostIp(out, get(o, V.host), true);
  },
};

export const VECTOR: JsonEnvelope = {
  id: 'vector-json',
  variant: 'Vector log event (source_type)',
  detect: (o) => present(o, V.sourceType),
  extract: (o, line, ctx, inner) => decodeShipped(VECTOR_SHIPPER, o, line, ctx, inner),
};

export const VECTOR_BY_TIMESTAMP: JsonEnvelope = {
  id: 'vector-json',
  variant: 'Vector log event without source_type (timestamp + message)',
  detect: (o) => str(o, V.timestamp) !== undefined && str(o, V.message) !== undefined,
  extract: (o, line, ctx, inner) => decodeShipped(VECTOR_SHIPPER, o, line, ctx, inner),
};
