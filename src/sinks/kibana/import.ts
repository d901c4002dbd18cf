// `wg-siem setup --kibana`: imports the saved objects through Kibana's saved-objects import API with overwrite, so
// a second run replaces the same objects (fixed ids) instead of adding copies. Waits for Kibana to be available
// (it starts well after Elasticsearch), and refuses a Kibana older than the object shapes before sending anything.
import { KIBANA_OBJECTS_VERSION, toNdjson, type SavedObject } from './build.ts';

export type KibanaAuth = { readonly apiKey: string } | { readonly username: string; readonly password: string } | null;

export interface KibanaImportOptions {
  readonly url: string;
  readonly space: string | null;
  readonly auth: KibanaAuth;
  readonly readyTimeoutMs: number;
  /** Progress lines (waiting for Kibana). */
  readonly log?: (line: string) => void;
  readonly pollMs?: number;
}

export interface ImportedObject {
  readonly type: string;
  readonly id: string;
  readonly title: string;
  readonly outcome: 'created' | 'overwritten';
}

export interface KibanaImportReport {
  readonly kibanaVersion: string;
  readonly space: string;
  readonly objects: readonly ImportedObject[];
}

export class KibanaError extends Error {}

interface StatusBody { version?: { number?: string }; status?: { overall?: { level?: string; state?: string } } }
interface ImportError { id: string; type: string; title?: string; meta?: { title?: string }; error: { type: string; references?: { type: string; id: string }[]; message?: string } }
interface ImportBody { success?: boolean; successCount?: number; errors?: ImportError[]; successResults?: { type: string; id: string; meta?: { title?: string }; overwrite?: boolean }[] }

/** "8.8.0" ≤ "9.5.4": numeric compare of the first three parts (a "-SNAPSHOT" suffix is ignored). */
export function versionAtLeast(version: string, min: string): boolean {
  const parts = (v: string): number[] => v.split('-')[0]?.split('.').map((x) => Number.parseInt(x, 10) || 0) ?? [];
  const a = parts(version);
  const b = parts(min);
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

function headers(auth: KibanaAuth): Record<string, string> {
  const h: Record<string, string> = { 'kbn-xsrf': 'wg-siem' };
  if (auth && 'apiKey' in auth) h['authorization'] = `ApiKey ${auth.apiKey}`;
  else if (auth) h['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return h;
}

const base = (url: string): string => url.replace(/\/+$/, '');
const errorText = (e: unknown): string => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
};

/** Polls /api/status until Kibana says it is available; credentials refused or a timeout end it with the reason. */
async function waitAvailable(o: KibanaImportOptions): Promise<string> {
  const deadline = Date.now() + o.readyTimeoutMs;
  let last: string;
  let announced = false;
  for (;;) {
    try {
      const res = await fetch(`${base(o.url)}/api/status`, { headers: headers(o.auth), signal: AbortSignal.timeout(10_000) });
      if (res.status === 401 || res.status === 403) {
        throw new KibanaError(`Kibana at ${o.url} refused the credentials (HTTP ${res.status}): set kibana.apiKey, or elasticsearch.username and password`);
      }
      const body = (await res.json().catch(() => ({}))) as StatusBody;
      const level = body.status?.overall?.level ?? body.status?.overall?.state;
      const version = body.version?.number;
      if (res.ok && version && (level === 'available' || level === 'green')) return version;
      last = `HTTP ${res.status}${level ? `, status ${level}` : ''}`;
    } catch (e) {
      if (e instanceof KibanaError) throw e;
      last = errorText(e);
    }
    if (Date.now() >= deadline) throw new KibanaError(`Kibana at ${o.url} was not available within ${Math.round(o.readyTimeoutMs / 1000)} s (last: ${last})`);
    if (!announced) {
      o.log?.(`waiting for Kibana at ${o.url} to be available (${last})`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 2000));
  }
}

function parseJson(text: string): ImportBody {
  try {
    return JSON.parse(text) as ImportBody;
  } catch {
    return {};
  }
}

function describeError(e: ImportError): string {
  const title = e.title ?? e.meta?.title;
  const what = `${e.type} ${e.id}${title ? ` (${title})` : ''}`;
  if (e.error.type === 'missing_references') return `${what}: refers to missing ${(e.error.references ?? []).map((r) => `${r.type} ${r.id}`).join(', ')}`;
  return `${what}: ${e.error.type}${e.error.message ? ` — ${e.error.message}` : ''}`;
}

export async function importSavedObjects(objects: readonly SavedObject[], o: KibanaImportOptions): Promise<KibanaImportReport> {
  const version = await waitAvailable(o);
  if (!versionAtLeast(version, KIBANA_OBJECTS_VERSION)) {
    throw new KibanaError(`Kibana ${version} is older than ${KIBANA_OBJECTS_VERSION}, the oldest release these saved objects are written for`);
  }
  const form = new FormData();
  form.append('file', new Blob([toNdjson(objects)], { type: 'application/ndjson' }), 'wg-siem.ndjson');
  const space = o.space ?? 'default';
  const prefix = o.space && o.space !== 'default' ? `/s/${encodeURIComponent(o.space)}` : '';
  let res: Response;
  try {
    res = await fetch(`${base(o.url)}${prefix}/api/saved_objects/_import?overwrite=true`, { method: 'POST', headers: headers(o.auth), body: form, signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new KibanaError(`importing into Kibana at ${o.url} failed: ${errorText(e)}`);
  }
  const text = await res.text();
  const body = parseJson(text);
  if (!res.ok) {
    const reason = (body as { message?: string }).message ?? text.slice(0, 300);
    throw new KibanaError(`Kibana refused the import (HTTP ${res.status}${res.status === 404 && prefix ? `: does space ${space} exist?` : ''}): ${reason}`);
  }
  if (body.success !== true) {
    const errors = body.errors ?? [];
    throw new KibanaError(`Kibana imported ${body.successCount ?? 0} of ${objects.length} objects; ${errors.length} failed:\n  ${errors.map(describeError).join('\n  ')}`);
  }
  const titles = new Map(objects.map((x) => [`${x.type}/${x.id}`, typeof x.attributes['title'] === 'string' ? x.attributes['title'] : x.id]));
  return {
    kibanaVersion: version,
    space,
    objects: (body.successResults ?? []).map((r) => ({
      type: r.type, id: r.id, title: r.meta?.title ?? titles.get(`${r.type}/${r.id}`) ?? r.id, outcome: r.overwrite === true ? 'overwritten' : 'created',
    })),
  };
}
