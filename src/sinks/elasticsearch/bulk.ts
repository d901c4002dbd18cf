// Bulk indexing that loses nothing: every document ends as created, already there (409 on `create`, or on an
// external version that is not newer: a redelivered record), or rejected for a reason of its own (→ dead letter). Whole-request failures and
// per-item 429/5xx are retried with capped exponential backoff and jitter for as long as it takes, keeping
// the consumer-group membership alive, until the pipeline is asked to stop.
import type { Client } from '@elastic/elasticsearch';
import { retryableStatus } from '../../shared/net/http-status.ts';
import { isUntrustedCertificate } from '../../shared/net/tls-errors.ts';
import { backoffDelay } from '../../shared/util/backoff.ts';
import type { IndexAction } from '../../indexing/record.ts';

export interface Rejection {
  readonly action: IndexAction;
  readonly status: number;
  readonly reason: string;
}

export interface BulkOutcome {
  readonly created: number;
  readonly duplicates: number;
  readonly rejected: readonly Rejection[];
}

export interface BulkControl {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
}

export type RetryCause = 'unreachable' | '429' | '5xx';

export interface BulkOptions {
  readonly maxBytes: number;
  readonly maxDocs: number;
  readonly concurrency: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly onRetry?: (cause: RetryCause, waitMs: number, detail: string) => void;
  /** Elasticsearch became unavailable (true) or answers again (false): the caller pauses fetching. */
  readonly onAvailability?: (unavailable: boolean) => void;
  readonly onRequest?: (seconds: number, docs: number) => void;
}

/** Thrown when the pipeline stops while Elasticsearch is still unavailable: the batch stays uncommitted. */
/**
 * Elasticsearch refused wg-siem itself, not a document: its credentials (401) or a privilege it lacks (403, for the
 * request or for an index). Dead-lettering would only fill the dead-letter topic with good records; the batch stays
 * uncommitted, and the process stops with what to fix.
 */
export class EsRefused extends Error {
  readonly status: number;
  constructor(status: number, reason: string) {
    super(`Elasticsearch refused wg-siem${status ? ` (HTTP ${status})` : ''}: ${reason}`);
    this.name = 'EsRefused';
    this.status = status;
  }
}

const refusesUs = (status: number): boolean => status === 401 || status === 403;

export class BulkAborted extends Error {
  constructor() {
    super('stopped while Elasticsearch was unavailable; the batch will be delivered again');
    this.name = 'BulkAborted';
  }
}

interface ItemResult { status?: number; error?: { type?: string; reason?: string; caused_by?: { reason?: string } } }
interface BulkResponse { errors?: boolean; items?: Record<string, ItemResult>[] }


/**
 * The action-and-source lines of each document, built once: the op line's head is shared by every document of an
 * index (a batch has one or two), the document is serialised once, and a retry reuses the same bytes. Each line is
 * encoded to UTF-8 on its own, while it is small, and a request's body is the lines' bytes concatenated: joining a
 * thousand concatenated strings into one and encoding that cost wg-siem's index stage about a tenth of its CPU (a
 * profile of 190,000 documents; the strings V8 builds by concatenation are flattened again by the join).
 */
class LineWriter {
  private readonly heads = new Map<string, string>();

  line(a: IndexAction): Buffer {
    const key = a.version === undefined ? a.index : `${a.index}\u0000v`;
    let head = this.heads.get(key);
    if (head === undefined) {
      // A versioned document (an alert) replaces older versions; Elasticsearch answers 409 to an equal or older
      // one, which is counted like a duplicate: a replay can never overwrite a newer state.
      head = a.version === undefined ? `{"create":{"_index":${JSON.stringify(a.index)},"_id":` : `{"index":{"_index":${JSON.stringify(a.index)},"_id":`;
      this.heads.set(key, head);
    }
    const tail = a.version === undefined ? '}}\n' : `,"version":${a.version},"version_type":"external"}}\n`;
    return Buffer.from(`${head}${JSON.stringify(a.id)}${tail}${JSON.stringify(a.doc)}\n`);
  }
}

interface Chunk { readonly actions: IndexAction[]; readonly lines: Buffer[] }

/**
 * Requests of at most maxDocs documents and about maxBytes bytes (one oversized document goes alone), made one at
 * a time as a worker asks for the next: only the requests in flight are held as text, whatever the batch size.
 */
function chunker(actions: readonly IndexAction[], o: BulkOptions): () => Chunk | undefined {
  const w = new LineWriter();
  let i = 0;
  return () => {
    if (i >= actions.length) return undefined;
    const cur: IndexAction[] = [];
    const lines: Buffer[] = [];
    let bytes = 0;
    while (i < actions.length && cur.length < o.maxDocs) {
      const a = actions[i] as IndexAction;
      const l = w.line(a);
      if (cur.length > 0 && bytes + l.length > o.maxBytes) break;
      cur.push(a);
      lines.push(l);
      bytes += l.length;
      i++;
    }
    return { actions: cur, lines };
  };
}

interface RequestFailure { readonly status: number; readonly message: string }

function failureOf(e: unknown): RequestFailure {
  const err = e as { meta?: { statusCode?: number }; message?: string; name?: string };
  return { status: err.meta?.statusCode ?? 0, message: `${err.name ?? 'Error'}: ${err.message ?? String(e)}` };
}

export class BulkIndexer {
  private readonly es: Client;
  private readonly o: BulkOptions;
  private unavailable = false;

  constructor(es: Client, o: BulkOptions) {
    this.es = es;
    this.o = o;
  }

  async index(actions: readonly IndexAction[], control: BulkControl): Promise<BulkOutcome> {
    const next = chunker(actions, this.o);
    let created = 0;
    let duplicates = 0;
    const rejected: Rejection[] = [];
    const worker = async (): Promise<void> => {
      for (let c = next(); c !== undefined; c = next()) {
        const r = await this.indexChunk(c.actions, c.lines, control);
        created += r.created;
        duplicates += r.duplicates;
        for (const x of r.rejected) rejected.push(x);
        // A large batch on a slow Elasticsearch must not outlast the consumer-group session between two batches.
        await control.heartbeat().catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, actions.length) }, worker));
    return { created, duplicates, rejected };
  }

  private async indexChunk(actions: IndexAction[], lines: Buffer[], control: BulkControl): Promise<BulkOutcome> {
    let pending = actions;
    let pendingLines = lines;
    let created = 0;
    let duplicates = 0;
    const rejected: Rejection[] = [];
    let attempt = 0;
    while (pending.length > 0) {
      let res: BulkResponse;
      const t0 = performance.now();
      try {
        res = await this.es.transport.request<BulkResponse>({
          method: 'POST',
          path: '/_bulk',
          bulkBody: Buffer.concat(pendingLines),
          querystring: { filter_path: 'errors,items.*.status,items.*.error.type,items.*.error.reason,items.*.error.caused_by.reason' },
        });
      } catch (e) {
        const f = failureOf(e);
        // An untrusted certificate is no outage: waiting for it to go away would never end.
        if (refusesUs(f.status) || (f.status === 0 && isUntrustedCertificate(f.message))) throw new EsRefused(f.status, f.message);
        if (f.status !== 0 && !retryableStatus(f.status)) {
          // The whole request was refused for what it is (not for the server's state): every document in it.
          for (const a of pending) rejected.push({ action: a, status: f.status, reason: f.message });
          return { created, duplicates, rejected };
        }
        await this.wait(attempt++, f.status === 0 ? 'unreachable' : f.status === 429 ? '429' : '5xx', f.message, control, true);
        continue;
      }
      this.o.onRequest?.((performance.now() - t0) / 1000, pending.length);
      this.setUnavailable(false);
      const items = res.items ?? [];
      const retry: IndexAction[] = [];
      const retryLines: Buffer[] = [];
      let retryCause: RetryCause = '5xx';
      let refusal: EsRefused | undefined;
      let retryDetail = '';
      pending.forEach((a, i) => {
        const item = items[i] ? Object.values(items[i])[0] : undefined;
        const status = item?.status ?? 0;
        if (status === 200 || status === 201) created++;
        else if (status === 409) duplicates++;
        else if (status === 0 || retryableStatus(status)) {
          retry.push(a);
          retryLines.push(pendingLines[i] as Buffer);
          if (status === 429) retryCause = '429';
          retryDetail = item?.error?.reason ?? `status ${status}`;
        } else {
          const reason = [item?.error?.type, item?.error?.reason, item?.error?.caused_by?.reason].filter(Boolean).join(': ');
          if (refusesUs(status)) refusal ??= new EsRefused(status, reason);
          rejected.push({ action: a, status, reason: reason || `status ${status}` });
        }
      });
      if (refusal) throw refusal;
      pending = retry;
      pendingLines = retryLines;
      if (pending.length) {
        await this.wait(attempt++, retryCause, retryDetail, control, false);
      }
    }
    return { created, duplicates, rejected };
  }

  private setUnavailable(v: boolean): void {
    if (v === this.unavailable) return;
    this.unavailable = v;
    this.o.onAvailability?.(v);
  }

  /** Capped exponential backoff with full jitter; heartbeats meanwhile; aborts when the pipeline stops. */
  private async wait(attempt: number, cause: RetryCause, detail: string, control: BulkControl, unavailable: boolean): Promise<void> {
    if (unavailable) this.setUnavailable(true);
    // attempt counts from 0 here.
    const ms = backoffDelay(attempt + 1, { initialMs: this.o.initialBackoffMs, maxMs: this.o.maxBackoffMs });
    this.o.onRetry?.(cause, ms, detail);
    const until = Date.now() + ms;
    // A stop abandons the batch only while Elasticsearch is unreachable; a 429 or 5xx item under load is retried
    // so the batch still finishes and commits (the process's shutdown timeout bounds how long that takes).
    const abandon = (): boolean => !control.isRunning() && this.unavailable;
    while (Date.now() < until) {
      if (abandon()) throw new BulkAborted();
      await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
      await control.heartbeat().catch(() => undefined);
    }
    if (abandon()) throw new BulkAborted();
  }
}
