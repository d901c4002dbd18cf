// Whether a candidate other end can be this tunnel's other end: its behaviour must fit this end's, whatever the
// timing says. A server that refused every initiation cannot have sent the responses the client rejected; a
// handshake the client completed must show on the server; responses that another client received were not lost
// on the way to this one; lines from another host's address are that host's; and what the peer-state snapshots
// prove about the keys rules causes out. A candidate that contradicts this end is dropped, however well it lines up.
import type { Setting, Verdict, View } from './cause.ts';
import type { Candidate, Fit } from './counterpart.ts';
import type { Line } from './lines.ts';
import { addressesOf, components, has, withBursts } from './lines.ts';
import type { Signal } from './signals.ts';
import { ACCEPTED, ANSWERED, REJECTED } from './signals.ts';
import { MOST_SHARE } from './types.ts';

/** The initiator heard back: a response (valid or not), a session, or a cookie. */
const GOT_ANSWER: readonly Signal[] = [...ANSWERED, 'response-invalid', 'cookie-received'];
/** The responder answered: accepted the initiation, sent a response or a cookie. */
const ANSWERING: readonly Signal[] = [...ACCEPTED, 'cookie-sent'];

const near = (lines: readonly Line[], signals: readonly Signal[], moments: readonly number[], tol: number): number =>
  moments.filter((m) => lines.some((l) => has(signals)(l) && Math.abs(l.t - m) <= tol)).length;

/**
 * Why an initiator's tunnel lines and a responder's cannot be the two ends of one tunnel at these moments, or
 * undefined when they can.
 */
export function behaviourConflict(ini: readonly Line[], res: readonly Line[], moments: readonly number[], tol: number): string | undefined {
  const n = moments.length;
  if (n === 0 || res.length === 0 || ini.length === 0) return undefined;
  const got = near(ini, GOT_ANSWER, moments, tol);
  const answered = near(res, ANSWERING, moments, tol);
  const refused = near(res, REJECTED, moments, tol);
  if (got >= MOST_SHARE * n && answered === 0 && refused >= MOST_SHARE * n) {
    return 'the client heard back after its initiations, and these lines refused every initiation';
  }
  // A handshake the client completed must show on the server, and the reverse.
  const first = Math.min(...moments) - tol;
  const last = Math.max(...moments) + tol;
  const completed = ini.filter((l) => l.signal === 'response-received' && l.t >= first && l.t <= last);
  if (completed.length > 0 && completed.every((c) => !res.some((l) => has(ACCEPTED)(l) && Math.abs(l.t - c.t) <= tol))) {
    return 'the client completed a handshake that these lines do not show';
  }
  return undefined;
}

export const compatibleWith = (s: Setting) => (ini: readonly Line[], res: readonly Line[], moments: readonly number[]): boolean =>
  behaviourConflict(ini, res, moments, s.tol) === undefined;

/**
 * The responses a candidate sent at this end's attempts went to another client: that client's lines show them
 * arriving. Only the answers at those moments count: a handshake the candidate answered at another time (the
 * host's working tunnel, seconds before) says nothing of these attempts, and one arrival coincides easily.
 */
function responsesReceivedBy(fit: Fit, s: Setting, pool: readonly Candidate[]): string | undefined {
  const sent = fit.view.tunnel.filter(has(['response-sent', 'initiation-received'])).map((l) => l.t)
    .filter((t) => s.attempts.some((a) => Math.abs(a - t) <= s.tol));
  if (sent.length === 0) return undefined;
  for (const c of pool) {
    if (c.host === fit.view.host || c.host === s.q.host) continue;
    for (const comp of components(withBursts(c.lines))) {
      const got = near(comp.lines, GOT_ANSWER, sent, s.tol);
      if (got >= MOST_SHARE * sent.length && got > 0) return c.host;
    }
  }
  return undefined;
}

/** Another host the hints (or envelopes) say uses an address or port of the candidate's lines. */
function addressOwner(fit: Fit, s: Setting, local: View, pool: readonly Candidate[]): string | undefined {
  if (s.q.side !== 'initiator' || fit.silent === true) return undefined;
  const a = addressesOf(fit.view.tunnel);
  if (a.ips.length === 0 && a.ports.length === 0) return undefined;
  const own = new Set([...(s.hints.initiatorAddresses ?? []), ...local.all.flatMap((l) => l.hostIps ?? [])]);
  for (const x of s.hints.addresses ?? []) if (x.host === s.q.host) for (const ip of x.ips ?? []) own.add(ip);
  if (a.ips.some((ip) => own.has(ip))) return undefined;
  for (const x of s.hints.addresses ?? []) {
    if (x.host === s.q.host || x.host === fit.view.host) continue;
    if ((x.ips ?? []).some((ip) => a.ips.includes(ip))) return x.host;
  }
  for (const c of pool) {
    if (c.host === s.q.host || c.host === fit.view.host) continue;
    if (c.lines.some((l) => (l.hostIps ?? []).some((ip) => a.ips.includes(ip)))) return c.host;
  }
  return undefined;
}

/**
 * Why the candidate cannot be the other end (a sentence for the evidence, after "…cannot be this tunnel's:"),
 * or undefined when it is consistent with everything known.
 */
export function contradiction(s: Setting, local: View, fit: Fit, v: Verdict, pool: readonly Candidate[]): string | undefined {
  const ini = s.q.side === 'initiator' ? local : fit.view;
  const res = s.q.side === 'initiator' ? fit.view : local;
  const other = fit.view.host;
  const clash = fit.silent === true ? undefined : behaviourConflict(ini.tunnel, res.tunnel, s.attempts, s.tol);
  if (clash !== undefined) return `${clash} (${ini.host} is the client, ${res.host} the server)`;

  const k = fit.keys;
  if (k?.initiatorHasResponderKey === true && v.cause.id === 'wrong-responder-key') {
    return `the peer-state snapshots show that ${ini.host}'s key for its peer is ${res.host}'s own key, so ${ini.host} does not have the wrong server key`;
  }
  if (k?.responderKnowsInitiator === true && v.cause.id === 'initiator-key-unknown') {
    return `the peer-state snapshots show that ${res.host} has ${ini.host}'s key as a peer, so it does know that key`;
  }

  if (s.q.side === 'initiator' && fit.silent !== true) {
    const heardBack = near(local.tunnel, GOT_ANSWER, s.attempts, s.tol);
    if (heardBack === 0) {
      const taker = responsesReceivedBy(fit, s, pool);
      if (taker !== undefined) return `${other} answered those handshakes, and ${taker} logged receiving the answers at those moments: they are ${taker}'s`;
    }
    const owner = addressOwner(fit, s, local, pool);
    if (owner !== undefined) return `they come from an address of ${owner}`;
  }
  return undefined;
}
