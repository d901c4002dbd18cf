// One Kafka record → the documents to index and the dead letters to write. Pure: no I/O, never throws (a
// record that makes the code fail becomes a dead letter with the error as its reason).
import type { ConsumedRecord } from '../source/kafka/group-consumer.ts';
import { ECS_VERSION } from '../parse/normalize/normalize.ts';
import { processLine } from '../parse/normalize/line.ts';
import type { Decoded } from '../parse/decode/types.ts';
import type { WgUnparsedDoc } from '../shared/schema/generated/unparsed.ts';
import { validatePeer, validateEvent, validateUnparsed } from '../shared/schema/validate.ts';
import { SNAPSHOT_HEADER, SNAPSHOT_KIND, parseSnapshotRecord, toDumpSnapshot } from '../source/collect/snapshot-record.ts';
import type { DumpSnapshot } from '../parse/wg-dump.ts';
import { changeEvents, peerStateDocs } from '../parse/normalize/peer-snapshot.ts';

export interface SourceRef {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Index of the line within the record (a record may carry several lines). */
  readonly line: number;
}

export interface IndexAction {
  readonly index: string;
  /** Deterministic: the same record always gives the same _id, so a redelivery creates nothing new. */
  readonly id: string;
  readonly doc: object;
  /** Set for documents updated in place (alerts): indexed with this external version instead of `create`. */
  readonly version?: number;
  /** event.action for the per-action metric. */
  readonly action: string;
  readonly source: SourceRef;
}

export type DeadLetterReason =
  | 'record-too-large'
  | 'empty-record'
  | 'schema-invalid'
  | 'processing-error'
  | 'rejected-by-elasticsearch';

export interface DeadLetter {
  readonly source: SourceRef;
  readonly reason: DeadLetterReason;
  readonly detail: string;
  readonly key: Buffer | null;
  /** The original bytes of the whole record. */
  readonly value: Buffer;
  /** schema-invalid only: which document failed validation, for the wg_siem_invalid_documents_total label. */
  readonly document?: InvalidDocument;
}

/** The documents that are validated against their schema: a line's event or unparsed document, a peer snapshot's. */
export type InvalidDocument = 'event' | 'unparsed' | 'peer-state' | 'peer-snapshot';

/** A collector's peer-state snapshot, for the correlation stage's directory of peers. */
export interface PeerSnapshot {
  readonly id: string;
  readonly snapshot: DumpSnapshot;
}

export interface RecordOutcome {
  readonly actions: IndexAction[];
  readonly deadLetters: DeadLetter[];
  /** Lines that are not WireGuard (dropped or indexed as unparsed, per configuration). */
  readonly unparsed: number;
  readonly snapshots?: readonly PeerSnapshot[];
}

export interface RecordContext {
  readonly namespace: string;
  readonly timezone: string;
  readonly validate: boolean;
  readonly maxRecordBytes: number;
  readonly keepUnparsed: boolean;
  readonly nowMs: number;
  /** pipeline.preserveOriginalEvent: events keep event.original (unparsed lines and dead letters always do). */
  readonly preserveOriginal?: boolean;
}

export const eventsIndex = (ns: string): string => `logs-wireguard.log-${ns}`;
export const unparsedIndex = (ns: string): string => `logs-wireguard.unparsed-${ns}`;
export const deadLetterIndex = (ns: string): string => `logs-wireguard.dead_letter-${ns}`;
export const peersIndex = (ns: string): string => `logs-wireguard.peer-${ns}`;

export const documentId = (s: SourceRef): string => `${s.topic}:${s.partition}:${s.offset}:${s.line}`;

const EMPTY = Buffer.alloc(0);
const decoder = new TextDecoder('utf-8', { fatal: false });

/** A shipper may put several lines in one record; JSON envelopes are one event per record. */
function linesOf(text: string): string[] {
  if (text.charCodeAt(0) === 123 /* { */) return [text];
  const lines = text.split('\n');
  const out: string[] = [];
  for (const l of lines) {
    const t = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (t.trim() !== '') out.push(t);
  }
  return out;
}

export function unparsedDoc(d: Decoded, ns: string, nowMs: number): WgUnparsedDoc {
  const doc: WgUnparsedDoc = {
    '@timestamp': new Date(d.timestampMs ?? nowMs).toISOString(),
    ecs: { version: ECS_VERSION },
    message: d.message.length > 32_768 ? d.message.slice(0, 32_768) : d.message,
    event: { kind: 'event', dataset: 'wireguard.unparsed', module: 'wireguard', original: d.original.length > 32_768 ? d.original.slice(0, 32_768) : d.original, ingested: new Date(nowMs).toISOString() },
    data_stream: { type: 'logs', dataset: 'wireguard.unparsed', namespace: ns },
  };
  if (d.host) doc.host = { name: d.host };
  // Raw because a decoder threw, not because the line is not WireGuard: say so, to find such lines again.
  if (d.failure) {
    doc.error = { type: d.failure.type, code: d.failure.decoder, message: d.failure.message };
    doc.tags = ['decoder_failure'];
  }
  return doc;
}

export function processRecord(rec: ConsumedRecord, ctx: RecordContext): RecordOutcome {
  const actions: IndexAction[] = [];
  const deadLetters: DeadLetter[] = [];
  let unparsed = 0;
  const base = { topic: rec.topic, partition: rec.partition, offset: rec.offset };
  const value = rec.value ?? EMPTY;
  const dead = (reason: DeadLetterReason, detail: string, line = 0, document?: InvalidDocument): void => {
    deadLetters.push({ source: { ...base, line }, reason, detail, key: rec.key, value, ...(document ? { document } : {}) });
  };
  if (value.length === 0) { dead('empty-record', 'the record has no value'); return { actions, deadLetters, unparsed }; }
  if (value.length > ctx.maxRecordBytes) {
    dead('record-too-large', `${value.length} bytes, more than pipeline.maxRecordBytes (${ctx.maxRecordBytes})`);
    return { actions, deadLetters, unparsed };
  }
  try {
    if (rec.headers[SNAPSHOT_HEADER] === SNAPSHOT_KIND) return processSnapshot(rec, value, ctx);
    const text = decoder.decode(value);
    const recordTs = Number.isFinite(rec.timestampMs) && rec.timestampMs > 0 ? rec.timestampMs : undefined;
    linesOf(text).forEach((line, i) => {
      const src: SourceRef = { ...base, line: i };
      const r = processLine({ value: line, nowMs: ctx.nowMs, recordTimestampMs: recordTs }, { timezone: ctx.timezone, namespace: ctx.namespace, validate: ctx.validate, preserveOriginal: ctx.preserveOriginal === true });
      if (r.kind === 'event') {
        actions.push({ index: eventsIndex(ctx.namespace), id: documentId(src), doc: r.doc, action: r.doc.event.action ?? 'unknown', source: src });
      } else if (r.kind === 'invalid') {
        dead('schema-invalid', r.errors.join('; '), i, 'event');
      } else {
        unparsed++;
        if (!ctx.keepUnparsed) return;
        const doc = unparsedDoc(r.decoded, ctx.namespace, ctx.nowMs);
        const v = ctx.validate ? validateUnparsed(doc) : { ok: true as const };
        if (v.ok) actions.push({ index: unparsedIndex(ctx.namespace), id: documentId(src), doc, action: 'unparsed', source: src });
        else dead('schema-invalid', v.errors.join('; '), i, 'unparsed');
      }
    });
  } catch (e) {
    // A bug must not block the partition: the record is set aside with the error, and processing goes on.
    return { actions: [], deadLetters: [{ source: { ...base, line: 0 }, reason: 'processing-error', detail: (e as Error).stack ?? String(e), key: rec.key, value }], unparsed: 0 };
  }
  return { actions, deadLetters, unparsed };
}

/**
 * A `wg-siem collect` record: a state document per peer, an event per change (its line number within the
 * record), and the snapshot itself for correlation, placed after the changes in the record's positions.
 */
function processSnapshot(rec: ConsumedRecord, value: Buffer, ctx: RecordContext): RecordOutcome {
  const base = { topic: rec.topic, partition: rec.partition, offset: rec.offset };
  const parsed = parseSnapshotRecord(decoder.decode(value));
  if (!parsed.ok) {
    return { actions: [], deadLetters: [{ source: { ...base, line: 0 }, reason: 'schema-invalid', detail: `peer snapshot: ${parsed.errors.join('; ')}`, key: rec.key, value, document: 'peer-snapshot' }], unparsed: 0 };
  }
  const r = parsed.record;
  const actions: IndexAction[] = [];
  const deadLetters: DeadLetter[] = [];
  const add = (index: string, doc: object, action: string, line: number, valid: { ok: true } | { ok: false; errors: string[] }): void => {
    const src: SourceRef = { ...base, line };
    if (valid.ok) actions.push({ index, id: documentId(src), doc, action, source: src });
    else deadLetters.push({ source: src, reason: 'schema-invalid', detail: `peer snapshot: ${valid.errors.join('; ')}`, key: rec.key, value, document: index === peersIndex(ctx.namespace) ? 'peer-state' : 'event' });
  };
  const events = changeEvents(r, ctx.namespace, ctx.nowMs);
  events.forEach((d, j) => add(eventsIndex(ctx.namespace), d, d.event.action ?? 'unknown', j, ctx.validate ? validateEvent(d) : { ok: true }));
  peerStateDocs(r, ctx.namespace, ctx.nowMs).forEach((d, i) => add(peersIndex(ctx.namespace), d, 'peer-state', i, ctx.validate ? validatePeer(d) : { ok: true }));
  const snapshot = { id: documentId({ ...base, line: events.length }), snapshot: toDumpSnapshot(r) };
  return { actions, deadLetters, unparsed: 0, snapshots: [snapshot] };
}
