// Where a partition's correlation state survives restarts and moves between instances: one document per
// (consumer group, topic, partition) in a small Elasticsearch index, the state gzipped in _source only (not
// indexed). The document's external version is the next offset it covers, so a slower instance that still
// holds an older state can never overwrite a newer one during a rebalance.
import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Client } from '@elastic/elasticsearch';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const stateIndex = (ns: string): string => `wg-siem-state-${ns}`;

export interface StoredState<T> {
  /** Offset of the last record the state includes. */
  readonly offset: string;
  readonly state: T;
  readonly savedAt: string;
}

/** `namespace`: the deployment that saved it (checked at start, correlate/alerts/ownership.ts). */
interface StateSource { offset: string; saved_at: string; encoding: 'gzip-json-base64'; state: string; namespace?: string }

export class StateStore {
  private readonly es: Client;
  private readonly index: string;
  private readonly namespace: string;

  constructor(es: Client, namespace: string) {
    this.es = es;
    this.index = stateIndex(namespace);
    this.namespace = namespace;
  }

  async ensure(): Promise<void> {
    const exists = await this.es.indices.exists({ index: this.index });
    if (exists) return;
    try {
      await this.es.indices.create({
        index: this.index,
        settings: { number_of_shards: 1, auto_expand_replicas: '0-1' },
        mappings: { dynamic: false, properties: { offset: { type: 'keyword' }, saved_at: { type: 'date' } } },
      });
    } catch (e) {
      // Another instance created it first.
      if ((e as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type !== 'resource_already_exists_exception') throw e;
    }
  }

  async load<T>(key: string): Promise<StoredState<T> | undefined> {
    const res = await this.es.get<StateSource>({ index: this.index, id: key }, { ignore: [404] });
    const src = res._source;
    if (!res.found || !src) return undefined;
    const json = await gunzipAsync(Buffer.from(src.state, 'base64'));
    return { offset: src.offset, savedAt: src.saved_at, state: JSON.parse(json.toString('utf8')) as T };
  }

  /**
   * Saves unless a newer state is already there (a later offset, or a later save at the same offset: `seq`,
   * 0–1023); returns the compressed size, or 0 when superseded. The state comes as JSON text, taken from the
   * live state synchronously by the caller, so nothing changes under it while it is compressed and sent.
   */
  async save(key: string, offset: string, stateJson: string, seq = 0): Promise<number> {
    const packed = await gzipAsync(Buffer.from(stateJson));
    const body: StateSource = { offset, saved_at: new Date().toISOString(), encoding: 'gzip-json-base64', state: packed.toString('base64'), namespace: this.namespace };
    try {
      await this.es.index({ index: this.index, id: key, document: body, version: Number((BigInt(offset) + 1n) * 1024n + BigInt(seq)), version_type: 'external' });
      return packed.length;
    } catch (e) {
      if ((e as { meta?: { statusCode?: number } }).meta?.statusCode === 409) return 0;
      throw e;
    }
  }
}
