// Where secrets sit in logged objects: pino `redact` paths, and the field names sanitize.ts censors at any depth.
// Derived from the configuration table, so a key marked `secret: true` there is hidden here without anyone
// remembering to add it.
import { SECRET_KEYS } from '../config/keys.ts';

/**
 * Field names that hold credentials wherever they appear (request options, client configs, peer configs).
 * A WireGuard *public* key is not among them: attributing events to peers is what wg-siem is for.
 */
export const GENERIC_SECRET_FIELDS: readonly string[] = [
  'password', 'passphrase', 'apiKey', 'api_key', 'authorization',
  'privateKey', 'private_key', 'presharedKey', 'preshared_key',
];

/** Lower-cased names of fields censored wherever they are: the generic ones, and the flat configuration keys. */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set(
  [...GENERIC_SECRET_FIELDS, ...SECRET_KEYS].map((k) => k.toLowerCase()),
);

/**
 * pino's `*` stands for exactly one level, and each wildcard-first path costs on every logged key (about 1 µs
 * per path per line with pino 10's redactor); so the paths stop at one level below the top, and deeper copies
 * are censored by sanitize.ts, which walks the whole object anyway.
 */
export function redactPaths(): string[] {
  const paths = new Set<string>();
  for (const key of SECRET_KEYS) {
    // Flat, as loadConfig returns it: { "kafka.sasl.password": … } at the top or under one key (`config`, …).
    for (const p of [`["${key}"]`, `config["${key}"]`, `*["${key}"]`]) paths.add(p);
    // Nested, as written in a YAML file or handed to a client: { kafka: { sasl: { password } } }.
    for (const p of [key, `config.${key}`, `*.${key}`]) paths.add(p);
  }
  for (const f of GENERIC_SECRET_FIELDS) for (const p of [f, `*.${f}`]) paths.add(p);
  for (const p of ['headers.authorization', '*.headers.authorization', 'sasl.password', '*.sasl.password']) paths.add(p);
  return [...paths];
}
