// Secret *values* known to this process. Field names (sanitize.ts) hide a secret by where it sits in a logged
// object; this hides it by what it is, wherever it turns up: in an error message from a client library, in a URL
// with credentials, in a message string, in a readiness detail.
//
// The set is process-wide and only grows: a value that was ever a secret of a loaded configuration stays
// scrubbed everywhere (logger, logError, /readyz), whichever logger or module first saw it. Scrubbing one
// string too many costs nothing; one too few leaks a password.
import { Buffer } from 'node:buffer';
import { SECRET_KEYS } from '../config/keys.ts';
import type { Config } from '../config/keys.ts';

export const CENSOR = '[redacted]';

const known = new Set<string>();
let pattern: RegExp | null = null;

/** The secret values of a configuration, with the encoded forms in which clients put them on the wire. */
export function secretValues(config: Partial<Config>): string[] {
  const out: string[] = [];
  for (const k of SECRET_KEYS) {
    const v = config[k];
    if (typeof v !== 'string' || v === '') continue;
    out.push(v);
    // Credentials inside URLs are percent-encoded.
    const uri = encodeURIComponent(v);
    if (uri !== v) out.push(uri);
  }
  // The Elasticsearch client sends basic auth as base64("user:password"), which contains no verbatim password.
  const user = config['elasticsearch.username'];
  const pass = config['elasticsearch.password'];
  if (typeof user === 'string' && typeof pass === 'string' && pass !== '') {
    out.push(Buffer.from(`${user}:${pass}`, 'utf8').toString('base64'));
  }
  return out;
}

export function registerSecrets(values: Iterable<string>): void {
  const before = known.size;
  for (const v of values) if (v !== '') known.add(v);
  if (known.size === before) return;
  // Longest first, so a secret that contains another is replaced whole, not leaving its tail visible.
  const alternatives = [...known].sort((a, b) => b.length - a.length).map(escapeRegExp);
  pattern = new RegExp(alternatives.join('|'), 'g');
}

export function scrubText(text: string): string {
  return pattern === null ? text : text.replace(pattern, CENSOR);
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
