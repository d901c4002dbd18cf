import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { validate as validCron } from 'node-cron';
import YAML from 'yaml';
import { ajvLines, pointerSegments, type AjvStyle } from '../schema/ajv-errors.ts';
import { CONFIG_KEYS, META_ENV, keyDef } from './keys.ts';
import { deploymentNames, isDerivedKey, KAFKA_NAME } from './names.ts';
import type { Config, ConfigKey, KeyDef } from './keys.ts';

/** Every problem found while loading, so start-up can list them all at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Raw = Record<string, unknown>;

const KEYS = Object.keys(CONFIG_KEYS) as ConfigKey[];
const BY_ENV = new Map<string, ConfigKey>(KEYS.map((k) => [keyDef(k).env, k]));

function describe(k: ConfigKey): string {
  return `${k} (${keyDef(k).env})`;
}

function jsonType(d: KeyDef): Record<string, unknown> {
  switch (d.kind) {
    case 'list': return { type: 'array', items: { type: 'string', minLength: 1, ...(d.format ? { format: d.format } : {}) }, minItems: 1 };
    case 'int': return { type: 'integer', ...(d.min !== undefined ? { minimum: d.min } : {}), ...(d.max !== undefined ? { maximum: d.max } : {}) };
    case 'bool': return { type: 'boolean' };
    case 'enum': return { type: 'string', enum: d.values ?? [] };
    case 'string': return { type: 'string', minLength: 1, ...(d.format ? { format: d.format } : {}) };
  }
}

/** The JSON schema of the flat, typed configuration (also used for docs). */
export function configSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const k of KEYS) {
    const d = keyDef(k);
    const t = jsonType(d);
    properties[k] = d.default === null ? { anyOf: [t, { type: 'null' }], description: d.doc } : { ...t, description: d.doc };
  }
  return { type: 'object', additionalProperties: false, required: KEYS, properties };
}

const ajv = new Ajv({ allErrors: true, strict: true });
// ajv-formats is CommonJS: its default export arrives as the module object under Node's ESM loader.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as AddFormats;
addFormats(ajv, ['uri']);
ajv.addFormat('cron', { type: 'string', validate: (s: string) => validCron(s) });
const validate = ajv.compile(configSchema());

function fromEnvString(k: ConfigKey, s: string, problems: string[]): unknown {
  const d = keyDef(k);
  const v = s.trim();
  if (v === '') return null;
  switch (d.kind) {
    case 'list': return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
    case 'int': {
      if (!/^-?\d+$/.test(v)) { problems.push(`${describe(k)}: "${d.secret ? '***' : v}" is not a whole number`); return undefined; }
      return Number(v);
    }
    case 'bool': {
      const b = BOOLS[v.toLowerCase()];
      if (b === undefined) { problems.push(`${describe(k)}: "${v}" is not a boolean (true/false)`); return undefined; }
      return b;
    }
    case 'enum': return v.toLowerCase();
    case 'string': return v;
  }
}

const BOOLS: Record<string, boolean | undefined> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };

/** Nested or dotted keys from a file, flattened to dotted paths. */
function flatten(obj: Raw, prefix: string, out: Raw): void {
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(path in CONFIG_KEYS)) flatten(v as Raw, path, out);
    else out[path] = v;
  }
}

function readFile(path: string, problems: string[]): Raw {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    problems.push(`WG_SIEM_CONFIG: cannot read ${path}: ${(e as Error).message}`);
    return {};
  }
  let parsed: unknown;
  try { parsed = YAML.parse(text); } catch (e) {
    problems.push(`WG_SIEM_CONFIG: ${path} is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push(`WG_SIEM_CONFIG: ${path} must hold a mapping of keys`);
    return {};
  }
  const flat: Raw = {};
  flatten(parsed as Raw, '', flat);
  return flat;
}

const FORMAT_TEXT: Readonly<Record<string, string>> = {
  uri: 'must be an absolute URL (https://…)',
  cron: 'must be a cron expression: [seconds] minutes hours day-of-month month day-of-week, e.g. "*/5 * * * * *"',
};

// Problems are named by their configuration key (and its environment variable), whatever depth ajv found them at.
const CONFIG_STYLE: AjvStyle = {
  where: (pointer) => {
    const key = pointerSegments(pointer)[0] ?? '';
    return key in CONFIG_KEYS ? describe(key as ConfigKey) : (key || '(root)');
  },
  wording: {
    // A nullable key fails both branches of its anyOf: the null branch and the anyOf itself say nothing new.
    anyOf: () => null,
    type: (_e, p) => (p['type'] === 'null' ? null : undefined),
    enum: (e, p) => `${e.message ?? 'is invalid'} (${((p['allowedValues'] as unknown[] | undefined) ?? []).join(', ')})`,
  },
  formats: FORMAT_TEXT,
  fallback: 'is invalid',
};

/**
 * Builds the configuration from defaults, the optional file named by WG_SIEM_CONFIG, then the environment
 * (environment wins). Throws ConfigError listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const merged: Raw = {};
  for (const k of KEYS) {
    const d = keyDef(k).default;
    merged[k] = Array.isArray(d) ? [...(d as readonly string[])] : d;
  }

  const file = env.WG_SIEM_CONFIG;
  if (file) {
    for (const [k, v] of Object.entries(readFile(file, problems))) {
      if (!(k in CONFIG_KEYS)) { problems.push(`${file}: unknown key "${k}"`); continue; }
      const d = keyDef(k as ConfigKey);
      // A list may be written as "a,b" in a file too.
      merged[k] = d.kind === 'list' && typeof v === 'string' ? fromEnvString(k as ConfigKey, v, problems) : v;
    }
  }

  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('WG_SIEM_') || value === undefined || name in META_ENV) continue;
    const secretFile = name.endsWith('_FILE') ? BY_ENV.get(name.slice(0, -5)) : undefined;
    if (secretFile && keyDef(secretFile).secret) {
      try { merged[secretFile] = readFileSync(value, 'utf8').trim(); } catch (e) {
        problems.push(`${name}: cannot read ${value}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      continue;
    }
    const k = BY_ENV.get(name);
    if (!k) { problems.push(`${name}: unknown environment variable (see docs/configuration.md)`); continue; }
    if (env[`${name}_FILE`] !== undefined && keyDef(k).secret) continue;
    const parsed = fromEnvString(k, value, problems);
    if (parsed !== undefined) merged[k] = parsed;
  }

  if (!validate(merged)) {
    for (const p of ajvLines(validate.errors, CONFIG_STYLE)) if (!problems.includes(p)) problems.push(p);
  }
  deriveNames(merged, problems);
  crossChecks(merged, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return merged as Config;
}

/** Fills the names left unset from the namespace (shared/config/names.ts); each must be a legal Kafka name. */
function deriveNames(c: Raw, problems: string[]): void {
  const ns = c['namespace'];
  if (typeof ns !== 'string') return;
  const names = deploymentNames(ns);
  for (const k of KEYS) {
    if (!isDerivedKey(k) || c[k] !== null) continue;
    c[k] = names[k];
    if (!KAFKA_NAME.test(names[k])) problems.push(`${describe('namespace')}: "${ns}" gives ${k} "${names[k]}", which Kafka does not accept (letters, digits, '.', '_', '-'): set ${describe(k)}`);
  }
}

function crossChecks(c: Raw, problems: string[]): void {
  const tz = c['parse.timezone'];
  if (typeof tz === 'string') {
    try { new Intl.DateTimeFormat('en', { timeZone: tz }); } catch {
      problems.push(`${describe('parse.timezone')}: "${tz}" is not an IANA time zone`);
    }
  }
  if (c['kafka.sasl.mechanism'] && (!c['kafka.sasl.username'] || !c['kafka.sasl.password'])) {
    problems.push(`${describe('kafka.sasl.mechanism')}: needs kafka.sasl.username and kafka.sasl.password`);
  }
  if (Boolean(c['kafka.ssl.certFile']) !== Boolean(c['kafka.ssl.keyFile'])) {
    problems.push(`${describe('kafka.ssl.certFile')}: a client certificate needs its key (kafka.ssl.keyFile) and vice versa`);
  }
  if (Boolean(c['elasticsearch.username']) !== Boolean(c['elasticsearch.password'])) {
    problems.push(`${describe('elasticsearch.username')}: basic auth needs both user name and password`);
  }
  if (Boolean(c['notify.alertmanager.username']) !== Boolean(c['notify.alertmanager.password'])) {
    problems.push(`${describe('notify.alertmanager.username')}: basic auth needs both user name and password`);
  }
  for (const u of (c['elasticsearch.nodes'] as string[] | null) ?? []) {
    if (!/^https?:\/\/[^\s/]+/.test(u)) problems.push(`${describe('elasticsearch.nodes')}: "${u}" is not an http(s) URL`);
  }
  for (const b of (c['kafka.brokers'] as string[] | null) ?? []) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) {
      problems.push(`${describe('kafka.brokers')}: "${b}" is not host:port`);
    }
  }
}

/** The configuration as it may be shown: secrets replaced by "[redacted]". */
export function redactedConfig(c: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) out[k] = keyDef(k).secret && c[k] !== null ? '[redacted]' : c[k];
  return out;
}
