// The diagnoses index: one document per diagnosis (the catalog's and the collector's peer changes'), written by
// `wg-siem setup`. Events carry only `wireguard.diagnosis.id` and the one-line summary in event.reason; the causes
// and checks, the same few paragraphs for millions of events, are stored here once. Kibana shows them through the
// wg-siem-diagnoses data view; on servers with ES|QL and the lookup index mode:
//   FROM logs-wireguard.log-* | LOOKUP JOIN wireguard-diagnoses ON wireguard.diagnosis.id
import type { Client } from '@elastic/elasticsearch';
import { DIAGNOSIS_LIST } from '../../parse/catalog/catalog.ts';
import type { Cause, DiagnosisDef } from '../../parse/catalog/types.ts';
import { PEER_CHANGE_DIAGNOSES } from '../../parse/normalize/peer-snapshot.ts';
import type { WgDiagnosisDoc } from '../../shared/schema/generated/diagnosis.ts';
import { isObj } from './setup-compare.ts';

/** The index (and its template's name): one per cluster, the catalog is the same for every namespace. */
export const DIAGNOSES_INDEX = 'wireguard-diagnoses';

/** A cause as documents and `explain` print it: its likelihood, then its text. */
export const causeText = (c: Cause): string => `${c.likelihood}: ${c.text}`;

export function diagnosisDocument(d: DiagnosisDef): WgDiagnosisDoc {
  return { wireguard: { diagnosis: { id: d.id, summary: d.summary, causes: d.causes.map(causeText), checks: [...d.checks] } } };
}

/** Every diagnosis an event can name, by id. */
export function diagnosisDocuments(): Map<string, WgDiagnosisDoc> {
  const out = new Map<string, WgDiagnosisDoc>();
  for (const d of DIAGNOSIS_LIST) out.set(d.id, diagnosisDocument(d));
  for (const d of PEER_CHANGE_DIAGNOSES) out.set(d.id, { wireguard: { diagnosis: { id: d.id, summary: d.summary, causes: [...d.causes], checks: [...d.checks] } } });
  return out;
}

/** What setup compares and writes: the index mode the index must have, and its documents by _id. */
export type DocumentsBody = {
  readonly index_mode: string;
  readonly documents: Readonly<Record<string, WgDiagnosisDoc>>;
};

export function plannedDocuments(lookupIndexMode: boolean): DocumentsBody {
  return { index_mode: lookupIndexMode ? 'lookup' : 'standard', documents: Object.fromEntries(diagnosisDocuments()) };
}

type Obj = Readonly<Record<string, unknown>>;

/** The index's mode and documents, in the shape of DocumentsBody; null when there is no such index. */
export async function readDocuments(client: Client, index: string): Promise<Obj | null> {
  const settings = await client.transport.request<unknown>(
    { method: 'GET', path: `/${encodeURIComponent(index)}/_settings`, querystring: { flat_settings: 'true' } },
    { meta: true, ignore: [404] },
  );
  if (settings.statusCode === 404) return null;
  const entry = isObj(settings.body) ? Object.values(settings.body)[0] : undefined;
  const flat = isObj(entry) && isObj(entry['settings']) ? entry['settings'] : {};
  const mode = typeof flat['index.mode'] === 'string' ? flat['index.mode'].toLowerCase() : 'standard';
  const r = await client.transport.request<{ hits?: { hits?: Array<{ _id: string; _source?: unknown }> } }>({
    method: 'POST', path: `/${encodeURIComponent(index)}/_search`, body: { size: 10_000, query: { match_all: {} } },
  });
  const documents: Record<string, unknown> = {};
  for (const h of r.hits?.hits ?? []) documents[h._id] = h._source;
  return { index_mode: mode, documents };
}

/**
 * Makes the index hold exactly `body`: recreated when its mode differs (a mode cannot change in place; the
 * index is derived data), every planned document written under its id, any other document deleted.
 */
export async function writeDocuments(client: Client, index: string, body: DocumentsBody): Promise<void> {
  const installed = await readDocuments(client, index);
  const path = `/${encodeURIComponent(index)}`;
  if (installed !== null && installed['index_mode'] !== body.index_mode) await client.transport.request({ method: 'DELETE', path });
  if (installed === null || installed['index_mode'] !== body.index_mode) {
    // The index template supplies mappings and settings; the mode is set here as well, in case the template
    // was installed by an older wg-siem.
    const settings = body.index_mode === 'standard' ? {} : { index: { mode: body.index_mode } };
    await client.transport.request({ method: 'PUT', path, body: { settings } });
  }
  const stale = installed !== null && installed['index_mode'] === body.index_mode && isObj(installed['documents'])
    ? Object.keys(installed['documents']).filter((id) => !(id in body.documents))
    : [];
  const ops: Array<Record<string, unknown>> = [];
  for (const [id, doc] of Object.entries(body.documents)) ops.push({ index: { _index: index, _id: id } }, { ...doc });
  for (const id of stale) ops.push({ delete: { _index: index, _id: id } });
  const r = await client.transport.request<{ errors?: boolean; items?: Array<Record<string, { status?: number; error?: unknown }>> }>({
    method: 'POST', path: '/_bulk', querystring: { refresh: 'wait_for' }, bulkBody: ops,
  });
  if (r.errors) {
    const failed = (r.items ?? []).map((i) => Object.values(i)[0]).filter((i) => i?.error !== undefined && i.status !== 404);
    if (failed.length > 0) throw new Error(`${failed.length} of ${ops.length / 2} documents refused, e.g. ${JSON.stringify(failed[0]?.error).slice(0, 300)}`);
  }
}
