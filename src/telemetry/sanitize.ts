// One walk over what is about to be logged: a field whose name says it holds a credential is censored at any
// depth (pino's redact paths reach a fixed depth only), and every string has the known secret values scrubbed
// (secrets.ts). Copy-on-write: what needs no change is returned as is, and the caller's objects are never
// modified.
import { SECRET_FIELD_NAMES } from './redact.ts';
import { CENSOR, scrubText } from './secrets.ts';

export function sanitize<T>(value: T): T {
  return walk(value, new Map()) as T;
}

const IN_PROGRESS = Symbol('in progress');

function walk(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (v === null || typeof v !== 'object') return v;
  const memo = seen.get(v);
  // A cycle: the serializer would print "[Circular]" for it too; going on would reach the unscrubbed original.
  if (memo === IN_PROGRESS) return '[Circular]';
  if (memo !== undefined) return memo;
  seen.set(v, IN_PROGRESS);
  const out = walkObject(v, seen);
  seen.set(v, out);
  return out;
}

function field(key: string, x: unknown, seen: Map<object, unknown>): unknown {
  if (x !== null && x !== undefined && SECRET_FIELD_NAMES.has(key.toLowerCase())) return CENSOR;
  return walk(x, seen);
}

function walkObject(v: object, seen: Map<object, unknown>): unknown {
  if (Array.isArray(v)) {
    let changed = false;
    const items = v.map((x: unknown) => {
      const y = walk(x, seen);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? items : v;
  }
  if (v instanceof Error) return walkError(v, seen);
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    // What JSON.stringify (and so pino) would write for it.
    const toJSON: unknown = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const json: unknown = toJSON.call(v);
      const out = walk(json, seen);
      return out === json ? v : out;
    }
  }
  let changed = false;
  const entries = Object.entries(v).map(([k, x]): [string, unknown] => {
    const y = field(k, x, seen);
    if (y !== x) changed = true;
    return [k, y];
  });
  return changed ? Object.fromEntries(entries) : v;
}

/** A copy of the error with the same prototype (so its type name and `instanceof` survive). */
function walkError(err: Error, seen: Map<object, unknown>): Error {
  let changed = false;
  const props: PropertyDescriptorMap = {};
  // Own names include the non-enumerable `message`, `stack`, `cause` and AggregateError's `errors`.
  for (const key of Object.getOwnPropertyNames(err)) {
    const d = Object.getOwnPropertyDescriptor(err, key);
    if (d === undefined) continue;
    let value: unknown;
    try { value = (err as unknown as Record<string, unknown>)[key]; } catch { continue; }
    const out = field(key, value, seen);
    if (out !== value) changed = true;
    props[key] = { value: out, enumerable: d.enumerable ?? false, writable: true, configurable: true };
  }
  if (!changed) return err;
  return Object.create(Object.getPrototypeOf(err) as object, props) as Error;
}
