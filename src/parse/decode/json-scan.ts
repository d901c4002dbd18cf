// Pulls the few fields the JSON envelopes need out of a record without building it. A shipper's event is
// mostly metadata nobody here reads (host.os, @metadata, ...); JSON.parse would spend ~2 µs on a 1 KB Filebeat
// event and the field lookups as much again; skipping what is not wanted costs less, and builds nothing.
// Only registered paths are ever read; no object is created from the record's keys, so "__proto__" and
// "constructor" are just keys that match nothing. Everything is iterative except the descent along registered
// paths, which is as deep as the longest path.
// An array under a registered path is read whole, as JSON.parse reads it (journald's byte arrays), unless the
// path was registered as a list: then only its first few strings and numbers are read (see jsonList).

/** A registered field path; `slot` indexes the values a scan returns. */
export interface JsonPath {
  readonly path: string;
  readonly slot: number;
}

/** The values of the registered paths in one record, by slot; OBJECT marks a path whose value was an object. */
export type JsonRecord = readonly unknown[];

/** Stands for "present, and an object" (a value that is neither a string nor a number). */
export const OBJECT: unknown = Object.freeze({});

/** A key leading on from a node: one segment, or several joined by dots ("file.path"). */
interface Edge {
  readonly key: string;
  readonly node: Node;
  readonly segments: number;
}

interface Node {
  readonly children: Map<string, Edge>;
  /** The same keys by length, so a key in the text is compared in place instead of being sliced and hashed. */
  readonly byLength: Map<number, Edge[]>;
  slot: number;
  /** For a path registered as a list: how many entries of an array value are read. */
  list: number;
}

function newNode(): Node {
  return { children: new Map(), byLength: new Map(), slot: -1, list: 0 };
}

const root: Node = newNode();
const byPrefix = new Map<string, Node>([['', root]]);
let slotCount = 0;

function nodeAt(prefix: string): Node {
  let n = byPrefix.get(prefix);
  if (n === undefined) {
    n = newNode();
    byPrefix.set(prefix, n);
  }
  return n;
}

function link(from: Node, key: string, to: Node, segments: number): void {
  if (from.children.has(key)) return;
  const edge: Edge = { key, node: to, segments };
  from.children.set(key, edge);
  const same = from.byLength.get(key.length);
  if (same === undefined) from.byLength.set(key.length, [edge]);
  else same.push(edge);
}

/**
 * When a record spells one path several ways ({"a.b": 1, "a": {"b": 2}}), the spelling with the longest key
 * at the first level that differs wins — what a lookup trying longer keys first would find. A spelling's rank
 * is its key lengths (in segments) read as digits, level by level.
 */
const RANK_WEIGHTS = [8 ** 7, 8 ** 6, 8 ** 5, 8 ** 4, 8 ** 3, 8 ** 2, 8, 1];

/**
 * Registers an ECS path ("log.file.path") so scans collect it whether the record nests the objects
 * ({"log":{"file":{"path":…}}}), flattens the keys ({"log.file.path":…}) or mixes both ({"log":{"file.path":…}}).
 * Call at module load: a scan only sees paths registered before it.
 */
export function jsonPath(path: string): JsonPath {
  const segs = path.split('.');
  for (let i = 0; i < segs.length; i++) {
    const from = nodeAt(segs.slice(0, i).join('.'));
    for (let j = i + 1; j <= segs.length; j++) link(from, segs.slice(i, j).join('.'), nodeAt(segs.slice(0, j).join('.')), j - i);
  }
  const leaf = nodeAt(path);
  if (leaf.slot < 0) leaf.slot = slotCount++;
  return { path, slot: leaf.slot };
}

/**
 * Registers a path like jsonPath whose array value is a list, for every reader: an array there yields a new
 * array of its first `max` string and number entries; other entries (objects, nested arrays, true, false,
 * null) and those past the bound are skipped unread, so the array costs one pass and at most `max` values
 * whatever its size. A string or number there is read as usual.
 */
export function jsonList(path: string, max: number): JsonPath {
  const p = jsonPath(path);
  const leaf = nodeAt(path);
  if (max > leaf.list) leaf.list = max;
  return p;
}

export function get(r: JsonRecord, p: JsonPath): unknown {
  return r[p.slot];
}

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

/** Index just past the string whose opening quote is at `i`, or -1 if it is not closed. */
function stringEnd(s: string, i: number): number {
  let q = i;
  for (;;) {
    q = s.indexOf('"', q + 1);
    if (q < 0) return -1;
    let b = q - 1;
    while (b > i && s.charCodeAt(b) === 92) b--;
    // An even number of backslashes before the quote escape each other, not the quote.
    if ((q - 1 - b) % 2 === 0) return q + 1;
  }
}

/** Whether the string from the quote at `start` to the one before `end` holds an escape. */
function hasEscape(s: string, start: number, end: number): boolean {
  for (let j = start + 1; j < end - 1; j++) {
    if (s.charCodeAt(j) === 92) return true;
  }
  return false;
}

/** Index just past the JSON value starting at `i`, or -1. Nested values are skipped with a depth counter. */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return stringEnd(s, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 34) {
        const e = stringEnd(s, j);
        if (e < 0) return -1;
        j = e - 1;
      } else if (d === 123 || d === 91) {
        depth++;
      } else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  for (; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93 || d === 58 || d === 32 || d === 10 || d === 13 || d === 9) break;
  }
  return j > i ? j : -1;
}

function parseOr(t: string): unknown {
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** A string without escapes is its own text; anything else is read by JSON.parse, which knows every escape. */
function leafValue(s: string, i: number, end: number): unknown {
  if (s.charCodeAt(i) === 34) return hasEscape(s, i, end) ? parseOr(s.slice(i, end)) : s.slice(i + 1, end - 1);
  return parseOr(s.slice(i, end));
}

/** The child of `node` named by the key at start..end (quotes included), compared in place when it has no escapes. */
function childFor(node: Node, s: string, start: number, end: number, escaped: boolean): Edge | undefined {
  if (escaped) {
    const k = parseOr(s.slice(start, end));
    return typeof k === 'string' ? node.children.get(k) : undefined;
  }
  const same = node.byLength.get(end - start - 2);
  if (same === undefined) return undefined;
  for (const e of same) {
    if (s.startsWith(e.key, start + 1)) return e;
  }
  return undefined;
}

/**
 * Index just past the array starting at `i`, or -1; its first `max` string and number entries go to `items`.
 * Other entries and those past `max` are only skipped.
 */
function scanList(s: string, i: number, max: number, items: unknown[]): number {
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === 93) return i + 1;
  for (;;) {
    const end = skipValue(s, i);
    if (end < 0) return -1;
    const c = s.charCodeAt(i);
    if (items.length < max && (c === 34 || c === 45 || (c >= 48 && c <= 57))) {
      const v = leafValue(s, i, end);
      if (typeof v === 'string' || typeof v === 'number') items.push(v);
    }
    i = skipWs(s, end);
    const d = s.charCodeAt(i);
    if (d === 93) return i + 1;
    if (d !== 44) return -1;
    i = skipWs(s, i + 1);
  }
}

/** Values of the registered paths, and the rank of the spelling each was read from. */
interface Scan {
  readonly values: unknown[];
  readonly ranks: number[];
}

function store(scan: Scan, slot: number, rank: number, value: unknown): void {
  if (rank >= (scan.ranks[slot] ?? 0)) {
    scan.values[slot] = value;
    scan.ranks[slot] = rank;
  }
}

/**
 * Index just past the object starting at `i`, or -1; stores what the registered paths below `node` hold.
 * `level` keys were followed to get here, spelling a path of rank `rank` so far.
 */
function scanObject(s: string, i: number, node: Node, scan: Scan, level: number, rank: number): number {
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === 125) return i + 1;
  for (;;) {
    if (s.charCodeAt(i) !== 34) return -1;
    const keyEnd = stringEnd(s, i);
    if (keyEnd < 0) return -1;
    const edge = node.children.size === 0 ? undefined : childFor(node, s, i, keyEnd, hasEscape(s, i, keyEnd));
    i = skipWs(s, keyEnd);
    if (s.charCodeAt(i) !== 58) return -1;
    i = skipWs(s, i + 1);
    let end: number;
    if (edge === undefined) {
      end = skipValue(s, i);
    } else {
      const child = edge.node;
      const childRank = rank + edge.segments * (RANK_WEIGHTS[level] ?? 0);
      if (s.charCodeAt(i) === 123) {
        if (child.slot >= 0) store(scan, child.slot, childRank, OBJECT);
        end = child.children.size > 0 ? scanObject(s, i, child, scan, level + 1, childRank) : skipValue(s, i);
      } else if (child.list > 0 && s.charCodeAt(i) === 91) {
        const items: unknown[] = [];
        end = scanList(s, i, child.list, items);
        if (end >= 0) store(scan, child.slot, childRank, items);
      } else {
        end = skipValue(s, i);
        if (end >= 0 && child.slot >= 0) store(scan, child.slot, childRank, leafValue(s, i, end));
      }
    }
    if (end < 0) return -1;
    i = skipWs(s, end);
    const d = s.charCodeAt(i);
    if (d === 125) return i + 1;
    if (d !== 44) return -1;
    i = skipWs(s, i + 1);
  }
}

/**
 * The registered fields of a record that is one JSON object (`s` starts with "{"); undefined when `s` is not
 * one (unterminated, trailing text, not an object). Structure is checked; the contents of skipped values are
 * not validated.
 */
export function scanJson(s: string): JsonRecord | undefined {
  if (s.charCodeAt(0) !== 123) return undefined;
  // Filled, not holey: a hole would be looked up on Array.prototype.
  const scan: Scan = { values: new Array<unknown>(slotCount).fill(undefined), ranks: new Array<number>(slotCount).fill(0) };
  const end = scanObject(s, 0, root, scan, 0, 0);
  if (end < 0 || skipWs(s, end) !== s.length) return undefined;
  return scan.values;
}
