// What Kibana asks Elasticsearch when it draws a panel: the visualization's aggregations, under its saved search's
// query, on its data view's indices, over a time range. Read from the built saved objects (not the YAML source), so
// a test that runs these searches checks the objects a user imports, references included.
import type { SavedObject, VisAgg } from './build.ts';

export interface PanelSearch {
  readonly panel: string;
  readonly title: string;
  /** The chain the panel resolves through: visualization → saved search → data view. */
  readonly search: string;
  readonly dataView: string;
  readonly index: string;
  readonly body: Record<string, unknown>;
  /** Bucket aggregations from the outermost in: agg name, type and field. */
  readonly buckets: readonly { readonly name: string; readonly type: string; readonly field: string }[];
  readonly metrics: readonly { readonly name: string; readonly type: string; readonly field?: string }[];
}

/** Kibana's "auto" interval aims at about 100 buckets over the range, on round steps. */
const STEPS_S = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 12 * 3600, 86_400, 7 * 86_400];
export function autoInterval(spanMs: number): string {
  const want = spanMs / 1000 / 100;
  const s = STEPS_S.find((x) => x >= want) ?? STEPS_S[STEPS_S.length - 1] ?? 86_400;
  return s % 86_400 === 0 ? `${s / 86_400}d` : s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

function find(objects: readonly SavedObject[], type: SavedObject['type'], id: string, from: string): SavedObject {
  const o = objects.find((x) => x.type === type && x.id === id);
  if (!o) throw new Error(`${from} refers to ${type} ${id}, which is not among the objects`);
  return o;
}

function ref(o: SavedObject, name: string): { id: string; type: SavedObject['type'] } {
  const r = o.references.find((x) => x.name === name);
  if (!r) throw new Error(`${o.type} ${o.id} has no reference named ${name}`);
  return r;
}

const jsonAttr = <T>(o: SavedObject, path: readonly string[]): T => {
  let v: unknown = o.attributes;
  for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
  if (typeof v !== 'string') throw new Error(`${o.type} ${o.id}: ${path.join('.')} is not a JSON string`);
  return JSON.parse(v) as T;
};

function metricBody(a: VisAgg): Record<string, unknown> | undefined {
  return a.type === 'count' ? undefined : { [a.type]: { field: a.params['field'] } };
}

/**
 * `filters` are extra query clauses, as a user's dashboard filter would add (the tests narrow to their own data
 * stream namespace with one).
 */
export function panelSearch(objects: readonly SavedObject[], visId: string, range: { readonly gte: number; readonly lte: number }, filters: readonly Record<string, unknown>[] = []): PanelSearch {
  const vis = find(objects, 'visualization', visId, 'the caller');
  const searchRef = ref(vis, 'search_0');
  const search = find(objects, 'search', searchRef.id, `visualization ${vis.id}`);
  const viewRef = ref(search, 'kibanaSavedObjectMeta.searchSourceJSON.index');
  const view = find(objects, 'index-pattern', viewRef.id, `search ${search.id}`);
  const source = jsonAttr<{ query: { query: string; language: string } }>(search, ['kibanaSavedObjectMeta', 'searchSourceJSON']);
  if (source.query.language !== 'lucene') throw new Error(`search ${search.id}: only lucene queries are translated`);
  const state = jsonAttr<{ title: string; aggs: VisAgg[] }>(vis, ['visState']);
  const metrics = state.aggs.filter((a) => a.schema === 'metric');
  const buckets = state.aggs.filter((a) => a.schema !== 'metric');
  const timeField = String(view.attributes['timeFieldName']);

  const leafMetrics: Record<string, unknown> = {};
  for (const m of metrics) {
    const b = metricBody(m);
    if (b) leafMetrics[m.id] = b;
  }
  let aggs: Record<string, unknown> = leafMetrics;
  for (const b of [...buckets].reverse()) {
    const p = b.params;
    let body: Record<string, unknown>;
    if (b.type === 'date_histogram') {
      body = { date_histogram: { field: p['field'], fixed_interval: autoInterval(range.lte - range.gte), min_doc_count: p['min_doc_count'] ?? 1 } };
    } else if (b.type === 'terms') {
      const by = metrics.find((m) => m.id === p['orderBy']);
      const dir = p['order'] === 'asc' ? 'asc' : 'desc';
      // Ordering by a metric needs that metric inside the terms aggregation, as Kibana puts it there.
      const order = !by || by.type === 'count' ? { _count: dir } : { [by.id]: dir };
      body = { terms: { field: p['field'], size: p['size'], order } };
    } else {
      throw new Error(`visualization ${vis.id}: bucket aggregation ${b.type} is not translated`);
    }
    const byMetric = b.type === 'terms' ? metrics.find((m) => m.id === p['orderBy'] && m.type !== 'count') : undefined;
    const orderMetric = byMetric ? metricBody(byMetric) : undefined;
    body['aggs'] = byMetric && orderMetric ? { ...aggs, [byMetric.id]: orderMetric } : aggs;
    aggs = { [b.id]: body };
  }
  const query = source.query.query.trim() === '' ? { match_all: {} } : { query_string: { query: source.query.query, analyze_wildcard: true } };
  return {
    panel: vis.id,
    title: state.title,
    search: search.id,
    dataView: view.id,
    index: String(view.attributes['title']),
    body: {
      size: 0,
      track_total_hits: true,
      query: { bool: { must: [query], filter: [{ range: { [timeField]: { gte: range.gte, lte: range.lte, format: 'epoch_millis' } } }, ...filters] } },
      aggs,
    },
    buckets: buckets.map((b) => ({ name: b.id, type: b.type, field: String(b.params['field']) })),
    metrics: metrics.map((m) => ({ name: m.id, type: m.type, ...(typeof m.params['field'] === 'string' ? { field: m.params['field'] } : {}) })),
  };
}
