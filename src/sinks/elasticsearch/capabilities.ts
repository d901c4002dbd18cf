// Elasticsearch builds differ: the minimal integ-test build lacks ingest processors, ILM, painless,
// update/delete-by-query, ES|QL and several field types that a full distribution has. This module asks the
// server once what it has; the rest of the code asks this answer instead of assuming either build.
import type { Client } from '@elastic/elasticsearch';

export interface EsCapabilities {
  readonly version: string;
  /** `GET /` answers (the client's info()/ping() work). */
  readonly rootEndpoint: boolean;
  readonly modules: readonly string[];
  readonly ingestProcessors: readonly string[];
  readonly ilm: boolean;
  readonly dataStreamLifecycle: boolean;
  readonly dataStreamApi: boolean;
  readonly painless: boolean;
  readonly updateByQuery: boolean;
  readonly esql: boolean;
  /** `index.mode: logsdb` is accepted (sorted by @timestamp, best_compression, synthetic _source where licensed). */
  readonly logsdb: boolean;
  /**
   * `_source` is really synthetic (rebuilt from doc values) when asked for: read back from a probe index's effective
   * settings, since a server without the licence keeps the setting and stores the source anyway.
   */
  readonly syntheticSource: boolean;
  /** `index.codec: best_compression` is accepted. */
  readonly bestCompression: boolean;
  /** `index.mode: lookup` is accepted: the right-hand side of ES|QL LOOKUP JOIN. */
  readonly lookupIndexMode: boolean;
  /** The enrich APIs answer (an enrich policy over the diagnoses index would work). */
  readonly enrich: boolean;
  /** Field types the node accepts in a mapping, of those wg-siem's templates care about. */
  readonly fieldTypes: ReadonlySet<string>;
  readonly missingFieldTypes: readonly string[];
  /** Data nodes in the cluster (from cluster health): above 1, the templates ask for one replica. */
  readonly dataNodes?: number;
}

/** ECS uses these; the minimal build lacks some of them, so each is tried. */
export const PROBED_FIELD_TYPES = ['keyword', 'text', 'match_only_text', 'wildcard', 'constant_keyword', 'ip', 'date', 'long', 'float', 'double', 'boolean', 'flattened', 'unsigned_long', 'scaled_float'] as const;

interface NodesInfo {
  nodes?: Record<string, { version?: string; modules?: { name: string }[]; plugins?: { name: string }[]; ingest?: { processors?: { type: string }[] } }>;
}

async function status(client: Client, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>): Promise<number> {
  try {
    const r = await client.transport.request({ method, path, body }, { meta: true, ignore: [400, 401, 403, 404, 405, 410, 500, 501] });
    return r.statusCode ?? 0;
  } catch (e) {
    const sc = (e as { meta?: { statusCode?: number } }).meta?.statusCode;
    return sc ?? 0;
  }
}

async function fieldTypeSupported(client: Client, type: string, probeIndex: string): Promise<boolean> {
  const index = `${probeIndex}-${type.replace(/_/g, '-')}`;
  const code = await status(client, 'PUT', `/${index}`, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { properties: { f: { type } } } });
  if (code === 200) await status(client, 'DELETE', `/${index}`);
  return code === 200;
}

type Settings = Readonly<Record<string, unknown>>;

/** Creates a probe index with `settings`; on success, its effective settings (flat, with defaults), then deletes it. */
async function probeSettings(client: Client, index: string, settings: Settings): Promise<Settings | null> {
  const code = await status(client, 'PUT', `/${index}`, { settings: { number_of_shards: 1, number_of_replicas: 0, ...settings } });
  if (code !== 200) return null;
  try {
    const r = await client.transport.request<Record<string, { settings?: Settings; defaults?: Settings }>>(
      { method: 'GET', path: `/${index}/_settings`, querystring: { include_defaults: 'true', flat_settings: 'true' } },
      { ignore: [403, 404] },
    );
    const entry = Object.values(r ?? {})[0];
    return { ...(entry?.defaults ?? {}), ...(entry?.settings ?? {}) };
  } catch {
    return {};
  } finally {
    await status(client, 'DELETE', `/${index}`);
  }
}

/** A flat setting as lower-case text ('' when absent or not a string). */
const setting = (s: Settings | null, key: string): string => { const v = s?.[key]; return typeof v === 'string' ? v.toLowerCase() : ''; };
const sourceMode = (s: Settings | null): string => setting(s, 'index.mapping.source.mode');

export async function detectCapabilities(client: Client): Promise<EsCapabilities> {
  const info = await client.transport.request<NodesInfo>({ method: 'GET', path: '/_nodes/_local', querystring: { filter_path: 'nodes.*.version,nodes.*.modules.name,nodes.*.plugins.name,nodes.*.ingest.processors.type' } });
  const node = Object.values(info.nodes ?? {})[0];
  const modules = [...(node?.modules ?? []), ...(node?.plugins ?? [])].map((m) => m.name).sort();
  const ingestProcessors = (node?.ingest?.processors ?? []).map((p) => p.type).sort();
  const probe = `wg-siem-probe-${Date.now().toString(36)}`;
  const types = await Promise.all(PROBED_FIELD_TYPES.map(async (t) => [t, await fieldTypeSupported(client, t, probe)] as const));
  const [root, ilm, dsl, ds, painless, ubq, esql] = await Promise.all([
    status(client, 'GET', '/'),
    status(client, 'GET', '/_ilm/status'),
    status(client, 'GET', '/_lifecycle/stats'),
    status(client, 'GET', '/_data_stream'),
    status(client, 'POST', '/_scripts/painless/_execute', { script: { source: '1 + 1' } }),
    status(client, 'POST', `/${probe}-none/_update_by_query`, { query: { match_none: {} } }),
    status(client, 'POST', '/_query', { query: 'ROW a = 1' }),
  ]);
  const clusterHealth = client.transport.request<{ number_of_data_nodes?: number }>({ method: 'GET', path: '/_cluster/health' }).catch(() => ({ number_of_data_nodes: undefined }));
  const [logsdb, synthetic, codec, lookup, enrich] = await Promise.all([
    probeSettings(client, `${probe}-mode-logsdb`, { 'index.mode': 'logsdb' }),
    probeSettings(client, `${probe}-source-synthetic`, { 'index.mapping.source.mode': 'synthetic' }),
    probeSettings(client, `${probe}-codec`, { 'index.codec': 'best_compression' }),
    probeSettings(client, `${probe}-mode-lookup`, { 'index.mode': 'lookup' }),
    status(client, 'GET', '/_enrich/policy'),
  ]);
  const fieldTypes = new Set(types.filter(([, ok]) => ok).map(([t]) => t));
  return {
    version: node?.version ?? 'unknown',
    rootEndpoint: root === 200,
    modules,
    ingestProcessors,
    ilm: ilm === 200,
    dataStreamLifecycle: dsl === 200,
    dataStreamApi: ds === 200,
    painless: painless === 200,
    // 404 = the endpoint exists but the index does not.
    updateByQuery: ubq === 404 || ubq === 200,
    esql: esql === 200,
    // Accepted, and not quietly turned into another mode ('' when the settings could not be read back).
    logsdb: logsdb !== null && ['logsdb', ''].includes(setting(logsdb, 'index.mode')),
    syntheticSource: sourceMode(synthetic) === 'synthetic' || sourceMode(logsdb) === 'synthetic',
    bestCompression: codec !== null,
    lookupIndexMode: lookup !== null && ['lookup', ''].includes(setting(lookup, 'index.mode')),
    enrich: enrich === 200,
    fieldTypes,
    missingFieldTypes: PROBED_FIELD_TYPES.filter((t) => !fieldTypes.has(t)),
    dataNodes: (await clusterHealth).number_of_data_nodes ?? 1,
  };
}

/** Plain-data form for printing and JSON. */
export function capabilitiesReport(c: EsCapabilities): Record<string, unknown> {
  return { ...c, fieldTypes: [...c.fieldTypes].sort() };
}
