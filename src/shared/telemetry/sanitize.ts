// The one way secrets are kept out of logs: a walk over what is about to be logged. A field whose name says it
// holds a credential is censored at any depth, and every string has the known secret values scrubbed
// (secrets.ts). Copy-on-write: what needs no change is returned as is, and the caller's objects are never
// modified.
import { SECRET_KEYS } from '../config/keys.ts';
import { CENSOR, scrubText } from './secrets.ts';

/**
 * Field names that hold credentials wherever they appear (request options, client configs, peer configs).
 * A WireGuard *public* key is not among them: attributing events to peers is what wg-siem is for.
 */
export const GENERIC_SECRET_FIELDS: readonly string[] = [
  'password', 'passphrase', 'apiKey', 'api_key', 'authorization',
  'privateKey', 'private_key', 'presharedKey', 'preshared_key',
];

/**
 * Lower-cased names of fields censored wherever they are: the generic ones, and the flat configuration keys.
 * Derived from the configuration table, so a key marked `secret: true` there is hidden without anyone
 * remembering to add it.
 */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set(
  [...GENERIC_SECRET_FIELDS, ...SECRET_KEYS].map((k) => k.toLowerCase()),
);

/** The configuration's secrets as dotted paths and their last segments, for configs logged nested. */
const SECRET_PATHS: readonly string[] = SECRET_KEYS.map((k) => k.toLowerCase());
const SECRET_LEAVES: ReadonlySet<string> = new Set(SECRET_PATHS.map((k) => k.slice(k.lastIndexOf('.') + 1)));

/** Where a value sits: its key and its parent's (array indexes are not part of it). */
interface Path {
  readonly key: string;
  readonly up: Path | undefined;
}

/**
 * A configuration secret written nested or half-nested ({ kafka: { sasl: { password } } },
 * { "notify.pagerduty": { routingKey } }) at any depth. Only a key that ends some secret's path is checked further,
 * so an ordinary field costs one set look-up.
 */
function isSecretPath(key: string, up: Path | undefined): boolean {
  const leaf = key.toLowerCase();
  if (!SECRET_LEAVES.has(leaf)) return false;
  let dotted = leaf;
  for (let p = up; p !== undefined; p = p.up) dotted = `${p.key.toLowerCase()}.${dotted}`;
  return SECRET_PATHS.some((s) => dotted === s || dotted.endsWith(`.${s}`));
}

export function sanitize<T>(value: T): T {
  return walk(value, new Map(), undefined) as T;
}

const IN_PROGRESS = Symbol('in progress');

function walk(v: unknown, seen: Map<object, unknown>, path: Path | undefined): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (v === null || typeof v !== 'object') return v;
  const memo = seen.get(v);
  // A cycle: the serializer would print "[Circular]" for it too; going on would reach the unscrubbed original.
  if (memo === IN_PROGRESS) return '[Circular]';
  if (memo !== undefined) return memo;
  seen.set(v, IN_PROGRESS);
  const out = walkObject(v, seen, path);
  seen.set(v, out);
  return out;
}

function field(key: string, x: unknown, seen: Map<object, unknown>, up: Path | undefined): unknown {
  if (x !== null && x !== undefined && (SECRET_FIELD_NAMES.has(key.toLowerCase()) || isSecretPath(key, up))) return CENSOR;
  // Only an object has fields below it whose path matters; a string or number needs no path allocated.
  return walk(x, seen, x !== null && typeof x === 'object' ? { key, up } : up);
}

function walkObject(v: object, seen: Map<object, unknown>, path: Path | undefined): unknown {
  if (Array.isArray(v)) {
    let changed = false;
    const items = v.map((x: unknown) => {
      const y = walk(x, seen, path);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? items : v;
  }
  if (v instanceof Error) return walkError(v, seen, path);
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    // What JSON.stringify (and so pino) would write for it.
    const toJSON: unknown = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const json: unknown = toJSON.call(v);
      const out = walk(json, seen, path);
      return out === json ? v : out;
    }
  }
  let changed = false;
  const entries = Object.entries(v).map(([k, x]): [string, unknown] => {
    const y = field(k, x, seen, path);
    if (y !== x) changed = true;
    return [k, y];
  });
  return changed ? Object.fromEntries(entries) : v;
}

/** A copy of the error with the same prototype (so its type name and `instanceof` survive). */
function walkError(err: Error, seen: Map<object, unknown>, path: Path | undefined): Error {
  let changed = false;
  const props: PropertyDescriptorMap = {};
  // Own names include the non-enumerable `message`, `stack`, `cause` and AggregateError's `errors`.
  for (const key of Object.getOwnPropertyNames(err)) {
    const d = Object.getOwnPropertyDescriptor(err, key);
    if (d === undefined) continue;
    let value: unknown;
    try { value = (err as unknown as Record<string, unknown>)[key]; } catch { continue; }
    const out = field(key, value, seen, path);
    if (out !== value) changed = true;
    props[key] = { value: out, enumerable: d.enumerable ?? false, writable: true, configurable: true };
  }
  if (!changed) return err;
  return Object.create(Object.getPrototypeOf(err) as object, props) as Error;
}
