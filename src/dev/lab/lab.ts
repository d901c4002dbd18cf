// Real WireGuard peers for tests and the demo: two network namespaces joined by a veth pair, Debian's
// wireguard-go in each (LOG_LEVEL=debug, logs to a file per end), configured with wireguard-tools to break in
// one known way. Every namespace, link and daemon is removed afterwards, daemons by pid.
//
// wireguard-go's control socket folder (/run/wireguard) is not per namespace; each end gets its own folder
// bind-mounted over it inside `ip netns exec` (whose mount namespace is private), and every `wg` call for
// that end goes through the same wrapper. Private and preshared keys live only in a 0700 folder under /run
// that is deleted at stop; they are never logged.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as runProgram } from '../../shared/util/run.ts';

/** How each scenario breaks the tunnel: the behaviour is data. */
interface Fault {
  /** The server's peer: the client's real key, or some other key. */
  readonly serverPeer: 'client' | 'other';
  /** The client's peer: the server's real key, or some other key. */
  readonly clientPeer: 'server' | 'other';
  /** The port the client aims at (nothing listens on any but 51820). */
  readonly port: number;
  /** Preshared keys: none, the client's only, or one on each side that differ. */
  readonly psk: 'none' | 'client' | 'differ';
  /** AllowedIPs the server has for the client (the client's tunnel address is 10.200.0.2). */
  readonly serverAllows: string;
  /**
   * Through a relay in front of the server (src/dev/lab/udp-relay.ts) that sends the client's first real initiation
   * again this many times once the handshake has completed: replayed initiations.
   */
  readonly replays: number;
  /**
   * Extra clients on the client's host, each its own wireguard-go interface (wg1, wg2, ...) with a random key the
   * server does not know, aimed at the server with PersistentKeepalive, which makes each handshake at once and
   * keep retrying: a bounded burst of invalid initiations.
   */
  readonly strangers: number;
}

const OK: Fault = { serverPeer: 'client', clientPeer: 'server', port: 51820, psk: 'none', serverAllows: '10.200.0.2/32', replays: 0, strangers: 0 };
export const RELAY_PORT = 51821;
const RELAY = fileURLToPath(new URL(`./udp-relay${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export const LAB_FAULTS = {
  'healthy': OK,
  'wrong-server-key': { ...OK, clientPeer: 'other' },
  'server-lacks-client': { ...OK, serverPeer: 'other' },
  'psk': { ...OK, psk: 'client' },
  'psk-differ': { ...OK, psk: 'differ' },
  'allowedips': { ...OK, serverAllows: '10.200.0.99/32' },
  'unreachable': { ...OK, port: 51999 },
  'replay': { ...OK, port: RELAY_PORT, replays: 12 },
  'burst': { ...OK, strangers: 20 },
} as const satisfies Readonly<Record<string, Fault>>;

export type LabScenario = keyof typeof LAB_FAULTS;

/**
 * The end whose log raises the scenario's alert: the client's unanswered handshakes, or the server's rejections
 * (AllowedIPs and replays fail after a working handshake; the burst's strangers are many clients). None for healthy.
 */
export const ALERTING_END: Readonly<Record<LabScenario, 'client' | 'server' | null>> = {
  'healthy': null, 'wrong-server-key': 'client', 'server-lacks-client': 'client', 'psk': 'client', 'psk-differ': 'client',
  'allowedips': 'server', 'unreachable': 'client', 'replay': 'server', 'burst': 'server',
};
export const LAB_SCENARIOS = Object.keys(LAB_FAULTS) as LabScenario[];
export const isLabScenario = (s: string): s is LabScenario => (LAB_SCENARIOS as readonly string[]).includes(s);

/**
 * Underlay 10.99.NET.0/24 (server .1, client .2), or fd99:0:NET::/64 with `ipv6`; tunnel 10.200.0.0/24
 * (server .1, client .2).
 */
export interface LabOptions {
  readonly scenario: LabScenario;
  /** Distinguishes the underlay of labs running side by side (or one after the other). */
  readonly net: number;
  /** An IPv6 underlay: the endpoints, and the addresses in the logs, are IPv6. */
  readonly ipv6?: boolean;
  /** Folder for `<scenario>.server.log` and `<scenario>.client.log`. */
  readonly logDir: string;
}

export interface LabEnd {
  readonly side: 'server' | 'client';
  readonly ns: string;
  /** Host name its lines and snapshots are shipped under: `<scenario>-<side>`. */
  readonly host: string;
  readonly logFile: string;
  readonly underlayIp: string;
  /** argv running `wg ARGS...` for this end: for `collect.command`, e.g. `[...wg, 'show', 'all', 'dump']`. */
  readonly wg: readonly string[];
  readonly publicKey: string;
}

const RUN_ROOT = '/run/wg-siem-lab';
export const SERVER_PORT = 51820;

/** The lab's steps must all succeed: a failed one throws with what the program said. */
export async function run(file: string, args: readonly string[], input?: string, timeoutMs = 15_000): Promise<string> {
  const r = await runProgram(file, args, { timeoutMs, ...(input !== undefined ? { input } : {}) });
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.timedOut ? `no answer within ${timeoutMs} ms` : r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((d) => existsSync(join(d, cmd)));
}

/** Whether the lab can run here; if not, why (for a test's skip message). */
export function labAvailable(): { ok: true } | { ok: false; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'the lab needs Linux network namespaces' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'the lab needs root (network namespaces, wireguard-go)' };
  const missing = ['ip', 'wireguard-go', 'wg', 'ping'].filter((c) => !onPath(c));
  if (missing.length > 0) {
    return { ok: false, why: `missing ${missing.join(', ')}: apt-get install -y --no-install-recommends wireguard-go wireguard-tools iproute2 iputils-ping` };
  }
  if (!existsSync('/dev/net/tun')) return { ok: false, why: '/dev/net/tun is missing' };
  return { ok: true };
}

/** A new private key and its public key (the private one goes nowhere but to a key file for `wg set`). */
export async function keyPair(): Promise<{ priv: string; pub: string }> {
  const priv = (await run('wg', ['genkey'])).trim();
  return { priv, pub: (await run('wg', ['pubkey'], `${priv}\n`)).trim() };
}

/** How wireguard-go names a peer in its log: the first 4 characters of the key, "…", the 4 before the trailing "=". */
export const keyFragment = (pub: string): string => `${pub.slice(0, 4)}\u2026${pub.slice(-5, -1)}`;

/** A 0700 folder for one lab's key files and control sockets, unique per process and call (ids fit interface names). */
export function makeRunDir(): { id: number; runDir: string } {
  const id = (process.pid % 500) * 100 + (runDirs++ % 100);
  const runDir = join(RUN_ROOT, String(id));
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  chmodSync(runDir, 0o700);
  return { id, runDir };
}
let runDirs = 0;

/** Writes a key into the lab's key folder (0600) and returns the file's path, for `wg set ... private-key FILE`. */
export function keyFile(runDir: string, name: string, value: string): string {
  const f = join(runDir, name);
  writeFileSync(f, `${value}\n`, { mode: 0o600 });
  return f;
}

/**
 * One network namespace with its own /run/wireguard (a folder under the lab's run folder, bind-mounted inside
 * `ip netns exec`), the wireguard-go interfaces started in it (logging to one file) and any helper processes.
 * Processes are stopped by pid, then the namespace is deleted.
 */
export class LabHost {
  readonly ns: string;
  readonly logFile: string;
  /** argv running `wg ARGS...` in this namespace. */
  readonly wg: readonly string[];
  private readonly sock: string;
  private readonly daemons: ChildProcess[] = [];
  private created = false;

  constructor(runDir: string, ns: string, logFile: string) {
    this.ns = ns;
    this.logFile = logFile;
    this.sock = join(runDir, ns);
    this.wg = [join(runDir, `wg-${ns}`)];
  }

  /** Adds the namespace (loopback up), its socket folder and its `wg` wrapper. */
  async create(): Promise<void> {
    await run('ip', ['netns', 'add', this.ns]);
    this.created = true;
    await run('ip', ['-n', this.ns, 'link', 'set', 'lo', 'up']);
    mkdirSync(this.sock, { mode: 0o700 });
    // The wrapper every `wg` call of this host goes through (see the top of this file).
    writeFileSync(this.wg[0] ?? '', `#!/bin/sh\nexec ip netns exec ${this.ns} sh -c 'mount --bind "$0" /run/wireguard 2>/dev/null || { mkdir -p /run/wireguard; mount --bind "$0" /run/wireguard; }; exec wg "$@"' ${this.sock} "$@"\n`, { mode: 0o700 });
  }

  /** `wg ARGS...` in this namespace. */
  wgRun(args: readonly string[]): Promise<string> {
    return run(this.wg[0] ?? '', args);
  }

  /** Starts wireguard-go for `iface` (LOG_LEVEL=debug, appending to the host's log file). */
  startDaemon(iface: string): void {
    const fd = openSync(this.logFile, 'a');
    // `ip netns exec` execs sh, which execs wireguard-go: the child's pid is the daemon's, so it is stopped by pid.
    const child = spawn('ip', ['netns', 'exec', this.ns, 'sh', '-c',
      'mount --bind "$0" /run/wireguard 2>/dev/null || { mkdir -p /run/wireguard; mount --bind "$0" /run/wireguard; }; exec wireguard-go "$1"', this.sock, iface], {
      env: { ...process.env, LOG_LEVEL: 'debug', WG_PROCESS_FOREGROUND: '1' }, stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.daemons.push(child);
  }

  /** Runs a helper in the namespace (`ip netns exec` execs it: the child's pid is the helper's), stopped with the daemons. */
  spawnIn(argv: readonly string[]): void {
    this.daemons.push(spawn('ip', ['netns', 'exec', this.ns, ...argv], { stdio: 'ignore' }));
  }

  /** Until each interface's control socket exists; throws if a daemon exited or after the deadline. */
  async waitForSockets(ifaces: readonly string[], deadline = Date.now() + 10_000): Promise<void> {
    for (const iface of ifaces) {
      while (!existsSync(join(this.sock, `${iface}.sock`))) {
        const dead = this.daemons.find((d) => d.exitCode !== null);
        if (dead) throw new Error(`wireguard-go exited (${dead.exitCode ?? '?'}); see ${this.logFile}`);
        if (Date.now() > deadline) throw new Error(`wireguard-go ${iface} in ${this.ns} did not open its control socket within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Stops its processes by pid (SIGTERM, SIGKILL after 2 s), then deletes the namespace. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.daemons.splice(0).map((d) => new Promise<void>((resolve) => {
      if (d.exitCode !== null || d.signalCode !== null) { resolve(); return; }
      const kill = setTimeout(() => d.kill('SIGKILL'), 2000);
      d.once('exit', () => { clearTimeout(kill); resolve(); });
      d.kill('SIGTERM');
    })));
    if (this.created) await run('ip', ['netns', 'del', this.ns]).catch(() => undefined);
    this.created = false;
  }
}

export class Lab {
  readonly scenario: LabScenario;
  readonly server: LabEnd;
  readonly client: LabEnd;
  private readonly runDir: string;
  private readonly hosts: { readonly server: LabHost; readonly client: LabHost };
  private readonly id: number;
  private stopped = false;

  private constructor(o: LabOptions, id: number, runDir: string, keys: { server: string; client: string }) {
    this.scenario = o.scenario;
    this.id = id;
    this.runDir = runDir;
    const end = (side: 'server' | 'client', octet: number, publicKey: string): { end: LabEnd; host: LabHost } => {
      const ns = `wgl${id}${side === 'server' ? 's' : 'c'}`;
      const host = new LabHost(runDir, ns, join(o.logDir, `${o.scenario}.${side}.log`));
      return {
        host,
        end: {
          side, ns, host: `${o.scenario}-${side}`, logFile: host.logFile,
          underlayIp: o.ipv6 ? `fd99:0:${o.net.toString(16)}::${octet}` : `10.99.${o.net}.${octet}`, wg: host.wg, publicKey,
        },
      };
    };
    const s = end('server', 1, keys.server);
    const c = end('client', 2, keys.client);
    this.server = s.end;
    this.client = c.end;
    this.hosts = { server: s.host, client: c.host };
  }

  /** Brings both ends up, configured for the scenario; on any failure, removes what it created and throws. */
  static async start(o: LabOptions): Promise<Lab> {
    const avail = labAvailable();
    if (!avail.ok) throw new Error(avail.why);
    if (!Number.isInteger(o.net) || o.net < 0 || o.net > 255) throw new Error(`net must be 0-255, not ${o.net}`);
    const { id, runDir } = makeRunDir();
    mkdirSync(o.logDir, { recursive: true });
    const server = await keyPair();
    const client = await keyPair();
    const other = await keyPair();
    const lab = new Lab(o, id, runDir, { server: server.pub, client: client.pub });
    try {
      await lab.bringUp(o, { server: server.priv, client: client.priv }, other.pub);
    } catch (e) {
      await lab.stop();
      throw e;
    }
    return lab;
  }

  private async bringUp(o: LabOptions, priv: { server: string; client: string }, otherPub: string): Promise<void> {
    const { server: s, client: c } = this;
    const { server: hs, client: hc } = this.hosts;
    const veth = { s: `v${this.id}s`, c: `v${this.id}c` };
    await hs.create();
    await hc.create();
    await run('ip', ['link', 'add', veth.s, 'netns', s.ns, 'type', 'veth', 'peer', 'name', veth.c, 'netns', c.ns]);
    for (const [e, h, dev] of [[s, hs, veth.s], [c, hc, veth.c]] as const) {
      // nodad: an IPv6 address is usable at once instead of after duplicate address detection.
      await run('ip', ['-n', e.ns, 'addr', 'add', ...(o.ipv6 ? [`${e.underlayIp}/64`, 'dev', dev, 'nodad'] : [`${e.underlayIp}/24`, 'dev', dev])]);
      await run('ip', ['-n', e.ns, 'link', 'set', dev, 'up']);
      h.startDaemon('wg0');
    }
    const strangers = Array.from({ length: LAB_FAULTS[o.scenario].strangers }, (_, i) => `wg${i + 1}`);
    for (const iface of strangers) hc.startDaemon(iface);
    const deadline = Date.now() + 10_000;
    await hs.waitForSockets(['wg0'], deadline);
    await hc.waitForSockets(['wg0', ...strangers], deadline);
    const keyFileOf = (name: string, value: string): string => keyFile(this.runDir, name, value);
    const fault: Fault = LAB_FAULTS[o.scenario];
    const psk = async (name: string): Promise<string[]> => ['preshared-key', keyFileOf(name, (await run('wg', ['genpsk'])).trim())];
    const serverPsk = fault.psk === 'differ' ? await psk('psk-server') : [];
    const clientPsk = fault.psk === 'none' ? [] : await psk('psk');
    const endpoint = o.ipv6 ? `[${s.underlayIp}]:${fault.port}` : `${s.underlayIp}:${fault.port}`;
    if (fault.replays > 0) hs.spawnIn(relayArgv(s.underlayIp, RELAY_PORT, s.underlayIp, SERVER_PORT, fault.replays));
    await hs.wgRun(['set', 'wg0', 'private-key', keyFileOf('ks', priv.server), 'listen-port', String(SERVER_PORT),
      'peer', fault.serverPeer === 'client' ? c.publicKey : otherPub, ...serverPsk, 'allowed-ips', fault.serverAllows]);
    await hc.wgRun(['set', 'wg0', 'private-key', keyFileOf('kc', priv.client),
      'peer', fault.clientPeer === 'server' ? s.publicKey : otherPub, ...clientPsk, 'allowed-ips', '10.200.0.1/32', 'endpoint', endpoint]);
    for (const [e, addr] of [[s, '10.200.0.1/24'], [c, '10.200.0.2/24']] as const) {
      await run('ip', ['-n', e.ns, 'addr', 'add', addr, 'dev', 'wg0']);
      await run('ip', ['-n', e.ns, 'link', 'set', 'wg0', 'up']);
    }
    for (const [i, iface] of strangers.entries()) {
      // Their keys go nowhere but to wireguard-go: generated into the key folder and deleted with it.
      await hc.wgRun(['set', iface, 'private-key', keyFileOf(`kx${i}`, (await run('wg', ['genkey'])).trim()),
        'peer', s.publicKey, 'allowed-ips', `10.201.${i}.0/24`, 'endpoint', endpoint, 'persistent-keepalive', '25']);
      await run('ip', ['-n', c.ns, 'link', 'set', iface, 'up']);
    }
  }

  /** The private and preshared keys in use, for tests that prove none of them reached Kafka or Elasticsearch. */
  secrets(): string[] {
    const names = ['ks', 'kc', 'psk', 'psk-server', ...Array.from({ length: 100 }, (_, i) => `kx${i}`)];
    return names.map((f) => join(this.runDir, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8').trim());
  }

  /** Pings through the tunnel from the client for `seconds` (one per second): traffic makes the client handshake and retry. */
  async traffic(seconds: number): Promise<void> {
    await pingFrom(this.client.ns, '10.200.0.1', seconds);
  }

  /** Stops the daemons (by pid), deletes the namespaces and the key folder. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([this.hosts.server.stop(), this.hosts.client.stop()]);
    rmSync(this.runDir, { recursive: true, force: true });
  }
}

/** Pings `target` from namespace `ns` for `seconds`, one a second; an unanswered ping is not an error. */
export async function pingFrom(ns: string, target: string, seconds: number): Promise<void> {
  await run('ip', ['netns', 'exec', ns, 'ping', '-q', '-c', String(seconds), '-w', String(seconds), '-i', '1', '-W', '1', target], undefined, seconds * 1000 + 10_000).catch(() => undefined);
}

/** argv of the replay relay (src/dev/lab/udp-relay.ts) for LabHost.spawnIn, run by this same node. */
export function relayArgv(listenIp: string, listenPort: number, targetIp: string, targetPort: number, replays: number): string[] {
  return [process.execPath, RELAY, listenIp, String(listenPort), targetIp, String(targetPort), String(replays)];
}
