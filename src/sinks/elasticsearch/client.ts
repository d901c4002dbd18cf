import { readFileSync } from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import type { ClientOptions } from '@elastic/elasticsearch';
import type { Config } from '../../shared/config/keys.ts';

type EsConfig = Pick<Config, 'elasticsearch.nodes' | 'elasticsearch.apiKey' | 'elasticsearch.username' | 'elasticsearch.password'
  | 'elasticsearch.caFile' | 'elasticsearch.caFingerprint' | 'elasticsearch.tlsVerify' | 'elasticsearch.requestTimeoutMs'>;

/** Client options from the configuration; `nodes` falls back to the local stack's URL. */
export function esClientOptions(c: EsConfig, localUrl: string | null): ClientOptions {
  const nodes = c['elasticsearch.nodes'] ?? (localUrl ? [localUrl] : null);
  if (!nodes || nodes.length === 0) {
    throw new Error('no Elasticsearch node: set WG_SIEM_ES_NODES, or start the local stack with `wg-siem stack up`');
  }
  const apiKey = c['elasticsearch.apiKey'];
  const user = c['elasticsearch.username'];
  const fp = c['elasticsearch.caFingerprint'];
  const ca = c['elasticsearch.caFile'];
  return {
    node: nodes,
    auth: apiKey ? { apiKey } : user ? { username: user, password: c['elasticsearch.password'] ?? '' } : undefined,
    caFingerprint: fp ? fp.replace(/:/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:') : undefined,
    tls: ca || !c['elasticsearch.tlsVerify'] ? { ca: ca ? readFileSync(ca, 'utf8') : undefined, rejectUnauthorized: c['elasticsearch.tlsVerify'] } : undefined,
    requestTimeout: c['elasticsearch.requestTimeoutMs'],
    maxRetries: 0,
    compression: false,
  };
}

export function createEsClient(c: EsConfig, localUrl: string | null): Client {
  return new Client(esClientOptions(c, localUrl));
}
