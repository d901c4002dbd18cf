// The diagnosis in words: names for the ends, the cause's texts filled in, and evidence sentences that cite the
// lines, hosts and counts it rests on.
import { keyFragment } from '../../enrich/keys.ts';
import type { Facts, Measure, Setting } from './cause.ts';
import type { Fit } from './counterpart.ts';
import type { Line } from './lines.ts';
import { has, inRange } from './lines.ts';
import type { BySide, Condition, Placeholder, Role } from './root-causes.ts';
import { REJECTED, labelOf as signalsLabel, signalDef } from './signals.ts';

export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export const where = (host: string, iface: string | undefined): string => (iface !== undefined ? `${host} (${iface})` : host);
export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export type Names = Readonly<Record<Placeholder, string>>;

/** Inner source addresses of the responder's packets outside AllowedIPs (the kernel prints them, wireguard-go does not). */
function innerSources(f: Facts): string[] {
  const res = f.views.responder;
  return [...new Set((res?.tunnel ?? []).filter(has(['source-not-allowed'])).map((l) => l.inner).filter((x) => x !== undefined))].sort();
}

export function names(f: Facts, cp: Fit | undefined): Names {
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
export function fill(template: string, n: Names): string {
  const values: Readonly<Record<string, string>> = n;
  return template.replace(/\{(\w+)\}/g, (whole: string, key: string, offset: number) => {
    const v = values[key];
    if (v === undefined) return whole;
    // Host names keep their case; only the stand-ins ("the client") start a sentence with a capital.
    const starts = offset === 0 || /[.!?]\s+$/.test(template.slice(Math.max(0, offset - 3), offset));
    return starts && v.startsWith('the ') ? `T${v.slice(1)}` : v;
  });
}

export function bySide<T>(v: BySide<T>, side: Role): T {
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
export function when(first: number, last: number): string {
  return clock(first) === clock(last) ? `at ${clock(first)} UTC` : `between ${clock(first)} and ${clock(last)} UTC`;
}

export function conditionEvidence(f: Facts, c: Condition, m: Measure, n: Names): string {
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
export function detailEvidence(f: Facts, c: Condition, m: Measure, n: Names): string[] {
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

export function localEvidence(s: Setting, tunnel: readonly Line[]): string {
  const { q } = s;
  const lines = tunnel.filter(inRange(q.start, q.end));
  const first = s.attempts[0];
  const last = s.attempts.at(-1);
  const span = first !== undefined && last !== undefined ? ` ${when(first, last)}` : '';
  if (q.side === 'initiator') {
    const retries = lines.filter(has(['retry'])).length;
    const gaveUp = lines.filter(has(['gave-up'])).length;
    const rejected = lines.filter(has(['response-invalid'])).length;
    const peer = q.peer?.fragment ?? q.peer?.id ?? (q.peer?.publicKey !== undefined ? keyFragment(q.peer.publicKey) : undefined);
    return `${q.host} sent ${plural(s.attempts.length, 'handshake initiation', 'handshake initiations')}${peer !== undefined ? ` to peer ${peer}` : ''}${span}`
      + `${retries > 0 ? ` (${plural(retries, 'retry', 'retries')})` : ''}${rejected > 0 ? `, got ${plural(rejected, 'response', 'responses')} and rejected ${rejected === 1 ? 'it' : 'them'}` : ''}${gaveUp > 0 ? ', then gave up' : ''}.`;
  }
  const counts = REJECTED.concat(['initiation-received'])
    .map((x) => [x, lines.filter(has([x])).length] as const)
    .filter(([, k]) => k > 0)
    .map(([x, k]) => `${k} ${signalDef(x).label}`);
  return `${q.host} logged ${plural(s.attempts.length, 'handshake attempt', 'handshake attempts')}${q.remoteIp !== undefined ? ` from ${q.remoteIp}` : ''}${span}`
    + `${counts.length > 0 ? ` (${counts.join(', ')})` : ''}.`;
}

/** Which of a host's lines a candidate is: "vpn-gw (wg0)'s lines about fd99:0:2::2". */
export function describeFit(fit: Fit): string {
  const name = where(fit.view.host, fit.view.iface);
  if (fit.silent === true) return `${name}, which logged nothing of this tunnel at those moments`;
  const tokens = [...fit.tokens].sort();
  if (tokens.length === 0) {
    const sample = fit.view.tunnel.find((l) => l.signal !== undefined);
    return `${name}'s lines that name no peer or address${sample ? ` (${quote(sample)})` : ''}`;
  }
  return `${name}'s lines about ${idsOf(tokens).join(', ')}`;
}

export function idsOf(tokens: readonly string[]): string[] {
  return [...tokens].sort().map((k) => (k.startsWith('ip:') ? `address ${k.slice(3)}` : k.startsWith('peer:') ? `peer ${k.slice(5)}` : `peer(${k.slice(4)})`));
}

export function counterpartEvidence(s: Setting, cp: Fit, n: Names): string[] {
  const v = cp.view;
  const name = where(v.host, v.iface);
  const m = cp.match;
  const tol = `±${(s.tol / 1000).toString()} s`;
  const other = s.q.side === 'initiator' ? 'handshake lines' : 'initiations';
  const phrase = s.q.side === 'initiator'
    ? `${n.initiator}'s ${plural(s.attempts.length, 'handshake initiation', 'handshake initiations')}`
    : `the ${plural(s.attempts.length, 'failed handshake', 'failed handshakes')} ${n.responder} logged${s.q.remoteIp !== undefined ? ` from ${s.q.remoteIp}` : ''}`;
  const lined = `its ${other} fall within ${tol} of ${m.matched} of ${phrase}`;
  const out: string[] = [];
  if (cp.method === 'inventory' || cp.method === 'snapshot') {
    const reverse = cp.keys?.initiatorHasResponderKey === false && s.q.side === 'initiator';
    const by = cp.method === 'inventory' ? 'according to the peer inventory'
      : reverse ? `by key: in the peer-state snapshots, ${v.host} has ${s.q.host}'s own public key as a peer`
        : `by key: in the peer-state snapshots, ${v.host}'s own public key is the one ${s.q.host} has for this peer`;
    out.push(v.all.length === 0
      ? `${name} is the other end ${by}, but it shipped no WireGuard lines ${when(s.from, s.to)}.`
      : `${name} is the other end ${by}; ${cp.silent === true ? `it logged nothing of this tunnel within ${tol} of ${phrase}` : lined}.`);
  } else if (cp.method === 'address') {
    out.push(`${name} is the other end by address (${s.q.side === 'initiator' ? `its lines name an address or port of ${n.initiator}, or ${n.initiator}'s lines name ${v.host}'s address` : `it uses the address or port the failing handshakes came from`}); ${cp.silent === true ? 'it logged nothing of this tunnel at those moments' : lined}.`);
  } else {
    out.push(`${name} was taken for the other end by timing: ${lined} (about ${m.expected.toFixed(1)} expected by chance).`);
  }
  const ids = idsOf([...cp.tokens]);
  if (ids.length > 0) out.push(`On ${v.host} this tunnel shows up as ${ids.join(', ')}.`);
  return out;
}
