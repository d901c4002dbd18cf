// `wg show all dump` / `wg show <iface> dump` turned into what wg-siem may keep. The private and preshared keys are
// dropped here, at the first moment they are seen, and errors never quote a line: a shifted column could put a
// secret where a public key was expected.
import { parseEndpoint } from './normalize/endpoint.ts';
import { isPublicKey } from '../enrich/keys.ts';

export class DumpError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`cannot read the wg dump:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DumpError';
    this.problems = problems;
  }
}

export interface DumpInterface {
  readonly name: string;
  /** Null when the interface has no private key yet ("(none)"). */
  readonly publicKey: string | null;
  readonly listenPort: number | null;
}

export interface DumpPeer {
  readonly interface: string;
  readonly publicKey: string;
  /** Only whether one is set: a mismatch on one side explains handshakes that never complete. */
  readonly hasPresharedKey: boolean;
  /** As printed by wg ("1.2.3.4:51820", "[2001:db8::1]:51820"); null for "(none)". */
  readonly endpoint: string | null;
  /** Canonical address of the endpoint, to match the `source.ip` / `destination.ip` of events. */
  readonly endpointIp: string | null;
  readonly endpointPort: number | null;
  readonly allowedIps: readonly string[];
  /** Epoch ms; null when the peer never completed a handshake. */
  readonly latestHandshakeMs: number | null;
  readonly rxBytes: number;
  readonly txBytes: number;
  /** Seconds; null when off. */
  readonly persistentKeepalive: number | null;
}

export interface DumpSnapshot {
  readonly host: string;
  /** When the dump was taken (epoch ms). */
  readonly atMs: number;
  readonly interfaces: readonly DumpInterface[];
  readonly peers: readonly DumpPeer[];
}

// Column counts: `wg show all dump` prefixes every line with the interface name, `wg show wg0 dump` does not.
const ALL = { iface: 5, peer: 9 } as const;
const ONE = { iface: 4, peer: 8 } as const;
// Once the interface column is stripped, both forms have these.
const IFACE_COLS = 4;
const PEER_COLS = 8;

const NONE = '(none)';

function uint(s: string): number | null {
  return /^\d{1,16}$/.test(s) ? Number(s) : null;
}

/**
 * `iface` names the interface of a single-interface dump, which does not print it. Throws DumpError listing
 * every bad line by number.
 */
export function parseWgDump(text: string, host: string, atMs: number, iface?: string): DumpSnapshot {
  const lines = text.split('\n');
  const problems: string[] = [];
  const interfaces: DumpInterface[] = [];
  const peers: DumpPeer[] = [];
  let form: typeof ALL | typeof ONE | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    const n = i + 1;
    const cols = line.split('\t');
    if (form === undefined) {
      if (cols.length === ALL.iface) form = ALL;
      else if (cols.length === ONE.iface) {
        form = ONE;
        if (iface === undefined) { problems.push(`line ${n}: a single-interface dump (4 columns) does not name its interface; pass the interface name`); break; }
      } else { problems.push(`line ${n}: expected the interface line (5 tab-separated columns, or 4 for a single interface), found ${cols.length}`); break; }
    }
    const all = form === ALL;
    // Strip the interface column so both forms are read alike from here on.
    const name = all ? (cols.shift() ?? '') : (iface ?? '');
    if (all && name === '') { problems.push(`line ${n}: empty interface name`); continue; }
    if (cols.length === IFACE_COLS) {
      // private-key public-key listen-port fwmark: the private key (cols[0]) is not read.
      const pub = cols[1] ?? '';
      const port = uint(cols[2] ?? '');
      const bad: string[] = [];
      if (pub !== NONE && !isPublicKey(pub)) bad.push('column "public-key" is not a WireGuard public key');
      if (port === null || port > 65535) bad.push('column "listen-port" is not a port number');
      if (bad.length > 0) { problems.push(`line ${n}: ${bad.join('; ')}`); continue; }
      if (interfaces.some((x) => x.name === name)) { problems.push(`line ${n}: interface ${name} listed twice`); continue; }
      interfaces.push({ name, publicKey: pub === NONE ? null : pub, listenPort: port === 0 ? null : port });
    } else if (cols.length === PEER_COLS) {
      // public-key preshared-key endpoint allowed-ips latest-handshake rx tx persistent-keepalive
      const [pub = '', psk = '', ep = '', allowed = '', hs = '', rx = '', tx = '', ka = ''] = cols;
      const bad: string[] = [];
      if (!isPublicKey(pub)) bad.push('column "public-key" is not a WireGuard public key');
      const endpoint = ep === NONE ? null : parseEndpoint(ep);
      if (ep !== NONE && endpoint === null) bad.push('column "endpoint" is not ip:port');
      const hsSec = uint(hs);
      if (hsSec === null) bad.push('column "latest-handshake" is not a number of seconds');
      const rxN = uint(rx);
      const txN = uint(tx);
      if (rxN === null) bad.push('column "transfer-rx" is not a number of bytes');
      if (txN === null) bad.push('column "transfer-tx" is not a number of bytes');
      const kaN = ka === 'off' ? 0 : uint(ka);
      if (kaN === null) bad.push('column "persistent-keepalive" is neither "off" nor a number of seconds');
      if (!interfaces.some((x) => x.name === name)) bad.push(`peer of interface ${name} before that interface's line`);
      if (bad.length > 0 || hsSec === null || rxN === null || txN === null || kaN === null) { problems.push(`line ${n}: ${bad.join('; ')}`); continue; }
      peers.push({
        interface: name,
        publicKey: pub,
        hasPresharedKey: psk !== NONE && psk !== '',
        endpoint: endpoint === null ? null : ep,
        endpointIp: endpoint?.ip ?? null,
        endpointPort: endpoint?.port ?? null,
        allowedIps: allowed === NONE || allowed === '' ? [] : allowed.split(','),
        latestHandshakeMs: hsSec === 0 ? null : hsSec * 1000,
        rxBytes: rxN,
        txBytes: txN,
        persistentKeepalive: kaN === 0 ? null : kaN,
      });
    } else {
      problems.push(`line ${n}: expected ${form.iface} columns (interface) or ${form.peer} (peer), found ${cols.length + (all ? 1 : 0)}`);
    }
  }
  if (problems.length > 0) throw new DumpError(problems);
  return { host, atMs, interfaces, peers };
}
