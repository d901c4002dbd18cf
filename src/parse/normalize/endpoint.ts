// Endpoints as the implementations print them, turned into what ECS wants (an address without zone, a port).
import { canonicalIp, isIPv4Fast } from '../../shared/net/ip.ts';

export { canonicalIp };

export interface Endpoint {
  /** The address in canonical form (IPv6 compressed, lower-case), without zone. */
  readonly ip: string;
  readonly port: number;
  readonly family: 'ipv4' | 'ipv6';
  /** IPv6 zone: a number from the kernel (`%3`) or Windows (`%12`), a name from Go (`%eth0`). */
  readonly zone?: string;
}

/**
 * `1.2.3.4:51820`, `[2001:db8::1]:51820`, `[fe80::1%eth0]:51820`, the kernel's `[2001:db8::1]:51820/0%3`.
 * Null for `(einval)`, `no address` and anything that is not an endpoint.
 */
export function parseEndpoint(s: string): Endpoint | null {
  if (s.length > 128) return null;
  if (s.charCodeAt(0) === 91 /* [ */) {
    const close = s.indexOf(']');
    if (close < 0 || s.charCodeAt(close + 1) !== 58 /* : */) return null;
    let inner = s.slice(1, close);
    let zone: string | undefined;
    const pct = inner.indexOf('%');
    if (pct >= 0) { zone = inner.slice(pct + 1); inner = inner.slice(0, pct); }
    let rest = s.slice(close + 2);
    // The kernel's %pISpfsc appends /flowinfo%scope after the port.
    const slash = rest.indexOf('/');
    if (slash >= 0) {
      const scope = rest.slice(rest.indexOf('%', slash) + 1);
      if (!zone && scope && scope !== '0' && rest.includes('%', slash)) zone = scope;
      rest = rest.slice(0, slash);
    }
    const port = parsePort(rest);
    const ip = canonicalIp(inner);
    if (port === null || ip === null || !ip.includes(':')) return null;
    return zone ? { ip, port, family: 'ipv6', zone } : { ip, port, family: 'ipv6' };
  }
  const colon = s.lastIndexOf(':');
  if (colon < 0) return null;
  const host = s.slice(0, colon);
  const port = parsePort(s.slice(colon + 1));
  if (port === null || !isIPv4Fast(host, 0, host.length)) return null;
  return { ip: host, port, family: 'ipv4' };
}

function parsePort(s: string): number | null {
  if (s.length === 0 || s.length > 5) return null;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n <= 65535 ? n : null;
}

