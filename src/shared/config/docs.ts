// docs/configuration.md is rendered from the key table, so the reference cannot drift from the code.
import { CONFIG_KEYS, META_ENV, keyDef } from './keys.ts';
import type { ConfigKey } from './keys.ts';

function show(v: string | number | boolean | readonly string[] | null): string {
  if (v === null) return '(unset)';
  if (Array.isArray(v)) return `\`${v.join(',')}\``;
  return `\`${String(v)}\``;
}

export function renderConfigReference(): string {
  const rows = (Object.keys(CONFIG_KEYS) as ConfigKey[]).map((k) => {
    const d = keyDef(k);
    const kind = d.kind === 'enum' ? (d.values ?? []).join(' \\| ') : d.kind === 'list' ? 'comma-separated list'
      : d.kind === 'int' ? `integer${d.min !== undefined ? ` ${d.min}–${d.max}` : ''}` : d.kind;
    return `| \`${d.env}\` | \`${k}\` | ${kind} | ${d.derived ?? show(d.default)} | ${d.doc}${d.secret ? ' **Secret**: never logged; `' + d.env + '_FILE` reads it from a file.' : ''} |`;
  });
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from src/shared/config/keys.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'wg-siem reads its configuration from `WG_SIEM_*` environment variables and, optionally, a YAML or JSON file',
    'named by `WG_SIEM_CONFIG` (nested keys such as `kafka: {brokers: [...]}` or dotted keys such as',
    '`kafka.brokers: ...`). The environment wins over the file. Everything is validated at start-up: every bad key',
    'is listed and the process exits with status 2. `wg-siem config` shows the result with secrets redacted.',
    '',
    'With no configuration at all, Kafka and Elasticsearch are those of the local stack (`wg-siem stack up`).',
    '',
    ...Object.entries(META_ENV).map(([k, v]) => `- \`${k}\`: ${v}`),
    '',
    '| environment variable | file key | type | default | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
