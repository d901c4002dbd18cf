// Errors as ECS `error.*` fields. Client libraries put whatever they were given into their messages (a URL with
// credentials, a rejected header), so every text is scrubbed of the known secret values before it is shown.
import { scrubText } from './secrets.ts';

export interface EcsError {
  readonly type: string;
  readonly message: string;
  readonly stack_trace?: string;
  readonly code?: string;
}

// A cause chain longer than this is a loop or noise; the first links say what went wrong.
const MAX_CAUSES = 5;

/** `log.error(logError(e), 'bulk request failed')`: the ECS fields of any thrown value, secrets scrubbed. */
export function logError(err: unknown): { error: EcsError } {
  if (!(err instanceof Error)) {
    return { error: { type: typeName(err), message: scrubText(messageOf(err)) } };
  }
  const code = (err as { code?: unknown }).code;
  const stack = stackWithCauses(err);
  return {
    error: {
      type: typeName(err),
      message: scrubText(errorMessage(err)),
      ...(stack !== undefined ? { stack_trace: scrubText(stack) } : {}),
      ...(typeof code === 'string' || typeof code === 'number' ? { code: scrubText(String(code)) } : {}),
    },
  };
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  const ctor: unknown = (v as { constructor?: unknown }).constructor;
  if (typeof ctor === 'function' && ctor.name !== '') return ctor.name;
  const name: unknown = (v as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

function messageOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') {
    const m: unknown = (v as { message?: unknown }).message;
    if (typeof m === 'string') return m;
    try { return JSON.stringify(v) ?? Object.prototype.toString.call(v); } catch { return Object.prototype.toString.call(v); }
  }
  return String(v);
}

/**
 * Node's connect() to a name with several addresses fails with an AggregateError whose own message is empty
 * (`ECONNREFUSED` to both ::1 and 127.0.0.1); the messages of its parts are what explains it.
 */
function errorMessage(err: Error): string {
  if (err.message !== '') return err.message;
  if (err instanceof AggregateError) {
    const parts = (err.errors as unknown[]).map(messageOf).filter((m) => m !== '');
    if (parts.length > 0) return parts.join('; ');
  }
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

/** The stack, followed by each `cause` (kafkajs and undici wrap the real failure in one). */
function stackWithCauses(err: Error): string | undefined {
  let out = err.stack;
  const seen = new Set<unknown>([err]);
  let cause: unknown = err.cause;
  for (let i = 0; i < MAX_CAUSES && cause !== undefined && !seen.has(cause); i++) {
    seen.add(cause);
    const text = cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : messageOf(cause);
    out = `${out ?? `${err.name}: ${err.message}`}\nCaused by: ${text}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return out;
}
