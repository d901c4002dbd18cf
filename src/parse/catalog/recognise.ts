// Finds which catalog message a decoded line is, and its captured values. Built once from the catalog:
// per implementation, entries are bucketed by the first word of their pattern, so a line costs one map
// lookup and a handful of anchored regex tests, whatever the size of the catalog.
import type { Decoded } from '../decode/types.ts';
import { compilePattern, isCaptureName, PEER_FRAGMENT_SOURCE } from './macros.ts';
import { NETIFD_PROTO_PREFIX, platformRoute } from './platform-route.ts';
import { fieldCaptures, hasText, lacksFields } from './tracing-fields.ts';
import type { CaptureName, Family, Impl, MessageDef } from './types.ts';

export interface Recognised {
  readonly def: MessageDef;
  readonly captures: Partial<Record<CaptureName, string>>;
  /** Interface name from the message prefix ("wg0: ") or the envelope. */
  readonly iface?: string;
  /** wireguard-go "XXXX…YYYY" from a "peer(…) - " prefix. */
  readonly peerKey?: string;
  /** The kernel module that printed the line: "wireguard", or a fork such as "amneziawg". */
  readonly module?: string;
  /** Another program's logger text before the message, when the message was found inside it. */
  readonly prefix?: string;
  /** The person who pasted the line deleted a value outright ("peer () - "): flagged like a masked one. */
  readonly redacted?: boolean;
}

interface Compiled {
  readonly def: MessageDef;
  readonly re: RegExp;
}

interface Buckets {
  readonly byWord: Map<string, Compiled[]>;
  /** Entries whose pattern does not start with a plain word: tried for every line. */
  readonly any: Compiled[];
}

/** Messages longer than this are not WireGuard's: no catalog entry produces one. */
const MAX_BODY = 4096;

// Kernel: optional dynamic-debug decoration (flags t, m, f, s, l), then the module name. Forks of the module
// keep the message texts but print their own module name.
const KERNEL_MODULES = ['wireguard', 'amneziawg'] as const;
const KERNEL_PREFIX = new RegExp(String.raw`^(?:\[\d{1,10}\] |<intr> )?(?:(?:[a-z0-9_]{1,32}:)?(?:[A-Za-z_]\w{0,63}:)?(?:[\w./-]{1,128}\.[ch]:)?(?:\d{1,6}:)? )?(${KERNEL_MODULES.join('|')}): `);
const IFACE_PREFIX = /^([^\s:/]{1,32}): /;
// wireguard-go names a peer "peer(XXXX…YYYY) - "; a pasted log may have it masked ("peer(xxxx…xxxx)", "****").
// AmneziaWG builds that hide keys print an empty "peer() - ".
const GO_PEER_PREFIX = new RegExp(`^peer\\((${PEER_FRAGMENT_SOURCE}|)\\) - `);
const GO_PEER_PREFIX_FOLDED = new RegExp(`^peer\\((${PEER_FRAGMENT_SOURCE}|)\\) - `, 'i');
// Tailscale's logger replaces wireguard-go's peer name with its own short key form: "[AbCdE] - " (five
// characters of the key), "[k2e0…9PQ0] - " in early releases.
const EMBEDDED_PEER_PREFIX = /\[([A-Za-z0-9+/_-]{5}|[A-Za-z0-9+/]{4}\u2026[A-Za-z0-9+/]{4})\] - /;
// A logger prefix that says the message comes from an embedded WireGuard: "proxy/wireguard: ",
// "endpoint/wireguard[wg-ep]: ", Tailscale's "wg: ", "wgengine: ", "[wireguard] "; sing-box forks' WARP
// endpoint "endpoint/warp[…]" (a WireGuard endpoint to Cloudflare).
const WIREGUARD_MARKER = /wireguard|amneziawg|wgengine|^endpoint\/warp\b|(?:^|[\s[(/])wg(?:[-_]?go)?(?:[:\]\s)[]|$)/i;

// A line's first word and a pattern's leading literal word are cut the same way: letters, digits, _ ' -.
const WORD = /^[A-Za-z0-9_'-]+/;

/** The first word of what a pattern matches literally, or null when it starts with something variable. */
function leadingWord(pattern: string): string | null {
  if (hasTopLevelAlternation(pattern)) return null;
  const word = WORD.exec(pattern)?.[0];
  if (!word || !/^[A-Za-z]/.test(word)) return null;
  const rest = pattern.slice(word.length);
  // The word must end where a literal separator follows: a quantifier or group after it would make its
  // last character optional or repeated, and an escape like \d is not a literal.
  if (rest === '' || rest.startsWith(' ') || rest.startsWith(':') || rest.startsWith(',') || /^\\[^A-Za-z0-9]/.test(rest)) return word.toLowerCase();
  return null;
}

/** `A|B` at the outermost level: the second branch can start with any word. */
function hasTopLevelAlternation(p: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function firstWord(body: string): string {
  return (WORD.exec(body)?.[0] ?? '').toLowerCase();
}

interface ImplSet {
  /** Entries whose body follows a prefix the recogniser strips: kernel "<iface>: ", wireguard-go "peer(…) - ". */
  readonly prefixed: Buckets;
  readonly plain: Buckets;
  /** Kernel lines printed without the module prefix (net_ratelimit). */
  readonly bare: Buckets;
  /** Case-folded copies for programs that embed wireguard-go and lower-case its messages. */
  readonly prefixedFolded: Buckets;
  readonly plainFolded: Buckets;
}

export type Hit = { readonly def: MessageDef; readonly captures: Partial<Record<CaptureName, string>> };

export class Recogniser {
  private readonly sets = new Map<Impl, ImplSet>();
  private readonly raw: Buckets;
  /** Set while a repaired line is recognised (undamaged), so a repair is not repaired again. */
  private repairing = false;
  readonly size: number;

  constructor(catalog: readonly MessageDef[]) {
    const groups = new Map<Impl, MessageDef[]>();
    for (const d of catalog) groups.set(d.impl, [...(groups.get(d.impl) ?? []), d]);
    for (const [impl, defs] of groups) {
      const prefixed = defs.filter((d) => !d.bare && (d.ifacePrefix === true || d.peerPrefix === true));
      const plain = defs.filter((d) => !d.bare && d.ifacePrefix !== true && d.peerPrefix !== true);
      const folding = impl === 'wireguard-go';
      this.sets.set(impl, {
        prefixed: bucket(prefixed, ''),
        plain: bucket(plain, ''),
        bare: bucket(defs.filter((d) => d.bare === true), ''),
        prefixedFolded: bucket(folding ? prefixed : [], 'i'),
        plainFolded: bucket(folding ? plain : [], 'i'),
      });
    }
    this.raw = bucket(catalog.filter((d) => d.unenveloped === true), '');
    this.size = catalog.length;
  }

  /**
   * Every entry that matches the line along any of the paths recognise() tries, each once: for the catalog's
   * tests (a line two entries match is an ambiguity) and for debugging a pattern.
   */
  candidates(d: Decoded): readonly Hit[] {
    collecting = [];
    try {
      this.recognise(d);
      const seen = new Set<string>();
      return collecting.filter((h) => !seen.has(h.def.id) && seen.add(h.def.id));
    } finally {
      collecting = null;
    }
  }

  recognise(d: Decoded): Recognised | null {
    const msg = d.message.length > MAX_BODY ? d.message.slice(0, MAX_BODY) : d.message;
    switch (d.implHint) {
      // A kernel line without the Linux module's prefix may be FreeBSD's if_wg (syslog from a FreeBSD host).
      case 'linux-kernel': return this.kernel(msg, d) ?? this.freebsd(msg, d) ?? this.undamaged(msg, d);
      case 'freebsd': return this.freebsd(msg, d) ?? this.kernel(msg, d);
      // The envelope said wireguard-go: its own text, unwrapped. Other loggers' wrappings come without a hint.
      case 'wireguard-go': return this.go(msg, d, false) ?? this.undamaged(msg, d);
      // wireguard-windows before 0.4 (and AmneziaWG's Windows client) ran wireguard-go: its text in the ring log,
      // tried when no Windows text matched (also when candidates() collects, so that one path is listed).
      case 'windows': {
        const before = collecting?.length ?? 0;
        const w = this.plain('windows', msg, d);
        return w !== null || (collecting?.length ?? 0) > before ? w : this.go(msg, d, false);
      }
      case 'boringtun': return this.plain('boringtun', msg, d);
      // Only their own envelopes say these (defguard's, innernet's, ESPHome's): their texts are too generic otherwise.
      case 'wireguard-rs': case 'lwip': return this.plain(d.implHint, msg, d);
      // No envelope said who printed it: the kernel's module marker, else only texts specific enough that
      // another program's "Shutting down" or "Interface up" is not taken for WireGuard's.
      default: {
        // TunSafe's log layout is common: only TunSafe's own texts are taken from it.
        if (d.envelope === 'tunsafe') { const t = this.plain('tunsafe', msg, d); if (t) return t; }
        // Router and firewall programs that log about their WireGuard interfaces (platform-route.ts).
        const p = this.platform(msg, d);
        if (p) return p;
        // The program name can say it when the envelope did not (journald, syslog: "wireguard-go[812]:").
        if (d.program && GO_PROGRAMS.test(d.program)) return this.go(msg, d, true);
        if (d.program && /^boringtun/.test(d.program)) return this.plain('boringtun', msg, d);
        // A pasted kernel line that lost its "wireguard: " prefix: only a protocol text (distinctive) that names
        // a kernel peer or a handshake, not "Invalid IP packet" or "No route to …", which other programs print too.
        const r = this.kernel(msg, d) ?? this.go(msg, d, true) ?? this.plain('boringtun', msg, d)
          ?? (KERNEL_UNMARKED.test(msg) ? this.kernelBody(msg, d, undefined) : null);
        if (r && (r.module !== undefined || distinctive(r.def, msg) || markedWireGuard(r, d))) return r;
        return this.unenveloped(msg, d) ?? this.undamaged(msg, d);
      }
    }
  }

  private kernel(msg: string, d: Decoded): Recognised | null {
    const set = this.sets.get('linux-kernel');
    if (!set) return null;
    const m = KERNEL_PREFIX.exec(msg);
    let body: string | null = null;
    let module: string | undefined;
    if (m) {
      module = m[1];
      body = msg.slice(m[0].length);
    } else {
      // A prefix we do not know (another logger, another syslog layout): look for the module marker inside.
      for (const name of KERNEL_MODULES) {
        const at = msg.indexOf(`${name}: `);
        if (at >= 0 && (at === 0 || msg.charCodeAt(at - 1) === 32)) { module = name; body = msg.slice(at + name.length + 2); break; }
      }
    }
    if (body === null) {
      const bare = match(set.bare, msg);
      return bare ? { ...bare } : null;
    }
    return this.kernelBody(body, d, module);
  }

  /** The kernel's text after the module name: "<iface>: message", or the message alone. */
  private kernelBody(body: string, d: Decoded, module: string | undefined): Recognised | null {
    const set = this.sets.get('linux-kernel');
    if (!set) return null;
    const im = IFACE_PREFIX.exec(body);
    if (im?.[1]) {
      const hit = match(set.prefixed, body.slice(im[0].length));
      if (hit) return { ...hit, iface: im[1], module };
    }
    // Modules before mid-2017 printed the same texts without the interface prefix.
    const hit = match(set.plain, body) ?? match(set.prefixed, body);
    return hit ? { ...hit, iface: hit.captures.iface ?? d.iface, module } : null;
  }

  /** A line nothing matched, tried once more without what pasting did to it (PASTE_DAMAGE), never twice. */
  private undamaged(msg: string, d: Decoded): Recognised | null {
    if (this.repairing) return null;
    let fixed = msg;
    for (const re of PASTE_DAMAGE) fixed = fixed.replace(re, '');
    if (fixed === msg || fixed.length === 0) return null;
    this.repairing = true;
    try {
      return this.recognise({ ...d, message: fixed });
    } finally {
      this.repairing = false;
    }
  }

  private go(msg: string, d: Decoded, embedded: boolean): Recognised | null {
    const set = this.sets.get('wireguard-go');
    if (!set) return null;
    // Another program's logger around the message: try from the peer marker when there is one.
    let at = embedded ? msg.indexOf('peer(') : -1;
    if (at < 0 && embedded) at = msg.indexOf(DELETED_PEER);
    let body = at > 0 ? msg.slice(at) : msg;
    // Structured loggers quote the message: msg="peer(…) - …".
    if (at > 0 && msg.charCodeAt(at - 1) === 34 && body.endsWith('"')) body = body.slice(0, -1);
    const pm = (embedded ? GO_PEER_PREFIX_FOLDED : GO_PEER_PREFIX).exec(body);
    let peerKey = pm?.[1];
    let rest = pm ? body.slice(pm[0].length) : undefined;
    const deleted = rest === undefined && body.startsWith(DELETED_PEER);
    if (deleted) { peerKey = ''; rest = body.slice(DELETED_PEER.length); }
    if (rest === undefined && embedded) {
      const tm = EMBEDDED_PEER_PREFIX.exec(msg);
      if (tm?.[1]) { peerKey = tm[1]; at = tm.index; rest = msg.slice(tm.index + tm[0].length); }
    }
    // warp-plus in gool mode names the peer with an empty string: wireguard-go's "%v - " prints " - ".
    if (rest === undefined && msg.startsWith(' - ')) { peerKey = ''; rest = msg.slice(3); }
    if (rest !== undefined && peerKey !== undefined) {
      const hit = match(set.prefixed, rest) ?? (embedded ? match(set.prefixedFolded, rest) : null);
      if (hit) return { ...hit, iface: d.iface, peerKey, prefix: at > 0 ? msg.slice(0, at) : undefined, redacted: deleted || undefined };
    }
    // Messages that name the peer at their end ("… from peer(XXXX…YYYY)") match the whole text; inside
    // another program's logger the text starts after one of its "prefix: " or "[tag] " parts.
    for (const start of embedded ? candidateStarts(msg) : [0]) {
      const text = start === 0 ? msg : msg.slice(start);
      const hit = match(set.plain, text) ?? (embedded ? match(set.plainFolded, text) : null);
      if (hit) return { ...hit, iface: hit.captures.iface ?? d.iface, peerKey: hit.captures.peer_key, prefix: start > 0 ? msg.slice(0, start) : undefined };
    }
    return null;
  }

  /** Lines some implementation prints with no envelope at all, tried as whole lines. */
  private unenveloped(msg: string, d: Decoded): Recognised | null {
    // WireGuardNT's debug output carries the same "wireguard: " module prefix as the kernel's.
    const km = KERNEL_PREFIX.exec(msg);
    const hit = match(this.raw, msg) ?? (km ? match(this.raw, msg.slice(km[0].length)) : null);
    if (hit && lacksFields(hit.def, hit.captures)) return null;
    return hit ? { ...hit, iface: hit.captures.iface ?? d.iface, peerKey: hit.captures.peer_key } : null;
  }

  /** FreeBSD's if_wg prints "<iface>: <text>" (if_printf); ifnet's link-state lines name the interface in the text. */
  private freebsd(msg: string, d: Decoded): Recognised | null {
    const set = this.sets.get('freebsd');
    if (!set) return null;
    const im = IFACE_PREFIX.exec(msg);
    if (im?.[1]) {
      const hit = match(set.prefixed, msg.slice(im[0].length));
      if (hit) return { ...hit, iface: im[1] };
    }
    const hit = match(set.plain, msg);
    return hit ? { ...hit, iface: hit.captures.iface ?? d.iface } : null;
  }

  /** Lines of the router and firewall programs platform-route.ts names, tried only on their own lines. */
  private platform(msg: string, d: Decoded): Recognised | null {
    const route = platformRoute(d.program);
    if (route === undefined) return null;
    for (const impl of route.impls) {
      const r = this.plain(impl, msg, d);
      if (r) return r;
    }
    const m = route.proto === true ? NETIFD_PROTO_PREFIX.exec(msg) : null;
    if (m === null) return null;
    const r = this.plain('wireguard-tools', msg.slice(m[0].length), d);
    return r ? { ...r, iface: r.captures.iface ?? m[1] } : null;
  }

  private plain(impl: Impl, msg: string, d: Decoded): Recognised | null {
    const set = this.sets.get(impl);
    if (!set) return null;
    const seen = collecting?.length ?? 0;
    let hit = match(set.plain, msg);
    // Else the text without the structured fields the logger appended, taking the fields the entry names
    // (only when the whole message matched nothing, also when collecting candidates), when the envelope's
    // logger named this implementation: another program's fields are no reason to look twice.
    if (hit === null && (collecting?.length ?? 0) === seen && d.implHint === impl && hasText(d)) {
      const t = match(set.plain, d.text);
      if (t !== null) hit = { def: t.def, captures: fieldCaptures(t.def, d, t.captures) };
    }
    // Without an envelope naming the implementation, a text whose fields are missing is not enough.
    if (hit !== null && d.implHint !== impl && lacksFields(hit.def, hit.captures)) hit = null;
    return hit ? { ...hit, iface: hit.captures.iface ?? d.iface, peerKey: hit.captures.peer_key } : null;
  }
}

const GO_PROGRAMS = /^(?:wireguard-go|wg-quick|wireguard)(?:@|$)/;

// What a kernel text must name to be taken without the module's "wireguard: " prefix.
const KERNEL_UNMARKED = /\bpeer \d|[Hh]andshake/;

// wireguard-go's peer prefix with the key deleted by whoever pasted the line (the space is theirs too).
const DELETED_PEER = 'peer () - ';

/**
 * What pasting does to the end of a line, removed (all that apply, in this order) when the line as given
 * matched nothing: a second line glued on (wg-quick's "[#] " echo and the kernel's "[ 8312.401877] " stamp
 * always start a line of their own, so the first message ends before them), a log viewer's repeat counter padded with spaces ("Received message with unknown
 * type          (x6)"), and a JSON-array paste's trailing comma (docker logs).
 */
const PASTE_DAMAGE: readonly RegExp[] = [/ \[#\] [^\n]*$/, / \[ {0,12}\d{1,10}\.\d{6}\] [^\n]*$/, / {1,64}\(x\d{1,6}\)$/, /,$/];

const PROTOCOL_FAMILIES: ReadonlySet<Family> = new Set<Family>(['handshake', 'handshake-failure', 'session', 'data-plane', 'keepalive', 'timer']);

/**
 * Whether a line without envelope may be taken for this entry: it names a wireguard-go peer, it is a protocol
 * message no other program prints, or the entry is printed without envelope by design.
 */
function distinctive(def: MessageDef, msg: string): boolean {
  if (def.needsMarker === true) return false;
  return msg.includes('peer(') || PROTOCOL_FAMILIES.has(def.family) || def.unenveloped === true;
}

/**
 * Whether the program's own logger said the message is WireGuard's: a logger prefix before the message
 * ("proxy/wireguard: ", Tailscale's "wg: "), or the logger / program name of the envelope (slog's
 * subsystem=wireguard, a tracing target).
 */
function markedWireGuard(r: Recognised, d: Decoded): boolean {
  return (r.prefix !== undefined && WIREGUARD_MARKER.test(r.prefix))
    || (d.logger !== undefined && WIREGUARD_MARKER.test(d.logger))
    || (d.program !== undefined && WIREGUARD_MARKER.test(d.program));
}

/** Where a message may begin inside an unknown logger prefix: the start, and after the first few ": " / "] ". */
function candidateStarts(msg: string): number[] {
  const starts = [0];
  const re = /(?:: |\] )/g;
  for (let m = re.exec(msg); m && starts.length < 6; m = re.exec(msg)) starts.push(m.index + m[0].length);
  return starts;
}

function bucket(defs: readonly MessageDef[], flags: string): Buckets {
  const byWord = new Map<string, Compiled[]>();
  const any: Compiled[] = [];
  for (const def of defs) {
    const c = { def, re: compilePattern(def.pattern, flags) };
    const w = leadingWord(def.pattern);
    if (w === null) { any.push(c); continue; }
    const list = byWord.get(w) ?? [];
    list.push(c);
    byWord.set(w, list);
  }
  return { byWord, any };
}

/** Set by Recogniser.candidates: every match is collected and none is taken, so every path is tried. */
let collecting: Hit[] | null = null;

function tryList(list: readonly Compiled[] | undefined, body: string): Hit | null {
  if (!list) return null;
  for (const c of list) {
    const m = c.re.exec(body);
    if (!m) continue;
    const captures: Partial<Record<CaptureName, string>> = {};
    if (m.groups) {
      for (const [k, v] of Object.entries(m.groups)) if (v !== undefined && isCaptureName(k)) captures[k] = v;
    }
    if (collecting === null) return { def: c.def, captures };
    collecting.push({ def: c.def, captures });
  }
  return null;
}

function match(b: Buckets, body: string): Hit | null {
  return tryList(b.byWord.get(firstWord(body)), body) ?? tryList(b.any, body);
}
