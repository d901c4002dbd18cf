// Benchmark corpora. The kernel mix follows ../shared/bench/gen_corpus.py (the same weights and forms: about
// half failures, 15 % IPv6 endpoints, 5 % unrelated kernel noise) so a C parser can be timed on the same lines;
// when that script is present it is used itself. The journald-JSON and wireguard-go mixes are our own.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

/** Deterministic PRNG (mulberry32) so a corpus is the same for a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function kernelLines(n: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo));
  const ip = (): string => (r() < 0.15
    ? `[2001:db8:${int(0, 65536).toString(16)}::${int(0, 65536).toString(16)}]:${int(1024, 65535)}/0%0`
    : `${pick([192, 198, 203])}.${pick([0, 51, 113])}.${int(0, 256)}.${int(0, 256)}:${int(1024, 65535)}`);
  const msgs: [number, () => string][] = [
    [40, () => `Invalid handshake initiation from ${ip()}`],
    [10, () => `Invalid MAC of handshake, dropping packet from ${ip()}`],
    [15, () => `Receiving handshake initiation from peer ${int(1, 500)} (${ip()})`],
    [10, () => `Sending handshake response to peer ${int(1, 500)} (${ip()})`],
    [10, () => `Keypair ${int(1, 100000)} created for peer ${int(1, 500)}`],
    [5, () => `Sending keepalive packet to peer ${int(1, 500)} (${ip()})`],
    [5, () => `Handshake for peer ${int(1, 500)} (${ip()}) did not complete after 5 seconds, retrying (try ${int(2, 21)})`],
  ];
  const noise = ['IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready', 'device eth0 entered promiscuous mode',
    'nf_conntrack: default automatic helper assignment has been turned off for security reasons'];
  const total = msgs.reduce((a, [w]) => a + w, 0) + 5;
  const out: string[] = [];
  let up = 265;
  for (let i = 0; i < n; i++) {
    const t = new Date((1700000000 + Math.floor(i / 50)) * 1000);
    up += 0.02;
    const ts = `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2)} ${t.toISOString().slice(11, 19)}`;
    let x = r() * total;
    let body = pick(noise);
    for (const [w, f] of msgs) { if (x < w) { body = `wireguard: ${pick(['wg0', 'wg1'])}: ${f()}`; break; } x -= w; }
    out.push(`${ts} ${pick(['gw1', 'gw2', 'edge-fra-3'])} kernel: [${up.toFixed(6).padStart(12)}] ${body}`);
  }
  return out;
}

/** The kernel mix, written to `file`: by ../shared/bench/gen_corpus.py when present, else by our port of it. */
export function writeKernelCorpus(file: string, n: number, seed = 7): 'gen_corpus.py' | 'built-in' {
  const py = '../shared/bench/gen_corpus.py';
  if (existsSync(py)) {
    const r = spawnSync('python3', [py, String(n), String(seed)], { maxBuffer: 1 << 30 });
    if (r.status === 0) { writeFileSync(file, r.stdout); return 'gen_corpus.py'; }
  }
  writeFileSync(file, `${kernelLines(n, seed).join('\n')}\n`);
  return 'built-in';
}

/** journalctl -o json records of kernel WireGuard lines (MESSAGE as text, 1 in 10 as a byte array). */
export function journaldLines(n: number, seed = 11): string[] {
  const r = rng(seed);
  return kernelLines(n, seed + 1).map((line, i) => {
    const msg = line.slice(line.indexOf('] ') + 2);
    const rec: Record<string, unknown> = {
      __REALTIME_TIMESTAMP: String(1700000000000000 + i * 20000), _HOSTNAME: `gw${1 + Math.floor(r() * 3)}`, _TRANSPORT: 'kernel',
      SYSLOG_IDENTIFIER: 'kernel', SYSLOG_FACILITY: '0', PRIORITY: msg.startsWith('wireguard') ? '7' : '6',
      MESSAGE: i % 10 === 0 ? [...Buffer.from(msg, 'utf8')] : msg, _BOOT_ID: '4f1c7a9e0c8d4e7fa3b2c1d0e9f8a7b6',
    };
    return JSON.stringify(rec);
  });
}

/** wireguard-go stdout lines: handshakes, failures as in the lab, peer-scoped and not. */
export function wireguardGoLines(n: number, seed = 13): string[] {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo));
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const frag = (): string => `${Array.from({ length: 4 }, () => b64[int(0, 64)]).join('')}\u2026${Array.from({ length: 4 }, () => b64[int(0, 64)]).join('')}`;
  const ep = (): string => (r() < 0.15 ? `[2001:db8::${int(1, 65535).toString(16)}]:${int(1024, 65535)}` : `10.99.${int(0, 256)}.${int(1, 255)}:${int(1024, 65535)}`);
  const bodies: [number, () => string][] = [
    [25, () => `Received invalid initiation message from ${ep()}`],
    [15, () => 'Received packet with invalid mac1'],
    [10, () => `peer(${frag()}) - Received handshake initiation`],
    [10, () => `peer(${frag()}) - Sending handshake response`],
    [10, () => `peer(${frag()}) - Sending handshake initiation`],
    [10, () => `peer(${frag()}) - Handshake did not complete after 5 seconds, retrying (try ${int(2, 21)})`],
    [5, () => `Received invalid response message from ${ep()}`],
    [5, () => `IPv4 packet with disallowed source address from peer(${frag()})`],
    [5, () => `peer(${frag()}) - Receiving keepalive packet`],
    [5, () => `peer(${frag()}) - Sending keepalive packet`],
  ];
  const total = bodies.reduce((a, [w]) => a + w, 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let x = r() * total;
    let body = '';
    for (const [w, f] of bodies) { if (x < w) { body = f(); break; } x -= w; }
    const t = new Date((1700000000 + Math.floor(i / 50)) * 1000).toISOString();
    out.push(`DEBUG: (wg${int(0, 2)}) ${t.slice(0, 10).replace(/-/g, '/')} ${t.slice(11, 19)} ${body}`);
  }
  return out;
}
