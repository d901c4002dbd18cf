import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { startHttpServer } from '../../../../src/shared/telemetry/http.ts';
import type { HttpServerOptions, ReadyReport, TelemetryServer } from '../../../../src/shared/telemetry/http.ts';
import { createLogger } from '../../../../src/shared/telemetry/logger.ts';
import { createMetrics } from '../../../../src/shared/telemetry/metrics.ts';

const SECRET = 'readyz-S3cret-value';
const lines: string[] = [];
// A logger that knows SECRET as a configuration secret, as `wg-siem run` would.
const log: Logger = createLogger({ 'log.level': 'debug', 'elasticsearch.password': SECRET }, { destination: { write: (s: string) => { lines.push(s); } } });
const metrics = createMetrics();
metrics.recordsIn.inc({ topic: 'wireguard.logs' }, 9);

const servers: TelemetryServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

async function serve(o: Partial<HttpServerOptions> = {}): Promise<string> {
  const s = await startHttpServer({ host: '127.0.0.1', port: 'ephemeral', metrics, log, ready: ok, ...o });
  servers.push(s);
  assert.ok(s.url !== null && s.address !== null);
  assert.ok(s.address.port > 0);
  return s.url;
}

const ok = (): Promise<ReadyReport> => Promise.resolve({ ok: true, checks: { kafka: { ok: true }, elasticsearch: { ok: true, detail: 'green' } } });

interface Answer { readonly status: number; readonly type: string | null; readonly body: string; readonly headers: Headers }

async function get(url: string, init?: RequestInit): Promise<Answer> {
  const r = await fetch(url, init);
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text(), headers: r.headers };
}

test('GET /healthz: 200 {"status":"ok"}', async () => {
  const url = await serve();
  const r = await get(`${url}/healthz`);
  assert.equal(r.status, 200);
  assert.match(r.type ?? '', /^application\/json/);
  assert.deepEqual(JSON.parse(r.body), { status: 'ok' });
});

test('GET /readyz: 200 and every check when ready', async () => {
  const url = await serve();
  const r = await get(`${url}/readyz`);
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { status: 'ready', checks: { kafka: { ok: true }, elasticsearch: { ok: true, detail: 'green' } } });
});

test('GET /readyz: 503 listing each check with its detail when not ready (secrets scrubbed)', async () => {
  const url = await serve({
    ready: () => Promise.resolve({
      ok: false,
      checks: {
        kafka: { ok: true, detail: 'connected' },
        elasticsearch: { ok: false, detail: `connect ECONNREFUSED https://elastic:${SECRET}@127.0.0.1:9200` },
        'consumer-not-stalled': { ok: false, detail: 'no progress for 180 s with lag 5000' },
      },
    }),
  });
  const r = await get(`${url}/readyz`);
  assert.equal(r.status, 503);
  assert.deepEqual(JSON.parse(r.body), {
    status: 'not ready',
    checks: {
      kafka: { ok: true, detail: 'connected' },
      elasticsearch: { ok: false, detail: 'connect ECONNREFUSED https://elastic:[redacted]@127.0.0.1:9200' },
      'consumer-not-stalled': { ok: false, detail: 'no progress for 180 s with lag 5000' },
    },
  });
});

test('GET /readyz: a failed check means 503 even if the report claims ok', async () => {
  const url = await serve({ ready: () => Promise.resolve({ ok: true, checks: { kafka: { ok: false, detail: 'no brokers' } } }) });
  assert.equal((await get(`${url}/readyz`)).status, 503);
});

test('GET /readyz: ready() throwing or rejecting gives 503 with the error message, and the server goes on', async () => {
  const throwing = await serve({ ready: () => { throw new Error(`es auth failed with ${SECRET}`); } });
  const r = await get(`${throwing}/readyz`);
  assert.equal(r.status, 503);
  assert.deepEqual(JSON.parse(r.body), { status: 'not ready', error: 'es auth failed with [redacted]', checks: {} });
  const rejecting = await serve({ ready: () => Promise.reject(new TypeError('kafka metadata request failed')) });
  const r2 = await get(`${rejecting}/readyz`);
  assert.equal(r2.status, 503);
  assert.equal((JSON.parse(r2.body) as { error: string }).error, 'kafka metadata request failed');
  assert.equal((await get(`${throwing}/healthz`)).status, 200);
  assert.ok(!lines.join('').includes(SECRET));
});

test('GET /readyz: ready() that never answers gives 503 after readyTimeoutMs', async () => {
  const url = await serve({ ready: () => new Promise<ReadyReport>(() => undefined), readyTimeoutMs: 50 });
  const r = await get(`${url}/readyz`);
  assert.equal(r.status, 503);
  assert.match(r.body, /did not answer within 50 ms/);
});

test('GET /metrics: Prometheus text format with the registry\'s content type', async () => {
  const url = await serve();
  const r = await get(`${url}/metrics`);
  assert.equal(r.status, 200);
  assert.equal(r.type, metrics.registry.contentType);
  assert.match(r.type ?? '', /^text\/plain; version=0\.0\.4; charset=utf-8$/);
  assert.match(r.body, /^# TYPE wg_siem_records_in_total counter$/m);
  assert.match(r.body, /^wg_siem_records_in_total\{topic="wireguard.logs"\} 9$/m);
  assert.match(r.body, /^process_cpu_user_seconds_total /m);
  assert.equal((await get(`${url}/metrics?name[]=x`)).status, 200, 'a query string does not change the route');
});

test('GET /metrics: a collector that throws gives 500, not a crash', async () => {
  const registry = new Registry();
  new Gauge({ name: 'broken', help: 'throws on collect', registers: [registry], collect() { throw new Error('collector broke'); } });
  const url = await serve({ metrics: { registry } });
  const r = await get(`${url}/metrics`);
  assert.equal(r.status, 500);
  assert.match(r.body, /collector broke/);
  assert.equal((await get(`${url}/healthz`)).status, 200);
});

test('unknown paths are 404, other methods than GET 405 with Allow, HEAD is GET without a body', async () => {
  const url = await serve();
  for (const p of ['/', '/nope', '/healthz/', '/metrics/x']) assert.equal((await get(`${url}${p}`)).status, 404, p);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const r = await get(`${url}/metrics`, { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  }
  const head = await get(`${url}/healthz`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('a malformed request gets 400 and the server keeps serving', async () => {
  const url = await serve();
  const { port } = new URL(url);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => { socket.write('THIS IS NOT HTTP\r\n\r\n'); });
    let got = '';
    socket.on('data', (d: Buffer) => { got += d.toString('latin1'); });
    socket.on('end', () => { resolve(got); });
    socket.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.1 400 Bad Request/);
  // A client that disconnects mid-request.
  await new Promise<void>((resolve) => {
    const req = request(`${url}/metrics`, { method: 'GET' });
    req.on('error', () => { resolve(); });
    req.on('socket', (s) => { s.on('connect', () => { req.destroy(); resolve(); }); });
    req.end();
  });
  assert.equal((await get(`${url}/healthz`)).status, 200);
});

test('port 0 means no endpoint; close() resolves; a taken port is an error at start', async () => {
  const none = await startHttpServer({ host: '127.0.0.1', port: 0, metrics, log, ready: ok });
  assert.equal(none.address, null);
  assert.equal(none.url, null);
  await none.close();

  const s = await startHttpServer({ host: '127.0.0.1', port: 'ephemeral', metrics, log, ready: ok });
  assert.ok(s.address);
  await assert.rejects(startHttpServer({ host: '127.0.0.1', port: s.address.port, metrics, log, ready: ok }), { code: 'EADDRINUSE' });
  // A keep-alive connection (fetch keeps them) must not hold close() open.
  assert.equal((await get(`${s.url ?? ''}/healthz`)).status, 200);
  await s.close();
  await s.close();
  await assert.rejects(fetch(`${s.url ?? ''}/healthz`));
  await assert.rejects(startHttpServer({ host: '127.0.0.1', port: 70000, metrics, log, ready: ok }), RangeError);
});
