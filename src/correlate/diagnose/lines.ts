// Log lines reduced to what the tunnel diagnosis uses, and the tunnels in them: on a host with many peers, which
// lines are one tunnel's. A line names its tunnel by tokens (peer number, key fragment, address); tokens printed
// on one line are one tunnel; two token sets that always appear in the same second as the two halves of one event
// (wireguard-go's replay line and its "invalid initiation" line; a client's initiation and the response it got)
// are one tunnel too. Lines that name no one are a tunnel of their own: on a busy host they cannot be given to
// any one peer (wireguard-go's "invalid mac1" names no one at all).
import { keyFragment } from '../../enrich/keys.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import type { Signal } from './signals.ts';
import { TRIED, signalOf } from './signals.ts';
import { SAME_MOMENT_MS } from './timing.ts';
import type { TunnelQuery } from './types.ts';
import { BURST_PER_SECOND, COMPANION_SHARE } from './types.ts';

/** One log line, reduced to what the diagnosis uses. */
export interface Line {
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
  /** The remote UDP port (source or destination) the line prints. */
  readonly port?: number;
  /** The shipping host's own addresses, when the envelope carries them (`host.ip`). */
  readonly hostIps?: readonly string[];
  readonly inner?: string;
  readonly initiatorTime?: number;
}

function envelopeIps(d: WgEventDoc): string[] {
  const ip = (d.host as { ip?: unknown } | undefined)?.ip;
  const list = Array.isArray(ip) ? ip : [ip];
  return list.filter((x): x is string => typeof x === 'string' && x !== '');
}

/** Documents shared by the diagnoses of one evaluation (the diagnoser's search cache) are reduced once. */
const linesOf = new WeakMap<WgEventDoc, Line | null>();

export function toLine(d: WgEventDoc): Line | undefined {
  const have = linesOf.get(d);
  if (have !== undefined) return have ?? undefined;
  const l = reduce(d);
  linesOf.set(d, l ?? null);
  return l;
}

function reduce(d: WgEventDoc): Line | undefined {
  const t = Date.parse(d['@timestamp']);
  if (Number.isNaN(t)) return undefined;
  const peer = d.wireguard?.peer;
  const tokens: string[] = [];
  if (peer?.id !== undefined) tokens.push(`peer:${peer.id}`);
  const frag = peer?.key_fragment ?? (peer?.public_key !== undefined ? keyFragment(peer.public_key) : undefined);
  if (frag !== undefined) tokens.push(`key:${frag}`);
  const ip = d.source?.ip ?? d.destination?.ip;
  if (ip !== undefined) tokens.push(`ip:${ip}`);
  const port = d.source?.port ?? d.destination?.port;
  const it = d.wireguard?.handshake?.initiator_time;
  const initiatorTime = it !== undefined ? Date.parse(it) : NaN;
  const signal = signalOf(d.event.action);
  const hostIps = envelopeIps(d);
  return {
    t,
    host: d.host?.name ?? '',
    ...(d.observer?.ingress?.interface?.name !== undefined ? { iface: d.observer.ingress.interface.name } : {}),
    ...(signal !== undefined ? { signal } : {}),
    message: d.message,
    tokens,
    ...(port !== undefined ? { port } : {}),
    ...(hostIps.length > 0 ? { hostIps } : {}),
    ...(d.wireguard?.inner?.source?.ip !== undefined ? { inner: d.wireguard.inner.source.ip } : {}),
    ...(!Number.isNaN(initiatorTime) ? { initiatorTime } : {}),
  };
}

/**
 * Adds a derived 'mac-burst' line wherever one source (or wireguard-go's address-less lines together) sent
 * BURST_PER_SECOND invalid-MAC handshakes or more within one second; one line per burst, not per second.
 */
export function withBursts(lines: readonly Line[]): readonly Line[] {
  const have = burstsOf.get(lines);
  if (have) return have;
  const out = findBursts(lines);
  burstsOf.set(lines, out);
  return out;
}

/**
 * One diagnosis splits the same candidate's lines again and again (each fit, each rival, each consistency check):
 * the results are kept per array of lines, for as long as that array lives. Nobody changes them.
 */
const burstsOf = new WeakMap<readonly Line[], readonly Line[]>();
const componentsOf = new WeakMap<readonly Line[], readonly Component[]>();

function findBursts(lines: readonly Line[]): Line[] {
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

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Time, then text: lines of one second (1-s resolution logs) keep one order whatever order they came in. */
export function byTime(a: Line, b: Line): number {
  return a.t - b.t || cmp(a.message, b.message) || cmp(a.host, b.host) || cmp(a.tokens.join(' '), b.tokens.join(' '));
}

export const has = (signals: readonly Signal[]) => (l: Line): boolean => l.signal !== undefined && signals.includes(l.signal);
export const inRange = (from: number, to: number) => (l: Line): boolean => l.t >= from && l.t <= to;

export function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

export function queryTokens(q: TunnelQuery): Set<string> {
  const s = new Set<string>();
  if (q.peer?.id !== undefined) s.add(`peer:${q.peer.id}`);
  if (q.peer?.fragment !== undefined) s.add(`key:${q.peer.fragment}`);
  if (q.peer?.publicKey !== undefined) s.add(`key:${keyFragment(q.peer.publicKey)}`);
  if (q.remoteIp !== undefined) s.add(`ip:${q.remoteIp}`);
  return s;
}

// ---------------------------------------------------------------------------------------------- tunnels

/** The lines of one tunnel on one host: tokens that name it ('' for the lines naming no one) and its lines. */
export interface Component {
  /** Sorted tokens; empty for the lines that name no one. */
  readonly tokens: readonly string[];
  readonly lines: readonly Line[];
}

/** Two halves of one event, logged as separate lines with different tokens. */
const COMPANIONS: readonly (readonly [readonly Signal[], readonly Signal[]])[] = [
  // wireguard-go: "peer(K) - ConsumeMessageInitiation: handshake replay" then "Received invalid initiation message from A".
  [['replay'], ['initiation-invalid']],
  [['initiation-invalid'], ['replay']],
  // A client's initiation (names the peer) and the response it got (names the server's address).
  [['response-invalid', 'response-received', 'cookie-received'], TRIED],
];

/** Lines in the same second (1-s logs) or closer than SAME_MOMENT_MS: one event logged twice. */
function sameMoment(a: number, sorted: readonly number[]): boolean {
  return sorted.some((b) => Math.abs(a - b) < SAME_MOMENT_MS);
}

/**
 * The tunnels among one host's lines: tokens printed on one line are one tunnel (connected components), and a
 * tunnel whose lines are mostly the companions of another's (same second) joins it.
 */
export function components(lines: readonly Line[]): readonly Component[] {
  const have = componentsOf.get(lines);
  if (have) return have;
  const out = split(lines);
  componentsOf.set(lines, out);
  return out;
}

function split(lines: readonly Line[]): Component[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(k, r);
    return r;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const l of lines) for (const k of l.tokens) if (!parent.has(k)) parent.set(k, k);
  for (const l of lines) for (let i = 1; i < l.tokens.length; i++) union(l.tokens[0] ?? '', l.tokens[i] ?? '');

  const byRoot = (): Map<string, Line[]> => {
    const m = new Map<string, Line[]>();
    for (const l of lines) {
      const r = l.tokens.length === 0 ? '' : find(l.tokens[0] ?? '');
      const list = m.get(r);
      if (list) list.push(l);
      else m.set(r, [l]);
    }
    return m;
  };

  // Companions: a named tunnel whose lines of one kind nearly all fall in the same second as another tunnel's
  // partner lines joins the one it shares most seconds with (and none when two tie).
  let groups = byRoot();
  for (const [mine, partner] of COMPANIONS) {
    for (const [root, ls] of groups) {
      if (root === '') continue;
      const own = ls.filter(has(mine)).map((l) => l.t);
      if (own.length === 0) continue;
      let best: { root: string; n: number } | undefined;
      let tie = false;
      for (const [other, os] of groups) {
        if (other === root || other === '') continue;
        const theirs = os.filter(has(partner)).map((l) => l.t);
        if (theirs.length === 0) continue;
        const n = own.filter((t) => sameMoment(t, theirs)).length;
        if (!best || n > best.n) { best = { root: other, n }; tie = false; } else if (n === best.n) tie = true;
      }
      if (best && !tie && best.n >= COMPANION_SHARE * own.length) union(root, best.root);
    }
    groups = byRoot();
  }

  const out: Component[] = [];
  for (const [root, ls] of groups) {
    const tokens = root === '' ? [] : [...new Set(ls.flatMap((l) => l.tokens))].sort();
    out.push({ tokens, lines: ls });
  }
  return out.sort((a, b) => cmp(a.tokens.join(' '), b.tokens.join(' ')));
}

/**
 * The lines of the tunnel a query (or a counterpart's tokens) names among an interface's lines: the components
 * holding any seed token. No seed: every line (one end with a single tunnel, or nothing to tell them apart by).
 */
export function tunnelLines(lines: readonly Line[], seed: ReadonlySet<string>): Line[] {
  if (seed.size === 0) return [...lines];
  const out: Line[] = [];
  for (const c of components(lines)) if (c.tokens.some((k) => seed.has(k))) out.push(...c.lines);
  return out.sort(byTime);
}

/** Addresses and ports a tunnel's lines name (`ip:` tokens, printed ports). */
export function addressesOf(lines: readonly Line[]): { ips: string[]; ports: number[] } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const l of lines) {
    for (const k of l.tokens) if (k.startsWith('ip:')) ips.add(k.slice(3));
    if (l.port !== undefined) ports.add(l.port);
  }
  return { ips: [...ips].sort(), ports: [...ports].sort((a, b) => a - b) };
}
