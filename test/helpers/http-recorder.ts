// A real HTTP server on 127.0.0.1 that records every request it receives and answers as a test scripts it:
// a queue of replies consumed one per request (then a fallback), where a reply may also be 'hang' — no answer
// until release() or close(), to exercise client timeouts and a blocked receiver.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly body: unknown;
  /** performance.now() when the body had been read. */
  readonly at: number;
}

export type Reply =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  | 'hang';

const ACCEPTED: Reply = { status: 202, headers: { 'content-type': 'application/json' }, body: '{"status":"success","message":"Event processed"}' };

export class HttpRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly queue: Reply[] = [];
  private fallback: Reply = ACCEPTED;
  private readonly hanging = new Set<ServerResponse>();
  private waiters: { n: number; resolve: () => void }[] = [];
  private address = '';

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body, at: performance.now() });
        this.answer(res, this.queue.shift() ?? this.fallback);
        this.waiters = this.waiters.filter((w) => {
          if (this.requests.length < w.n) return true;
          w.resolve();
          return false;
        });
      });
    });
  }

  static async start(): Promise<HttpRecorder> {
    const r = new HttpRecorder();
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    r.address = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
    return r;
  }

  /** Base URL, e.g. http://127.0.0.1:40123; `path` is appended. */
  url(path = '/'): string {
    return `${this.address}${path}`;
  }

  /** Replies for the next requests, in order. */
  reply(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The reply once the scripted ones are used up (202 by default). */
  otherwise(reply: Reply): this {
    this.fallback = reply;
    return this;
  }

  /** Answers every request left hanging so far. */
  release(reply: Reply = ACCEPTED): void {
    for (const res of this.hanging) this.answer(res, reply === 'hang' ? ACCEPTED : reply);
    this.hanging.clear();
  }

  /** Resolves once at least n requests have been received. */
  waitFor(n: number, timeoutMs = 5000): Promise<RecordedRequest[]> {
    if (this.requests.length >= n) return Promise.resolve(this.requests);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`expected ${n} requests within ${timeoutMs} ms, got ${this.requests.length}`)), timeoutMs);
      this.waiters.push({ n, resolve: () => { clearTimeout(t); resolve(this.requests); } });
    });
  }

  /** JSON bodies received so far, typed as the test expects them. */
  bodies<T>(): T[] {
    return this.requests.map((r) => r.body as T);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(res: ServerResponse, reply: Reply): void {
    if (reply === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body ?? '');
  }
}
