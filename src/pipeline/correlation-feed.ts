// The hand-over from indexing to correlation: every recognised event, without its long texts, re-keyed by host
// name onto the intermediate topic. All of a host's events then land in one partition, so whichever instance
// owns that partition sees everything correlation needs about the host (its rules group by host first, and
// peer knowledge is per host) — that is what lets N instances raise exactly the alerts one instance raises.
import type { OutgoingRecord } from '../kafka/reliable-producer.ts';
import type { WgEventDoc } from '../schema/generated/event.ts';
import type { DumpSnapshot } from '../enrich/wg-dump.ts';
import type { IndexAction, PeerSnapshot } from './record.ts';

/** What travels on the intermediate topic: the ECS event plus its document id. */
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

export function feedRecord(a: IndexAction): OutgoingRecord {
  const doc = a.doc as WgEventDoc;
  const { message: _m, ...rest } = doc;
  const event = { ...rest.event };
  delete event.original;
  const out: Record<string, unknown> = { ...rest, event, _id: a.id };
  if (rest.wireguard?.diagnosis) {
    const { diagnosis: _d, ...wg } = rest.wireguard;
    out['wireguard'] = wg;
  }
  return { key: doc.host?.name ?? NO_HOST_KEY, value: JSON.stringify(out) };
}

export function feedSnapshot(s: PeerSnapshot): OutgoingRecord {
  const f: FeedSnapshot = { _id: s.id, '@timestamp': new Date(s.snapshot.atMs).toISOString(), host: { name: s.snapshot.host }, peer_snapshot: s.snapshot };
  return { key: s.snapshot.host, value: JSON.stringify(f) };
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
