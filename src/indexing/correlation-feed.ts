// The hand-over from indexing to correlation. Every recognised event, reduced to the fields correlation reads
// (FEED_FIELDS and every path the rules name), goes to the intermediate topic in the partition its host name
// hashes to (kafkajs's default partitioner, as a record keyed by the host would go). All of a host's events then
// land in one partition, so whichever instance owns that partition sees everything correlation needs about the
// host (its rules group by host first, and peer knowledge is per host) — that is what lets N instances raise
// exactly the alerts one instance raises.
//
// Events are not one record each: the events of one source batch that go to the same partition travel together,
// in source order, as one record holding a JSON array (split only to keep records under HANDOVER_RECORD_BYTES).
// The correlation stage recognises a re-sent event by its source position (its _id), which only works because a
// partition sees each raw stream's events in source order, whichever host they belong to: grouping by
// partition, not by host, keeps that order. It still reads the older form (one event object per record).
import type { OutgoingRecord } from '../source/kafka/reliable-producer.ts';
import type { Rule } from '../correlate/rules/rule-types.ts';
import type { WgEventDoc } from '../shared/schema/generated/event.ts';
import type { DumpSnapshot } from '../parse/wg-dump.ts';
import type { IndexAction, PeerSnapshot } from './record.ts';

/** What travels on the intermediate topic: the fields of the ECS event correlation reads, plus its document id. */
export type FeedEvent = WgEventDoc & { _id: string };

/** A collector's snapshot on the intermediate topic: the host's peers as `wg show dump` printed them. */
export interface FeedSnapshot {
  readonly _id: string;
  readonly '@timestamp': string;
  readonly host: { readonly name: string };
  readonly peer_snapshot: DumpSnapshot;
}

/** Key for events that name no host: they still correlate, together. */
export const NO_HOST_KEY = '-';

/**
 * What correlation reads of an event besides the rules' own paths: event time, the action, the host's clock
 * and scope (host, interface), and what the peer directory learns (peer id, key fragment, full key, remote
 * address and port). The tunnel diagnoser reads the whole events from Elasticsearch, not from here.
 */
export const FEED_FIELDS: readonly string[] = [
  '@timestamp', 'event.action', 'event.id', 'host.name', 'observer.ingress.interface.name',
  'source.ip', 'source.port', 'destination.ip', 'destination.port',
  'wireguard.peer.id', 'wireguard.peer.key_fragment', 'wireguard.peer.public_key', 'wireguard.rate_limited',
];

/** Every dotted path a rule reads: filters, group fields, the distinct field, sequence steps and absences. */
export function rulePaths(rules: readonly Rule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    for (const [p] of r.filter) out.add(p);
    for (const g of r.groupBy) for (const p of g.paths) out.add(p);
    if (r.type === 'distinct') out.add(r.field);
    if (r.type === 'sequence') {
      for (const s of r.steps) for (const [p] of s) out.add(p);
      if (r.endsWithAbsence) for (const [p] of r.endsWithAbsence.filter) out.add(p);
    }
  }
  return [...out];
}

interface Node { readonly key: string; readonly quoted: string; readonly leaf: boolean; readonly children: Node[] }

function tree(paths: readonly string[]): Node[] {
  const root: Node = { key: '', quoted: '""', leaf: false, children: [] };
  for (const path of paths) {
    let cur = root;
    const parts = path.split('.');
    parts.forEach((part, i) => {
      let next = cur.children.find((c) => c.key === part);
      const leaf = i === parts.length - 1;
      if (!next) { next = { key: part, quoted: JSON.stringify(part), leaf, children: [] }; cur.children.push(next); }
      else if (leaf && !next.leaf) {
        // A whole object is asked for (a rule on `source`): it replaces its narrower paths.
        const idx = cur.children.indexOf(next);
        next = { key: part, quoted: JSON.stringify(part), leaf: true, children: [] };
        cur.children[idx] = next;
      }
      cur = next;
    });
  }
  return root.children;
}

/**
 * Writes the JSON members (`"k":v,...`, no braces) of the paths under `nodes` that `src` has, straight from the
 * document: no projected copy is built. Leaves are written with JSON.stringify (strings, numbers, arrays).
 */
function members(nodes: readonly Node[], src: Record<string, unknown>): string {
  let out = '';
  for (const n of nodes) {
    const v = src[n.key];
    if (v === undefined) continue;
    let body: string;
    if (n.leaf) body = JSON.stringify(v);
    else {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
      const inner = members(n.children, v as Record<string, unknown>);
      if (inner === '') continue;
      body = `{${inner}}`;
    }
    out = out === '' ? `${n.quoted}:${body}` : `${out},${n.quoted}:${body}`;
  }
  return out;
}

/**
 * A function writing an event's feed JSON: `_id` and the given paths of the document, nothing else. `paths`
 * undefined: the whole document without its long texts (message, event.original, wireguard.diagnosis).
 */
export function feedEncoder(paths: readonly string[] | undefined): (id: string, doc: object) => string {
  if (paths === undefined) return (id, doc) => JSON.stringify(withoutTexts(id, doc as WgEventDoc));
  const nodes = tree([...new Set([...FEED_FIELDS, ...paths])]);
  return (id, doc) => {
    const m = members(nodes, doc as Record<string, unknown>);
    return m === '' ? `{"_id":${JSON.stringify(id)}}` : `{"_id":${JSON.stringify(id)},${m}}`;
  };
}

function withoutTexts(id: string, doc: WgEventDoc): Record<string, unknown> {
  const { message: _m, ...rest } = doc;
  const event = { ...rest.event };
  delete event.original;
  const out: Record<string, unknown> = { _id: id, ...rest, event };
  if (rest.wireguard?.diagnosis) {
    const { diagnosis: _d, ...wg } = rest.wireguard;
    out['wireguard'] = wg;
  }
  return out;
}

export function snapshotJson(s: PeerSnapshot): string {
  const f: FeedSnapshot = { _id: s.id, '@timestamp': new Date(s.snapshot.atMs).toISOString(), host: { name: s.snapshot.host }, peer_snapshot: s.snapshot };
  return JSON.stringify(f);
}

/** Most bytes of one hand-over record (well under the broker's 1 MB message.max.bytes). */
export const HANDOVER_RECORD_BYTES = 256 * 1024;

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** The hand-over records of one source batch: per partition, its events in source order, as few records as fit. */
export class FeedBatch {
  private readonly partitionOf: (key: string) => number;
  private readonly encode: (id: string, doc: object) => string;
  private readonly maxBytes: number;
  /** Per partition: the pieces of its open record ('[', event, ',', event, …) and their bytes. */
  private readonly open = new Map<number, { pieces: Buffer[]; bytes: number }>();
  private readonly done: OutgoingRecord[] = [];
  events = 0;

  constructor(partitionOf: (key: string) => number, encode: (id: string, doc: object) => string, maxBytes = HANDOVER_RECORD_BYTES) {
    this.partitionOf = partitionOf;
    this.encode = encode;
    this.maxBytes = maxBytes;
  }

  event(a: IndexAction): void {
    this.add((a.doc as WgEventDoc).host?.name ?? NO_HOST_KEY, this.encode(a.id, a.doc));
    this.events++;
  }

  snapshot(s: PeerSnapshot): void {
    this.add(s.snapshot.host, snapshotJson(s));
  }

  // Each event is encoded to UTF-8 as it comes, while it is small, and a record is its events' bytes concatenated:
  // joining the strings first (then encoding the whole) cost the index stage ≈ 5 % of its CPU in a profile.
  private add(host: string, json: string): void {
    const partition = this.partitionOf(host);
    const bytes = Buffer.from(json);
    let cur = this.open.get(partition);
    if (cur && cur.bytes + bytes.length + 1 > this.maxBytes) {
      this.flush(partition, cur);
      cur = undefined;
    }
    if (!cur) { cur = { pieces: [OPEN], bytes: 2 }; this.open.set(partition, cur); } else cur.pieces.push(COMMA);
    cur.pieces.push(bytes);
    cur.bytes += bytes.length + 1;
  }

  private flush(partition: number, cur: { pieces: Buffer[] }): void {
    cur.pieces.push(CLOSE);
    this.done.push({ key: null, partition, value: Buffer.concat(cur.pieces) });
    this.open.delete(partition);
  }

  /** The records, each partition's in source order. */
  records(): OutgoingRecord[] {
    for (const [p, cur] of [...this.open]) this.flush(p, cur);
    return this.done;
  }
}

/** The events of one intermediate record: an array (hand-over batches) or one object (the older form). */
export function feedItems(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** The position of an event in its raw source (topic, partition, offset, line), read back from its _id. */
export function sourcePosition(id: string): { stream: string; offset: bigint; line: number } | undefined {
  const b = id.lastIndexOf(':');
  const a = b > 0 ? id.lastIndexOf(':', b - 1) : -1;
  if (a <= 0) return undefined;
  const offset = id.slice(a + 1, b);
  const line = Number(id.slice(b + 1));
  if (!/^\d+$/.test(offset) || !Number.isInteger(line)) return undefined;
  return { stream: id.slice(0, a), offset: BigInt(offset), line };
}
