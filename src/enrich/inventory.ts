// The operator's peer inventory: who owns which public key, and which host interface owns which key. Read once
// at start-up; every problem of the file is reported at once so it can be fixed in one edit.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { PUBLIC_KEY_PATTERN, PUBLIC_KEY_RULE, keyFragment } from './keys.ts';
import { describeAjvErrors } from './problems.ts';

export class InventoryError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(`invalid peer inventory ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InventoryError';
    this.problems = problems;
  }
}

export interface InventoryPeer {
  readonly publicKey: string;
  readonly name?: string;
  readonly owner?: string;
  readonly device?: string;
  /** Host names under which this peer's own logs arrive. */
  readonly hosts: readonly string[];
}

export interface InventoryInterface {
  readonly host: string;
  readonly interface: string;
  readonly publicKey: string;
  readonly endpoint?: string;
}

const text = { type: 'string', minLength: 1 } as const;
const publicKey = { type: 'string', pattern: PUBLIC_KEY_PATTERN } as const;
// host:port, [v6]:port; the host part may be a name, so it cannot be checked further without DNS.
const ENDPOINT_PATTERN = '^(\\[[0-9A-Fa-f:.]+(%[\\w.-]+)?\\]|[^\\s:\\[\\]]+):[0-9]{1,5}$';

export const INVENTORY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    peers: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['public_key'],
        properties: { public_key: publicKey, name: text, owner: text, device: text, hosts: { type: 'array', items: text } },
      },
    },
    interfaces: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['host', 'interface', 'public_key'],
        properties: { host: text, interface: text, public_key: publicKey, endpoint: { type: 'string', pattern: ENDPOINT_PATTERN } },
      },
    },
  },
} as const;

interface RawPeer { public_key: string; name?: string; owner?: string; device?: string; hosts?: string[] }
interface RawInterface { host: string; interface: string; public_key: string; endpoint?: string }
interface RawInventory { peers?: RawPeer[]; interfaces?: RawInterface[] }

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile<RawInventory>(INVENTORY_SCHEMA);

const patternWords = (path: string): string => (path.endsWith('.endpoint') ? 'not host:port (vpn.example.com:51820, [2001:db8::1]:51820)' : PUBLIC_KEY_RULE);

/** Duplicates are checked on the raw document, so they are listed alongside the schema's findings. */
function duplicates(doc: unknown): string[] {
  const out: string[] = [];
  if (typeof doc !== 'object' || doc === null) return out;
  const { peers, interfaces } = doc as { peers?: unknown; interfaces?: unknown };
  if (Array.isArray(peers)) {
    const seen = new Map<string, number>();
    peers.forEach((p: unknown, i) => {
      const k = (p as { public_key?: unknown } | null)?.public_key;
      if (typeof k !== 'string') return;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else out.push(`peers[${i}].public_key: duplicate public key (also peers[${first}])`);
    });
  }
  if (Array.isArray(interfaces)) {
    const seen = new Map<string, number>();
    interfaces.forEach((x: unknown, i) => {
      const r = x as { host?: unknown; interface?: unknown } | null;
      if (typeof r?.host !== 'string' || typeof r.interface !== 'string') return;
      const k = `${r.host}\u0000${r.interface}`;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else out.push(`interfaces[${i}]: duplicate interface ${r.interface} of host ${r.host} (also interfaces[${first}])`);
    });
  }
  return out;
}

export class Inventory {
  readonly peers: readonly InventoryPeer[];
  readonly interfaces: readonly InventoryInterface[];
  readonly #byKey = new Map<string, InventoryPeer>();
  readonly #byFragment = new Map<string, string[]>();
  readonly #byHost = new Map<string, Map<string, InventoryInterface>>();
  readonly #interfacesByKey = new Map<string, InventoryInterface[]>();

  constructor(peers: readonly InventoryPeer[], interfaces: readonly InventoryInterface[]) {
    this.peers = peers;
    this.interfaces = interfaces;
    for (const p of peers) {
      this.#byKey.set(p.publicKey, p);
      this.#addFragment(p.publicKey);
    }
    for (const x of interfaces) {
      let ifaces = this.#byHost.get(x.host);
      if (!ifaces) this.#byHost.set(x.host, (ifaces = new Map<string, InventoryInterface>()));
      ifaces.set(x.interface, x);
      const same = this.#interfacesByKey.get(x.publicKey);
      if (same) same.push(x);
      else this.#interfacesByKey.set(x.publicKey, [x]);
      // An interface's key is some other host's peer key: a fragment printed there may stand for it.
      this.#addFragment(x.publicKey);
    }
  }

  #addFragment(key: string): void {
    const f = keyFragment(key);
    const keys = this.#byFragment.get(f);
    if (!keys) this.#byFragment.set(f, [key]);
    else if (!keys.includes(key)) keys.push(key);
  }

  peer(publicKey: string): InventoryPeer | undefined {
    return this.#byKey.get(publicKey);
  }

  /** Every known full key (peers and interfaces) with this `XXXX…YYYY` fragment; more than one is a collision. */
  byFragment(fragment: string): readonly string[] {
    return this.#byFragment.get(fragment) ?? NONE;
  }

  interfaceOf(host: string, iface: string): InventoryInterface | undefined {
    return this.#byHost.get(host)?.get(iface);
  }

  /** The host interfaces whose own key this is. */
  interfacesWithKey(publicKey: string): readonly InventoryInterface[] {
    return this.#interfacesByKey.get(publicKey) ?? NONE;
  }

  hostsOf(publicKey: string): readonly string[] {
    return this.#byKey.get(publicKey)?.hosts ?? NONE;
  }
}

const NONE: readonly never[] = Object.freeze([]);

/** YAML or JSON (YAML is a superset); `sourceName` only labels the errors. */
export function parseInventory(text: string, sourceName: string): Inventory {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    throw new InventoryError(sourceName, [`not valid YAML/JSON: ${(e as Error).message.split('\n')[0] ?? ''}`]);
  }
  // An empty file is an empty inventory, not a mistake worth stopping for.
  if (doc === null || doc === undefined) return new Inventory([], []);
  const problems = validate(doc) ? [] : describeAjvErrors(validate.errors ?? [], patternWords);
  problems.push(...duplicates(doc));
  if (problems.length > 0) throw new InventoryError(sourceName, problems);
  const raw = doc as RawInventory;
  const peers = (raw.peers ?? []).map((p): InventoryPeer => ({
    publicKey: p.public_key,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.owner !== undefined ? { owner: p.owner } : {}),
    ...(p.device !== undefined ? { device: p.device } : {}),
    hosts: p.hosts ?? [],
  }));
  const interfaces = (raw.interfaces ?? []).map((x): InventoryInterface => ({
    host: x.host, interface: x.interface, publicKey: x.public_key, ...(x.endpoint !== undefined ? { endpoint: x.endpoint } : {}),
  }));
  return new Inventory(peers, interfaces);
}

export function loadInventory(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InventoryError(path, [`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  return parseInventory(text, path);
}
