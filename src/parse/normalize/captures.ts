// Where each captured value of a catalog pattern goes in the ECS document: one setter per capture name, so
// the same fact lands in the same field whichever implementation printed it (see CAPTURE_FIELDS).
import type { CaptureName, Direction } from '../catalog/types.ts';
import type { WgEventDoc } from '../../shared/schema/generated/event.ts';
import { canonicalIp, parseEndpoint } from './endpoint.ts';
import { parseGoTime } from './go-time.ts';

type Doc = WgEventDoc;
type Wg = NonNullable<Doc['wireguard']>;

export interface SetterContext {
  readonly direction: Direction;
  /** Addresses collected for related.ip. */
  readonly related: string[];
}

const wg = (d: Doc): Wg => (d.wireguard ??= {});

function int(v: string): number | undefined {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

function setEndpoint(d: Doc, raw: string, c: SetterContext): void {
  const peer = (wg(d).peer ??= {});
  peer.endpoint = raw;
  const ep = parseEndpoint(raw);
  if (!ep) return;
  // The remote end of what came in is the source; of what goes out, the destination.
  const side = { ip: ep.ip, port: ep.port, address: raw };
  if (c.direction === 'outbound') d.destination = side;
  else d.source = side;
  const net = (d.network ??= {});
  net.transport = 'udp';
  net.type = ep.family;
  c.related.push(ep.ip);
}

function setInnerIp(which: 'source' | 'destination') {
  return (d: Doc, v: string, c: SetterContext): void => {
    const ip = canonicalIp(v);
    if (!ip) return;
    const inner = (wg(d).inner ??= {});
    inner[which] = { ip };
    c.related.push(ip);
  };
}

export const CAPTURE_SETTERS: Record<CaptureName, (d: Doc, v: string, c: SetterContext) => void> = {
  iface: (d, v) => { (d.observer ??= {}).ingress = { interface: { name: v } }; },
  endpoint: setEndpoint,
  local_endpoint: (d, v) => {
    const ep = parseEndpoint(v);
    wg(d).listen = ep ? { address: ep.ip, port: ep.port } : { address: v };
  },
  peer_id: (d, v) => { (wg(d).peer ??= {}).id = v; },
  peer_key: (d, v) => {
    const peer = (wg(d).peer ??= {});
    if (v.length === 44) peer.public_key = v;
    else peer.key_fragment = v;
  },
  peer_name: (d, v) => { (wg(d).peer ??= {}).name = v; },
  public_key: (d, v) => { (wg(d).peer ??= {}).public_key = v; },
  keypair_id: (d, v) => { wg(d).keypair = { id: v }; },
  attempt: (d, v) => { (wg(d).handshake ??= {}).attempt = int(v); },
  seconds: (d, v) => { wg(d).seconds = int(v); },
  inner_src_ip: setInnerIp('source'),
  inner_dst_ip: setInnerIp('destination'),
  errno: (d, v) => { (d.error ??= {}).code = v; },
  error: (d, v) => { (d.error ??= {}).message = v; },
  count: (d, v) => { wg(d).suppressed_count = int(v); },
  worker: (d, v) => { wg(d).worker = int(v); },
  sender_index: (d, v) => { (wg(d).handshake ??= {}).sender_index = int(v); },
  receiver_index: (d, v) => { (wg(d).handshake ??= {}).receiver_index = int(v); },
  counter: (d, v) => { (wg(d).packet ??= {}).counter = int(v); },
  counter_max: (d, v) => { (wg(d).packet ??= {}).counter_max = int(v); },
  mtu: (d, v) => { wg(d).mtu = int(v); },
  state_old: (d, v) => { (wg(d).device ??= {}).previous_state = v; },
  state_requested: (d, v) => { (wg(d).device ??= {}).requested_state = v; },
  state_new: (d, v) => { (wg(d).device ??= {}).state = v; },
  version: (d, v) => { (d.service ??= {}).version = v; },
  initiator_time: (d, v) => {
    const ms = parseGoTime(v);
    if (ms === null) return;
    const hs = (wg(d).handshake ??= {});
    hs.initiator_time = new Date(ms).toISOString();
  },
  family: (d, v) => {
    const t = /6/.test(v) ? 'ipv6' : /4/.test(v) ? 'ipv4' : undefined;
    if (t) (d.network ??= {}).type = t;
  },
  operation: (d, v) => { wg(d).config = { operation: v }; },
  detail: (d, v) => { wg(d).detail = v.length > 1024 ? v.slice(0, 1024) : v; },
};
