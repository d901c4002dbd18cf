// Groups outgoing records into sends bounded by count and by bytes. The byte bound is what matters to the broker:
// a record batch over the topic's max.message.bytes (1 MiB by default) is refused whole, so a batch is sized on
// its uncompressed bytes — safe whatever the codec does — plus what the record format adds around each record.

export interface OutRecord {
  readonly key: string | null;
  readonly value: Buffer;
}

/** Kafka's record-batch header (magic v2). */
export const BATCH_OVERHEAD_BYTES = 61;
/** Most a v2 record adds around key and value: length, attributes, timestamp and offset deltas, key and value
 * lengths (varints at their widest) and the header count. */
export const RECORD_OVERHEAD_BYTES = 32;

export function recordBytes(r: OutRecord): number {
  return RECORD_OVERHEAD_BYTES + r.value.length + (r.key === null ? 0 : Buffer.byteLength(r.key));
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
