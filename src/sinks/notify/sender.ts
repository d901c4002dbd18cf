// Delivers one target's requests strictly in order with one in flight, so a resolve can never overtake its
// trigger. A failing head of the queue is retried before anything behind it moves; the queue bound (Outbox)
// is what keeps that from growing without limit.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { BoundedLru } from '../../shared/util/lru.ts';
import { Outbox } from './outbox.ts';
import { keyOf } from './outgoing.ts';
import type { Format, Outgoing, PreparedRequest } from './outgoing.ts';
import { retryableStatus } from '../../shared/net/http-status.ts';
import { backoffDelay } from '../../shared/util/backoff.ts';
import { parseRetryAfter } from './retry.ts';
import { ALERT_MEMORY } from './types.ts';
import type { Backoff, FailReason, NotifierHooks, NotifyTarget, SuppressReason } from './types.ts';

export interface SenderOptions {
  readonly target: NotifyTarget;
  readonly url: string;
  readonly format: Format;
  /** Values never to appear in a log line (routing key, token), even when a server echoes them. */
  readonly secrets: readonly string[];
  readonly queueSize: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly backoff: Backoff;
  readonly log: Logger;
  readonly hooks: NotifierHooks;
  readonly now: () => number;
  /** The number of waiting requests changed. */
  readonly onDepth: () => void;
}

type Attempt =
  | { readonly ok: true }
  | { readonly ok: false; readonly retry: boolean; readonly reason: string; readonly retryAfterMs?: number };

const DETAIL_MAX = 300;

export class Sender {
  readonly target: NotifyTarget;
  private readonly o: SenderOptions;
  private readonly outbox: Outbox;
  /** Alerts whose trigger this target never got (folded, refused, given up): their resolve is not sent either. */
  private readonly unsent = new BoundedLru<string, SuppressReason>(ALERT_MEMORY);
  private readonly abort = new AbortController();
  private busy = false;
  private inFlight: Outgoing | undefined;
  private scheduled = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(o: SenderOptions) {
    this.o = o;
    this.target = o.target;
    this.outbox = new Outbox(o.queueSize);
  }

  get waiting(): number {
    return this.outbox.length;
  }

  /** Queues without waiting; returns the trigger the bound made it drop (the caller folds it). */
  enqueue(x: Outgoing): (Outgoing & { kind: 'trigger' }) | undefined {
    if (this.closed) return undefined;
    // Settled here, not only at sending, so resolves of folded triggers do not take the room of real pages.
    if (x.kind === 'resolve' && this.skipResolve(x.n.alertId)) return undefined;
    const dropped = this.outbox.push(x);
    this.schedule();
    return dropped;
  }

  /** Requests of that kind waiting (not in flight). */
  waitingOf(kind: Outgoing['kind']): number {
    return this.outbox.count(kind);
  }

  /** Whether this target did not get the alert's trigger (folded, refused, given up). */
  isUnsent(alertId: string): boolean {
    return this.unsent.has(alertId);
  }

  /** This target will not get the alert's trigger, so its resolve must not be sent here either. */
  markUnsent(alertId: string, reason: SuppressReason): void {
    this.unsent.set(alertId, reason);
  }

  idle(): Promise<void> {
    if (this.closed || (!this.busy && !this.scheduled && this.outbox.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops for good: aborts the request in flight and returns it with the requests still waiting. */
  close(): Outgoing[] {
    this.closed = true;
    this.abort.abort();
    const left = this.outbox.clear();
    if (this.inFlight !== undefined) left.unshift(this.inFlight);
    this.inFlight = undefined;
    this.wake();
    return left;
  }

  /** A resolve whose trigger this target never got (folded or given up on), whichever came first. */
  private skipResolve(alertId: string): boolean {
    const reason = this.unsent.get(alertId);
    if (reason === undefined) return false;
    this.unsent.delete(alertId);
    this.o.hooks.suppressed(reason);
    return true;
  }

  private schedule(): void {
    if (this.busy || this.scheduled || this.closed) return;
    this.scheduled = true;
    // Sending starts on a later turn of the event loop: the caller of notify() must not pay for fetch().
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      for (let x = this.outbox.shift(); x !== undefined && !this.closed; x = this.outbox.shift()) {
        this.o.onDepth();
        if (x.kind === 'resolve' && this.skipResolve(x.n.alertId)) continue;
        this.inFlight = x;
        await this.deliver(x);
        this.inFlight = undefined;
      }
    } catch (e) {
      this.o.log.error({ target: this.target, err: this.scrub(String(e)) }, 'paging sender stopped unexpectedly');
    } finally {
      this.busy = false;
      this.wake();
    }
  }

  private wake(): void {
    if (!this.closed && (this.busy || this.scheduled || this.outbox.length > 0)) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  private async deliver(x: Outgoing): Promise<void> {
    const action = x.kind;
    const ctx = { target: this.target, action, key: keyOf(x) };
    let req: PreparedRequest;
    try {
      req = this.o.format(x, this.o.now());
    } catch (e) {
      this.giveUp(x, 'invalid', { ...ctx, err: this.scrub(String(e)) }, 'page could not be serialised; not sent');
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const r = await this.attempt(req);
      // close() reported it already.
      if (this.closed) return;
      if (r.ok) {
        this.o.hooks.sent(this.target, action);
        this.o.log.debug({ ...ctx, attempt }, 'page delivered');
        return;
      }
      if (!r.retry) {
        this.giveUp(x, 'rejected', { ...ctx, attempt, reason: r.reason }, 'page refused; not retried');
        return;
      }
      if (attempt >= this.o.maxAttempts) {
        this.giveUp(x, 'exhausted', { ...ctx, attempt, reason: r.reason }, 'page not delivered; attempts exhausted');
        return;
      }
      const waitMs = Math.round(r.retryAfterMs ?? backoffDelay(attempt, this.o.backoff));
      this.o.log.warn({ ...ctx, attempt, reason: r.reason, waitMs }, 'page not delivered; retrying');
      try {
        await sleep(waitMs, undefined, { signal: this.abort.signal, ref: false });
      } catch {
        return;
      }
    }
  }

  private giveUp(x: Outgoing, reason: FailReason, fields: Record<string, unknown>, msg: string): void {
    this.o.hooks.failed(this.target, reason);
    this.o.log.error(fields, msg);
    if (x.kind === 'trigger') this.unsent.set(x.n.alertId, 'not-triggered');
  }

  private async attempt(req: PreparedRequest): Promise<Attempt> {
    try {
      const res = await fetch(this.o.url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), this.abort.signal]),
      });
      // Read to the end either way, so the connection goes back to the pool.
      const text = await res.text().catch(() => '');
      if (res.ok) return { ok: true };
      const reason = `HTTP ${res.status}${text ? `: ${this.scrub(text.slice(0, DETAIL_MAX))}` : ''}`;
      if (!retryableStatus(res.status)) return { ok: false, retry: false, reason };
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
      return { ok: false, retry: true, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    } catch (e) {
      if (e instanceof Error && e.name === 'TimeoutError') return { ok: false, retry: true, reason: `timeout after ${this.o.timeoutMs} ms` };
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : '';
      const what = e instanceof Error ? e.message : String(e);
      return { ok: false, retry: true, reason: this.scrub(`network error: ${what}${cause ? ` (${cause})` : ''}`) };
    }
  }

  private scrub(s: string): string {
    let out = s;
    for (const secret of this.o.secrets) if (secret) out = out.replaceAll(secret, '[redacted]');
    return out;
  }
}
