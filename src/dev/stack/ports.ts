import { createConnection, createServer } from 'node:net';

function listenOn(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(null));
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : null;
      srv.close(() => resolve(got));
    });
  });
}

/** The first of the preferred ports that is free, else one the kernel hands out; never one in `avoid`. */
export async function pickPort(preferred: number | readonly (number | undefined)[], avoid: ReadonlySet<number>): Promise<number> {
  for (const p of typeof preferred === 'number' ? [preferred] : preferred) {
    if (p !== undefined && !avoid.has(p) && (await listenOn(p)) !== null) return p;
  }
  for (let i = 0; i < 20; i++) {
    const p = await listenOn(0);
    if (p !== null && !avoid.has(p)) return p;
  }
  throw new Error(`no free TCP port found on 127.0.0.1 (wanted ${String(preferred)})`);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
