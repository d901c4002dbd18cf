// The plain-JSON form of the peer directory's learned state, and its validation on the way back in: a snapshot
// file is input like any other and may be truncated or hand-edited.
import { Ajv } from 'ajv';
import { PUBLIC_KEY_PATTERN, PUBLIC_KEY_RULE, isPublicKey } from './keys.ts';
import { describeAjvErrors } from './problems.ts';

export const SNAPSHOT_VERSION = 1;

export interface PeerEntrySnapshot {
  readonly kind: 'peer';
  readonly host: string;
  readonly iface: string;
  /** What `ref` is: a kernel/NT peer id, a wireguard-go key fragment, or a full public key. */
  readonly by: 'id' | 'fragment' | 'key';
  readonly ref: string;
  /** For `id`: the full key it was tied to. */
  readonly publicKey?: string;
  readonly ip?: string;
  readonly port?: number;
  readonly lastSeen?: number;
  readonly latestHandshake?: number;
  readonly fromDump?: boolean;
}

export interface InterfaceEntrySnapshot {
  readonly kind: 'interface';
  readonly host: string;
  readonly iface: string;
  readonly publicKey: string;
  readonly listenPort?: number;
}

export interface AddressEntrySnapshot {
  readonly kind: 'address';
  readonly host: string;
  readonly iface: string;
  readonly ip: string;
  readonly port: number;
  /** Ordering time: which peer at this address is the most recent. */
  readonly at: number;
  readonly lastSeen?: number;
  readonly peerId?: string;
  readonly fragment?: string;
  readonly publicKey?: string;
  /** The peer entry it names was still the same peer when the snapshot was taken (ids are reused). */
  readonly linked: boolean;
  readonly fromDump: boolean;
}

export type EntrySnapshot = PeerEntrySnapshot | InterfaceEntrySnapshot | AddressEntrySnapshot;

export interface PeerDirectorySnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  /** Least recently used first, so restoring in order rebuilds the eviction order. */
  readonly entries: readonly EntrySnapshot[];
}

export class SnapshotError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid peer directory snapshot:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SnapshotError';
    this.problems = problems;
  }
}

const str = { type: 'string' } as const;
const key = { type: 'string', pattern: PUBLIC_KEY_PATTERN } as const;
const time = { type: 'number' } as const;
const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;
const scope = { host: str, iface: str } as const;

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'entries'],
  properties: {
    version: { enum: [SNAPSHOT_VERSION] },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        // Picks the branch by `kind`, so errors come from that branch alone.
        discriminator: { propertyName: 'kind' },
        oneOf: [
          {
            additionalProperties: false,
            required: ['kind', 'host', 'iface', 'by', 'ref'],
            properties: {
              kind: { const: 'peer' }, ...scope, by: { enum: ['id', 'fragment', 'key'] }, ref: { type: 'string', minLength: 1 },
              publicKey: key, ip: str, port, lastSeen: time, latestHandshake: time, fromDump: { type: 'boolean' },
            },
          },
          {
            additionalProperties: false,
            required: ['kind', 'host', 'iface', 'publicKey'],
            properties: { kind: { const: 'interface' }, ...scope, publicKey: key, listenPort: port },
          },
          {
            additionalProperties: false,
            required: ['kind', 'host', 'iface', 'ip', 'port', 'at', 'linked', 'fromDump'],
            properties: {
              kind: { const: 'address' }, ...scope, ip: { type: 'string', minLength: 1 }, port, at: time, lastSeen: time,
              peerId: str, fragment: str, publicKey: key, linked: { type: 'boolean' }, fromDump: { type: 'boolean' },
            },
          },
        ],
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, discriminator: true });
const validate = ajv.compile<PeerDirectorySnapshot>(SCHEMA);

export function checkSnapshot(s: unknown): PeerDirectorySnapshot {
  if (!validate(s)) throw new SnapshotError(describeAjvErrors(validate.errors ?? [], () => PUBLIC_KEY_RULE));
  // What the schema cannot say: a full-key peer entry's ref is that key.
  const problems: string[] = [];
  s.entries.forEach((e, i) => {
    if (e.kind === 'peer' && e.by === 'key' && !isPublicKey(e.ref)) problems.push(`entries[${i}].ref: ${PUBLIC_KEY_RULE}`);
  });
  if (problems.length > 0) throw new SnapshotError(problems);
  return s;
}
