// Reads and writes the objects `setup` manages. Raw requests rather than the typed client methods: the bodies
// are the JSON files of mappings/, and the responses are checked here against the little this code relies on.
import type { Client } from '@elastic/elasticsearch';
import { isObj, type SetupObjectKind } from './setup-compare.ts';

type Obj = Readonly<Record<string, unknown>>;

/** A failure naming the object and Elasticsearch's own reason. */
export class SetupError extends Error {
  readonly kind: SetupObjectKind;
  readonly object: string;
  readonly reason: string;
  constructor(kind: SetupObjectKind, object: string, doing: string, reason: string, cause?: unknown) {
    super(`${doing} ${kind} ${object}: ${reason}`, { cause });
    this.name = 'SetupError';
    this.kind = kind;
    this.object = object;
    this.reason = reason;
  }
}

/** The error body of an Elasticsearch response: `{error: {type, reason, caused_by?, root_cause?}, status}`. */
interface EsErrorCause {
  readonly type?: string;
  readonly reason?: string;
  readonly caused_by?: EsErrorCause;
}

function asCause(v: unknown): EsErrorCause | undefined {
  if (!isObj(v)) return undefined;
  const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
  return { type: str(v['type']), reason: str(v['reason']), caused_by: asCause(v['caused_by']) };
}

function describeCause(c: EsErrorCause): string {
  const own = [c.type, c.reason].filter(Boolean).join(': ');
  // The outer reason is sometimes generic and the cause names the field; often the outer one quotes it already.
  const cause = c.caused_by;
  if (cause === undefined || (cause.reason !== undefined && own.includes(cause.reason))) return own;
  return `${own} (caused by ${describeCause(cause)})`;
}

/** Elasticsearch's reason for a failed request, else the transport's message (connection refused, ...). */
export function esReason(e: unknown): string {
  const meta = (e as { meta?: { statusCode?: number; body?: unknown } }).meta;
  const body = meta?.body;
  const cause = isObj(body) ? asCause(body['error']) : undefined;
  if (cause !== undefined) {
    const text = describeCause(cause);
    return `${text}${meta?.statusCode ? ` [HTTP ${meta.statusCode}]` : ''}`;
  }
  if (typeof body === 'string' && body.trim() !== '') return `${body.trim()}${meta?.statusCode ? ` [HTTP ${meta.statusCode}]` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

/** The objects read and written through their own APIs (`documents` are handled by diagnoses.ts). */
export type ApiObjectKind = Exclude<SetupObjectKind, 'documents'>;

const PATHS: Readonly<Record<ApiObjectKind, string>> = {
  ilm_policy: '/_ilm/policy/',
  component_template: '/_component_template/',
  index_template: '/_index_template/',
};

const objectPath = (kind: ApiObjectKind, name: string): string => `${PATHS[kind]}${encodeURIComponent(name)}`;

/** GET _component_template/<name>: `{component_templates: [{name, component_template}]}`. */
interface ComponentTemplatesResponse {
  readonly component_templates: ReadonlyArray<{ readonly name: string; readonly component_template: Obj }>;
}

/** GET _index_template/<name>: `{index_templates: [{name, index_template}]}`. */
interface IndexTemplatesResponse {
  readonly index_templates: ReadonlyArray<{ readonly name: string; readonly index_template: Obj }>;
}

/** GET _ilm/policy/<name>: `{<name>: {version, modified_date, policy, in_use_by}}`. */
type IlmPoliciesResponse = Readonly<Record<string, { readonly version?: number; readonly policy: Obj }>>;

function namedEntry(list: unknown, field: string, name: string): Obj | null {
  if (!Array.isArray(list)) return null;
  // A name is also a pattern to the GET APIs, so the exact entry is picked out.
  const hit: unknown = list.find((e) => isObj(e) && e['name'] === name);
  return isObj(hit) && isObj(hit[field]) ? hit[field] : null;
}

function extract(kind: ApiObjectKind, name: string, body: unknown): Obj | null {
  if (!isObj(body)) return null;
  switch (kind) {
    case 'component_template':
      return namedEntry((body as Partial<ComponentTemplatesResponse>).component_templates, 'component_template', name);
    case 'index_template':
      return namedEntry((body as Partial<IndexTemplatesResponse>).index_templates, 'index_template', name);
    case 'ilm_policy': {
      const entry = (body as Partial<IlmPoliciesResponse>)[name];
      // The PUT body is `{policy}`; version, modified_date and in_use_by are the server's bookkeeping.
      return isObj(entry) && isObj(entry.policy) ? { policy: entry.policy } : null;
    }
  }
}

/** The installed body in the shape it is PUT, or null when the server has no such object. */
export async function readInstalled(client: Client, kind: ApiObjectKind, name: string): Promise<Obj | null> {
  let r;
  try {
    r = await client.transport.request<unknown>({ method: 'GET', path: objectPath(kind, name) }, { meta: true, ignore: [404] });
  } catch (e) {
    throw new SetupError(kind, name, 'reading', esReason(e), e);
  }
  if (r.statusCode === 404) return null;
  const body = extract(kind, name, r.body);
  if (body === null) throw new SetupError(kind, name, 'reading', `unexpected response: ${JSON.stringify(r.body).slice(0, 300)}`);
  return body;
}

export async function putObject(client: Client, kind: ApiObjectKind, name: string, body: Obj): Promise<void> {
  try {
    await client.transport.request({ method: 'PUT', path: objectPath(kind, name), body: { ...body } });
  } catch (e) {
    throw new SetupError(kind, name, 'installing', esReason(e), e);
  }
}
