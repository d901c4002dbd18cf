// Which catalog entries a line from a router or firewall program is tried against, by the program name its
// envelope gave (syslog tag, logread, OPNsense's process column). Those programs' texts ("Interface 'wg0' is now
// up", "Adding peer sn01 to wg_mesh.") mean something about WireGuard only when that program printed them, so
// their entries are never tried on lines of other programs.
import type { Impl } from './types.ts';

export interface PlatformRoute {
  /** Catalog implementations whose plain entries the message is matched against, in order. */
  readonly impls: readonly Impl[];
  /**
   * OpenWrt's netifd prints what a protocol handler (/lib/netifd/proto/wireguard.sh, which runs `wg`) writes to
   * stderr as "<interface> (<pid>): <text>": the text is then also tried as wireguard-tools' own, with the
   * interface taken from the prefix.
   */
  readonly proto?: boolean;
}

const PLATFORM: PlatformRoute = { impls: ['platform'] };
const TOOLS: PlatformRoute = { impls: ['wireguard-tools'] };

const ROUTES: ReadonlyMap<string, PlatformRoute> = new Map([
  ['netifd', { impls: ['platform'], proto: true }],
  // Gluon's peer selector for its WireGuard mesh VPN.
  ['wgpeerselector', PLATFORM],
  // OPNsense's wg-service-control.php opens syslog as "wireguard" (wireguard-go under systemd may log as
  // "wireguard" too: the recogniser tries wireguard-go's texts after these).
  ['wireguard', PLATFORM],
  // ASUSWRT-Merlin 3006's WireGuard client and server hook scripts.
  ['WireGuardClient', PLATFORM],
  ['WireGuardServer', PLATFORM],
  // Keenetic's configuration daemon.
  ['ndm', PLATFORM],
  ['wg-quick', TOOLS],
  ['wg', TOOLS],
]);

export function platformRoute(program: string | undefined): PlatformRoute | undefined {
  return program === undefined ? undefined : ROUTES.get(program);
}

/** netifd's prefix for a protocol handler's output: "wgs0 (16095): ". */
export const NETIFD_PROTO_PREFIX = /^([^\s()]{1,64}) \((\d{1,10})\): /;
