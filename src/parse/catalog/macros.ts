// Catalog patterns are written with a few macros so that the same kind of value is matched the same way in
// every entry (and stays linear-time). expandPattern turns a catalog pattern into a RegExp source.
import { CAPTURE_FIELDS } from './types.ts';
import type { CaptureName } from './types.ts';

const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
// Compressed, uncompressed (kernel %pI6) and v4-mapped forms; the optional zone is a name or a number.
const IPV6 = String.raw`[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f.]{0,15}){2,8}(?:%[\w.-]{1,32})?`;

/**
 * Every way the implementations print a remote endpoint: IPv4 `a.b.c.d:port`; IPv6 `[addr]:port` with Go's
 * zone name (`%eth0`) or Windows' zone number (`%12`); the kernel's `[addr]:port/flowinfo%scope`; the
 * kernel's `(einval)` and Windows' `no address` for a peer without endpoint.
 */
const ENDPOINT = String.raw`\(einval\)|no address|${IPV4}:\d{1,5}|\[[0-9A-Fa-f:.]{2,45}(?:%[\w.-]{1,32})?\]:\d{1,5}(?:/\d{1,10}%\d{1,10})?`;

/**
 * What people paste instead (kept as given and flagged wireguard.redacted, see src/parse/normalize/masked.ts), and
 * host names (Tailscale's "<disco key>.disco.tailscale:12345"): a dotted name or masked quad (1.2.x.x,
 * ***.***.***.***, a.b.c.d), an IPv6 with masked groups, or a placeholder (<redacted>, <my-ip>, [REDACTED], my_public_ip,
 * *, IP1), with a port or a masked port (yyyyy, xxxxx); or the whole endpoint as a placeholder (<redacted>, ...).
 */
const LABEL = String.raw`[\w*#?-]{1,80}`;
const MASKED_OR_NAMED = String.raw`(?:${LABEL}(?:\.${LABEL}){1,8}|\[[0-9A-Fa-fxX*:.]{2,45}\]|<[\w .:-]{1,40}>|\[(?:redacted|REDACTED|hidden|HIDDEN|masked|MASKED)\]|\*{1,12}|[xX]{3,12}|REDACTED|redacted|(?:my|your|server|public|wan|peer)_[\w-]{1,40}|(?:IP|ip)\d{1,3}):(?:\d{1,5}|[xXyYzZ*]{1,5})|<[\w .:-]{1,40}>|\.\.\.|\u2026`;
// Tailscale names a peer reached through DERP by its disco key, sometimes without the ".disco.tailscale:12345".
const DISCO_KEY = '[0-9a-f]{64}';
const ANY_ENDPOINT = `${ENDPOINT}|${MASKED_OR_NAMED}|${DISCO_KEY}`;

/** A peer name replaced by a mask word: "peer(X)", "peer(Redacted)", "peer(hidden…hidden)". */
const PEER_MASK = String.raw`(?:[xX*#]{1,12}|[Rr]edacted|REDACTED|[Hh]idden|HIDDEN|[Mm]asked|MASKED)`;

/**
 * wireguard-go's peer name: 4 base64 characters, U+2026, 4 base64 characters; the ellipsis as mojibake
 * ("â€¦", "â¦": its UTF-8 read as Windows-1252 / Latin-1) when a log went through the wrong code page, or as a
 * terminal shows the bytes it cannot print ("▒<80>▒", journalctl on a non-UTF-8 locale); or a mask word.
 */
const PEER_FRAGMENT = String.raw`[A-Za-z0-9+/]{4}(?:\u2026|\u00e2(?:\u20ac|\u0080)?\u00a6|\u2592<80>\u2592)[A-Za-z0-9+/]{4}|[A-Za-z0-9+/*]{4}\u2026[A-Za-z0-9+/*]{4}|<[\w -]{1,32}>|${PEER_MASK}(?:\u2026${PEER_MASK})?`;
const PUBLIC_KEY = String.raw`[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=`;

type MacroFn = (name: string | undefined) => string;

const group = (name: string | undefined, body: string): string => (name ? `(?<${name}>${body})` : `(?:${body})`);

/**
 * The macros. `{x}` or `{x:capture}` where capture is a name from CAPTURE_FIELDS.
 *  - {endpoint} / {endpoint:local_endpoint}: any endpoint form above (default capture: endpoint)
 *  - {peer}: "peer(XXXX…YYYY)" capturing the fragment as peer_key
 *  - {key:peer_key}: a full base64 public key
 *  - {int:NAME}: decimal integer; {hex:NAME}: 0x-prefixed or bare hex
 *  - {ip:NAME}: IPv4 or IPv6 address without port
 *  - {word:NAME}: one run of non-space characters
 *  - {text:NAME}: any text (at most 2,000 characters), lazily matched; put a literal or the end after it
 */
const MACROS: Record<string, MacroFn> = {
  endpoint: (n) => group(n ?? 'endpoint', ANY_ENDPOINT),
  peer: () => String.raw`peer\((?<peer_key>${PEER_FRAGMENT})\)`,
  key: (n) => group(n ?? 'peer_key', PUBLIC_KEY),
  int: (n) => group(n, String.raw`-?\d{1,20}`),
  hex: (n) => group(n, String.raw`(?:0x)?[0-9A-Fa-f]{1,16}`),
  ip: (n) => group(n, `${IPV4}|${IPV6}`),
  word: (n) => group(n, String.raw`\S{1,512}`),
  text: (n) => group(n, String.raw`[^\n]{0,2000}?`),
};

const MACRO_RE = /\{([a-z]+)(?::([a-z_]+))?\}/g;

export class PatternError extends Error {}

/** Expands macros and checks that every named group is a known capture field. */
export function expandPattern(pattern: string): string {
  const src = pattern.replace(MACRO_RE, (whole, macro: string, capture: string | undefined) => {
    const fn = MACROS[macro];
    if (!fn) throw new PatternError(`unknown macro ${whole} in pattern ${pattern}`);
    return fn(capture);
  });
  for (const m of src.matchAll(/\(\?<([A-Za-z_]\w*)>/g)) {
    const name = m[1] as string;
    if (!(name in CAPTURE_FIELDS)) throw new PatternError(`capture group "${name}" is not in CAPTURE_FIELDS (pattern ${pattern})`);
  }
  return src;
}

export function isCaptureName(s: string): s is CaptureName {
  return s in CAPTURE_FIELDS;
}

/** Compiled, anchored form of a catalog pattern. */
export function compilePattern(pattern: string, flags = ''): RegExp {
  return new RegExp(`^(?:${expandPattern(pattern)})$`, `u${flags}`);
}

export const ENDPOINT_SOURCE = ANY_ENDPOINT;
export const PEER_FRAGMENT_SOURCE = PEER_FRAGMENT;
