// Values a person masked before pasting a log: an address as x.x.x.x, 1.2.xxx.xxx, ***.***.***.***, a.b.c.d,
// [2001:db8:xxxx::1], <redacted> or <my-ip>; a key or peer name as xxxx…xxxx or ****; a tunnel name as <tunnel>.
// Such a value is kept exactly as given (it is what the line says) and the document is flagged
// wireguard.redacted, so nobody mistakes "x.x.x.x" for an address or joins alerts on it.

import { parseEndpoint } from './endpoint.ts';

const WORDS = /redact|hidden|masked|censor|removed|my[-_ ]?ip|public[-_ ]?ip|your[-_ ]?ip|ip[-_ ]?addr|server[-_ ]?ip/i;

/** Whether a host part (no port) is a mask rather than an address or name. */
function maskedHost(h: string): boolean {
  if (h.length === 0) return false;
  // An address left out altogether: "...", "…".
  if (h === '...' || h === '\u2026') return true;
  if (/[*<>#?]/.test(h) || WORDS.test(h)) return true;
  // A numbered placeholder for one of several addresses: "IP1", "IP2".
  if (/^IP\d{1,3}$/i.test(h)) return true;
  if (h.includes(':')) return /[g-zG-Z]/.test(h.split('%')[0] ?? h); // IPv6 with non-hex letters (xxxx)
  const labels = h.split('.');
  if (labels.every((l) => /^[xX]+$/.test(l))) return true;
  // Dotted-quad shaped with a letter where a number belongs: 1.2.x.x, a.b.c.d, 10.XX.XX.1.
  return labels.length === 4 && labels.some((l) => !/^\d{1,3}$/.test(l)) && labels.every((l) => /^(?:\d{1,3}|[A-Za-z]{1,3})$/.test(l));
}

/** An endpoint as printed ("1.2.x.x:51820", "<redacted>:51820", "[xxxx::1]:51820", "<redacted>"). */
export function isMaskedEndpoint(ep: string): boolean {
  // Most endpoints are real ones: one parse settles them.
  if (parseEndpoint(ep) !== null) return false;
  let host = ep;
  let port = '';
  if (ep.startsWith('[')) {
    const close = ep.indexOf(']');
    host = close > 0 ? ep.slice(1, close) : ep;
    port = close > 0 ? ep.slice(close + 2) : '';
  } else {
    const colon = ep.lastIndexOf(':');
    if (colon > 0 && ep.indexOf(':') === colon) { host = ep.slice(0, colon); port = ep.slice(colon + 1); }
  }
  return maskedHost(host) || /^[xXyYzZ*]+$/.test(port);
}

/** A key, key fragment ("xxxx…xxxx", "****…****"), tunnel or host name that was masked. */
export function isMaskedName(v: string): boolean {
  if (/[*<>]/.test(v) || WORDS.test(v)) return true;
  const core = v.replace(/\u2026|\.\.\./g, '');
  if (core.length >= 3 && /^[xX]+=?$/.test(core)) return true;
  // A key fragment with the same placeholder on both sides ("abcd…abcd"); a real key does that once in 16 million.
  // "AAAA…AAAA" is not one: it is the all-zero key, which WireGuard does print.
  if (/^([A-Za-z0-9+/]{4})\u2026\1$/.test(v) && !/^(.)\1{3}/.test(v)) return true;
  // A name with a part masked by X's: "XXXXXXX@XXXXXXXXXXXX (all routes)".
  return /(?:^|[@.\s(])[xX]{5,64}(?=$|[@.\s)])/.test(v);
}

/**
 * A peer's key or key fragment that was masked: as isMaskedName, or a short run of placeholder letters where no
 * key form fits ("peer(X)", NetBird's "[peer: xxxyyy]"): a real fragment is "XXXX…YYYY" or five characters.
 */
export function isMaskedKey(v: string): boolean {
  return isMaskedName(v) || /^[xXyYzZ*#]{1,12}$/.test(v);
}
