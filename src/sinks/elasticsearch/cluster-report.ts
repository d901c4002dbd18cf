// What `wg-siem doctor` says about the Elasticsearch cluster: its nodes and the health of its shards.
import type { Client } from '@elastic/elasticsearch';

export interface EsClusterReport {
  readonly status: string;
  readonly nodes: readonly { readonly name: string; readonly roles: string; readonly master: boolean }[];
  readonly activeShards: number;
  readonly unassignedShards: number;
  readonly initializingShards: number;
  readonly relocatingShards: number;
}

interface Health { status?: string; active_shards?: number; unassigned_shards?: number; initializing_shards?: number; relocating_shards?: number }

export async function esClusterReport(es: Client): Promise<EsClusterReport> {
  const [h, nodes] = await Promise.all([
    es.transport.request<Health>({ method: 'GET', path: '/_cluster/health' }),
    es.transport.request<{ name: string; 'node.role': string; master: string }[]>({ method: 'GET', path: '/_cat/nodes', querystring: { format: 'json', h: 'name,node.role,master' } }),
  ]);
  return {
    status: h.status ?? 'unknown',
    nodes: nodes.map((n) => ({ name: n.name, roles: n['node.role'], master: n.master === '*' })).sort((a, b) => a.name.localeCompare(b.name)),
    activeShards: h.active_shards ?? 0,
    unassignedShards: h.unassigned_shards ?? 0,
    initializingShards: h.initializing_shards ?? 0,
    relocatingShards: h.relocating_shards ?? 0,
  };
}

/** The pure part: doctor's lines and what needs attention. */
export function describeEsCluster(r: EsClusterReport): { lines: string[]; problems: string[]; warnings: string[] } {
  const lines = [
    `es nodes       ${r.nodes.length}: ${r.nodes.map((n) => `${n.name} (${n.roles}${n.master ? ', elected master' : ''})`).join(', ')}`,
    `es shards      health ${r.status}: ${r.activeShards} active, ${r.unassignedShards} unassigned, ${r.initializingShards} initializing, ${r.relocatingShards} relocating`,
  ];
  const problems = r.status === 'red' ? ['elasticsearch: cluster health red: a primary shard is unassigned, so some documents can be neither written nor read (GET _cluster/allocation/explain says why)'] : [];
  const warnings = r.status === 'yellow'
    ? [`elasticsearch: cluster health yellow: ${r.unassignedShards} replica shard(s) unassigned${r.nodes.length === 1 ? ' (expected on a single node: a replica needs a second node)' : ' (a node is down or recovering)'}`]
    : [];
  return { lines, problems, warnings };
}
