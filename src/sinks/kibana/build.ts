// The Kibana source (source.ts) as saved objects, in the form Kibana's saved-objects import API takes (one JSON
// object per line): data views, saved searches, aggregation-based visualizations built on those searches, and
// dashboards. Ids are fixed, so importing again with overwrite replaces the objects instead of duplicating them.
import {
  isSearchPanel, readKibanaSource, type BucketSource, type DashboardSource, type DataViewSource, type KibanaSource, type MetricSource, type SearchSource, type VisPanelSource,
} from './source.ts';

export type SavedObjectType = 'index-pattern' | 'search' | 'visualization' | 'dashboard';

export interface SavedObjectReference {
  readonly id: string;
  readonly name: string;
  readonly type: SavedObjectType;
}

export interface SavedObject {
  readonly id: string;
  readonly type: SavedObjectType;
  readonly attributes: Record<string, unknown>;
  readonly references: readonly SavedObjectReference[];
  readonly coreMigrationVersion: string;
  readonly typeMigrationVersion: string;
}

/**
 * The Kibana release whose object shapes these are. Kibana migrates imported objects forward from the version
 * they declare, and refuses objects newer than itself: setup checks the target is at least this.
 */
export const KIBANA_OBJECTS_VERSION = '8.8.0';
const TYPE_VERSION: Readonly<Record<SavedObjectType, string>> = {
  'index-pattern': '8.0.0', 'search': '8.0.0', 'visualization': '8.5.0', 'dashboard': '8.7.0',
};

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';
const GRID_COLUMNS = 48;

function object(type: SavedObjectType, id: string, attributes: Record<string, unknown>, references: SavedObjectReference[] = []): SavedObject {
  return { id, type, attributes, references, coreMigrationVersion: KIBANA_OBJECTS_VERSION, typeMigrationVersion: TYPE_VERSION[type] };
}

function searchObject(s: SearchSource, views: readonly DataViewSource[]): SavedObject {
  const time = views.find((v) => v.id === s.data_view)?.time_field;
  return object('search', s.id, {
    title: s.title,
    description: '',
    columns: [...s.columns],
    // Newest first; a data view without time (the diagnoses) in the order of its first column.
    sort: [time !== undefined ? [time, 'desc'] : [s.columns[0] ?? '_id', 'asc']],
    kibanaSavedObjectMeta: {
      searchSourceJSON: JSON.stringify({ query: { query: s.query, language: 'lucene' }, filter: [], indexRefName: INDEX_REF }),
    },
  }, [{ id: s.data_view, name: INDEX_REF, type: 'index-pattern' }]);
}

/** Chart options as Kibana's own editor saves them; Kibana fills any option left out from its defaults. */
function chartParams(chart: VisPanelSource['chart']): Record<string, unknown> {
  switch (chart) {
    case 'table':
      return { perPage: 10, showPartialRows: false, showMetricsAtAllLevels: false, showTotal: false, totalFunc: 'sum', percentageCol: '' };
    case 'pie':
      return { type: 'pie', addTooltip: true, addLegend: true, legendPosition: 'right', isDonut: true, labels: { show: false, values: true, last_level: true, truncate: 100 } };
    case 'histogram':
    case 'line':
      return {
        type: chart, addTooltip: true, addLegend: true, legendPosition: 'right', times: [], addTimeMarker: false,
        categoryAxes: [{ id: 'CategoryAxis-1', type: 'category', position: 'bottom', show: true, scale: { type: 'linear' }, labels: { show: true, truncate: 100 }, title: {} }],
        valueAxes: [{ id: 'ValueAxis-1', name: 'LeftAxis-1', type: 'value', position: 'left', show: true, scale: { type: 'linear', mode: 'normal' }, labels: { show: true, rotate: 0, filter: false, truncate: 100 }, title: { text: 'Count' } }],
        seriesParams: [{ show: true, type: chart, mode: chart === 'histogram' ? 'stacked' : 'normal', data: { id: '1', label: 'Count' }, valueAxis: 'ValueAxis-1', drawLinesBetweenPoints: true, showCircles: true }],
        grid: { categoryLines: false },
      };
  }
}

export interface VisAgg {
  readonly id: string;
  readonly enabled: true;
  readonly type: string;
  readonly schema: string;
  readonly params: Record<string, unknown>;
}

function metricAgg(m: MetricSource, i: number): VisAgg {
  return {
    id: String(i + 1), enabled: true, type: m.agg, schema: 'metric',
    params: { ...(m.field !== undefined ? { field: m.field } : {}), ...(m.label !== undefined ? { customLabel: m.label } : {}) },
  };
}

function bucketAgg(b: BucketSource, id: number): VisAgg {
  const params: Record<string, unknown> = b.agg === 'date_histogram'
    ? { field: b.field, interval: 'auto', min_doc_count: 1, extended_bounds: {} }
    : {
      field: b.field, size: b.size ?? 10, order: b.order ?? 'desc', orderBy: b.order_by_metric === undefined ? '1' : String(b.order_by_metric + 1),
      otherBucket: false, missingBucket: false,
    };
  return { id: String(id), enabled: true, type: b.agg, schema: b.schema, params };
}

export function visAggs(p: VisPanelSource): VisAgg[] {
  return [...p.metrics.map(metricAgg), ...p.buckets.map((b, i) => bucketAgg(b, p.metrics.length + i + 1))];
}

function visObject(p: VisPanelSource): SavedObject {
  return object('visualization', p.id, {
    title: p.title,
    description: '',
    visState: JSON.stringify({ title: p.title, type: p.chart, params: chartParams(p.chart), aggs: visAggs(p) }),
    uiStateJSON: '{}',
    version: 1,
    savedSearchRefName: 'search_0',
    kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'lucene' }, filter: [] }) },
  }, [{ id: p.search, name: 'search_0', type: 'search' }]);
}

/** Panels flow left to right over Kibana's 48 grid columns, wrapping below the tallest panel of the row. */
function dashboardObject(d: DashboardSource): SavedObject {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels: Record<string, unknown>[] = [];
  const references: SavedObjectReference[] = [];
  d.panels.forEach((p, i) => {
    if (x + p.grid.w > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const panelIndex = String(i + 1);
    const type: SavedObjectType = isSearchPanel(p) ? 'search' : 'visualization';
    panels.push({ version: KIBANA_OBJECTS_VERSION, type, panelIndex, gridData: { x, y, w: p.grid.w, h: p.grid.h, i: panelIndex }, panelRefName: `panel_${i}`, embeddableConfig: {} });
    references.push({ id: isSearchPanel(p) ? p.saved_search : p.id, name: `panel_${i}`, type });
    x += p.grid.w;
    rowHeight = Math.max(rowHeight, p.grid.h);
  });
  return object('dashboard', d.id, {
    title: d.title,
    description: d.description,
    panelsJSON: JSON.stringify(panels),
    optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, syncCursor: true, syncTooltips: false, hidePanelTitles: false }),
    timeRestore: true,
    timeFrom: d.time.from,
    timeTo: d.time.to,
    refreshInterval: { pause: false, value: 60_000 },
    kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'lucene' }, filter: [] }) },
  }, references);
}

/** Every object, each before the objects that refer to it. */
export function buildSavedObjects(src: KibanaSource = readKibanaSource()): SavedObject[] {
  return [
    ...src.dataViews.map((v) => object('index-pattern', v.id, { title: v.pattern, name: v.name, ...(v.time_field !== undefined ? { timeFieldName: v.time_field } : {}) })),
    ...src.dashboards.flatMap((d) => d.searches.map((x) => searchObject(x, src.dataViews))),
    ...src.dashboards.flatMap((d) => d.panels.filter((p): p is VisPanelSource => !isSearchPanel(p)).map(visObject)),
    ...src.dashboards.map(dashboardObject),
  ];
}

export const toNdjson = (objects: readonly SavedObject[]): string => objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
