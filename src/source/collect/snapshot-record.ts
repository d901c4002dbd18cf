// The Kafka record `wg-siem collect` publishes: one host's `wg show all dump` (without private or preshared
// keys: the parser drops them before anything else sees them) plus what changed since its previous poll.
// It travels on the log topic, keyed by host like the host's log lines, and is told apart by a header, so the
// pipeline needs no second consumer and a host's lines and snapshots stay in order on one partition.
import { Ajv } from 'ajv';
import type { DumpSnapshot } from '../../parse/wg-dump.ts';
import { PUBLIC_KEY_PATTERN } from '../../enrich/keys.ts';
import { parseEndpoint } from '../../parse/normalize/endpoint.ts';
import { ajvLines } from '../../shared/schema/ajv-errors.ts';
import { isEsDateTime } from '../../shared/schema/validate.ts';
import { PEER_CHANGE_KINDS, type PeerChange } from './peer-changes.ts';

/** Header that marks a peer-state record, and its value. */
export const SNAPSHOT_HEADER = 'wg-siem-kind';
export const SNAPSHOT_KIND = 'peer-snapshot';
export const SNAPSHOT_RECORD_VERSION = 1;

export interface SnapshotRecord {
  readonly version: 1;
  readonly host: string;
  /** RFC 3339 time the dump was taken. */
  readonly collected_at: string;
  readonly interfaces: readonly { name: string; public_key: string | null; listen_port: number | null }[];
  readonly peers: readonly {
    interface: string; public_key: string; preshared_key_set: boolean; endpoint: string | null; allowed_ips: readonly string[];
    latest_handshake: string | null; rx_bytes: number; tx_bytes: number; persistent_keepalive: number | null;
  }[];
  readonly changes: readonly {
    kind: PeerChange['kind']; interface: string; public_key: string; endpoint: string | null; previous_endpoint?: string | null;
    latest_handshake: string | null; handshake_age_s?: number; rx_delta?: number; tx_delta?: number;
  }[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toSnapshotRecord(s: DumpSnapshot, changes: readonly PeerChange[]): SnapshotRecord {
  return {
    version: SNAPSHOT_RECORD_VERSION,
    host: s.host,
    collected_at: new Date(s.atMs).toISOString(),
    interfaces: s.interfaces.map((i) => ({ name: i.name, public_key: i.publicKey, listen_port: i.listenPort })),
    peers: s.peers.map((p) => ({
      interface: p.interface, public_key: p.publicKey, preshared_key_set: p.hasPresharedKey, endpoint: p.endpoint,
      allowed_ips: p.allowedIps, latest_handshake: iso(p.latestHandshakeMs), rx_bytes: p.rxBytes, tx_bytes: p.txBytes,
      persistent_keepalive: p.persistentKeepalive,
    })),
    changes: changes.map((c) => ({
      kind: c.kind, interface: c.interface, public_key: c.publicKey, endpoint: c.endpoint,
      ...(c.previousEndpoint !== undefined ? { previous_endpoint: c.previousEndpoint } : {}),
      latest_handshake: iso(c.latestHandshakeMs),
      ...(c.handshakeAgeS !== undefined ? { handshake_age_s: c.handshakeAgeS } : {}),
      ...(c.rxDelta !== undefined ? { rx_delta: c.rxDelta } : {}),
      ...(c.txDelta !== undefined ? { tx_delta: c.txDelta } : {}),
    })),
  };
}

const key = { type: 'string', pattern: PUBLIC_KEY_PATTERN } as const;
const nullableKey = { anyOf: [key, { type: 'null' }] } as const;
const time = { type: 'string', format: 'date-time' } as const;
const nullableTime = { anyOf: [time, { type: 'null' }] } as const;
const name = { type: 'string', minLength: 1, maxLength: 255 } as const;
const endpoint = { anyOf: [{ type: 'string', minLength: 1, maxLength: 100 }, { type: 'null' }] } as const;
const count = { type: 'integer', minimum: 0 } as const;

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'host', 'collected_at', 'interfaces', 'peers', 'changes'],
  properties: {
    version: { const: SNAPSHOT_RECORD_VERSION },
    host: name,
    collected_at: time,
    interfaces: {
      type: 'array', maxItems: 1000,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'public_key', 'listen_port'],
        properties: { name, public_key: nullableKey, listen_port: { anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'null' }] } },
      },
    },
    peers: {
      type: 'array', maxItems: 100_000,
      items: {
        type: 'object', additionalProperties: false,
        required: ['interface', 'public_key', 'preshared_key_set', 'endpoint', 'allowed_ips', 'latest_handshake', 'rx_bytes', 'tx_bytes', 'persistent_keepalive'],
        properties: {
          interface: name, public_key: key, preshared_key_set: { type: 'boolean' }, endpoint,
          allowed_ips: { type: 'array', maxItems: 10_000, items: { type: 'string', maxLength: 64 } },
          latest_handshake: nullableTime, rx_bytes: count, tx_bytes: count,
          persistent_keepalive: { anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'null' }] },
        },
      },
    },
    changes: {
      type: 'array', maxItems: 100_000,
      items: {
        type: 'object', additionalProperties: false, required: ['kind', 'interface', 'public_key', 'endpoint', 'latest_handshake'],
        properties: {
          kind: { enum: [...PEER_CHANGE_KINDS] }, interface: name, public_key: key, endpoint, previous_endpoint: endpoint,
          latest_handshake: nullableTime, handshake_age_s: count, rx_delta: { type: 'integer' }, tx_delta: { type: 'integer' },
        },
      },
    },
  },
} as const;

// The same date-time check as the documents' schemas: what passes here, Elasticsearch takes.
const ajv = new Ajv({ allErrors: true, strict: true, formats: { 'date-time': isEsDateTime } });
const check = ajv.compile<SnapshotRecord>(SCHEMA);

export type SnapshotParse = { readonly ok: true; readonly record: SnapshotRecord } | { readonly ok: false; readonly errors: readonly string[] };

/** A record's bytes → a validated snapshot, or every problem found (never the values: keys may sit there). */
export function parseSnapshotRecord(text: string): SnapshotParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not JSON: ${(e as Error).message.slice(0, 200)}`] };
  }
  if (check(doc)) return { ok: true, record: doc };
  return { ok: false, errors: ajvLines(check.errors, { where: (pointer) => pointer || '/', fallback: 'is invalid', limit: 20 }, ' ') };
}

/** The record as the directory of peers (src/enrich) reads a dump. */
export function toDumpSnapshot(r: SnapshotRecord): DumpSnapshot {
  const ms = (s: string | null): number | null => (s === null ? null : Date.parse(s));
  return {
    host: r.host,
    atMs: Date.parse(r.collected_at),
    interfaces: r.interfaces.map((i) => ({ name: i.name, publicKey: i.public_key, listenPort: i.listen_port })),
    peers: r.peers.map((p) => {
      const ep = p.endpoint === null ? null : parseEndpoint(p.endpoint);
      return {
        interface: p.interface, publicKey: p.public_key, hasPresharedKey: p.preshared_key_set, endpoint: p.endpoint,
        endpointIp: ep?.ip ?? null, endpointPort: ep?.port ?? null, allowedIps: p.allowed_ips, latestHandshakeMs: ms(p.latest_handshake),
        rxBytes: p.rx_bytes, txBytes: p.tx_bytes, persistentKeepalive: p.persistent_keepalive,
      };
    }),
  };
}
