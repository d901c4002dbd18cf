// /healthz, /readyz and /metrics. Deliberately plain node:http: three fixed routes do not justify a framework,
// and this server must keep answering while the rest of the process is in trouble.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import { logError } from './errors.ts';
import type { Metrics } from './metrics.ts';
import { scrubText } from './secrets.ts';

export interface ReadyCheck {
  readonly ok: boolean;
  readonly detail?: string;
}

/** What `ready()` reports; the same shape as the pipeline's Readiness. */
export interface ReadyReport {
  readonly ok: boolean;
  readonly checks: Readonly<Record<string, ReadyCheck>>;
}

export interface HttpServerOptions {
  readonly host: string;
  /** `http.port`; 0 means no endpoint at all (as documented for the key), 'ephemeral' any free port (tests). */
  readonly port: number | 'ephemeral';
  readonly metrics: Pick<Metrics, 'registry'>;
  readonly ready: () => Promise<ReadyReport>;
  readonly log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** /readyz answers 503 when ready() takes longer than this. Default 5000 ms. */
  readonly readyTimeoutMs?: number;
}

export interface TelemetryServer {
  /** Where it listens; null when `port` was 0. */
  readonly address: AddressInfo | null;
  /** `http://host:port`, or null when not listening. */
  readonly url: string | null;
  /** Stops listening; resolves once the server is closed (open keep-alive connections included). */
  close(): Promise<void>;
}

// A kubelet or Prometheus probe typically gives up after 1-10 s; a later answer is worth nothing to it.
const DEFAULT_READY_TIMEOUT_MS = 5000;
// In-flight requests get this long to finish on close() before their connections are cut.
const CLOSE_GRACE_MS = 2000;

type Route = (o: HttpServerOptions) => Promise<Reply>;

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/healthz', () => Promise.resolve(json(200, { status: 'ok' }))],
  ['/readyz', readyz],
  ['/metrics', async (o) => ({ status: 200, contentType: o.metrics.registry.contentType, body: await o.metrics.registry.metrics() })],
]);

export async function startHttpServer(o: HttpServerOptions): Promise<TelemetryServer> {
  if (o.port === 0) {
    o.log.info({}, 'http.port is 0: no /healthz, /readyz or /metrics endpoint');
    return { address: null, url: null, close: () => Promise.resolve() };
  }
  if (o.port !== 'ephemeral' && !(Number.isInteger(o.port) && o.port > 0 && o.port <= 65535)) {
    throw new RangeError(`http.port: ${o.port} is not a TCP port`);
  }
  const server = createServer((req, res) => { respond(o, req, res); });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => { onClientError(o, err, socket); });
  await listen(server, o.host, o.port === 'ephemeral' ? 0 : o.port);
  // An 'error' event with no listener would take the whole process down with the endpoint.
  server.on('error', (e) => { o.log.error(logError(e), 'telemetry endpoint error'); });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  o.log.info({ url: { full: url } }, 'serving /healthz, /readyz and /metrics');
  let closing: Promise<void> | undefined;
  return {
    address,
    url,
    close: () => (closing ??= closeServer(server)),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => { reject(e); };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const cut = setTimeout(() => { server.closeAllConnections(); }, CLOSE_GRACE_MS);
    cut.unref();
    server.close((e) => {
      clearTimeout(cut);
      if (e) reject(e); else resolve();
    });
    // Idle keep-alive connections (a Prometheus scraper's) would otherwise hold close() open.
    server.closeIdleConnections();
  });
}

function respond(o: HttpServerOptions, req: IncomingMessage, res: ServerResponse): void {
  const t0 = performance.now();
  route(o, req)
    .catch((e: unknown): Reply => {
      o.log.error({ ...logError(e), url: { path: pathOf(req) } }, 'telemetry endpoint failed');
      return json(500, { status: 'error', error: logError(e).error.message });
    })
    .then((reply) => {
      send(res, reply);
      o.log.debug({
        http: { request: { method: req.method }, response: { status_code: reply.status } },
        url: { path: pathOf(req) },
        event: { duration: Math.round((performance.now() - t0) * 1e6) },
      }, 'telemetry request');
    })
    .catch((e: unknown) => {
      // Writing failed (the client is gone); nothing left to tell it.
      o.log.debug(logError(e), 'telemetry response not delivered');
      res.destroy();
    });
}

async function route(o: HttpServerOptions, req: IncomingMessage): Promise<Reply> {
  const handler = ROUTES.get(pathOf(req));
  if (handler === undefined) return json(404, { status: 'not found', routes: [...ROUTES.keys()] });
  // HEAD is GET without the body (node omits it); anything that would change state is not on offer.
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...json(405, { status: 'method not allowed' }), headers: { Allow: 'GET, HEAD' } };
  return handler(o);
}

async function readyz(o: HttpServerOptions): Promise<Reply> {
  let report: ReadyReport;
  try {
    report = await withTimeout(o.ready(), o.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  } catch (e) {
    const error = logError(e).error.message;
    o.log.warn(logError(e), 'readiness check failed');
    return json(503, { status: 'not ready', error, checks: {} });
  }
  const checks: Record<string, ReadyCheck> = {};
  for (const [name, c] of Object.entries(report.checks)) {
    // A check's detail is often a client error message, which may quote a URL with credentials.
    checks[name] = c.detail === undefined ? { ok: c.ok } : { ok: c.ok, detail: scrubText(c.detail) };
  }
  const ok = report.ok && Object.values(report.checks).every((c) => c.ok);
  return json(ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`readiness check did not answer within ${ms} ms`)); }, ms);
  });
  return Promise.race([p, timeout]).finally(() => { clearTimeout(timer); });
}

function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  res.setHeader('Content-Type', reply.contentType);
  res.setHeader('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.end(reply.body);
}

function json(status: number, body: unknown): Reply {
  return { status, contentType: JSON_TYPE, body: `${JSON.stringify(body)}\n` };
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function onClientError(o: HttpServerOptions, err: NodeJS.ErrnoException, socket: Socket): void {
  o.log.debug(logError(err), 'malformed telemetry request');
  if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
  socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}
