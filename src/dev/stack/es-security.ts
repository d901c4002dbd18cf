// The secured local Elasticsearch: security on, HTTPS with the local CA's certificate, the `elastic` superuser's
// password set through the keystore at first start, and wg-siem's users with exactly the roles of
// sinks/elasticsearch/roles.ts (file realm: see ensureEsUsers).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { WG_SIEM_ROLES } from '../../sinks/elasticsearch/roles.ts';
import { ensureSecretsDir } from './kafka-security.ts';

export const ES_ELASTIC_PASSWORD_FILE = 'es-elastic.password';

export async function ensureEsPassword(secretsDir: string): Promise<string> {
  await ensureSecretsDir(secretsDir);
  const f = join(secretsDir, ES_ELASTIC_PASSWORD_FILE);
  if (!existsSync(f)) await writeFile(f, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return (await readFile(f, 'utf8')).trim();
}

/** elasticsearch.yml lines for a single node with security and HTTPS (transport TLS is not needed on one node). */
export function secureEsSettings(): string[] {
  return [
    'xpack.security.enabled: true',
    'xpack.security.http.ssl.enabled: true',
    'xpack.security.http.ssl.key: certs/server.key',
    'xpack.security.http.ssl.certificate: certs/server.pem',
    'xpack.security.http.ssl.certificate_authorities: [ "certs/ca.pem" ]',
    'xpack.security.authc.api_key.enabled: true',
  ];
}

export interface HttpsTarget {
  readonly url: string;
  readonly ca: string;
  readonly username: string;
  readonly password: string;
}

/** One JSON request over HTTPS, trusting only `ca`; resolves with the status and the parsed body. */
export function esRequest(t: HttpsTarget, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${t.url}${path}`, {
      method, ca: t.ca, timeout: 10_000,
      headers: { authorization: `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface EsUser {
  readonly name: string;
  readonly role: keyof typeof WG_SIEM_ROLES;
  readonly password: string;
  readonly passwordFile: string;
}

/**
 * wg-siem's users, in the file realm with file-defined roles: the minimal build lacks the analysis module the
 * security index needs, so neither native roles nor API keys can be created on it (a full build has both, and
 * `setup --print-role` gives the role for them).
 */
export async function ensureEsUsers(secretsDir: string): Promise<EsUser[]> {
  await ensureSecretsDir(secretsDir);
  const users: { name: string; role: keyof typeof WG_SIEM_ROLES }[] = [{ name: 'wg-siem', role: 'wg-siem-writer' }, { name: 'wg-siem-setup', role: 'wg-siem-setup' }];
  return Promise.all(users.map(async (u) => {
    const passwordFile = join(secretsDir, `es-${u.name}.password`);
    if (!existsSync(passwordFile)) await writeFile(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    return { ...u, password: (await readFile(passwordFile, 'utf8')).trim(), passwordFile };
  }));
}

/** roles.yml: the roles of sinks/elasticsearch/roles.ts (JSON is YAML). */
export const rolesYaml = (): string => `${Object.entries(WG_SIEM_ROLES).map(([name, r]) => `${name}: ${JSON.stringify(r)}`).join('\n')}\n`;

/** Cluster health of the secured node, asked as `elastic` (CA and password from their files); null if no answer. */
export async function esHealth(url: string, secure: { readonly caFile: string; readonly passwordFile: string }, query = ''): Promise<string | null> {
  try {
    const t = { url, ca: await readFile(secure.caFile, 'utf8'), username: 'elastic', password: (await readFile(secure.passwordFile, 'utf8')).trim() };
    const r = await esRequest(t, 'GET', `/_cluster/health${query}`);
    return r.status === 200 ? (r.body as { status?: string }).status ?? null : null;
  } catch {
    return null;
  }
}
