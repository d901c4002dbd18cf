// Who the other end of the tunnel can be. Every other host's lines are split into tunnels (lines.ts); a tunnel of
// another host is a candidate when it is listed (inventory, snapshots), when its addresses are this end's (or
// this end's lines name the other host's addresses), or, failing both, when its lines fall at the moments of this
// end's attempts (timing). Candidates are returned all, not only the best: consistency.ts then drops those whose
// behaviour contradicts this end's, and tunnel.ts states one cause or the narrowed list.
import type { Line } from './lines.ts';
import { addressesOf, byTime, cmp, components, has, withBursts } from './lines.ts';
import type { Setting, View } from './cause.ts';
import type { Signal } from './signals.ts';
import { HEARD, TRIED } from './signals.ts';
import type { Coincidence } from './timing.ts';
import { coincide, significant } from './timing.ts';
import type { CounterpartMethod, KeyFacts } from './types.ts';
import { DEFAULT_MIN_INITIATIONS, MOST_SHARE } from './types.ts';

/** One candidate other end: a tunnel (or, for a listed host, the absence of one) on another host. */
export interface Fit {
  readonly view: View;
  readonly method: CounterpartMethod;
  readonly match: Coincidence;
  /** How this tunnel shows on the other end (peer number, key fragment, address); empty: lines naming no one. */
  readonly tokens: ReadonlySet<string>;
  /** A listed or addressed host that logged nothing of this tunnel at this end's moments. */
  readonly silent?: boolean;
  readonly keys?: KeyFacts;
  /** Hosts of this end's role whose attempts fit the same lines as well: the lines may be theirs. */
  readonly rivals: readonly string[];
}

export interface Search {
  readonly fits: readonly Fit[];
  /** The other host is known (inventory, snapshots, addresses), not guessed by timing. */
  readonly pinned: boolean;
  /** Why timing found no one, for the evidence. */
  readonly note?: string;
}

/** Other hosts' lines per host and interface; lines without an interface belong to every interface of their host. */
export interface Candidate {
  readonly host: string;
  readonly iface?: string;
  readonly lines: readonly Line[];
}

export function candidates(others: readonly Line[], exclude: string): Candidate[] {
  const byHost = new Map<string, Line[]>();
  for (const l of others) {
    if (l.host === '' || l.host === exclude) continue;
    const list = byHost.get(l.host);
    if (list) list.push(l);
    else byHost.set(l.host, [l]);
  }
  const out: Candidate[] = [];
  for (const [host, lines] of [...byHost].sort((a, b) => cmp(a[0], b[0]))) {
    const ifaces = [...new Set(lines.map((l) => l.iface).filter((i) => i !== undefined))].sort();
    if (ifaces.length === 0) out.push({ host, lines });
    for (const iface of ifaces) out.push({ host, iface, lines: lines.filter((l) => l.iface === undefined || l.iface === iface) });
  }
  return out;
}

/** What the other end logs at the moments of an attempt: the server's reaction, or the client's initiation. */
export const otherClasses = (s: Setting): readonly Signal[] => (s.q.side === 'initiator' ? HEARD : TRIED);

const when = (s: Setting): string => {
  const c = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
  return c(s.from) === c(s.to) ? `at ${c(s.from)} UTC` : `between ${c(s.from)} and ${c(s.to)} UTC`;
};

interface Known {
  readonly ips: ReadonlySet<string>;
  readonly ports: ReadonlySet<number>;
}

/** Known addresses of a host: the hints, and the envelope's `host.ip` on its own lines. */
function knownOf(s: Setting, host: string, lines: readonly Line[], extraIps: readonly string[] = []): Known {
  const ips = new Set<string>(extraIps);
  const ports = new Set<number>();
  for (const a of s.hints.addresses ?? []) {
    if (a.host !== host) continue;
    for (const ip of a.ips ?? []) ips.add(ip);
    for (const p of a.ports ?? []) ports.add(p);
  }
  for (const l of lines) for (const ip of l.hostIps ?? []) ips.add(ip);
  return { ips, ports };
}

/** Ports that only one known host uses: a shared one (every server on 51820) pairs nothing. */
function uniquePorts(s: Setting): Map<number, string> {
  const owners = new Map<number, Set<string>>();
  for (const a of s.hints.addresses ?? []) for (const p of a.ports ?? []) owners.set(p, (owners.get(p) ?? new Set()).add(a.host));
  const out = new Map<number, string>();
  for (const [p, hosts] of owners) if (hosts.size === 1) out.set(p, [...hosts][0] ?? '');
  return out;
}

function foreignSets(s: Setting): Map<string, Set<string>> {
  const foreign = new Map<string, Set<string>>();
  for (const f of s.hints.foreign ?? []) {
    const set = foreign.get(f.host) ?? new Set<string>();
    for (const t of f.tokens) set.add(t);
    foreign.set(f.host, set);
  }
  return foreign;
}

interface Tunnel {
  readonly c: Candidate;
  readonly all: readonly Line[];
  readonly tokens: readonly string[];
  readonly lines: readonly Line[];
  readonly match: Coincidence;
}

/** Every tunnel of every candidate host with lines of the other end's kind, and how it lines up with the attempts. */
function tunnelsOf(pool: readonly Candidate[], s: Setting): Tunnel[] {
  const classes = otherClasses(s);
  const foreign = foreignSets(s);
  const out: Tunnel[] = [];
  for (const c of pool) {
    const all = withBursts(c.lines);
    const notHere = foreign.get(c.host);
    for (const comp of components(all)) {
      if (notHere && comp.tokens.some((k) => notHere.has(k))) continue;
      const heard = comp.lines.filter(has(classes));
      if (heard.length === 0) continue;
      out.push({ c, all, tokens: comp.tokens, lines: comp.lines, match: coincide(s.attempts, heard.map((l) => l.t), s.periodMs, s.tol) });
    }
  }
  return out;
}

function fitOf(t: Tunnel, method: CounterpartMethod, keys?: KeyFacts): Fit {
  return {
    view: { host: t.c.host, ...(t.c.iface !== undefined ? { iface: t.c.iface } : {}), all: t.all, tunnel: [...t.lines].sort(byTime) },
    method, match: t.match, tokens: new Set(t.tokens), rivals: [], ...(keys ? { keys } : {}),
  };
}

export function silentFit(host: string, iface: string | undefined, lines: readonly Line[], s: Setting, method: CounterpartMethod, keys?: KeyFacts): Fit {
  const all = withBursts(lines);
  return {
    view: { host, ...(iface !== undefined ? { iface } : {}), all, tunnel: [] },
    method, match: coincide(s.attempts, [], s.periodMs, s.tol), tokens: new Set(), silent: true, rivals: [], ...(keys ? { keys } : {}),
  };
}

const lined = (t: Tunnel): boolean => t.match.matched >= MOST_SHARE * t.match.of && significant(t.match);

/**
 * The hosts of this end's role whose attempts line up with a candidate tunnel's lines as well as this end's:
 * several tunnels failing at once in the same 5-s rhythm, so the lines may be any of theirs.
 */
function rivalsOf(t: Tunnel, pool: readonly Candidate[], s: Setting, compatible: (ini: readonly Line[], res: readonly Line[], moments: readonly number[]) => boolean): string[] {
  const first = s.attempts[0];
  const last = s.attempts.at(-1);
  if (first === undefined || last === undefined) return [];
  const theirs = t.lines.filter(has(otherClasses(s))).map((l) => l.t).filter((x) => x >= first - s.tol && x <= last + s.tol);
  if (theirs.length === 0) return [];
  const mine = s.q.side === 'initiator' ? TRIED : HEARD;
  const out = new Set<string>();
  for (const c of pool) {
    if (c.host === t.c.host || out.has(c.host)) continue;
    for (const comp of components(withBursts(c.lines))) {
      const tries = comp.lines.filter(has(mine)).map((l) => l.t);
      if (tries.length === 0) continue;
      const m = coincide(theirs, tries, s.periodMs, s.tol);
      if (m.matched < MOST_SHARE * m.of || !significant(m)) continue;
      const ok = s.q.side === 'initiator' ? compatible(comp.lines, t.lines, theirs) : compatible(t.lines, comp.lines, theirs);
      if (ok) { out.add(c.host); break; }
    }
  }
  return [...out].sort();
}

/**
 * The candidates for the other end. `compatible` is consistency.ts's behaviour check (passed in to keep the
 * modules acyclic): a rival host only counts when its behaviour fits the lines too.
 */
export function searchCounterparts(
  s: Setting, local: View, others: readonly Line[],
  compatible: (ini: readonly Line[], res: readonly Line[], moments: readonly number[]) => boolean,
): Search {
  const { q, hints } = s;
  const pool = candidates(others, q.host);
  const tunnels = tunnelsOf(pool, s);

  // 1. Listed: the inventory or snapshots name the host; its tunnels that line up at all, else its silence.
  const listed = hints.counterparts ?? [];
  if (listed.length > 0) {
    const fits: Fit[] = [];
    for (const h of listed) {
      if (h.host === q.host) continue;
      const method: CounterpartMethod = h.source === 'snapshot' ? 'snapshot' : 'inventory';
      const here = (c: Candidate): boolean => c.host === h.host && (h.iface === undefined || c.iface === undefined || c.iface === h.iface);
      // The host is known: the question is only which of its lines are this tunnel's. Lines at most of the
      // attempts count even when they are so dense that chance would put them there (twenty clients failing at
      // one gateway): calling that host silent would be false.
      const mine = tunnels.filter((t) => here(t.c) && (significant(t.match) || (t.match.matched > 0 && t.match.matched >= MOST_SHARE * t.match.of)));
      if (mine.length > 0) fits.push(...mine.map((t) => fitOf(t, method, h.keys)));
      else {
        const lines = pool.filter(here).flatMap((c) => c.lines);
        fits.push(silentFit(h.host, h.iface ?? pool.find(here)?.iface, [...new Set(lines)], s, method, h.keys));
      }
    }
    if (fits.length > 0) return { fits: dedupe(fits), pinned: true };
  }

  // 2. Addresses: a tunnel from this end's address or port, or a host whose address this end's lines name.
  const addressed = byAddress(s, local, pool, tunnels);
  if (addressed.length > 0) return { fits: addressed, pinned: true };

  // 3. Timing.
  const min = hints.minInitiations ?? DEFAULT_MIN_INITIATIONS;
  const noun = q.side === 'initiator' ? 'handshake initiations' : 'failed handshakes';
  if (s.attempts.length < min) {
    return { fits: [], pinned: false, note: `Timing can tie another host to this one only with at least ${min} ${noun}; there ${s.attempts.length === 1 ? 'was' : 'were'} ${s.attempts.length}.` };
  }
  const good = tunnels.filter(lined);
  if (good.length > 0) {
    return { fits: good.map((t) => ({ ...fitOf(t, 'timing'), rivals: rivalsOf(t, pool, s, compatible) })), pinned: false };
  }
  const top = [...tunnels].sort((a, b) => b.match.matched - a.match.matched || cmp(a.c.host, b.c.host))[0];
  if (!top) return { fits: [], pinned: false, note: `No other host logged ${q.side === 'initiator' ? 'a server-side' : 'a client-side'} handshake line ${when(s)}.` };
  const where = top.c.iface !== undefined ? `${top.c.host} (${top.c.iface})` : top.c.host;
  return {
    fits: [], pinned: false,
    note: `No other host's handshake lines line up with the ${noun}: the closest, ${where}, matches ${top.match.matched} of ${top.match.of}`
      + ` (at least ${Math.round(MOST_SHARE * 100)} % needed, and more than chance alone would give).`,
  };
}

function dedupe(fits: readonly Fit[]): Fit[] {
  const seen = new Set<string>();
  return fits.filter((f) => {
    const k = `${f.view.host}\u001f${f.view.iface ?? ''}\u001f${[...f.tokens].join(' ')}\u001f${f.silent === true ? 's' : ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function byAddress(s: Setting, local: View, pool: readonly Candidate[], tunnels: readonly Tunnel[]): Fit[] {
  const { q } = s;
  const unique = uniquePorts(s);
  const fits: Fit[] = [];
  const hostFits = (host: string): void => {
    const mine = tunnels.filter((t) => t.c.host === host && significant(t.match));
    if (mine.length > 0) fits.push(...mine.map((t) => fitOf(t, 'address')));
    else {
      const cs = pool.filter((c) => c.host === host);
      fits.push(silentFit(host, cs[0]?.iface, [...new Set(cs.flatMap((c) => c.lines))], s, 'address'));
    }
  };
  if (q.side === 'initiator') {
    // The server's lines from this client's address or listen port.
    const own = knownOf(s, q.host, local.all, s.hints.initiatorAddresses ?? []);
    for (const t of tunnels) {
      const a = addressesOf(t.lines);
      const byIp = a.ips.some((ip) => own.ips.has(ip));
      const byPort = a.ports.some((p) => own.ports.has(p) && unique.get(p) === q.host);
      if (byIp || byPort) fits.push(fitOf(t, 'address'));
    }
    if (fits.length > 0) return dedupe(fits);
    // A host at the address this client's lines name (its endpoint, the source of its responses).
    const named = addressesOf(local.tunnel).ips;
    const hosts = [...new Set(pool.map((c) => c.host))].filter((h) => named.some((ip) => knownOf(s, h, pool.filter((c) => c.host === h).flatMap((c) => c.lines)).ips.has(ip)));
    for (const h of hosts) hostFits(h);
    return dedupe(fits);
  }
  // Responder: the client host at the failing handshakes' address or source port.
  const remote = addressesOf(local.tunnel);
  const ips = new Set([...remote.ips, ...(q.remoteIp !== undefined ? [q.remoteIp] : [])]);
  const hosts = new Set<string>();
  for (const a of s.hints.addresses ?? []) {
    if (a.host === q.host) continue;
    if ((a.ips ?? []).some((ip) => ips.has(ip)) || (a.ports ?? []).some((p) => remote.ports.includes(p) && unique.get(p) === a.host)) hosts.add(a.host);
  }
  for (const c of pool) if (c.lines.some((l) => (l.hostIps ?? []).some((ip) => ips.has(ip)))) hosts.add(c.host);
  for (const h of [...hosts].sort()) hostFits(h);
  return dedupe(fits);
}
