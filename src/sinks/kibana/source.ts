// The Kibana objects as the repository keeps them (mappings/kibana/): data views, and per dashboard its saved searches
// and aggregation panels, in YAML a reviewer can read. build.ts turns them into saved objects for Kibana's import API.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ajvLines } from '../../shared/schema/ajv-errors.ts';

export const KIBANA_SOURCE_DIR = fileURLToPath(new URL('../../../mappings/kibana/', import.meta.url));

export interface DataViewSource {
  readonly id: string;
  readonly name: string;
  /** Index pattern, e.g. logs-wireguard.log-*. */
  readonly pattern: string;
  /** Absent for reference data without time (the diagnoses index): Discover then shows every document. */
  readonly time_field?: string;
}

export interface SearchSource {
  readonly id: string;
  readonly title: string;
  readonly data_view: string;
  /** Lucene query syntax: Kibana runs it as a query_string query, so the tests can run exactly the same text. */
  readonly query: string;
  readonly columns: readonly string[];
}

/** The metric aggregations the panels use (legacy aggregation-based visualizations). */
export type MetricAgg = 'count' | 'max' | 'min' | 'sum' | 'avg' | 'cardinality';
export type BucketAgg = 'date_histogram' | 'terms';

export interface MetricSource {
  readonly agg: MetricAgg;
  readonly field?: string;
  readonly label?: string;
}

export interface BucketSource {
  readonly agg: BucketAgg;
  readonly field: string;
  /** segment: the x axis; group: split series; bucket: table rows. */
  readonly schema: 'segment' | 'group' | 'bucket';
  readonly size?: number;
  /** Terms ordered by this metric (index into `metrics`) instead of by count. */
  readonly order_by_metric?: number;
  readonly order?: 'asc' | 'desc';
}

export interface Grid {
  readonly w: number;
  readonly h: number;
}

export interface VisPanelSource {
  readonly id: string;
  readonly title: string;
  readonly search: string;
  readonly chart: 'histogram' | 'line' | 'table' | 'pie';
  readonly metrics: readonly MetricSource[];
  readonly buckets: readonly BucketSource[];
  readonly grid: Grid;
}

export interface SearchPanelSource {
  readonly saved_search: string;
  readonly grid: Grid;
}

export type PanelSource = VisPanelSource | SearchPanelSource;

export interface DashboardSource {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly searches: readonly SearchSource[];
  readonly panels: readonly PanelSource[];
}

export interface KibanaSource {
  readonly dataViews: readonly DataViewSource[];
  readonly dashboards: readonly DashboardSource[];
}

export const isSearchPanel = (p: PanelSource): p is SearchPanelSource => 'saved_search' in p;

const ID = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' } as const;
const FIELD = { type: 'string', minLength: 1 } as const;
const GRID = {
  type: 'object', additionalProperties: false, required: ['w', 'h'],
  properties: { w: { type: 'integer', minimum: 4, maximum: 48 }, h: { type: 'integer', minimum: 4, maximum: 40 } },
} as const;

const DATA_VIEWS_SCHEMA = {
  type: 'array', minItems: 1,
  items: {
    type: 'object', additionalProperties: false, required: ['id', 'name', 'pattern'],
    properties: { id: ID, name: { type: 'string' }, pattern: { type: 'string', pattern: '^[a-z0-9._-]+\\*?$' }, time_field: FIELD },
  },
} as const;

const DASHBOARD_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['id', 'title', 'description', 'time', 'searches', 'panels'],
  properties: {
    id: ID, title: { type: 'string' }, description: { type: 'string' },
    time: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
    searches: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['id', 'title', 'data_view', 'query', 'columns'],
        properties: { id: ID, title: { type: 'string' }, data_view: ID, query: { type: 'string' }, columns: { type: 'array', items: FIELD } },
      },
    },
    panels: {
      type: 'array', minItems: 1,
      items: {
        oneOf: [
          {
            type: 'object', additionalProperties: false, required: ['id', 'title', 'search', 'chart', 'metrics', 'buckets', 'grid'],
            properties: {
              id: ID, title: { type: 'string' }, search: ID, grid: GRID,
              chart: { enum: ['histogram', 'line', 'table', 'pie'] },
              metrics: {
                type: 'array', minItems: 1,
                items: {
                  type: 'object', additionalProperties: false, required: ['agg'],
                  properties: { agg: { enum: ['count', 'max', 'min', 'sum', 'avg', 'cardinality'] }, field: FIELD, label: { type: 'string' } },
                },
              },
              buckets: {
                type: 'array', minItems: 1,
                items: {
                  type: 'object', additionalProperties: false, required: ['agg', 'field', 'schema'],
                  properties: {
                    agg: { enum: ['date_histogram', 'terms'] }, field: FIELD, schema: { enum: ['segment', 'group', 'bucket'] },
                    size: { type: 'integer', minimum: 1, maximum: 500 }, order_by_metric: { type: 'integer', minimum: 0 }, order: { enum: ['asc', 'desc'] },
                  },
                },
              },
            },
          },
          { type: 'object', additionalProperties: false, required: ['saved_search', 'grid'], properties: { saved_search: ID, grid: GRID } },
        ],
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validDataViews = ajv.compile(DATA_VIEWS_SCHEMA);
const validDashboard = ajv.compile(DASHBOARD_SCHEMA);

const describe = (file: string, errors: readonly ErrorObject[] | null | undefined): string[] =>
  ajvLines(errors, { where: (pointer) => `${file}${pointer || '/'}` });

/** Reads and checks the source; every problem, across files, in one error. */
export function readKibanaSource(dir = KIBANA_SOURCE_DIR): KibanaSource {
  const problems: string[] = [];
  const dataViews = parseYaml(readFileSync(join(dir, 'data-views.yaml'), 'utf8')) as unknown;
  if (!validDataViews(dataViews)) problems.push(...describe('data-views.yaml', validDataViews.errors));
  const dashboards: DashboardSource[] = [];
  for (const f of readdirSync(join(dir, 'dashboards')).filter((x) => x.endsWith('.yaml')).sort()) {
    const file = `dashboards/${f}`;
    const d = parseYaml(readFileSync(join(dir, file), 'utf8')) as unknown;
    if (validDashboard(d)) dashboards.push({ ...(d as Omit<DashboardSource, 'file'>), file });
    else problems.push(...describe(file, validDashboard.errors));
  }
  const views = validDataViews(dataViews) ? (dataViews as DataViewSource[]) : [];
  problems.push(...crossCheck(views, dashboards));
  if (problems.length > 0) throw new Error(`mappings/kibana has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  return { dataViews: views, dashboards };
}

/** References between objects, and ids unique across every object Kibana will hold. */
function crossCheck(views: readonly DataViewSource[], dashboards: readonly DashboardSource[]): string[] {
  const out: string[] = [];
  const ids = new Map<string, string>();
  const claim = (id: string, where: string): void => {
    const other = ids.get(id);
    if (other !== undefined && other !== where) out.push(`${where}: id ${id} is also used by ${other}`);
    ids.set(id, where);
  };
  for (const v of views) claim(v.id, 'data-views.yaml');
  const searches = new Set<string>();
  for (const d of dashboards) {
    claim(d.id, d.file);
    for (const s of d.searches) {
      claim(s.id, d.file);
      searches.add(s.id);
      if (!views.some((v) => v.id === s.data_view)) out.push(`${d.file}: search ${s.id} uses unknown data view ${s.data_view}`);
    }
  }
  for (const d of dashboards) {
    for (const p of d.panels) {
      if (isSearchPanel(p)) {
        if (!searches.has(p.saved_search)) out.push(`${d.file}: panel shows unknown saved search ${p.saved_search}`);
        continue;
      }
      claim(p.id, d.file);
      if (!searches.has(p.search)) out.push(`${d.file}: panel ${p.id} uses unknown saved search ${p.search}`);
      p.metrics.forEach((m, i) => {
        if ((m.agg === 'count') !== (m.field === undefined)) out.push(`${d.file}: panel ${p.id} metric ${i}: ${m.agg === 'count' ? 'count takes no field' : `${m.agg} needs a field`}`);
      });
      for (const b of p.buckets) {
        if (b.order_by_metric !== undefined && b.order_by_metric >= p.metrics.length) out.push(`${d.file}: panel ${p.id}: order_by_metric ${b.order_by_metric} has no metric`);
      }
    }
  }
  return out;
}
