// What to fix when Elasticsearch refuses wg-siem: its credentials, a privilege of its role, or a certificate the
// client does not trust. Names from the configuration only, never a secret.
import type { Config } from '../../shared/config/keys.ts';
import { isUntrustedCertificate } from '../../shared/net/tls-errors.ts';

type Names = Pick<Config, 'elasticsearch.username' | 'elasticsearch.apiKey'>;

const who = (n: Names): string => (n['elasticsearch.apiKey'] ? 'the API key (elasticsearch.apiKey)' : n['elasticsearch.username'] ? `user "${n['elasticsearch.username']}"` : 'no credentials (none configured)');

export function explainEsError(err: unknown, n: Names): string | undefined {
  if (!(err instanceof Error) || err.name.startsWith('KafkaJS')) return undefined;
  const o = err as { status?: unknown; meta?: { statusCode?: unknown }; cause?: { message?: unknown } };
  const status = typeof o.status === 'number' ? o.status : typeof o.meta?.statusCode === 'number' ? o.meta.statusCode : 0;
  const text = `${err.name} ${err.message} ${typeof o.cause?.message === 'string' ? o.cause.message : ''}`;
  if (status === 401) {
    return `Elasticsearch refused ${who(n)}: check elasticsearch.username and elasticsearch.password (WG_SIEM_ES_PASSWORD or _FILE), or elasticsearch.apiKey, and that the key is not expired or revoked`;
  }
  if (status === 403) {
    return `${who(n)} lacks the Elasticsearch privilege named above: \`wg-siem run\` needs the wg-siem-writer role and \`wg-siem setup\` the wg-siem-setup role (\`wg-siem setup --print-role\` prints both)`;
  }
  if (isUntrustedCertificate(text)) {
    return 'the Elasticsearch certificate is not trusted: set elasticsearch.caFile (WG_SIEM_ES_CA_FILE) or elasticsearch.caFingerprint to its CA, and use a host name it lists; keep elasticsearch.tlsVerify on';
  }
  return undefined;
}
