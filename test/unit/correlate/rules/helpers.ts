// Catalog-like ECS events for the correlation tests (shapes as src/parse/normalize produces them).
import { join } from 'node:path';
import type { CorrelatorEvent } from '../../../../src/correlate/rules/correlator.ts';
import { loadRules } from '../../../../src/correlate/rules/load-rules.ts';
import type { Rule } from '../../../../src/correlate/rules/rule-types.ts';

export const T0 = Date.parse('2025-05-22T14:00:00.000Z');
export const ALERTS_DIR = join(import.meta.dirname, '../../../../alerts');

export function shippedRules(): Rule[] {
  const r = loadRules(ALERTS_DIR);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.rules;
}

export function rule(id: string): Rule {
  const r = shippedRules().find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
}

let seq = 0;
export interface EvOpts {
  action: string; msgId: string; atMs: number; outcome?: 'success' | 'failure' | 'unknown';
  src?: string; dst?: string; peerId?: string; host?: string; iface?: string; rateLimited?: boolean;
}

export function ev(o: EvOpts): CorrelatorEvent {
  seq++;
  return {
    _id: `wireguard.logs:0:${seq}:0`,
    '@timestamp': new Date(o.atMs).toISOString(),
    ecs: { version: '9.4.0' },
    message: o.action,
    event: { kind: 'event', action: o.action, outcome: o.outcome ?? 'failure', dataset: 'wireguard.log', module: 'wireguard' },
    host: { name: o.host ?? 'gw1' },
    observer: { ingress: { interface: { name: o.iface ?? 'wg0' } } },
    ...(o.src ? { source: { ip: o.src, port: 51820 } } : {}),
    ...(o.dst ? { destination: { ip: o.dst, port: 51820 } } : {}),
    data_stream: { type: 'logs', dataset: 'wireguard.log', namespace: 'default' },
    wireguard: {
      implementation: 'linux-kernel',
      message: { id: o.msgId, family: 'handshake' },
      ...(o.peerId ? { peer: { id: o.peerId } } : {}),
      ...(o.rateLimited ? { rate_limited: true } : {}),
    },
  };
}

export const invalidInit = (atMs: number, src: string): CorrelatorEvent =>
  ev({ action: 'wireguard-handshake-initiation-invalid', msgId: 'kernel.handshake.initiation_invalid', atMs, src, rateLimited: true });
