// Groups outgoing records into sends bounded by count and by bytes. The byte bound is what matters to the broker:
// a record batch over the topic's max.message.bytes (1 MiB by default) is refused whole, so a batch is sized on
// its uncompressed bytes — safe whatever the codec does — plus what the record format adds around each record.

export interface OutRecord {
  readonly key: string | null;
  readonly value: Buffer;
}

/** Kafka's record-batch header (magic v2): base offset 8, length 4, leader epoch 4, magic 1, CRC 4, attributes 2,
 * last offset delta 4, first and max timestamps 8 + 8, producer id 8, producer epoch 2, base sequence 4, count 4. */
export const BATCH_OVERHEAD_BYTES = 61;
/** Most a v2 record adds around key and value, each variable-length field at its widest: length (varint, 5),
 * attributes (1), timestamp delta (varlong, 10), offset delta (varint, 5), key length (5), value length (5) and
 * the header count (5). */
export const RECORD_OVERHEAD_BYTES = 36;
/** Most a v2 record header adds around its key and value: their two lengths (varints, 5 each). */
export const HEADER_OVERHEAD_BYTES = 10;

/** What a record's size depends on; strings count in UTF-8 bytes, as they go on the wire. */
export interface SizedRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
}

const byteLength = (v: Buffer | string): number => (typeof v === 'string' ? Buffer.byteLength(v) : v.length);

/** A record's size in a v2 record batch, uncompressed: never less than what the broker counts. */
export function recordBytes(r: SizedRecord): number {
  let n = RECORD_OVERHEAD_BYTES + byteLength(r.value) + (r.key === null ? 0 : byteLength(r.key));
  if (r.headers) for (const [k, v] of Object.entries(r.headers)) n += HEADER_OVERHEAD_BYTES + byteLength(k) + byteLength(v);
  return n;
}

export interface BatchLimits {
  /** Most records in one send. */
  readonly maxRecords: number;
  /** Most bytes (recordBytes summed) in one send; a single larger record still goes alone. */
  readonly maxBytes: number;
}

export class Batcher {
  private readonly limits: BatchLimits;
  private records: OutRecord[] = [];
  private bytes = 0;

  constructor(limits: BatchLimits) {
    if (!Number.isInteger(limits.maxRecords) || limits.maxRecords < 1) throw new RangeError(`maxRecords must be a positive integer, not ${limits.maxRecords}`);
    if (!Number.isInteger(limits.maxBytes) || limits.maxBytes < 1) throw new RangeError(`maxBytes must be a positive integer, not ${limits.maxBytes}`);
    this.limits = limits;
  }

  get size(): number {
    return this.records.length;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  /** Adds a record; returns the batches that are full now, oldest first (none, one, or — if the record could not
   * join the open batch and fills a new one by itself — two). */
  add(r: OutRecord): OutRecord[][] {
    const full: OutRecord[][] = [];
    const b = recordBytes(r);
    if (this.records.length > 0 && this.bytes + b > this.limits.maxBytes) full.push(this.take());
    this.records.push(r);
    this.bytes += b;
    if (this.records.length >= this.limits.maxRecords || this.bytes >= this.limits.maxBytes) full.push(this.take());
    return full;
  }

  /** The open batch (possibly empty), which is then closed. */
  take(): OutRecord[] {
    const out = this.records;
    this.records = [];
    this.bytes = 0;
    return out;
  }
}
