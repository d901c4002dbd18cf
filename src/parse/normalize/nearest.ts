// For a line the recogniser could not place: the nearest known catalog message, why the line is not that
// message, and what the message would have captured. Used by `wg-siem explain` so that a new WireGuard text
// (or a new way of printing a known one) becomes a corpus record and a catalog change instead of silence.
// Pure: a decoded line and a catalog in, a verdict out. Not on any hot path (one call per unplaced line).
import { expandPattern, PEER_FRAGMENT_SOURCE } from '../catalog/macros.ts';
import type { CaptureName, MessageDef } from '../catalog/types.ts';
import type { Decoded } from '../decode/types.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import { CAPTURE_SETTERS } from './captures.ts';

/** Word similarity (0–1) from which a line counts as near a catalog message whatever words it uses. */
export const NEAR_THRESHOLD = 0.5;

/** Words that make a line worth a closer look even when its text is far from every known message. */
const WIREGUARD_WORDS = /\b(?:wireguard|wireguard-go|wg-quick|amneziawg|boringtun|wintun|wg\d*|awg\d*|handshake|peer|keepalive|keypair)\b/i;

export interface Near {
  readonly kind: 'near';
  readonly def: MessageDef;
  /** Ordered Dice coefficient over the literal words of the line and of the message's format or pattern (0–1). */
  readonly similarity: number;
  /** Why the line is not this message, in one sentence. */
  readonly reason: string;
  /** What the message would have put in the document, by dotted ECS path (best effort). */
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  /**
   * The text is exactly a known message that other programs print too ("Shutting down", "Interface up"), the
   * line does not say WireGuard printed it, and it does not mention WireGuard: most likely not WireGuard's.
   */
  readonly generic: boolean;
}

export interface NotWireGuard {
  readonly kind: 'not-wireguard';
  readonly similarity: number;
  /** The nearest entry all the same, when there is one. */
  readonly def?: MessageDef;
  /** The text names WireGuard (or a peer, a handshake...) though no known message is near it. */
  readonly mentionsWireGuard: boolean;
}

export type Placement = Near | NotWireGuard;

// ---------------------------------------------------------------------------------------------- words

interface Word {
  /** Lower-case form, or '' for a variable (a value in a line, a format verb or macro in a template). */
  readonly w: string;
  /** As written. */
  readonly text: string;
  /** A template's variable from a pattern macro or named group: what it captures. */
  readonly capture?: CaptureName;
}

const MACRO = /\{([a-z]+)(?::([a-z_]+))?\}/g;
const DEFAULT_CAPTURE: Readonly<Record<string, CaptureName>> = { endpoint: 'endpoint', peer: 'peer_key', key: 'peer_key' };
const LITERAL = /^[A-Za-z][A-Za-z0-9_'-]*$/;
const PIECES = /[\s()"',;=]+/;

/** A line's words: letters-first tokens are words; numbers, addresses, keys and the like are values. */
export function lineWords(text: string): Word[] {
  const out: Word[] = [];
  for (const raw of text.split(PIECES)) {
    const t = raw.replace(/^[[<{]+|[\]>}:.!?]+$/g, '');
    if (t === '') continue;
    if (LITERAL.test(t)) out.push({ w: t.toLowerCase(), text: t });
    else if (/[A-Za-z0-9]/.test(t)) out.push({ w: '', text: raw.replace(/[.:!?]+$/, '') });
  }
  return out;
}

/** A template's words: format verbs (%s, %pISpfsc, %v, {}, <name>) are variables; `%name` names a capture. */
function templateWords(text: string): Word[] {
  const out: Word[] = [];
  for (const raw of text.split(PIECES)) {
    if (/%|\{|\}|^<.*>$/.test(raw)) {
      const name = /^%([a-z_]+)$/.exec(raw)?.[1];
      out.push(name && name in CAPTURE_SETTERS ? { w: '', text: raw, capture: name as CaptureName } : { w: '', text: raw });
      continue;
    }
    const t = raw.replace(/^[[<]+|[\]>:.!?]+$/g, '');
    if (LITERAL.test(t)) out.push({ w: t.toLowerCase(), text: t });
  }
  return out;
}

/** The literal text a catalog pattern matches, with every macro, group and class as a % variable. */
export function patternText(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\' && p[i + 1] === 'k' && p[i + 2] === '<') {
      // A backreference repeats a value.
      i = p.indexOf('>', i);
      if (i < 0) break;
      out += ' % ';
      continue;
    }
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      i++;
      out += /[dDwWsSbB]/.test(n) ? '%' : n === 'u' ? (p.slice(i + 1, i + 5) === '2026' ? '\u2026' : '') : n;
      if (n === 'u') i += 4;
      continue;
    }
    if (c === '{') {
      const close = p.indexOf('}', i);
      // A macro is a variable; a quantifier ({1,3}) only repeats what precedes it.
      const m = /^\{([a-z]+)(?::([a-z_]+))?\}/.exec(p.slice(i));
      if (m) out += ` %${m[2] ?? DEFAULT_CAPTURE[m[1] as string] ?? ''} `;
      i = close < 0 ? p.length : close;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      out += '%';
      i = j;
      continue;
    }
    if (c === '(' && p.startsWith('(?<', i) && p[i + 3] !== '=' && p[i + 3] !== '!') {
      // A named group is a value: skip to its closing parenthesis.
      const name = /^\(\?<([A-Za-z_]\w*)>/.exec(p.slice(i))?.[1] ?? '';
      let depth = 0;
      let j = i;
      for (; j < p.length; j++) {
        if (p[j] === '\\') { j++; continue; }
        if (p[j] === '(') depth++;
        else if (p[j] === ')' && --depth === 0) break;
      }
      out += ` %${name} `;
      i = j;
      continue;
    }
    if (c === '(') { if (p.startsWith('(?:', i)) i += 2; out += ' '; continue; }
    if (c === ')' || c === '|') { out += ' '; continue; }
    if (c === '?' || c === '*' || c === '+' || c === '^' || c === '$') continue;
    out += c;
  }
  return out;
}

/** Longest common subsequence of the literal words, as pairs of indexes into a and b. */
function alignWords(a: readonly Word[], b: readonly Word[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const t: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = t[i] as Uint16Array;
    const next = t[i + 1] as Uint16Array;
    for (let j = m - 1; j >= 0; j--) {
      const x = (a[i] as Word).w;
      row[j] = x !== '' && x === (b[j] as Word).w ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    const x = (a[i] as Word).w;
    if (x !== '' && x === (b[j] as Word).w) { pairs.push([i, j]); i++; j++; } else if ((t[i + 1] as Uint16Array)[j] as number >= ((t[i] as Uint16Array)[j + 1] as number)) i++;
    else j++;
  }
  return pairs;
}

const literalCount = (ws: readonly Word[]): number => ws.reduce((k, x) => k + (x.w === '' ? 0 : 1), 0);

/** Ordered Dice coefficient: twice the common words, in order, over all the literal words of both. */
function similarity(a: readonly Word[], b: readonly Word[]): number {
  const total = literalCount(a) + literalCount(b);
  return total === 0 ? 0 : (2 * alignWords(a, b).length) / total;
}

// ------------------------------------------------------------------------------------ the catalog side

interface Entry {
  readonly def: MessageDef;
  /** From `format`, and from the literal text of `pattern` (older texts and forks live in alternations). */
  readonly templates: readonly Word[][];
  /** Built for the nearest entry only: compiling every pattern would cost more than the whole search. */
  patterns?: Patterns;
}

interface Patterns {
  readonly strict: RegExp;
  readonly strictFolded: RegExp;
  readonly loose: RegExp | null;
  readonly looseFolded: RegExp | null;
  /** The macros of the pattern, in order, and their groups in the loose pattern. */
  readonly slots: readonly Slot[];
}

interface Slot {
  readonly macro: string;
  readonly capture: CaptureName | undefined;
  /** Name of the slot's group in the loose pattern (the capture's own name: backreferences use it). */
  readonly group: string;
  readonly check: RegExp;
}

function patterns(e: Entry): Patterns {
  if (e.patterns) return e.patterns;
  const def = e.def;
  const slots: Slot[] = [];
  // The pattern with every macro loosened to "any text": a line that matches it has the message's wording.
  const looseSource = def.pattern.replace(MACRO, (_whole, macro: string, cap: string | undefined) => {
    const capture = (cap ?? DEFAULT_CAPTURE[macro]) as CaptureName | undefined;
    const group = capture ?? `m${slots.length}`;
    const check = macro === 'peer' ? new RegExp(`^${PEER_FRAGMENT_SOURCE}$`, 'u') : new RegExp(`^(?:${expandPattern(`{${macro}}`)})$`, 'u');
    if (!slots.some((x) => x.group === group)) slots.push({ macro, capture, group, check });
    const any = `(?<${group}>[^\\n]{1,400}?)`;
    return macro === 'peer' ? String.raw`peer\(${any}\)` : any;
  });
  const strictSource = `^(?:${expandPattern(def.pattern)})$`;
  const looseAnchored = `^(?:${looseSource})$`;
  e.patterns = {
    strict: new RegExp(strictSource, 'u'),
    strictFolded: new RegExp(strictSource, 'iu'),
    loose: compileOrNull(looseAnchored, 'u'),
    looseFolded: compileOrNull(looseAnchored, 'iu'),
    slots,
  };
  return e.patterns;
}

/** A loosened pattern that JavaScript refuses (a group used twice in one branch) is simply not tried. */
function compileOrNull(source: string, flags: string): RegExp | null {
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

interface Template {
  readonly entry: Entry;
  /** Which of the entry's templates. */
  readonly t: number;
  readonly words: readonly Word[];
  /** Its literal words. */
  readonly count: number;
}

interface Index {
  readonly templates: readonly Template[];
  /** Literal word → the templates that have it (each once). */
  readonly byWord: ReadonlyMap<string, readonly number[]>;
}

const indexes = new WeakMap<readonly MessageDef[], Index>();
function index(catalog: readonly MessageDef[]): Index {
  let x = indexes.get(catalog);
  if (x) return x;
  const templates: Template[] = [];
  const byWord = new Map<string, number[]>();
  for (const def of catalog) {
    const entry: Entry = { def, templates: [templateWords(def.format), templateWords(patternText(def.pattern))] };
    entry.templates.forEach((words, t) => {
      const id = templates.length;
      templates.push({ entry, t, words, count: literalCount(words) });
      for (const w of new Set(words.map((y) => y.w))) if (w !== '') byWord.set(w, [...(byWord.get(w) ?? []), id]);
    });
  }
  x = { templates, byWord };
  indexes.set(catalog, x);
  return x;
}

// --------------------------------------------------------------------------------------- the line side

const KERNEL_MODULE = /(?:^|\s)(wireguard|amneziawg): /;
const IFACE = /^([^\s:/]{1,32}): /;
const GO_PEER = /peer\(([A-Za-z0-9+/]{4}\u2026[A-Za-z0-9+/]{4})\) - /i;

interface Body {
  readonly text: string;
  readonly iface?: string;
  readonly peerKey?: string;
  /** A kernel module name ("wireguard: ") preceded the text. */
  readonly module?: string;
}

/** Where the message proper may start: after a kernel module marker and interface, a Go peer prefix, a logger's prefix. */
function bodies(message: string): Body[] {
  const out: Body[] = [{ text: message }];
  const km = KERNEL_MODULE.exec(message);
  if (km) {
    const after = message.slice(km.index + km[0].length);
    out.push({ text: after, module: km[1] });
    const im = IFACE.exec(after);
    if (im) out.push({ text: after.slice(im[0].length), module: km[1], iface: im[1] });
  } else {
    // Kernel texts that lost the module's marker still start with the interface.
    const im = IFACE.exec(message);
    if (im) out.push({ text: message.slice(im[0].length), iface: im[1] });
  }
  const gp = GO_PEER.exec(message);
  if (gp) out.push({ text: message.slice(gp.index + gp[0].length), peerKey: gp[1] });
  const re = /(?:: |\] )/g;
  for (let m = re.exec(message), k = 0; m && k < 5; m = re.exec(message), k++) out.push({ text: message.slice(m.index + m[0].length) });
  return out;
}

// --------------------------------------------------------------------------------------------- verdict

const SLOT_WHAT: Readonly<Record<string, string>> = {
  endpoint: 'an endpoint (ip:port or [ipv6]:port)',
  peer: 'a peer name (4 base64 characters, "…", 4 more)',
  key: 'a base64 public key',
  int: 'a whole number',
  hex: 'a hexadecimal number',
  ip: 'an IP address',
  word: 'one word',
};

const SLOT_NAME: Readonly<Record<string, string>> = { endpoint: 'address', peer: 'peer name', key: 'key', ip: 'address', int: 'number', hex: 'number', word: 'value' };

/** A value a person masked before pasting it (x.x.x.x, 1.2.x.x, ***, <redacted>, xxxx…xxxx). */
export function looksMasked(v: string): boolean {
  return /[*<>]|redact|hidden|masked/i.test(v) || /(?:^|[.:[\u2026])[xX]+(?=$|[.:\]\u2026])/.test(v);
}

const quote = (s: string): string => `\`${s.length > 80 ? `${s.slice(0, 77)}...` : s}\``;

function contextReason(d: Decoded, def: MessageDef, body: Body): { text: string; generic: boolean } {
  if (d.implHint && d.implHint !== def.impl) {
    return { text: `the envelope (${d.envelope}) says the line is ${d.implHint}'s, and ${d.implHint} prints no such message: the text is ${def.impl}'s ${def.id}`, generic: false };
  }
  if (def.impl === 'linux-kernel' && !body.module && !def.bare) {
    return { text: `the text is the kernel module's ${def.id}, but without the module's "wireguard: " marker in front of it`, generic: false };
  }
  return { text: `the text is ${def.id}, but no envelope named an implementation and the text alone is not specific enough (another program could print it)`, generic: true };
}

/** The differences between the literal words of a line and of a template, first three, in words. */
function wordingReason(line: readonly Word[], template: readonly Word[]): string {
  const lit = (ws: readonly Word[], from: number, to: number): string => ws.slice(from, to).filter((x) => x.w !== '').map((x) => x.text).join(' ');
  const diffs: string[] = [];
  for (const g of gaps(line, template)) {
    const extra = lit(line, g.line[0], g.line[1]);
    const missing = lit(template, g.template[0], g.template[1]);
    // Where the first differing word of the line is: after the token in front of it.
    const first = line.findIndex((x, i) => i >= g.line[0] && i < g.line[1] && x.w !== '');
    const before = (first < 0 ? g.line[0] : first) - 1;
    const after = before >= 0 ? ` after ${quote((line[before] as Word).text)}` : '';
    if (extra && missing) diffs.push(`the line has ${quote(extra)} where the known message has ${quote(missing)}`);
    else if (extra) diffs.push(`the line has ${quote(extra)}${after}, which the known message does not`);
    else if (missing) diffs.push(`the line lacks ${quote(missing)}${after}`);
  }
  if (diffs.length === 0) return 'the words are the same, but the punctuation or the place of a value differs';
  const more = diffs.length > 3 ? `; and ${diffs.length - 3} more difference${diffs.length > 4 ? 's' : ''}` : '';
  return `the wording differs: ${diffs.slice(0, 3).join('; ')}${more}`;
}

interface Gap { readonly line: readonly [number, number]; readonly template: readonly [number, number] }

/** The stretches between the common words of a line and a template (half-open index ranges on each side). */
function gaps(line: readonly Word[], template: readonly Word[]): Gap[] {
  const out: Gap[] = [];
  let pi = 0;
  let pj = 0;
  for (const [i, j] of [...alignWords(line, template), [line.length, template.length] as [number, number]]) {
    if (i > pi || j > pj) out.push({ line: [pi, i], template: [pj, j] });
    pi = i + 1;
    pj = j + 1;
  }
  return out;
}

const NUMBER = /^(?:-?\d{1,20}|(?:0x)?[0-9A-Fa-f]{1,16})$/;
/** What a value must look like to be taken for a capture when only the words around it place it. */
const VALUE_SHAPE: Partial<Record<CaptureName, RegExp>> = {
  endpoint: new RegExp(`^(?:${expandPattern('{endpoint}')})$`, 'u'),
  peer_key: new RegExp(`^(?:${PEER_FRAGMENT_SOURCE}|${expandPattern('{key}')})$`, 'u'),
  inner_src_ip: new RegExp(`^(?:${expandPattern('{ip}')})$`, 'u'),
  inner_dst_ip: new RegExp(`^(?:${expandPattern('{ip}')})$`, 'u'),
  peer_id: NUMBER, keypair_id: NUMBER, attempt: NUMBER, seconds: NUMBER, count: NUMBER, worker: NUMBER, mtu: NUMBER,
  sender_index: NUMBER, receiver_index: NUMBER, counter: NUMBER, counter_max: NUMBER,
};

/**
 * Values of a line whose wording differs, placed by the common words around them: in each stretch between
 * common words, the variables in order, each taking the next value of its shape.
 */
function valuesByAlignment(line: readonly Word[], template: readonly Word[]): Partial<Record<CaptureName, string>> {
  const captures: Partial<Record<CaptureName, string>> = {};
  for (const g of gaps(line, template)) {
    const values = line.slice(g.line[0], g.line[1]).filter((x) => x.w === '');
    let k = 0;
    for (const v of template.slice(g.template[0], g.template[1])) {
      if (v.w !== '' || !v.capture || k >= values.length) continue;
      const shape = VALUE_SHAPE[v.capture];
      const at = values.findIndex((x, i) => i >= k && (!shape || shape.test(x.text) || looksMasked(x.text)));
      if (at < 0) continue;
      captures[v.capture] ??= (values[at] as Word).text;
      k = at + 1;
    }
  }
  return captures;
}

/** The document fields the entry would have captured from these values (dotted paths, best effort). */
function fieldsOf(def: MessageDef, d: Decoded, body: Body, captures: Partial<Record<CaptureName, string>>): Record<string, string | number | boolean> {
  const doc = { wireguard: {} } as WgEventDoc;
  const related: string[] = [];
  for (const [name, v] of Object.entries(captures) as [CaptureName, string][]) CAPTURE_SETTERS[name](doc, v, { direction: def.direction, related });
  const iface = captures.iface ?? body.iface ?? d.iface;
  if (iface) doc.observer = { ingress: { interface: { name: iface } } };
  if (body.peerKey && !captures.peer_key) CAPTURE_SETTERS.peer_key(doc, body.peerKey, { direction: def.direction, related });
  const out: Record<string, string | number | boolean> = {};
  if (d.timestampSource === 'line' && d.timestampMs !== undefined) out['@timestamp'] = new Date(d.timestampMs).toISOString();
  const walk = (o: Record<string, unknown>, path: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const p = path ? `${path}.${k}` : k;
      // Derived, not captured: the list of addresses, the transport, the endpoint again as *.address.
      if (p === 'related' || p === 'network' || p.endsWith('.address') && (p.startsWith('source') || p.startsWith('destination'))) continue;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, p);
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[p] = v;
    }
  };
  walk(doc as unknown as Record<string, unknown>, '');
  if (Object.values(captures).some((v) => v !== undefined && looksMasked(v)) || (iface !== undefined && looksMasked(iface))) out['wireguard.redacted'] = true;
  return out;
}

function capturesOf(m: RegExpExecArray): Partial<Record<CaptureName, string>> {
  const c: Partial<Record<CaptureName, string>> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined && k in CAPTURE_SETTERS) c[k as CaptureName] = v;
  return c;
}

/** Why the line is not `e`, and what `e` would have captured from it. */
function verdict(e: Entry, d: Decoded, candidates: readonly Body[], words: readonly Word[], template: readonly Word[]): Pick<Near, 'reason' | 'fields' | 'generic'> {
  const def = e.def;
  // What the prefixes said (interface, Go peer), whichever body the text is compared from.
  const context: Body = {
    text: (candidates[0] as Body).text,
    iface: candidates.find((b) => b.iface)?.iface,
    peerKey: candidates.find((b) => b.peerKey)?.peerKey,
    module: candidates.find((b) => b.module)?.module,
  };
  const withContext = (b: Body): Body => ({ ...b, iface: b.iface ?? context.iface, peerKey: b.peerKey ?? context.peerKey });
  const p = patterns(e);
  for (const body of candidates) {
    const m = p.strict.exec(body.text) ?? p.strictFolded.exec(body.text);
    if (m) {
      const why = contextReason(d, def, body);
      return { reason: why.text, fields: fieldsOf(def, d, withContext(body), capturesOf(m)), generic: why.generic };
    }
  }
  for (const body of candidates) {
    if (!p.loose || !p.looseFolded) break;
    const folded = !p.loose.test(body.text);
    const m = folded ? p.looseFolded.exec(body.text) : p.loose.exec(body.text);
    if (!m) continue;
    const captures = capturesOf(m);
    const wrong: string[] = [];
    p.slots.forEach((s) => {
      const v = m.groups?.[s.group];
      if (v === undefined) return;
      if (s.capture) captures[s.capture] = v;
      if (!s.check.test(v)) {
        const what = SLOT_WHAT[s.macro] ?? `a ${s.macro}`;
        wrong.push(`the ${SLOT_NAME[s.macro] ?? 'value'} ${quote(v)} is not ${what}${looksMasked(v) ? ' (it looks masked by whoever pasted it)' : ''}`);
      }
    });
    const except = wrong.length ? wrong.join('; ') : folded ? 'the letter case differs' : 'a part of its exact form differs (see the pattern)';
    return { reason: `the text matches ${def.id} except: ${except}`, fields: fieldsOf(def, d, withContext(body), captures), generic: false };
  }
  // The values, placed by the words around them in the pattern's own text (which names what each captures).
  const named = e.templates[e.templates.length - 1] as Word[];
  return { reason: wordingReason(words, template), fields: fieldsOf(def, d, context, valuesByAlignment(words, named)), generic: false };
}

/**
 * The catalog message nearest to a line no entry recognised, and why it is not that message; or
 * `not-wireguard` when nothing in the catalog is near and the text does not mention WireGuard at all.
 */
export function nearestMessage(d: Decoded, catalog: readonly MessageDef[]): Placement {
  const { templates, byWord } = index(catalog);
  const candidates = bodies(d.message).filter((b, i, all) => all.findIndex((o) => o.text === b.text) === i);
  const wordsOf = candidates.map((b) => lineWords(b.text));
  let best: { tp: Template; sim: number; body: number } | undefined;
  candidates.forEach((_b, b) => {
    const words = wordsOf[b] as Word[];
    const count = literalCount(words);
    // How many of the line's words each template has: an upper bound of what they have in common, in order.
    const shared = new Map<number, number>();
    for (const w of words) if (w.w !== '') for (const id of byWord.get(w.w) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    for (const [id, k] of shared) {
      const tp = templates[id] as Template;
      if ((2 * Math.min(k, tp.count)) / (count + tp.count) < (best?.sim ?? 0)) continue;
      const sim = similarity(words, tp.words);
      // Ties go to the implementation the envelope named, then to the earlier entry.
      const impl = tp.entry.def.impl;
      if (!best || sim > best.sim || (sim === best.sim && d.implHint === impl && best.tp.entry.def.impl !== impl)
        || (sim === best.sim && best.tp.entry === tp.entry && tp.t < best.tp.t)) best = { tp, sim, body: b };
    }
  });
  const mentions = WIREGUARD_WORDS.test(d.message);
  if (!best || best.sim === 0) return { kind: 'not-wireguard', similarity: 0, mentionsWireGuard: mentions };
  const sim = Math.round(best.sim * 100) / 100;
  const def = best.tp.entry.def;
  if (best.sim < NEAR_THRESHOLD && !mentions) return { kind: 'not-wireguard', similarity: sim, def, mentionsWireGuard: false };
  const v = verdict(best.tp.entry, d, candidates, wordsOf[best.body] as Word[], best.tp.words);
  return { kind: 'near', def, similarity: sim, ...v, generic: v.generic && !mentions };
}

/**
 * A record for test/corpus/real-world/<class>.jsonl (see its README): the line, placeholders for where it
 * came from, and what the nearest message would make of it, to be checked by whoever commits it.
 */
export function corpusRecord(line: string, n: Near): string {
  return JSON.stringify({
    line, source: '<url of the thread>', program: '?', format: '?', class: '?',
    expect: { action: n.def.action, fields: n.fields },
  });
}
