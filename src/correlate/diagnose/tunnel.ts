// Cross-host tunnel diagnosis: an alert raised on one end of a WireGuard tunnel, the lines of that end and of
// other hosts around it → the specific root cause. From the client alone, "wrong server key", "server lacks the
// client's key" and "packets never arrive" look the same (initiations, retries, giving up); only the server's
// lines, or their absence, tell them apart. So:
//   1. lines.ts: this end's tunnel among its lines, and the attempts (its initiations, or its failing handshakes);
//   2. counterpart.ts: every tunnel on another host that can be the other end (listed, by address, by timing);
//   3. consistency.ts: drop those whose behaviour contradicts this end's, whatever their timing;
//   4. cause.ts: the root-cause table (root-causes.ts) on both ends, per remaining candidate;
//   5. here: one candidate → its cause; several implying one cause → that cause, at most 'probable'; several
//      implying different causes → 'ambiguous', each cause with the other end it assumes and the fact that
//      settles it. A stated cause never rests on a candidate this end's own lines rule out.
// Pure: no I/O, no clock; the caller fetches the events.
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import type { Facts, Setting, Verdict, View } from './cause.ts';
import { evaluate } from './cause.ts';
import { compatibleWith, contradiction } from './consistency.ts';
import type { Fit } from './counterpart.ts';
import { candidates, searchCounterparts, silentFit } from './counterpart.ts';
import { bySide, conditionEvidence, counterpartEvidence, describeFit, detailEvidence, fill, localEvidence, names, where } from './evidence.ts';
import type { Line } from './lines.ts';
import { byTime, has, inRange, mostCommon, queryTokens, toLine, tunnelLines, withBursts } from './lines.ts';
import type { Confidence } from './root-causes.ts';
import type { Signal } from './signals.ts';
import { REJECTED, TRIED } from './signals.ts';
import { moments } from './timing.ts';
import type { TunnelAlternative, TunnelDiagnosis, TunnelHints, TunnelQuery } from './types.ts';
import { DEFAULT_SKEW_TOLERANCE_MS, PADDING_MS } from './types.ts';

export type { CounterpartMethod, HostAddresses, KeyFacts, TunnelAlternative, TunnelDiagnosis, TunnelHints, TunnelQuery } from './types.ts';
export { BURST_PER_SECOND, DEFAULT_MIN_INITIATIONS, DEFAULT_SKEW_TOLERANCE_MS, MOST_SHARE, PADDING_MS, RIVAL_SHARE } from './types.ts';
export { chooseRootCause } from './cause.ts';

interface Judged {
  readonly fit: Fit;
  readonly v: Verdict;
  readonly reason?: string;
}

const RANK: Readonly<Record<Confidence, number>> = { confirmed: 2, probable: 1, possible: 0 };
const atMost = (c: Confidence, cap: Confidence): Confidence => (RANK[c] <= RANK[cap] ? c : cap);

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
  const localView: View = { host: q.host, ...ifaceOf(q.iface, localTunnel), all: localAll, tunnel: localTunnel };
  const factsWith = (v: View | undefined): Facts => ({
    s, views: q.side === 'initiator' ? { initiator: localView, responder: v } : { initiator: v, responder: localView },
  });

  const otherLines = lines(others);
  const pool = candidates(otherLines, q.host);
  const search = searchCounterparts(s, localView, otherLines, compatibleWith(s));
  const judge = (fit: Fit): Judged => {
    const v = evaluate(factsWith(fit.view));
    const reason = contradiction(s, localView, fit, v, pool);
    return { fit, v, ...(reason !== undefined ? { reason } : {}) };
  };
  const judged = search.fits.map(judge);
  // A known other end whose every tunnel contradicts this end's: what is left of it is its silence.
  if (search.pinned) {
    for (const host of [...new Set(judged.map((j) => j.fit.view.host))]) {
      const mine = judged.filter((j) => j.fit.view.host === host);
      const first = mine[0]?.fit;
      if (!first || mine.some((j) => j.reason === undefined || j.fit.silent === true)) continue;
      const hostLines = [...new Set(pool.filter((c) => c.host === host).flatMap((c) => c.lines))];
      judged.push(judge(silentFit(host, first.view.iface, hostLines, s, first.method, first.keys)));
    }
  }
  const kept = judged.filter((j) => j.reason === undefined)
    .sort((a, b) => b.fit.match.matched - a.fit.match.matched || a.fit.view.host.localeCompare(b.fit.view.host) || describeFit(a.fit).localeCompare(describeFit(b.fit)));
  const excluded = judged.filter((j) => j.reason !== undefined);
  const alone = evaluate(factsWith(undefined));
  // By timing alone, the true other end may be none of the hosts that logged something: a silent server, or one
  // that does not ship its log, looks the same from here as soon as another host's attempts fit those lines too.
  const open = !search.pinned && kept.some((j) => j.fit.rivals.length > 0);
  if (open) {
    // Then each host whose lines fit may also be the other end with none of those lines this tunnel's: it logged
    // nothing of it (the handshakes never reached it), which its other tunnels' lines in the same rhythm hide.
    for (const host of [...new Set(kept.map((j) => j.fit.view.host))]) {
      const first = kept.find((j) => j.fit.view.host === host)?.fit;
      if (!first || judged.some((j) => j.fit.view.host === host && j.fit.silent === true)) continue;
      const here = pool.filter((c) => c.host === host && (first.view.iface === undefined || c.iface === undefined || c.iface === first.view.iface));
      const silent = judge(silentFit(host, first.view.iface, [...new Set(here.flatMap((c) => c.lines))], s, first.method));
      judged.push(silent);
      if (silent.reason === undefined) kept.push(silent);
    }
  }

  const excludedEvidence = excluded.map((j) => `${describeFit(j.fit)} ${j.fit.silent === true ? 'is' : 'line up in time but are'} not this tunnel's other end: ${j.reason ?? ''}.`);
  const only = kept[0];
  if (!only) return render(s, localView, alone, undefined, alone.pattern.confidence, [...(search.note !== undefined ? [search.note] : []), ...excludedEvidence]);
  if (kept.length === 1 && !open) return render(s, localView, only.v, only.fit, only.v.pattern.confidence, excludedEvidence);

  const alternatives: { j?: Judged; v: Verdict }[] = kept.map((j) => ({ j, v: j.v }));
  if (open) alternatives.push({ v: alone });
  const alts = alternatives.map(({ j, v }) => alternative(s, v, j?.fit));
  const rivals = [...new Set(kept.flatMap((j) => j.fit.rivals))].sort();
  const tie = rivals.length > 0 || kept.length > 1
    ? [`Timing alone ties ${[...new Set(kept.map((j) => where(j.fit.view.host, j.fit.view.iface)))].join(', ')} to this end${rivals.length > 0 ? `, and the same lines to ${rivals.join(', ')}` : ''}: several tunnels fail in the same rhythm.`]
    : [];
  const ids = [...new Set(alts.map((a) => a.id))];
  if (ids.length === 1) {
    // Whichever is the other end, the cause is the same; which end it is stays open.
    // One host (several of its tunnels or interfaces fit): the other end is known, only not which of its lines.
    const sameHost = !open && new Set(kept.map((j) => j.fit.view.host)).size === 1;
    const sameIface = sameHost && new Set(kept.map((j) => j.fit.view.iface ?? '')).size === 1;
    const cp: Fit | undefined = !sameHost ? undefined
      : sameIface ? only.fit : { ...only.fit, view: { host: only.fit.view.host, all: only.fit.view.all, tunnel: only.fit.view.tunnel } };
    const list = `Every other end that fits ${q.host}'s lines implies this cause: ${alts.map((a) => a.lines ?? 'none of the hosts that logged anything').join('; ')}.`;
    return render(s, localView, only.v, cp, atMost(only.v.pattern.confidence, sameHost ? 'confirmed' : 'probable'), [...(search.pinned || sameHost ? [] : tie), list, ...excludedEvidence], alts);
  }
  return ambiguous(s, localView, alts, [...tie, ...excludedEvidence]);
}

function render(s: Setting, local: View, v: Verdict, fit: Fit | undefined, confidence: Confidence, extra: readonly string[], alts?: readonly TunnelAlternative[]): TunnelDiagnosis {
  const { q } = s;
  const n = names(v.f, fit);
  const evidence: string[] = [localEvidence(s, local.tunnel)];
  if (fit) evidence.push(...counterpartEvidence(s, fit, n));
  evidence.push(...extra);
  for (const c of v.pattern.all) {
    // The alerting initiator's own initiations are the attempts; saying they coincide with themselves is noise.
    if (q.side === 'initiator' && c.end === 'initiator' && c.scope === 'attempts' && c.signals === TRIED) continue;
    const m = v.measured(c);
    if (!m) continue;
    evidence.push(conditionEvidence(v.f, c, m, n), ...detailEvidence(v.f, c, m, n));
  }
  return {
    id: v.cause.id,
    title: fill(v.cause.title, n),
    summary: fill(bySide(v.cause.summary, q.side), n),
    checks: bySide(v.cause.checks, q.side).map((c) => fill(c, n)),
    confidence,
    ...(fit
      ? { counterpart: { host: fit.view.host, ...(fit.view.iface !== undefined ? { iface: fit.view.iface } : {}), method: fit.method, matched: fit.match.matched, of: fit.match.of } }
      : {}),
    evidence,
    ...(alts && alts.length > 1 ? { alternatives: alts } : {}),
  };
}

function alternative(s: Setting, v: Verdict, fit: Fit | undefined): TunnelAlternative {
  const n = names(v.f, fit);
  const lines = fit ? describeFit(fit) : undefined;
  const text = fit
    ? `${v.cause.short} if ${lines ?? ''}${fit.silent === true ? ' is the other end' : ' are this tunnel\'s'}`
    : `${v.cause.short} if none of those hosts is the other end`;
  return {
    id: v.cause.id, cause: v.cause.short, title: fill(v.cause.title, n), confidence: v.pattern.confidence, text,
    ...(fit ? { host: fit.view.host, ...(fit.view.iface !== undefined ? { iface: fit.view.iface } : {}) } : {}),
    ...(lines !== undefined ? { lines } : {}),
  };
}

/** The one fact that tells the alternatives apart, and how to look it up. */
function settleFact(s: Setting, local: View, alts: readonly TunnelAlternative[]): string {
  const { q } = s;
  const iface = local.iface ?? '<iface>';
  const hosts = [...new Set(alts.flatMap((a) => (a.host !== undefined ? [a.host] : [])))];
  const tail = ' Peer-state snapshots of both ends (`wg-siem collect`) or a peer inventory let wg-siem settle it by itself.';
  if (q.side === 'responder') {
    return `One fact settles it: which client sent the handshakes${q.remoteIp !== undefined ? ` from ${q.remoteIp}` : ''} (\`wg show ${iface} peers\` and \`wg show ${iface} endpoints\` on ${q.host}, \`wg show <iface> public-key\` on the client): `
      + `${alts.map((a) => `${a.host ?? 'another client'} → ${a.cause}`).join('; ')}.${tail}`;
  }
  if (hosts.length > 1) {
    return `One fact settles it: which host ${q.host} sends its handshakes to (\`wg show ${iface} endpoints\` on ${q.host}): `
      + `${alts.map((a) => `${a.host ?? 'none of them'} → ${a.cause}`).join('; ')}.${tail}`;
  }
  const host = hosts[0] ?? 'the server';
  const parts = alts.map((a) => {
    const ip = /address (\S+?)(,|'|$| )/.exec(a.lines ?? '')?.[1];
    return `${a.host === undefined ? `not at all (${host} is not its server)` : ip !== undefined ? `from ${ip}` : 'from an address none of those lines name'} → ${a.cause}`;
  });
  return `One fact settles it: the address ${q.host}'s handshakes reach ${host} from (\`wg show ${iface} listen-port\` on ${q.host}; on ${host} \`tcpdump -ni any udp port <listen-port>\` while it retries): ${parts.join('; ')}.${tail}`;
}

function ambiguous(s: Setting, local: View, alts: readonly TunnelAlternative[], extra: readonly string[]): TunnelDiagnosis {
  const { q } = s;
  const settle = settleFact(s, local, alts);
  const causes = [...new Set(alts.map((a) => a.cause))];
  const evidence = [
    localEvidence(s, local.tunnel),
    ...extra,
    ...alts.map((a, i) => `(${String(i + 1)}) ${a.text}: ${a.title}${a.host !== undefined ? ` (${a.confidence} if so)` : ''}.`),
  ];
  return {
    id: 'ambiguous',
    title: `Cannot tell which host is ${q.host}'s other end: ${causes.join(', or ')}`,
    summary: `${q.host}'s own lines do not name the cause, and several other ends fit them, each implying a different cause: `
      + `${alts.map((a, i) => `(${String(i + 1)}) ${a.text}`).join('; ')}. ${settle}`,
    checks: [settle, ...alts.map((a) => `If ${a.host !== undefined ? where(a.host, a.iface) : 'none of them'} is the other end: ${a.title}.`)],
    confidence: 'possible',
    evidence,
    alternatives: alts,
    settle,
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
