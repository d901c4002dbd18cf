// What `wg-siem setup` installs on one server: the templates of mappings/ rewritten for the field types the
// server has, and the retention the server can enforce. Pure: the server's answers come in as capabilities, so
// the plan for any server can be computed (and tested) without one.
import type { Config } from '../../shared/config/keys.ts';
import { adaptMapping, type Substitution } from '../../shared/schema/adapt.ts';
import { listComponentTemplates, listIndexTemplates, MAPPINGS_ROOT, readComponentTemplate, readIndexTemplate } from '../../shared/schema/load.ts';
import type { ComponentTemplateBody, IndexTemplateBody } from '../../shared/schema/template-types.ts';
import type { EsCapabilities } from './capabilities.ts';
import { DIAGNOSES_INDEX, plannedDocuments, type DocumentsBody } from './diagnoses.ts';
import { isObj, type SetupObjectKind } from './setup-compare.ts';

export const ILM_POLICY_NAME = 'wireguard';
/** Bumped when the policy's shape (not the configured retention) changes, like the templates' _meta.version. */
export const ILM_POLICY_VERSION = 1;

/** What the plan depends on; a storage capability left out counts as absent (standard mode, default codec). */
export type SetupCapabilities = Pick<EsCapabilities, 'ilm' | 'dataStreamLifecycle' | 'fieldTypes'>
  & Partial<Pick<EsCapabilities, 'logsdb' | 'syntheticSource' | 'bestCompression' | 'lookupIndexMode' | 'dataNodes'>>;

/** How the templates store documents on this server (reported by `setup`). */
export interface StoragePlan {
  /** Index mode of the data streams' backing indices. */
  readonly dataStreamMode: 'logsdb' | 'standard';
  /** _source of the data streams: synthetic (rebuilt from doc values and stored fields) or stored. */
  readonly source: 'synthetic' | 'stored';
  readonly codec: 'best_compression' | 'default';
  /** Mode of the diagnoses index: lookup (ES|QL LOOKUP JOIN) or standard. */
  readonly diagnosesMode: 'lookup' | 'standard';
}

export function chooseStorage(caps: SetupCapabilities): StoragePlan {
  return {
    dataStreamMode: caps.logsdb === true ? 'logsdb' : 'standard',
    source: caps.syntheticSource === true ? 'synthetic' : 'stored',
    codec: caps.bestCompression === true ? 'best_compression' : 'default',
    diagnosesMode: caps.lookupIndexMode === true ? 'lookup' : 'standard',
  };
}
export type SetupConfig = Pick<Config, 'elasticsearch.retentionDays'>;

export type LifecyclePlan =
  | { readonly kind: 'ilm'; readonly policy: string; readonly retentionDays: number }
  | { readonly kind: 'data_stream_lifecycle'; readonly dataRetention: string; readonly retentionDays: number }
  | { readonly kind: 'none'; readonly retentionDays: number };

// A type alias rather than an interface, so it is assignable to a plain JSON object type.
export type IlmPolicyBody = {
  readonly policy: {
    readonly phases: Readonly<Record<string, { readonly min_age: string; readonly actions: Readonly<Record<string, Readonly<Record<string, unknown>>>> }>>;
    readonly _meta: Readonly<Record<string, unknown>>;
  };
};

interface Planned<K extends SetupObjectKind, B> {
  readonly kind: K;
  readonly name: string;
  readonly body: B;
  /** `_meta.version` of the body: what `setup` reports as the object's version. */
  readonly version: number | null;
}

export type PlannedObject =
  | Planned<'ilm_policy', IlmPolicyBody>
  | Planned<'component_template', ComponentTemplateBody>
  | Planned<'index_template', IndexTemplateBody>
  | Planned<'documents', DocumentsBody>;

export interface PlannedSubstitution extends Substitution {
  readonly template: string;
}

export interface SetupPlan {
  readonly lifecycle: LifecyclePlan;
  readonly storage: StoragePlan;
  /** In dependency order: the policy, then component templates, then the index templates composed of them. */
  readonly objects: readonly PlannedObject[];
  readonly substitutions: readonly PlannedSubstitution[];
}

/**
 * `_meta.version` (ILM: `policy._meta.version`) of a body in PUT shape; a template's own `version` when its
 * _meta has none (templates installed by something else).
 */
export function metaVersion(kind: SetupObjectKind, body: unknown): number | null {
  const holder = kind === 'ilm_policy' && isObj(body) ? body['policy'] : body;
  const meta = isObj(holder) ? holder['_meta'] : undefined;
  const v = isObj(meta) ? meta['version'] : undefined;
  if (typeof v === 'number') return v;
  const own = kind !== 'ilm_policy' && isObj(holder) ? holder['version'] : undefined;
  return typeof own === 'number' ? own : null;
}

/**
 * Rollover at 30 days or 50 GB per primary shard (Elastic's defaults for logs), deletion `days` after rollover.
 * ILM counts a later phase's min_age from rollover, so the oldest event of an index can be up to
 * `days` + 30 days old when the index goes: retention is a floor, never cut short.
 */
export function ilmPolicy(days: number): IlmPolicyBody {
  return {
    policy: {
      phases: {
        hot: { min_age: '0ms', actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' } } },
        delete: { min_age: `${days}d`, actions: { delete: { delete_searchable_snapshot: true } } },
      },
      _meta: { managed_by: 'wg-siem', version: ILM_POLICY_VERSION, description: `wg-siem data streams: rollover at 30 days or 50 GB per primary shard, deleted ${days} days after rollover.` },
    },
  };
}

export function chooseLifecycle(caps: SetupCapabilities, days: number): LifecyclePlan {
  if (caps.ilm) return { kind: 'ilm', policy: ILM_POLICY_NAME, retentionDays: days };
  if (caps.dataStreamLifecycle) return { kind: 'data_stream_lifecycle', dataRetention: `${days}d`, retentionDays: days };
  return { kind: 'none', retentionDays: days };
}

function withLifecycle(t: IndexTemplateBody, lifecycle: LifecyclePlan): IndexTemplateBody {
  const section = t.template ?? {};
  switch (lifecycle.kind) {
    case 'ilm': {
      const settings = section.settings ?? {};
      const index = isObj(settings['index']) ? settings['index'] : {};
      const lifecycleSettings = isObj(index['lifecycle']) ? index['lifecycle'] : {};
      const merged = { ...settings, index: { ...index, lifecycle: { ...lifecycleSettings, name: lifecycle.policy } } };
      return { ...t, template: { ...section, settings: merged } };
    }
    case 'data_stream_lifecycle':
      return { ...t, template: { ...section, lifecycle: { data_retention: lifecycle.dataRetention } } };
    case 'none':
      return t;
  }
}

/** Merges `index.*` settings into a template body's settings. */
function withIndexSettings(t: IndexTemplateBody, extra: Readonly<Record<string, unknown>>): IndexTemplateBody {
  if (Object.keys(extra).length === 0) return t;
  const section = t.template ?? {};
  const settings = section.settings ?? {};
  const index = isObj(settings['index']) ? settings['index'] : {};
  return { ...t, template: { ...section, settings: { ...settings, index: { ...index, ...extra } } } };
}

/**
 * The storage settings of one index template. Data streams (events, unparsed lines, dead letters, peer state):
 * logsdb where the server has it, else synthetic _source where that is real; best_compression everywhere it is
 * accepted. Alerts stay in standard mode (few documents, updated in place). The diagnoses index: lookup mode.
 */
function storageSettings(name: string, t: IndexTemplateBody, s: StoragePlan): Record<string, unknown> {
  if (name === DIAGNOSES_INDEX) return s.diagnosesMode === 'lookup' ? { mode: 'lookup' } : {};
  const out: Record<string, unknown> = {};
  if (s.codec === 'best_compression') out['codec'] = 'best_compression';
  if (t.data_stream !== undefined) {
    if (s.dataStreamMode === 'logsdb') out['mode'] = 'logsdb';
    else if (s.source === 'synthetic') out['mapping'] = { source: { mode: 'synthetic' } };
  }
  return out;
}

export interface PlanOptions {
  /** mappings/ to read; the package's own by default. */
  readonly mappingsRoot?: string;
}

export function planSetup(caps: SetupCapabilities, config: SetupConfig, options: PlanOptions = {}): SetupPlan {
  const root = options.mappingsRoot ?? MAPPINGS_ROOT;
  const lifecycle = chooseLifecycle(caps, config['elasticsearch.retentionDays']);
  const storage = chooseStorage(caps);
  const substitutions: PlannedSubstitution[] = [];
  const adapt = <T extends ComponentTemplateBody>(name: string, body: T): T => {
    const r = adaptMapping(body, caps);
    substitutions.push(...r.substituted.map((s) => ({ template: name, ...s })));
    return r.template;
  };

  const components = listComponentTemplates(root).map((name): PlannedObject => {
    const body = adapt(name, readComponentTemplate(name, root));
    return { kind: 'component_template', name, body, version: metaVersion('component_template', body) };
  });
  const known = new Set(components.map((c) => c.name));
  const indexTemplates = listIndexTemplates(root).map((name): PlannedObject => {
    const own = adapt(name, readIndexTemplate(name, root));
    // On a cluster of several data nodes each shard gets one replica, so that a node's loss loses no document;
    // on one node the server's default stays (a replica there could never be assigned).
    const replicas = (caps.dataNodes ?? 1) > 1 ? { number_of_replicas: 1 } : {};
    // The diagnoses index is reference data: no rollover, no retention.
    const body = withIndexSettings(name === DIAGNOSES_INDEX ? own : withLifecycle(own, lifecycle), { ...storageSettings(name, own, storage), ...replicas });
    const unknown = (body.composed_of ?? []).filter((c) => !known.has(c));
    // Elasticsearch would refuse it too, but only after the objects before it were already installed.
    if (unknown.length > 0) throw new Error(`index template ${name}: composed_of names ${unknown.join(', ')}, which mappings/component lacks`);
    return { kind: 'index_template', name, body, version: metaVersion('index_template', body) };
  });
  const policy: PlannedObject[] = lifecycle.kind === 'ilm'
    ? [{ kind: 'ilm_policy', name: lifecycle.policy, body: ilmPolicy(lifecycle.retentionDays), version: ILM_POLICY_VERSION }]
    : [];
  // After its template, so that the index is created with the template's mappings and settings.
  const documents: PlannedObject[] = indexTemplates.some((t) => t.name === DIAGNOSES_INDEX)
    ? [{ kind: 'documents', name: DIAGNOSES_INDEX, body: plannedDocuments(storage.diagnosesMode === 'lookup'), version: null }]
    : [];
  return { lifecycle, storage, objects: [...policy, ...components, ...indexTemplates, ...documents], substitutions };
}
