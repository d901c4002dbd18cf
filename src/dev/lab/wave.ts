// The concurrency wave: many real wireguard-go tunnels failing at the same moments in different ways, the way a
// fleet does after a bad rollout. Two servers, each ONE wireguard-go interface (wg0) with a peer per client, as a
// real server has; a client namespace per tunnel, several per server; all on one bridged underlay
// (10.99.NET.0/24, a hub namespace holding the bridge). Built from lab.ts's blocks (LabHost, keys, relay);
// everything is removed afterwards, processes by pid and namespaces by name.
//
// The faults are data (WAVE_TUNNELS); each tunnel also says the root cause (src/correlate/diagnose/root-causes.ts) a correct
// diagnosis states for it, so a test can tell a right cause from a false one.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  LabHost, RELAY_PORT, SERVER_PORT, keyFile, keyFragment, keyPair, labAvailable, makeRunDir, pingFrom, relayArgv, run,
} from './lab.ts';

export type WaveFault =
  | 'healthy'
  /** The client's [Peer] PublicKey is a key no server has. */
  | 'wrong-server-key'
  /** The server's peer for this client is another (stale) key: it does not know the client's key. */
  | 'unknown-client'
  /** Only the client has a preshared key. */
  | 'psk-client-only'
  /** Both have a preshared key, and they differ. */
  | 'psk-differ'
  /** The server's AllowedIPs for the client do not contain the client's tunnel address. */
  | 'allowedips'
  /** The client aims at a port on its server where nothing listens. */
  | 'unreachable-port'
  /** The client aims at an address where no host is (its server moved, or is down). */
  | 'unreachable-address'
  /** Through a relay in front of the server that sends the client's first initiation again after the handshake. */
  | 'replay';

/** The root cause id (src/correlate/diagnose/root-causes.ts) a correct diagnosis states for each fault; null: nothing to find. */
export const WAVE_TRUE_CAUSE: Readonly<Record<WaveFault, string | null>> = {
  'healthy': null,
  'wrong-server-key': 'wrong-responder-key',
  'unknown-client': 'initiator-key-unknown',
  'psk-client-only': 'psk-mismatch',
  'psk-differ': 'psk-mismatch',
  'allowedips': 'allowedips-mismatch',
  'unreachable-port': 'unreachable',
  'unreachable-address': 'unreachable',
  'replay': 'replay-or-clock',
};

export interface WaveTunnelSpec {
  /** The client's host name (one client per tunnel), also the tunnel's name. */
  readonly client: string;
  /** Index into WAVE_SERVERS. */
  readonly server: number;
  readonly fault: WaveFault;
}

/** The servers, by host name; the underlay address of server i is 10.99.NET.(i + 1). */
export const WAVE_SERVERS = ['wave-srv-a', 'wave-srv-b'] as const;

/** Per server a mix of faults and one healthy tunnel; the two servers share the hard ones (wrong key, unknown client). */
export const WAVE_TUNNELS: readonly WaveTunnelSpec[] = [
  { client: 'wave-a1', server: 0, fault: 'healthy' },
  { client: 'wave-a2', server: 0, fault: 'wrong-server-key' },
  { client: 'wave-a3', server: 0, fault: 'unknown-client' },
  { client: 'wave-a4', server: 0, fault: 'psk-client-only' },
  { client: 'wave-a5', server: 0, fault: 'allowedips' },
  { client: 'wave-a6', server: 0, fault: 'unreachable-port' },
  { client: 'wave-b1', server: 1, fault: 'healthy' },
  { client: 'wave-b2', server: 1, fault: 'wrong-server-key' },
  { client: 'wave-b3', server: 1, fault: 'unknown-client' },
  { client: 'wave-b4', server: 1, fault: 'psk-differ' },
  { client: 'wave-b5', server: 1, fault: 'replay' },
  { client: 'wave-b6', server: 1, fault: 'unreachable-address' },
];

const REPLAYS = 12;
const CLOSED_PORT = 51999;
/** Underlay host octet no namespace has (unreachable-address aims there). */
const NOBODY = 9;

/** One host of the wave, for shippers and collectors (the same shape as a LabEnd's). */
export interface WaveHost {
  readonly host: string;
  readonly role: 'server' | 'client';
  readonly ns: string;
  readonly underlayIp: string;
  readonly logFile: string;
  /** argv running `wg ARGS...` on this host (e.g. `[...wg, 'show', 'all', 'dump']` for the collector). */
  readonly wg: readonly string[];
  readonly publicKey: string;
}

/** A tunnel as the recording's manifest names it (no secrets: public key fragments and addresses only). */
export interface WaveTunnel {
  readonly id: string;
  readonly client: string;
  readonly server: string;
  readonly fault: WaveFault;
  /** The root cause a correct diagnosis states; null for a healthy tunnel. */
  readonly cause: string | null;
  readonly client_ip: string;
  readonly client_tunnel_ip: string;
  /** How the client's key appears in wireguard-go's lines (`peer(XXXX…YYYY)`). */
  readonly client_key_fragment: string;
  /** The address the server sees this client's packets come from (the relay's, for the replay). */
  readonly server_sees: string;
  /** Where the client aims. */
  readonly endpoint: string;
}

export interface WaveManifest {
  readonly description: string;
  readonly recorded_at?: string;
  readonly traffic_seconds?: number;
  readonly underlay: string;
  readonly hosts: readonly { host: string; role: 'server' | 'client'; underlay_ip: string; key_fragment: string }[];
  readonly tunnels: readonly WaveTunnel[];
}

export interface WaveOptions {
  /** Third octet of the 10.99.NET.0/24 underlay. */
  readonly net: number;
  /** Folder for `<host>.log`, one per host. */
  readonly logDir: string;
}

export class Wave {
  readonly hosts: readonly WaveHost[];
  readonly tunnels: readonly WaveTunnel[];
  readonly net: number;
  private readonly labHosts: readonly LabHost[];
  private readonly hub: LabHost;
  private readonly runDir: string;
  private readonly keyFiles: string[] = [];
  private stopped = false;

  private constructor(o: WaveOptions, id: number, runDir: string, pubs: ReadonlyMap<string, string>) {
    this.net = o.net;
    this.runDir = runDir;
    const ip = (octet: number): string => `10.99.${o.net}.${octet}`;
    const names = [...WAVE_SERVERS, ...WAVE_TUNNELS.map((t) => t.client)];
    const labHosts: LabHost[] = [];
    this.hosts = names.map((host, i) => {
      const server = i < WAVE_SERVERS.length;
      const ns = `wgw${id}${server ? `s${i}` : `c${i - WAVE_SERVERS.length}`}`;
      const h = new LabHost(runDir, ns, join(o.logDir, `${host}.log`));
      labHosts.push(h);
      return {
        host, role: server ? 'server' : 'client', ns, underlayIp: ip(server ? i + 1 : 10 + i), logFile: h.logFile, wg: h.wg,
        publicKey: pubs.get(host) ?? '',
      } as const;
    });
    this.labHosts = labHosts;
    this.hub = new LabHost(runDir, `wgw${id}h`, join(o.logDir, '.hub.log'));
    this.tunnels = WAVE_TUNNELS.map((t, i) => {
      const server = this.hosts[t.server] as WaveHost;
      const client = this.hosts[WAVE_SERVERS.length + i] as WaveHost;
      const endpoint = t.fault === 'unreachable-port' ? `${server.underlayIp}:${CLOSED_PORT}`
        : t.fault === 'unreachable-address' ? `${ip(NOBODY)}:${SERVER_PORT}`
          : t.fault === 'replay' ? `${server.underlayIp}:${RELAY_PORT}` : `${server.underlayIp}:${SERVER_PORT}`;
      return {
        id: t.client, client: t.client, server: server.host, fault: t.fault, cause: WAVE_TRUE_CAUSE[t.fault],
        client_ip: client.underlayIp, client_tunnel_ip: tunnelIp(t.server, i), client_key_fragment: keyFragment(client.publicKey),
        server_sees: t.fault === 'replay' ? server.underlayIp : client.underlayIp, endpoint,
      };
    });
  }

  /** Brings every host up and configured, without traffic yet (no handshake before `traffic`); on failure removes all. */
  static async start(o: WaveOptions): Promise<Wave> {
    const avail = labAvailable();
    if (!avail.ok) throw new Error(avail.why);
    if (!Number.isInteger(o.net) || o.net < 0 || o.net > 255) throw new Error(`net must be 0-255, not ${o.net}`);
    mkdirSync(o.logDir, { recursive: true });
    const { id, runDir } = makeRunDir();
    const privs = new Map<string, string>();
    const pubs = new Map<string, string>();
    for (const host of [...WAVE_SERVERS, ...WAVE_TUNNELS.map((t) => t.client)]) {
      const k = await keyPair();
      privs.set(host, k.priv);
      pubs.set(host, k.pub);
    }
    const wave = new Wave(o, id, runDir, pubs);
    try {
      await wave.bringUp(id, privs);
    } catch (e) {
      await wave.stop();
      throw e;
    }
    return wave;
  }

  private key(name: string, value: string): string {
    const f = keyFile(this.runDir, name, value);
    this.keyFiles.push(f);
    return f;
  }

  private async bringUp(id: number, privs: ReadonlyMap<string, string>): Promise<void> {
    // The underlay: a bridge in the hub namespace, a veth from each host to it.
    await this.hub.create();
    await run('ip', ['-n', this.hub.ns, 'link', 'add', 'br0', 'type', 'bridge']);
    await run('ip', ['-n', this.hub.ns, 'link', 'set', 'br0', 'up']);
    for (const [i, h] of this.hosts.entries()) {
      const lh = this.labHosts[i] as LabHost;
      await lh.create();
      const [dev, port] = [`w${id}x${i}`, `w${id}y${i}`];
      await run('ip', ['link', 'add', dev, 'netns', h.ns, 'type', 'veth', 'peer', 'name', port, 'netns', this.hub.ns]);
      await run('ip', ['-n', this.hub.ns, 'link', 'set', port, 'master', 'br0', 'up']);
      await run('ip', ['-n', h.ns, 'addr', 'add', `${h.underlayIp}/24`, 'dev', dev]);
      await run('ip', ['-n', h.ns, 'link', 'set', dev, 'up']);
      lh.startDaemon('wg0');
    }
    const deadline = Date.now() + 10_000;
    for (const lh of this.labHosts) await lh.waitForSockets(['wg0'], deadline);

    const genpsk = async (): Promise<string> => (await run('wg', ['genpsk'])).trim();
    const serverPeers: string[][] = WAVE_SERVERS.map(() => []);
    for (const [i, t] of WAVE_TUNNELS.entries()) {
      const tunnel = this.tunnels[i] as WaveTunnel;
      const client = this.hosts[WAVE_SERVERS.length + i] as WaveHost;
      const server = this.hosts[t.server] as WaveHost;
      const clientPsk = t.fault === 'psk-client-only' || t.fault === 'psk-differ' ? ['preshared-key', this.key(`psk-${i}`, await genpsk())] : [];
      const serverPsk = t.fault === 'psk-differ' ? ['preshared-key', this.key(`psk-${i}-server`, await genpsk())] : [];
      // A stale key on the server (the client's is missing), a key no server has on the client.
      const serverPeer = t.fault === 'unknown-client' ? (await keyPair()).pub : client.publicKey;
      const clientPeer = t.fault === 'wrong-server-key' ? (await keyPair()).pub : server.publicKey;
      const allowed = t.fault === 'allowedips' ? `10.200.${t.server + 1}.99/32` : `${tunnel.client_tunnel_ip}/32`;
      serverPeers[t.server]?.push('peer', serverPeer, ...serverPsk, 'allowed-ips', allowed);
      await (this.labHosts[WAVE_SERVERS.length + i] as LabHost).wgRun(['set', 'wg0', 'private-key', this.key(`k-${client.host}`, privs.get(client.host) ?? ''),
        'peer', clientPeer, ...clientPsk, 'allowed-ips', `10.200.${t.server + 1}.1/32`, 'endpoint', tunnel.endpoint]);
      await run('ip', ['-n', client.ns, 'addr', 'add', `${tunnel.client_tunnel_ip}/24`, 'dev', 'wg0']);
      await run('ip', ['-n', client.ns, 'link', 'set', 'wg0', 'up']);
      if (t.fault === 'replay') {
        (this.labHosts[t.server] as LabHost).spawnIn(relayArgv(server.underlayIp, RELAY_PORT, server.underlayIp, SERVER_PORT, REPLAYS));
      }
    }
    for (const [s, server] of this.hosts.slice(0, WAVE_SERVERS.length).entries()) {
      await (this.labHosts[s] as LabHost).wgRun(['set', 'wg0', 'private-key', this.key(`k-${server.host}`, privs.get(server.host) ?? ''),
        'listen-port', String(SERVER_PORT), ...(serverPeers[s] ?? [])]);
      await run('ip', ['-n', server.ns, 'addr', 'add', `10.200.${s + 1}.1/24`, 'dev', 'wg0']);
      await run('ip', ['-n', server.ns, 'link', 'set', 'wg0', 'up']);
    }
  }

  /** The private and preshared keys in use, to prove none of them reached a recording, Kafka or Elasticsearch. */
  secrets(): string[] {
    return this.keyFiles.filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8').trim());
  }

  /** Every client pings its server through its tunnel for `seconds`, all at once: the tunnels fail at the same moments. */
  async traffic(seconds: number): Promise<void> {
    await Promise.all(WAVE_TUNNELS.map((t, i) => pingFrom((this.hosts[WAVE_SERVERS.length + i] as WaveHost).ns, `10.200.${t.server + 1}.1`, seconds)));
  }

  manifest(extra: { recorded_at?: string; traffic_seconds?: number } = {}): WaveManifest {
    return {
      description: 'Concurrency wave: every tunnel started at the same moment; cause is the root cause id (src/correlate/diagnose/root-causes.ts) a correct diagnosis states.',
      ...extra,
      underlay: `10.99.${this.net}.0/24`,
      hosts: this.hosts.map((h) => ({ host: h.host, role: h.role, underlay_ip: h.underlayIp, key_fragment: keyFragment(h.publicKey) })),
      tunnels: this.tunnels,
    };
  }

  /** Stops every process (by pid), deletes every namespace (by name) and the key folder. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.labHosts.map((h) => h.stop()));
    await this.hub.stop();
    rmSync(this.runDir, { recursive: true, force: true });
  }
}

/** Tunnel address of the i-th tunnel (server s's subnet is 10.200.(s+1).0/24, the server .1). */
function tunnelIp(server: number, i: number): string {
  return `10.200.${server + 1}.${10 + i}`;
}
