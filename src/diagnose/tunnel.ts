// Cross-host tunnel diagnosis: an alert raised on one end of a WireGuard tunnel, the lines of that end and of
// other hosts around it → the specific root cause. From the client alone, "wrong server key", "server lacks the
// client's key" and "packets never arrive" look the same (initiations, retries, giving up); only the server's
// lines, or their absence, tell them apart. So: find the other end (inventory, address, or timing), compute
// facts from both ends, and take the first root cause in the table (root-causes.ts) whose evidence holds.
// Pure: no I/O, no clock; the caller fetches the events.
import { keyFragment } from '../enrich/keys.ts';
import type { WgEventDoc } from '../schema/generated/event.ts';
import type { BySide, Condition, Confidence, Pattern, Placeholder, Role, RootCause } from './root-causes.ts';
import { ROOT_CAUSES } from './root-causes.ts';
import type { Signal } from './signals.ts';
import { HEARD, REJECTED, TRIED, labelOf as signalsLabel, signalDef, signalOf } from './signals.ts';
import type { Coincidence } from './timing.ts';
import { coincide, moments, significant } from './timing.ts';

export interface TunnelQuery {
  /** Which end raised the alert. */
  readonly side: 'initiator' | 'responder';
  readonly host: string;
  readonly iface?: string;
  readonly peer?: { readonly id?: string; readonly fragment?: string; readonly publicKey?: string };
  /** Responder side: the source address of the failing handshakes. */
  readonly remoteIp?: string;
  /** Alert period, ms since the epoch. */
  readonly start: number;
  readonly end: number;
}

export interface TunnelHints {
  /**
   * Hosts known to be the other end of this tunnel: from the peer inventory, or from peer-state snapshots (the
   * host whose own interface key is the key this end has for its peer).
   */
  readonly counterparts?: readonly { host: string; iface?: string; source?: 'inventory' | 'snapshot' }[];
  readonly skewToleranceMs?: number;
  /**
   * Fewest attempts that may tie another host to this one by timing alone (default 3): with fewer, a chance
   * coincidence is too likely. Inventory and address matches do not need it.
   */
  readonly minInitiations?: number;
  /**
   * Per other host, the tokens (`key:<fragment>`, `ip:<address>`) of its tunnels whose other end is known, from
   * peer-state snapshots, to be some host other than this one: its lines about them cannot be this tunnel's.
   */
  readonly foreign?: readonly { readonly host: string; readonly tokens: readonly string[] }[];
  /** Initiator side: addresses the initiator's handshakes are known to arrive from at the server (its public or NAT address). */
  readonly initiatorAddresses?: readonly string[];
}

export interface TunnelDiagnosis {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly checks: readonly string[];
  readonly confidence: Confidence;
  readonly counterpart?: {
    readonly host: string;
    readonly iface?: string;
    readonly method: CounterpartMethod;
    readonly matched?: number;
    readonly of?: number;
  };
  readonly evidence: readonly string[];
}

/** How the other end was found: listed in the inventory, by key in peer-state snapshots, by address, by timing. */
export type CounterpartMethod = 'inventory' | 'snapshot' | 'address' | 'timing';

export const DEFAULT_SKEW_TOLERANCE_MS = 2000;
export const DEFAULT_MIN_INITIATIONS = 3;
/** What the caller fetches of other hosts around the alert; the same margin applies to the alerting host. */
export const PADDING_MS = 30_000;
/** Share of the attempts a 'most' condition, and a timing match, needs. */
export const MOST_SHARE = 0.6;
/** A second host matching within this share of the attempts of the best one makes a timing match ambiguous. */
export const RIVAL_SHARE = 0.1;
/**
 * Invalid-MAC lines from one source within one second that mean a flood rather than a misconfigured client:
 * a WireGuard initiator sends one initiation per 5 s, and the kernel's per-source budget that makes it print
 * "Invalid MAC" for valid handshakes is 20 per second. Five fits under the kernel's log rate limit (bursts of 10).
 */
export const BURST_PER_SECOND = 5;

// ---------------------------------------------------------------------------------------------- lines

/** One log line, reduced to what the diagnosis uses. */
interface Line {
  readonly t: number;
  readonly host: string;
  readonly iface?: string;
  readonly signal?: Signal;
  readonly message: string;
  /**
   * Who the line is about: `peer:<kernel/NT peer number>`, `key:<wireguard-go fragment>` (full keys are
   * shortened to the fragment so both forms join), `ip:<remote address>`.
   */
  readonly tokens: readonly string[];
  readonly inner?: string;
  readonly initiatorTime?: number;
}


function toLine(d: WgEventDoc): Line | undefined {
  const t = Date.parse(d['@timestamp']);
  if (Number.isNaN(t)) return undefined;
  const peer = d.wireguard?.peer;
  const tokens: string[] = [];
  if (peer?.id !== undefined) tokens.push(`peer:${peer.id}`);
  const frag = peer?.key_fragment ?? (peer?.public_key !== undefined ? keyFragment(peer.public_key) : undefined);
  if (frag !== undefined) tokens.push(`key:${frag}`);
  const ip = d.source?.ip ?? d.destination?.ip;
  if (ip !== undefined) tokens.push(`ip:${ip}`);
  const it = d.wireguard?.handshake?.initiator_time;
  const initiatorTime = it !== undefined ? Date.parse(it) : NaN;
  const signal = signalOf(d.event.action);
  return {
    t,
    host: d.host?.name ?? '',
    ...(d.observer?.ingress?.interface?.name !== undefined ? { iface: d.observer.ingress.interface.name } : {}),
    ...(signal !== undefined ? { signal } : {}),
    message: d.message,
    tokens,
    ...(d.wireguard?.inner?.source?.ip !== undefined ? { inner: d.wireguard.inner.source.ip } : {}),
    ...(!Number.isNaN(initiatorTime) ? { initiatorTime } : {}),
  };
}

/**
 * Adds a derived 'mac-burst' line wherever one source (or wireguard-go's address-less lines together) sent
 * BURST_PER_SECOND invalid-MAC handshakes or more within one second; one line per burst, not per second.
 */
function withBursts(lines: readonly Line[]): Line[] {
  const bySource = new Map<string, Line[]>();
  for (const l of lines) {
    if (l.signal !== 'mac-invalid') continue;
    const ip = l.tokens.find((k) => k.startsWith('ip:')) ?? '';
    const list = bySource.get(ip);
    if (list) list.push(l);
    else bySource.set(ip, [l]);
  }
  const bursts: Line[] = [];
  for (const [ip, list] of bySource) {
    list.sort(byTime);
    let i = 0;
    while (i < list.length) {
      const first = list[i];
      if (!first) break;
      let j = i;
      while (j + 1 < list.length && (list[j + 1]?.t ?? Infinity) < first.t + 1000) j++;
      const n = j - i + 1;
      if (n >= BURST_PER_SECOND) {
        bursts.push({ ...first, signal: 'mac-burst', message: `${n} invalid-MAC handshakes${ip !== '' ? ` from ${ip.slice(3)}` : ''} within one second` });
        i = j + 1;
      } else i++;
    }
  }
  return [...lines, ...bursts].sort(byTime);
}

/** Time, then text: lines of one second (1-s resolution logs) keep one order whatever order they came in. */
function byTime(a: Line, b: Line): number {
  return a.t - b.t || cmp(a.message, b.message) || cmp(a.host, b.host) || cmp(a.tokens.join(' '), b.tokens.join(' '));
}

const kind = (token: string): string => token.slice(0, token.indexOf(':'));

/**
 * The lines of one tunnel among an interface's lines. `seed` names the tunnel (from the query, or from the
 * lines that matched the other end's attempts); tokens printed on the same line as a seed token join it (a
 * kernel peer number and its endpoint). A line is kept when it names the tunnel, or names nothing of a kind
 * the seed constrains (wireguard-go's "invalid mac1" names no one at all).
 */
function tunnelLines(lines: readonly Line[], seed: ReadonlySet<string>): Line[] {
  if (seed.size === 0) return [...lines];
  const known = new Set(seed);
  for (const l of lines) if (l.tokens.some((k) => seed.has(k))) for (const k of l.tokens) known.add(k);
  const kinds = new Set([...known].map(kind));
  return lines.filter((l) => l.tokens.some((k) => known.has(k)) || !l.tokens.some((k) => kinds.has(kind(k))));
}

function queryTokens(q: TunnelQuery): Set<string> {
  const s = new Set<string>();
  if (q.peer?.id !== undefined) s.add(`peer:${q.peer.id}`);
  if (q.peer?.fragment !== undefined) s.add(`key:${q.peer.fragment}`);
  if (q.peer?.publicKey !== undefined) s.add(`key:${keyFragment(q.peer.publicKey)}`);
  if (q.remoteIp !== undefined) s.add(`ip:${q.remoteIp}`);
  return s;
}

const has = (signals: readonly Signal[]) => (l: Line): boolean => l.signal !== undefined && signals.includes(l.signal);
const inRange = (from: number, to: number) => (l: Line): boolean => l.t >= from && l.t <= to;

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

// ---------------------------------------------------------------------------------------------- ends

/** One end's lines around the alert. */
interface View {
  readonly host: string;
  readonly iface?: string;
  /** Every line of the interface (and the host's lines without an interface). */
  readonly all: readonly Line[];
  /** The lines of this tunnel. */
  readonly tunnel: readonly Line[];
}

interface Counterpart {
  readonly view: View;
  readonly method: CounterpartMethod;
  readonly match: Coincidence;
  /** How this tunnel shows on the other end (its peer number, key fragment, address). */
  readonly tokens: ReadonlySet<string>;
}

interface Setting {
  readonly q: TunnelQuery;
  readonly hints: TunnelHints;
  readonly tol: number;
  readonly from: number;
  readonly to: number;
  readonly periodMs: number;
  readonly attempts: readonly number[];
}

interface Candidate {
  readonly host: string;
  readonly iface?: string;
  readonly lines: readonly Line[];
}

/** Other hosts' lines per host and interface; lines without an interface belong to every interface of their host. */
function candidates(others: readonly Line[], exclude: string): Candidate[] {
  const byHost = new Map<string, Line[]>();
  for (const l of others) {
    if (l.host === '' || l.host === exclude) continue;
    const list = byHost.get(l.host);
    if (list) list.push(l);
    else byHost.set(l.host, [l]);
  }
  const out: Candidate[] = [];
  for (const [host, lines] of byHost) {
    const ifaces = [...new Set(lines.map((l) => l.iface).filter((i) => i !== undefined))].sort();
    if (ifaces.length === 0) out.push({ host, lines });
    for (const iface of ifaces) out.push({ host, iface, lines: lines.filter((l) => l.iface === undefined || l.iface === iface) });
  }
  return out;
}

interface GroupMatch {
  readonly match: Coincidence;
  readonly score: number;
  readonly tokens: ReadonlySet<string>;
  /** 0: one identity token, 1: lines naming no one, 2: every line (least specific). */
  readonly rank: number;
  readonly key: string;
}

/**
 * The best way a candidate's lines line up with the attempts: per identity the other end prints (one peer,
 * one address), among lines naming no one, or all together. Scoring per identity keeps a busy gateway's other
 * peers from drowning the one that matters, and the chance estimate from crediting them.
 */
function bestGroup(lines: readonly Line[], classes: readonly Signal[], s: Setting, only?: ReadonlySet<string>, foreign?: ReadonlySet<string>): GroupMatch | undefined {
  const pool = lines.filter(has(classes)).filter((l) => !foreign || !l.tokens.some((k) => foreign.has(k)));
  const groups = new Map<string, { rank: number; lines: Line[] }>();
  const add = (key: string, rank: number, l: Line): void => {
    const g = groups.get(key);
    if (g) g.lines.push(l);
    else groups.set(key, { rank, lines: [l] });
  };
  for (const l of pool) {
    for (const k of l.tokens) if (!only || only.has(k)) add(k, 0, l);
    if (only) continue;
    if (l.tokens.length === 0) add('', 1, l);
    add('*', 2, l);
  }
  let best: GroupMatch | undefined;
  for (const [key, g] of groups) {
    const match = coincide(s.attempts, g.lines.map((l) => l.t), s.periodMs, s.tol);
    // Only a real match says how the tunnel shows on that host; otherwise its lines stay unfiltered.
    const tokens = new Set<string>();
    if (g.rank === 0 && significant(match)) {
      for (const l of g.lines) if (s.attempts.some((a) => Math.abs(a - l.t) <= s.tol)) for (const k of l.tokens) tokens.add(k);
    }
    const cand: GroupMatch = { match, score: match.matched - match.expected, tokens, rank: g.rank, key };
    if (!best || better(cand, best)) best = cand;
  }
  return best;
}

function better(a: GroupMatch, b: GroupMatch): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.rank !== b.rank) return a.rank < b.rank;
  return a.key < b.key;
}

interface Ranked {
  readonly c: Candidate;
  readonly g: GroupMatch | undefined;
}

function rank(list: readonly Candidate[], classes: readonly Signal[], s: Setting, only?: ReadonlySet<string>): Ranked[] {
  const foreign = new Map<string, Set<string>>();
  for (const f of s.hints.foreign ?? []) {
    const set = foreign.get(f.host) ?? new Set<string>();
    for (const t of f.tokens) set.add(t);
    foreign.set(f.host, set);
  }
  return list
    .map((c) => ({ c, g: bestGroup(c.lines, classes, s, only, foreign.get(c.host)) }))
    .sort((a, b) => cmpScore(a.g, b.g) || cmp(a.c.host, b.c.host) || cmp(a.c.iface ?? '', b.c.iface ?? ''));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Higher score first; a candidate with no handshake lines at all last. */
function cmpScore(a: GroupMatch | undefined, b: GroupMatch | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  return b.score - a.score;
}

const NO_MATCH = (of: number): Coincidence => ({ matched: 0, of, expected: 0, chance: 1 });

function toCounterpart(r: Ranked, method: Counterpart['method'], s: Setting): Counterpart {
  const tokens = r.g?.tokens ?? new Set<string>();
  const all = withBursts(r.c.lines);
  return {
    view: { host: r.c.host, ...(r.c.iface !== undefined ? { iface: r.c.iface } : {}), all, tunnel: tunnelLines(all, tokens) },
    method,
    match: r.g?.match ?? NO_MATCH(s.attempts.length),
    tokens,
  };
}

interface Search {
  readonly found?: Counterpart;
  /**
   * Other hosts whose lines line up (nearly) as well as the one found, by timing alone: several tunnels failing
   * at once with the same 5-s retry rhythm cannot be told apart by time, so the diagnosis claims less.
   */
  readonly rivals?: readonly { host: string; iface?: string; matched: number }[];
  /** Why timing found no one, for the evidence. */
  readonly note?: string;
}

function findCounterpart(s: Setting, others: readonly Line[]): Search {
  const { q, hints } = s;
  // What the other end logs at the moments of an attempt: the server's reaction to an initiation, or the
  // client's initiation behind a server's line.
  const classes = q.side === 'initiator' ? HEARD : TRIED;
  const pool = candidates(others, q.host);

  const inventory = hints.counterparts ?? [];
  if (inventory.length > 0) {
    const listed: Candidate[] = [];
    for (const h of inventory) {
      const mine = pool.filter((c) => c.host === h.host && (h.iface === undefined || c.iface === undefined || c.iface === h.iface));
      listed.push(...(mine.length > 0 ? mine : [{ host: h.host, ...(h.iface !== undefined ? { iface: h.iface } : {}), lines: [] }]));
    }
    const best = rank(listed, classes, s)[0];
    if (best) {
      const source = inventory.find((h) => h.host === best.c.host)?.source;
      return { found: toCounterpart(best, source === 'snapshot' ? 'snapshot' : 'inventory', s) };
    }
  }

  const addresses = q.side === 'initiator' ? (hints.initiatorAddresses ?? []) : [];
  if (addresses.length > 0) {
    const only = new Set(addresses.map((a) => `ip:${a}`));
    const best = rank(pool, classes, s, only).find((r) => r.g !== undefined);
    if (best) return { found: toCounterpart(best, 'address', s) };
  }

  const min = hints.minInitiations ?? DEFAULT_MIN_INITIATIONS;
  const noun = attemptNoun(s);
  if (s.attempts.length < min) {
    return { note: `Timing can tie another host to this one only with at least ${min} ${noun}; there ${s.attempts.length === 1 ? 'was' : 'were'} ${s.attempts.length}.` };
  }
  const ranked = rank(pool, classes, s);
  const ok = (r: Ranked): boolean => r.g !== undefined && r.g.match.matched >= MOST_SHARE * r.g.match.of && significant(r.g.match);
  const best = ranked.find(ok);
  if (best?.g) {
    const floor = best.g.match.matched - Math.max(1, Math.ceil(RIVAL_SHARE * best.g.match.of));
    const rivals = ranked
      .filter((r) => r.c.host !== best.c.host && ok(r) && (r.g?.match.matched ?? 0) > floor)
      .map((r) => ({ host: r.c.host, ...(r.c.iface !== undefined ? { iface: r.c.iface } : {}), matched: r.g?.match.matched ?? 0 }));
    return { found: toCounterpart(best, 'timing', s), ...(rivals.length > 0 ? { rivals } : {}) };
  }
  const top = ranked.find((r) => r.g !== undefined);
  if (!top?.g) return { note: `No other host logged ${q.side === 'initiator' ? 'a server-side' : 'a client-side'} handshake line ${when(s.from, s.to)}.` };
  return {
    note: `No other host's handshake lines line up with the ${noun}: the closest, ${where(top.c.host, top.c.iface)}, matches ${top.g.match.matched} of ${top.g.match.of}`
      + ` (at least ${Math.round(MOST_SHARE * 100)} % needed, and more than chance alone would give).`,
  };
}

// ---------------------------------------------------------------------------------------------- facts

interface Facts {
  readonly s: Setting;
  readonly views: Readonly<Record<Role, View | undefined>>;
}

interface Measure {
  readonly lines: readonly Line[];
  /** Attempts scope. */
  readonly match?: Coincidence;
}

function measure(f: Facts, c: Condition): Measure | undefined {
  const v = f.views[c.end];
  // An end whose log we do not have proves nothing, not even an absence.
  if (!v || v.all.length === 0) return undefined;
  let lines: readonly Line[];
  if (c.signals === 'any') lines = v.all;
  else {
    const signals = c.signals;
    const mine = new Set(v.tunnel);
    lines = v.all.filter((l) => l.signal !== undefined && signals.includes(l.signal) && (mine.has(l) || signalDef(l.signal).hostWide === true));
  }
  if (c.scope === 'period') return { lines };
  return { lines, match: coincide(f.s.attempts, lines.map((l) => l.t), f.s.periodMs, f.s.tol) };
}

function holds(c: Condition, m: Measure | undefined): boolean {
  if (!m) return false;
  if (c.scope === 'period') return c.test === 'none' ? m.lines.length === 0 : m.lines.length > 0;
  const x = m.match;
  if (!x || x.of === 0) return false;
  if (c.test === 'none') return x.matched === 0;
  if (c.test === 'some') return significant(x);
  return x.matched >= MOST_SHARE * x.of && significant(x);
}

/** The first root cause with a pattern that holds; the table's last entry always does. */
export function chooseRootCause(test: (c: Condition) => boolean, table: readonly RootCause[] = ROOT_CAUSES): { cause: RootCause; pattern: Pattern } {
  for (const cause of table) {
    for (const pattern of cause.patterns) if (pattern.all.every(test)) return { cause, pattern };
  }
  throw new Error('root-cause table has no fallback entry');
}

// ---------------------------------------------------------------------------------------------- words

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

const where = (host: string, iface: string | undefined): string => (iface !== undefined ? `${host} (${iface})` : host);
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function attemptNoun(s: Setting): string {
  return s.q.side === 'initiator' ? 'handshake initiations' : 'failed handshakes';
}

type Names = Readonly<Record<Placeholder, string>>;

/** Inner source addresses of the responder's packets outside AllowedIPs (the kernel prints them, wireguard-go does not). */
function innerSources(f: Facts): string[] {
  const res = f.views.responder;
  return [...new Set((res?.tunnel ?? []).filter(has(['source-not-allowed'])).map((l) => l.inner).filter((x) => x !== undefined))].sort();
}

function names(f: Facts, cp: Counterpart | undefined): Names {
  const { q } = f.s;
  const ini = f.views.initiator;
  const res = f.views.responder;
  const remote = q.side === 'responder' ? q.remoteIp : [...(cp?.tokens ?? [])].find((k) => k.startsWith('ip:'))?.slice(3);
  const inner = innerSources(f);
  return {
    initiator: ini?.host ?? (q.remoteIp !== undefined && q.side === 'responder' ? `the client at ${q.remoteIp}` : 'the client'),
    responder: res?.host ?? 'the server',
    initiatorIface: ini?.iface ?? '<iface>',
    responderIface: res?.iface ?? '<iface>',
    remote: remote ?? 'the client\'s address',
    inner: inner.length > 0 ? inner.slice(0, 5).join(', ') + (inner.length > 5 ? ', …' : '') : 'not printed in the log',
  };
}

/** Fills {placeholders}; a name that starts a sentence gets a capital letter. */
function fill(template: string, n: Names): string {
  const values: Readonly<Record<string, string>> = n;
  return template.replace(/\{(\w+)\}/g, (whole: string, key: string, offset: number) => {
    const v = values[key];
    if (v === undefined) return whole;
    // Host names keep their case; only the stand-ins ("the client") start a sentence with a capital.
    const starts = offset === 0 || /[.!?]\s+$/.test(template.slice(Math.max(0, offset - 3), offset));
    return starts && v.startsWith('the ') ? `T${v.slice(1)}` : v;
  });
}

function bySide<T>(v: BySide<T>, side: Role): T {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'initiator' in v ? v[side] : v;
}

function quote(l: Line): string {
  return `'${l.message}'`;
}

function labelOf(c: Condition): string {
  return c.signals === 'any' ? 'WireGuard lines' : signalsLabel(c.signals);
}

function hostOf(f: Facts, end: Role, n: Names): string {
  const v = f.views[end];
  return v?.host ?? (end === 'initiator' ? n.initiator : n.responder);
}

/** "laptop's 6 handshake initiations" / "the 6 failed handshakes vpn-gw logged from 203.0.113.7", after "of". */
function attemptsPhrase(f: Facts, n: Names): string {
  return f.s.q.side === 'initiator'
    ? `${n.initiator}'s ${plural(f.s.attempts.length, 'handshake initiation', 'handshake initiations')}`
    : `the ${plural(f.s.attempts.length, 'failed handshake', 'failed handshakes')} ${n.responder} logged${f.s.q.remoteIp !== undefined ? ` from ${f.s.q.remoteIp}` : ''}`;
}

/** "at 01:46:33" or "between 01:46:33 and 01:47:58". */
function when(first: number, last: number): string {
  return clock(first) === clock(last) ? `at ${clock(first)} UTC` : `between ${clock(first)} and ${clock(last)} UTC`;
}

function conditionEvidence(f: Facts, c: Condition, m: Measure, n: Names): string {
  const host = hostOf(f, c.end, n);
  const tol = `±${(f.s.tol / 1000).toString()} s`;
  if (c.scope === 'attempts' && m.match) {
    if (c.test === 'none') return `${host} logged no ${labelOf(c)} within ${tol} of any of ${attemptsPhrase(f, n)}.`;
    const sample = m.lines.find((l) => f.s.attempts.some((a) => Math.abs(a - l.t) <= f.s.tol)) ?? m.lines[0];
    return `${host} logged ${sample ? quote(sample) : labelOf(c)} within ${tol} of ${m.match.matched} of ${attemptsPhrase(f, n)}.`;
  }
  const first = m.lines[0];
  const last = m.lines.at(-1);
  if (c.test === 'none' || !first || !last) return `${host} logged no ${labelOf(c)} ${when(f.s.from, f.s.to)}.`;
  if (c.signals === 'any') return `${host} did ship ${plural(m.lines.length, 'WireGuard line', 'WireGuard lines')} ${when(first.t, last.t)}, so its logging works.`;
  if (m.lines.length === 1) return `${host} logged ${quote(first)} ${when(first.t, first.t)}.`;
  return `${host} logged ${m.lines.length} ${labelOf(c)} ${when(first.t, last.t)}, the first ${quote(first)}.`;
}

/** Extra facts some lines carry that make the evidence concrete. */
function detailEvidence(f: Facts, c: Condition, m: Measure, n: Names): string[] {
  if (c.signals === 'any' || c.test === 'none') return [];
  const out: string[] = [];
  const host = hostOf(f, c.end, n);
  if (c.signals.includes('replay')) {
    const r = m.lines.find((l) => l.signal === 'replay' && l.initiatorTime !== undefined);
    if (r?.initiatorTime !== undefined) {
      const behind = Math.round((r.t - r.initiatorTime) / 1000);
      out.push(`The replayed handshake claimed the time ${clock(r.initiatorTime)}, ${Math.abs(behind)} s ${behind >= 0 ? 'behind' : 'ahead of'} ${host}'s clock (${clock(r.t)}) when it arrived.`);
    }
  }
  if (c.signals.includes('source-not-allowed')) {
    const inner = innerSources(f);
    out.push(inner.length === 0
      ? `${host}'s log does not print the inner source address (wireguard-go never does); capture on its tunnel interface to see it.`
      : `Inner source addresses outside AllowedIPs on ${host}: ${inner.join(', ')}.`);
  }
  return out;
}

function localEvidence(f: Facts): string {
  const { q } = f.s;
  const local = q.side === 'initiator' ? f.views.initiator : f.views.responder;
  const lines = (local?.tunnel ?? []).filter(inRange(q.start, q.end));
  const first = f.s.attempts[0];
  const last = f.s.attempts.at(-1);
  const span = first !== undefined && last !== undefined ? ` ${when(first, last)}` : '';
  if (q.side === 'initiator') {
    const retries = lines.filter(has(['retry'])).length;
    const gaveUp = lines.filter(has(['gave-up'])).length;
    const peer = q.peer?.fragment ?? q.peer?.id ?? (q.peer?.publicKey !== undefined ? keyFragment(q.peer.publicKey) : undefined);
    return `${q.host} sent ${plural(f.s.attempts.length, 'handshake initiation', 'handshake initiations')}${peer !== undefined ? ` to peer ${peer}` : ''}${span}`
      + `${retries > 0 ? ` (${plural(retries, 'retry', 'retries')})` : ''}${gaveUp > 0 ? ', then gave up' : ''}.`;
  }
  const counts = REJECTED.concat(['initiation-received'])
    .map((x) => [x, lines.filter(has([x])).length] as const)
    .filter(([, k]) => k > 0)
    .map(([x, k]) => `${k} ${signalDef(x).label}`);
  return `${q.host} logged ${plural(f.s.attempts.length, 'handshake attempt', 'handshake attempts')}${q.remoteIp !== undefined ? ` from ${q.remoteIp}` : ''}${span}`
    + `${counts.length > 0 ? ` (${counts.join(', ')})` : ''}.`;
}

function counterpartEvidence(f: Facts, cp: Counterpart, n: Names): string[] {
  const v = cp.view;
  const name = where(v.host, v.iface);
  const m = cp.match;
  const tol = `±${(f.s.tol / 1000).toString()} s`;
  const other = f.s.q.side === 'initiator' ? 'handshake lines' : 'initiations';
  const lined = `its ${other} fall within ${tol} of ${m.matched} of ${attemptsPhrase(f, n)}`;
  const out: string[] = [];
  if (cp.method === 'inventory' || cp.method === 'snapshot') {
    const by = cp.method === 'inventory' ? 'according to the peer inventory' : `by key: in the peer-state snapshots, ${v.host}'s own public key is the one ${f.s.q.host} has for this peer`;
    out.push(v.all.length === 0
      ? `${name} is the other end ${by}, but it shipped no WireGuard lines ${when(f.s.from, f.s.to)}.`
      : `${name} is the other end ${by}; ${lined}.`);
  } else if (cp.method === 'address') {
    out.push(`${name} logged handshakes from an address of ${n.initiator}; ${lined}.`);
  } else {
    out.push(`${name} was taken for the other end by timing: ${lined} (about ${m.expected.toFixed(1)} expected by chance).`);
  }
  const ids = [...cp.tokens].sort().map((k) => (k.startsWith('ip:') ? `address ${k.slice(3)}` : k.startsWith('peer:') ? `peer ${k.slice(5)}` : `peer(${k.slice(4)})`));
  if (ids.length > 0) out.push(`On ${v.host} this tunnel shows up as ${ids.join(', ')}.`);
  return out;
}

// ---------------------------------------------------------------------------------------------- main

export function diagnoseTunnel(q: TunnelQuery, local: readonly WgEventDoc[], others: readonly WgEventDoc[], hints: TunnelHints = {}): TunnelDiagnosis {
  const tol = hints.skewToleranceMs ?? DEFAULT_SKEW_TOLERANCE_MS;
  const from = q.start - PADDING_MS;
  const to = q.end + PADDING_MS;
  const inPeriod = inRange(from, to);
  const lines = (docs: readonly WgEventDoc[]): Line[] =>
    docs.map(toLine).filter((l): l is Line => l !== undefined && inPeriod(l)).sort(byTime);

  const localAll = withBursts(lines(local).filter((l) => (l.host === '' || l.host === q.host) && (q.iface === undefined || l.iface === undefined || l.iface === q.iface)));
  const localTunnel = tunnelLines(localAll, queryTokens(q));
  const attempts = attemptsOf(q, localTunnel);
  const s: Setting = { q, hints, tol, from, to, periodMs: to - from, attempts };

  const search = findCounterpart(s, lines(others));
  const cp = search.found;
  const localView: View = { host: q.host, ...ifaceOf(q.iface, localTunnel), all: localAll, tunnel: localTunnel };
  const f: Facts = {
    s,
    views: q.side === 'initiator' ? { initiator: localView, responder: cp?.view } : { initiator: cp?.view, responder: localView },
  };

  const measures = new Map<Condition, Measure | undefined>();
  const measured = (c: Condition): Measure | undefined => {
    if (!measures.has(c)) measures.set(c, measure(f, c));
    return measures.get(c);
  };
  const { cause, pattern } = chooseRootCause((c) => holds(c, measured(c)));
  const n = names(f, cp);

  const evidence: string[] = [localEvidence(f)];
  if (cp) evidence.push(...counterpartEvidence(f, cp, n));
  else if (search.note !== undefined) evidence.push(search.note);
  const rivals = search.rivals ?? [];
  if (rivals.length > 0) {
    const list = rivals.map((r) => `${where(r.host, r.iface)} (${r.matched} of ${s.attempts.length})`).join(', ');
    evidence.push(`Timing alone ties ${list} to this end about as well: several tunnels fail in the same rhythm, so this cause is only possible.`
      + ' A peer inventory (peers.inventoryFile) or the addresses in the lines would settle which host is the other end.');
  }
  for (const c of pattern.all) {
    // The alerting initiator's own initiations are the attempts; saying they coincide with themselves is noise.
    if (q.side === 'initiator' && c.end === 'initiator' && c.scope === 'attempts' && c.signals === TRIED) continue;
    const m = measured(c);
    if (!m) continue;
    evidence.push(conditionEvidence(f, c, m, n), ...detailEvidence(f, c, m, n));
  }

  return {
    id: cause.id,
    title: fill(cause.title, n),
    summary: fill(bySide(cause.summary, q.side), n),
    checks: bySide(cause.checks, q.side).map((c) => fill(c, n)),
    confidence: rivals.length > 0 ? 'possible' : pattern.confidence,
    ...(cp
      ? {
        counterpart: {
          host: cp.view.host,
          ...(cp.view.iface !== undefined ? { iface: cp.view.iface } : {}),
          method: cp.method,
          matched: cp.match.matched,
          of: cp.match.of,
        },
      }
      : {}),
    evidence,
  };
}

function ifaceOf(asked: string | undefined, lines: readonly Line[]): { iface?: string } {
  const i = asked ?? mostCommon(lines.map((l) => l.iface));
  return i !== undefined ? { iface: i } : {};
}

/**
 * The moments this end tried (initiator: its initiations and retries) or saw a failing handshake (responder:
 * its rejections from the client); within the alert period, else anywhere in the padded period. A responder
 * with no rejections (an AllowedIPs alert) uses the handshakes it accepted from the peer.
 */
function attemptsOf(q: TunnelQuery, tunnel: readonly Line[]): number[] {
  const pick = (signals: readonly Signal[]): number[] => {
    const inAlert = tunnel.filter(has(signals)).filter(inRange(q.start, q.end));
    return moments((inAlert.length > 0 ? inAlert : tunnel.filter(has(signals))).map((l) => l.t));
  };
  if (q.side === 'initiator') return pick(TRIED);
  const rejected = pick(REJECTED);
  return rejected.length > 0 ? rejected : pick(['initiation-received']);
}
