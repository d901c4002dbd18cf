// Compares what `setup` would install with what a server holds. Elasticsearch does not hand back what it was
// given: it adds defaults, prefixes and stringifies settings, reorders keys and adds bookkeeping fields. Both
// sides are brought to one normal form first, so only real differences remain, each named by its path.

/** `documents`: the documents of a small index setup fills (the diagnoses index), compared by _id. */
export type SetupObjectKind = 'ilm_policy' | 'component_template' | 'index_template' | 'documents';

export interface PathDifference {
  /** Dotted path in the request body (`template.mappings.properties.message.type`); '' for the whole object. */
  readonly path: string;
  /** missing: in the plan, not on the server; unexpected: on the server, not in the plan; changed: both, unequal. */
  readonly change: 'missing' | 'unexpected' | 'changed';
  readonly expected?: unknown;
  readonly installed?: unknown;
}

type Obj = Readonly<Record<string, unknown>>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Settings as Elasticsearch stores them: one flat `index.`-prefixed key per value, values as strings. */
export function flattenSettings(settings: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, prefix: string): void => {
    if (isObj(v)) {
      for (const [k, c] of Object.entries(v)) walk(c, prefix ? `${prefix}.${k}` : k);
      return;
    }
    out[prefix.startsWith('index.') ? prefix : `index.${prefix}`] = Array.isArray(v) ? v.map(String) : v;
  };
  walk(settings, '');
  return out;
}

/** `type: object` is implied by `properties`; servers differ in whether they echo it. */
function normaliseFields(props: unknown): unknown {
  if (!isObj(props)) return props;
  return Object.fromEntries(Object.entries(props).map(([name, f]) => {
    if (!isObj(f)) return [name, f];
    const { type, properties, fields, ...rest } = f;
    const implied = properties !== undefined && type === 'object';
    return [name, {
      ...rest,
      ...(type !== undefined && !implied ? { type } : {}),
      ...(properties !== undefined ? { properties: normaliseFields(properties) } : {}),
      ...(fields !== undefined ? { fields: normaliseFields(fields) } : {}),
    }];
  }));
}

function normaliseMappings(m: unknown): unknown {
  // Some versions wrap a template's mappings in the old `_doc` type name.
  const mappings = isObj(m) && Object.keys(m).length === 1 && isObj(m['_doc']) ? m['_doc'] : m;
  if (!isObj(mappings) || mappings['properties'] === undefined) return mappings;
  return { ...mappings, properties: normaliseFields(mappings['properties']) };
}

/** Drops `key` when it holds the server's default, so an explicit default and an omitted one compare equal. */
function withoutDefaults(o: Obj, defaults: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => !(k in defaults && sameScalar(v, defaults[k]))));
}

const nonEmpty = (v: unknown): boolean => v !== undefined && !(isObj(v) && Object.keys(v).length === 0);

function normaliseSection(t: unknown): Obj {
  if (!isObj(t)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) {
    if (k === 'settings') { if (nonEmpty(v)) out[k] = flattenSettings(v); }
    else if (k === 'mappings') { if (nonEmpty(v)) out[k] = normaliseMappings(v); }
    else if (k === 'aliases') { if (nonEmpty(v)) out[k] = v; }
    else if (k === 'lifecycle' && isObj(v)) out[k] = withoutDefaults(v, { enabled: true });
    else out[k] = v;
  }
  return out;
}

/** A component or index template body, from the plan or from a GET response; keeps the body's key order. */
export function normaliseTemplate(body: Obj): Obj {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'created_date_millis' || k === 'modified_date_millis') continue;
    // The server echoes `composed_of: []` for a template composed of nothing.
    if (k === 'composed_of' && Array.isArray(v) && v.length === 0) continue;
    if (k === 'template') out[k] = normaliseSection(v);
    // `data_stream: {}` must stay: it is what makes the template a data-stream template.
    else if (k === 'data_stream' && isObj(v)) out[k] = withoutDefaults(v, { hidden: false, allow_custom_routing: false, failure_store: false });
    else out[k] = v;
  }
  return out;
}

/** The `policy` of an ILM policy, from the plan or from a GET response. */
export function normalisePolicy(policy: Obj): Obj {
  const phases = isObj(policy['phases']) ? policy['phases'] : {};
  const normalPhases = Object.fromEntries(Object.entries(phases).map(([name, phase]) => {
    if (!isObj(phase)) return [name, phase];
    const actions = isObj(phase['actions']) ? phase['actions'] : {};
    const del = actions['delete'];
    const normalActions = isObj(del) ? { ...actions, delete: withoutDefaults(del, { delete_searchable_snapshot: true }) } : actions;
    return [name, { ...withoutDefaults(phase, { min_age: '0ms' }), actions: normalActions }];
  }));
  return { ...policy, phases: normalPhases };
}

/**
 * Elasticsearch echoes settings as strings and some mapping parameters in either form; "1024" and 1024,
 * "true" and true mean the same to it.
 */
function sameScalar(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const t = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return t(a) && t(b) && String(a) === String(b);
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Every path where `installed` differs from `expected`; key order never matters, array order does. */
export function diffJson(expected: unknown, installed: unknown, path = ''): PathDifference[] {
  if (isObj(expected) && isObj(installed)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(installed)])];
    return keys.flatMap((k) => {
      const e = expected[k];
      const i = installed[k];
      if (e === undefined) return [{ path: join(path, k), change: 'unexpected' as const, installed: i }];
      if (i === undefined) return [{ path: join(path, k), change: 'missing' as const, expected: e }];
      return diffJson(e, i, join(path, k));
    });
  }
  if (Array.isArray(expected) && Array.isArray(installed)) {
    const n = Math.max(expected.length, installed.length);
    return Array.from({ length: n }, (_, i) => i).flatMap((i): PathDifference[] => {
      const p = `${path}[${i}]`;
      if (i >= expected.length) return [{ path: p, change: 'unexpected', installed: installed[i] }];
      if (i >= installed.length) return [{ path: p, change: 'missing', expected: expected[i] }];
      return diffJson(expected[i], installed[i], p);
    });
  }
  return sameScalar(expected, installed) ? [] : [{ path, change: 'changed', expected, installed }];
}

/** The differences between a planned body and the installed one (GET response shape), both normalised. */
export function compareBodies(kind: SetupObjectKind, planned: Obj, installed: Obj): PathDifference[] {
  if (kind === 'documents') return diffJson(planned, installed);
  if (kind === 'ilm_policy') {
    const p = isObj(planned['policy']) ? planned['policy'] : {};
    const i = isObj(installed['policy']) ? installed['policy'] : {};
    return diffJson(normalisePolicy(p), normalisePolicy(i), 'policy');
  }
  return diffJson(normaliseTemplate(planned), normaliseTemplate(installed));
}
