// WireGuard on routers, firewalls and BSD: FreeBSD's if_wg driver (OPNsense, pfSense, plain FreeBSD), Keenetic's
// fork of the Linux module, MikroTik RouterOS, the firmware scripts that run WireGuard (OPNsense's
// wg-service-control.php, OpenWrt's netifd and its wireguard proto handler, Gluon's wgpeerselector,
// ASUSWRT-Merlin's WireGuardClient hook and the wireguard_manager add-on, Keenetic's ndm), and wireguard-tools'
// own lines (wg, wg-quick).
//
// Conventions of this file:
//  - FreeBSD's if_wg prints "<iface>: <text>" with if_printf and only when the interface has the debug flag
//    (`ifconfig wg0 debug`); its texts are the Linux module's without the endpoint. The recogniser strips the
//    interface prefix (`ifacePrefix`).
//  - Firmware programs' texts are tried only on lines their own program printed (src/parse/catalog/platform-route.ts):
//    "Interface 'wg0' is now up" is netifd's, "Adding peer sn01 to wg_mesh." wgpeerselector's. Texts printed to a
//    terminal with no envelope at all (wg-quick, wg, RouterOS copies, wireguard_manager's console) are
//    `unenveloped` and are specific enough to stand alone.
//  - netifd and FreeBSD's ifnet say nothing about the kind of an interface. Their lines are taken as WireGuard's
//    only when the interface's name says so: on FreeBSD a "wgN" interface is a wg(4) clone (ifnet names an
//    interface after its driver and unit; renaming one to "wgN" is possible but nobody does it); on OpenWrt the
//    logical interface of the wireguard proto names its device, and LuCI, Gluon and the guides all name them
//    "wg…". A WireGuard interface named otherwise ("vpn", "home") is missed: precision over recall. A
//    protocol handler's output that is wireguard-tools' own text ("Unable to set device: …") is WireGuard's
//    whatever the interface is called.
//
// wg-quick — where the boundary is: wg-quick echoes every shell command it runs as "[#] <command>" ("[#] ip
// link add wg0 type wireguard", "[#] wg setconf wg0 /dev/fd/63", "[#] iptables …", the user's PostUp hooks).
// Those echoes are NOT WireGuard events and no entry matches them: they are a helper script's trace of shell
// commands (wg-quick's `set -x`), not a log of something that happened to a tunnel; the configuration they
// apply is seen from the interface's own lines (kernel "Interface created", wireguard-go "Device started",
// netifd "is now up"). What wg-quick and wg say in their OWN words is an event, with its own action and,
// when it says something is wrong, a diagnosis: "[!] Missing WireGuard kernel module… Falling back to slow
// userspace implementation.", "Warning: `…/wg0.conf' is world accessible", "wg-quick: `wg0' is not a WireGuard
// interface" / "already exists" / "does not exist", "[+] Backgrounding route monitor", bash's error from a
// hook ("/usr/bin/wg-quick: line 295: …"), and wg's "Line unrecognized: …", "Configuration parsing error",
// "Unable to access interface: …", "Name does not resolve: `host:port'".
import { action } from '../presets.ts';
import type { MessageDef } from '../types.ts';

/** The interface names taken for WireGuard interfaces on OpenWrt (see the file comment). */
const OPENWRT_WG_IFACE = String.raw`(?<iface>[Ww][Gg][\w.-]{0,30})`;

/** OPNsense's WireGuard service script, as its log lines name it (older releases: scripts/Wireguard/). */
const OPNSENSE_SCRIPT = String.raw`(?:/usr/local/opnsense/scripts/[Ww]ireguard/)?wg-service-control\.php: `;
/** How OPNsense's script names a WireGuard instance: "wireguard instance <description> (<interface>) ". */
const OPNSENSE_INSTANCE = String.raw`[Ww]ireguard (?:instance|interface) (?<detail>[^()\n]{1,64}?) \((?<iface>[\w.-]{1,32})\) `;
/** gai_strerror() texts (glibc, musl, BSD) that wg prints when an Endpoint's host name does not resolve. */
const GAI_ERRORS = 'Name does not resolve|Name or service not known|Temporary failure in name resolution|No address associated with hostname|Non-recoverable failure in name resolution|nodename nor servname provided, or not known|hostname nor servname provided, or not known|Address family for hostname not supported|Try again';

/**
 * A netifd line about the state of an interface ("Interface 'wg0' is now up"): the pattern is the format's
 * wording with the name, where the format has %s, taken only when it looks like a WireGuard interface's.
 */
function netifdState(def: Omit<MessageDef, 'impl' | 'pattern' | 'level' | 'direction'>): MessageDef {
  const pattern = def.format.split('%s').map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)).join(OPENWRT_WG_IFACE);
  return { ...def, impl: 'platform', pattern, level: 'notice', direction: 'none' };
}

/**
 * FreeBSD ifnet's line for an interface's link going UP or DOWN. ifnet prints it for every interface: only a
 * wg(4) clone's name makes it WireGuard's (see the file comment).
 */
function fbsdLinkState(state: 'UP' | 'DOWN', def: Omit<MessageDef, 'impl' | 'format' | 'pattern' | 'level' | 'direction'>): MessageDef {
  return { ...def, impl: 'freebsd', format: `%s: link state changed to ${state} (if_link_state_change)`, pattern: String.raw`(?<iface>wg\d{1,5}): link state changed to ${state}`, level: 'info', direction: 'none' };
}

export const PLATFORM_MESSAGES: readonly MessageDef[] = [
  // ================================================================ Keenetic: its fork of the Linux module
  {
    ...action('wireguard-handshake-timeout-retry', { family: 'timer' }),
    id: 'kernel.timer.keenetic_handshake_retry',
    impl: 'linux-kernel',
    format: '%s: handshake for peer "%s" (%llu) (%pISpfsc) did not complete after %d seconds, retrying (try %d)',
    pattern: String.raw`handshake for peer "(?<peer_name>[^"\n]{0,64})" \({int:peer_id}\) \({endpoint}\) did not complete after {int:seconds} seconds, retrying \(try {int:attempt}\)`,
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    diagnosis: 'handshake-no-answer',
    examples: [
      'wireguard: Wireguard0: handshake for peer "bmXOC+F1Fx" (9) (188.114.97.66:3138) did not complete after 1 seconds, retrying (try 5)',
      'wireguard: Wireguard1: handshake for peer "public key wg" (49) (XXX.XXX.XXX.63:14547) did not complete after 2148200316 seconds, retrying (try 5)',
      '[I] 14:06:17 kernel: wireguard: Wireguard0: handshake for peer "xxx" (3) (x.x.x.x:31673) did not complete after 2164852204 seconds, retrying (try 5)',
    ],
    notes: 'Keenetic NDMS lower-cases the module\'s texts and adds the peer\'s name from the router\'s configuration. Its seconds are sometimes a 32-bit jiffies difference gone wrong (2148189668): kept as printed.',
  },
  {
    ...action('wireguard-peer-unresponsive'),
    id: 'kernel.timer.keenetic_stopped_hearing_back',
    impl: 'linux-kernel',
    format: '%s: retrying handshake with peer "%s" (%llu) (%pISpfsc) because we stopped hearing back after %d seconds',
    pattern: String.raw`retrying handshake with peer "(?<peer_name>[^"\n]{0,64})" \({int:peer_id}\) \({endpoint}\) because we stopped hearing back after {int:seconds} seconds`,
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    examples: [
      '[I] 14:06:12 kernel: wireguard: Wireguard0: retrying handshake with peer "xxx" (3) (x.x.x.x:31673) because we stopped hearing back after 2169110528 seconds',
    ],
    notes: 'Keenetic NDMS\'s form of the module\'s "Retrying handshake with peer …" (lower case, peer name).',
  },
  {
    ...action('wireguard-handshake-mac-invalid'),
    id: 'kernel.handshake.keenetic_invalid_mac',
    impl: 'linux-kernel',
    format: '%s: invalid MAC of handshake, dropping packet from %pISpfsc',
    pattern: 'invalid MAC of handshake, dropping packet from {endpoint}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    diagnosis: 'handshake-mac1-invalid',
    examples: ['wireguard: Wireguard1: invalid MAC of handshake, dropping packet from XXX.XXX.XXX.63:14547'],
    notes: 'Keenetic NDMS\'s lower-cased form of "Invalid MAC of handshake, dropping packet from …".',
  },
  // ================================================================ Keenetic: ndm, the configuration daemon
  {
    ...action('wireguard-config-rejected'),
    id: 'plat.config.keenetic_invalid_value',
    unenveloped: true,
    impl: 'platform',
    format: '"%s": invalid %s value: "%s".',
    // Keenetic names its WireGuard interfaces WireguardN; the parameters are AmneziaWG's (Jc, S1, H1…).
    // ndm's own log puts its component before it ("Network::Interface::Wireguard: ").
    pattern: String.raw`(?:[A-Z][\w:]{0,80}: )?"(?<iface>Wireguard\d{1,3})": invalid (?<operation>[\w-]{1,32}) value: "(?<detail>[^"\n]{0,200})"\.`,
    level: 'error',
    direction: 'none',
    diagnosis: 'keenetic-config-invalid-value',
    examples: ['"Wireguard2": invalid H1 value: "1627910622-1900289565".'],
  },
  // ================================================================ MikroTik RouterOS
  {
    ...action('wireguard-handshake-timeout-retry', { family: 'timer' }),
    id: 'ros.timer.handshake_retry',
    unenveloped: true,
    impl: 'routeros',
    format: '<iface>: [<peer name>] <public key>: Handshake for peer did not complete after 5 seconds, retrying[ (try N)]',
    // The key may be masked by the person who pasted it (a run of x's, often one too many).
    pattern: String.raw`(?<iface>[^\s:[\]]{1,64}): \[(?<peer_name>[^\]\n]{0,64})\] (?<peer_key>[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=|[xX*]{8,64}): Handshake for peer did not complete after {int:seconds} seconds, retrying(?: \(try {int:attempt}\))?`,
    level: 'debug',
    direction: 'outbound',
    diagnosis: 'handshake-no-answer',
    examples: [
      'wg-awg-proxy: [peer1] xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: Handshake for peer did not complete after 5 seconds, retrying (try 2)',
      'wg-awg-proxy: [peer1] bmXOC+F1FxEMF9dyiK2H5/1SUtzH0JuVo51h2wPfgyo=: Handshake for peer did not complete after 5 seconds, retrying',
    ],
    notes: 'RouterOS 7 (log topic wireguard,debug) names the interface, the peer\'s comment or name, and its public key; no endpoint.',
  },
  // ================================================================ FreeBSD if_wg (debug flag)
  {
    ...action('wireguard-handshake-initiation-received'),
    id: 'fbsd.handshake.initiation_received',
    impl: 'freebsd',
    format: 'Receiving handshake initiation from peer %llu\\n',
    pattern: 'Receiving handshake initiation from peer {int:peer_id}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    examples: ['2026-01-01T00:01:02  Notice  kernel  wg0: Receiving handshake initiation from peer 1'],
  },
  {
    ...action('wireguard-handshake-response-sent'),
    id: 'fbsd.handshake.response_sent',
    impl: 'freebsd',
    format: 'Sending handshake response to peer %llu\\n',
    pattern: 'Sending handshake response to peer {int:peer_id}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    examples: ['2026-01-01T00:01:02  Notice  kernel  wg0: Sending handshake response to peer 1'],
  },
  {
    ...action('wireguard-handshake-initiation-sent'),
    id: 'fbsd.handshake.initiation_sent',
    impl: 'freebsd',
    format: 'Sending handshake initiation to peer %llu\\n',
    pattern: 'Sending handshake initiation to peer {int:peer_id}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    examples: ['[15] wg1: Sending handshake initiation to peer 0'],
  },
  {
    ...action('wireguard-handshake-response-received'),
    id: 'fbsd.handshake.response_received',
    impl: 'freebsd',
    format: 'Receiving handshake response from peer %llu\\n',
    pattern: 'Receiving handshake response from peer {int:peer_id}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    examples: ['[15] wg1: Receiving handshake response from peer 0'],
  },
  {
    ...action('wireguard-handshake-initiation-invalid'),
    id: 'fbsd.handshake.invalid',
    impl: 'freebsd',
    format: 'Invalid handshake initiation / Invalid handshake response\\n',
    pattern: 'Invalid handshake (?<operation>initiation|response)',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    examples: ['[15] wg1: Invalid handshake initiation'],
    notes: 'if_wg names neither the peer nor the source. A rejected response is rare (it answers our own initiation) and shares the entry; wireguard.config.operation says which.',
  },
  {
    ...action('wireguard-handshake-mac-invalid'),
    id: 'fbsd.handshake.invalid_mac',
    impl: 'freebsd',
    format: 'Invalid initiation MAC / Invalid response MAC\\n',
    pattern: 'Invalid (?<operation>initiation|response) MAC',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    diagnosis: 'handshake-mac1-invalid',
    examples: ['[15] wg1: Invalid initiation MAC'],
  },
  {
    ...action('wireguard-handshake-dropped-overload'),
    id: 'fbsd.handshake.ratelimited',
    impl: 'freebsd',
    format: 'Handshake ratelimited\\n',
    pattern: 'Handshake ratelimited',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    examples: ['[15] wg1: Handshake ratelimited'],
  },
  {
    ...action('wireguard-cookie-reply-received'),
    id: 'fbsd.handshake.cookie_received',
    impl: 'freebsd',
    format: 'Receiving cookie response\\n',
    pattern: 'Receiving cookie response',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    examples: ['[15] wg1: Receiving cookie response'],
  },
  {
    ...action('wireguard-handshake-timeout-retry', { family: 'timer' }),
    id: 'fbsd.timer.handshake_retry',
    impl: 'freebsd',
    format: 'Handshake for peer %llu did not complete after %d seconds, retrying (try %d)\\n',
    pattern: String.raw`Handshake for peer {int:peer_id} did not complete after {int:seconds} seconds, retrying \(try {int:attempt}\)`,
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    diagnosis: 'handshake-no-answer',
    examples: ['[15] wg1: Handshake for peer 0 did not complete after 5 seconds, retrying (try 2)'],
  },
  {
    ...action('wireguard-handshake-timeout-giving-up', { family: 'timer' }),
    id: 'fbsd.timer.handshake_giving_up',
    impl: 'freebsd',
    format: 'Handshake for peer %llu did not complete after %d retries, giving up\\n',
    pattern: 'Handshake for peer {int:peer_id} did not complete after {int:attempt} (?:retries|attempts), giving up',
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    examples: ['[95] wg1: Handshake for peer 0 did not complete after 20 retries, giving up'],
    versions: '"attempts" in the first port (2020), "retries" since.',
  },
  {
    ...action('wireguard-peer-unresponsive'),
    id: 'fbsd.timer.stopped_hearing_back',
    impl: 'freebsd',
    format: 'Retrying handshake with peer %llu because we stopped hearing back after %d seconds\\n',
    pattern: 'Retrying handshake with peer {int:peer_id},? because we stopped hearing back after {int:seconds} seconds',
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    examples: ['[140] wg1: Retrying handshake with peer 0 because we stopped hearing back after 15 seconds'],
  },
  {
    ...action('wireguard-keepalive-sent'),
    id: 'fbsd.keepalive.sent',
    impl: 'freebsd',
    format: 'Sending keepalive packet to peer %llu\\n',
    pattern: 'Sending keepalive packet to peer {int:peer_id}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    examples: ['2026-01-01T00:01:02  Notice  kernel  wg0: Sending keepalive packet to peer 1'],
  },
  {
    ...action('wireguard-keepalive-received'),
    id: 'fbsd.keepalive.received',
    impl: 'freebsd',
    format: 'Receiving keepalive packet from peer %llu\\n',
    pattern: 'Receiving keepalive packet from peer {int:peer_id}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'inbound',
    examples: [
      '2026-01-01T00:01:27  Notice  kernel  wg0: Receiving keepalive packet from peer 1',
      '2026-01-01T00:02:01\tNotice\tkernel\t wg0: Receiving keepalive packet from peer 1',
    ],
  },
  {
    ...action('wireguard-tx-send-failed'),
    id: 'fbsd.tx.send_failed',
    impl: 'freebsd',
    format: 'Unable to send packet: %d\\n',
    pattern: 'Unable to send packet: {int:errno}',
    ifacePrefix: true,
    level: 'debug',
    direction: 'none',
    diagnosis: 'freebsd-send-failed',
    examples: ['[15] wg1: Unable to send packet: 47'],
    notes: 'The number is a FreeBSD errno: 47 EAFNOSUPPORT, 49 EADDRNOTAVAIL, 50 ENETDOWN, 51 ENETUNREACH, 55 ENOBUFS, 64 EHOSTDOWN, 65 EHOSTUNREACH.',
  },
  fbsdLinkState('UP', {
    ...action('wireguard-interface-up'),
    id: 'fbsd.lifecycle.link_up',
    examples: ['2026-07-02T06:53:13\tNotice\tkernel\t <6>[3475] wg6: link state changed to UP'],
  }),
  fbsdLinkState('DOWN', {
    ...action('wireguard-interface-down'),
    id: 'fbsd.lifecycle.link_down',
    examples: ['2026-07-02T06:50:02\tNotice\tkernel\t <6>[3284] wg6: link state changed to DOWN'],
  }),
  // ================================================================ OPNsense: wg-service-control.php (syslog "wireguard")
  {
    ...action('wireguard-service-started'),
    id: 'plat.lifecycle.opnsense_instance_started',
    impl: 'platform',
    format: 'wireguard instance %s (%s) started',
    pattern: String.raw`${OPNSENSE_INSTANCE}started`,
    level: 'notice',
    direction: 'none',
    examples: [
      '<37>1 2023-12-01T09:24:52+01:00 myopnsense.net wireguard 30075 - [meta sequenceId="3"] wireguard instance wg_mobile (wg1) started',
      '2026-07-02T06:53:13\tNotice\twireguard\t wireguard instance WG-R-01 (wg6) started',
      '2025-12-31T20:04:29  Notice  wireguard  wireguard instance testvpn (wg0) started',
    ],
  },
  {
    ...action('wireguard-service-stopped'),
    id: 'plat.lifecycle.opnsense_instance_stopped',
    impl: 'platform',
    format: 'wireguard instance %s (%s) stopped',
    pattern: String.raw`${OPNSENSE_INSTANCE}stopped`,
    level: 'notice',
    direction: 'none',
    examples: ['<37>1 2023-12-01T09:24:52+01:00 myopnsense.net wireguard 30075 - [meta sequenceId="2"] wireguard instance wg_mobile (wg1) stopped'],
  },
  {
    ...action('wireguard-service-restart-required'),
    id: 'plat.config.opnsense_restart_required',
    impl: 'platform',
    format: 'wireguard instance %s (%s) can not reconfigure without stopping it first.',
    pattern: String.raw`${OPNSENSE_INSTANCE}can not reconfigure without stopping it first\.`,
    level: 'notice',
    direction: 'none',
    examples: ['<37>1 2023-12-01T09:24:51+01:00 myopnsense.net wireguard 30075 - [meta sequenceId="1"] wireguard instance wg_mobile (wg1) can not reconfigure without stopping it first.'],
    versions: '"Wireguard interface …" before the instances model (OPNsense 23.x).',
    notes: 'The change cannot be applied live: the script flushes (older releases: stops) the interface and starts it again, so the tunnel drops for a moment.',
  },
  {
    ...action('wireguard-service-gateway-configured'),
    id: 'plat.config.opnsense_routing_configure',
    impl: 'platform',
    format: '%s: ROUTING: entering configure using %s',
    // OPNsense's gateway code, run by the WireGuard service for the instance's gateway: the script's name in
    // the line is what makes these three WireGuard's (rc.newwanip, system_gateways.php print the same texts).
    pattern: String.raw`${OPNSENSE_SCRIPT}ROUTING: entering configure using {text:detail}`,
    level: 'notice',
    direction: 'none',
    examples: ['<37>1 2023-12-01T09:24:52+01:00 myopnsense.net wireguard 30075 - [meta sequenceId="4"] /usr/local/opnsense/scripts/Wireguard/wg-service-control.php: ROUTING: entering configure using \'opt2\''],
  },
  {
    ...action('wireguard-service-gateway-configured'),
    id: 'plat.config.opnsense_gateway_monitor',
    impl: 'platform',
    format: '%s: plugins_configure monitor (%s)',
    pattern: String.raw`${OPNSENSE_SCRIPT}plugins_configure monitor \({text:detail}\)`,
    level: 'notice',
    direction: 'none',
    examples: [
      '<37>1 2023-12-01T09:24:52+01:00 myopnsense.net wireguard 30075 - [meta sequenceId="6"] /usr/local/opnsense/scripts/Wireguard/wg-service-control.php: plugins_configure monitor (,WG_MOBILE_GW)',
      '2026-07-02T06:53:12\tNotice\twireguard\t /usr/local/opnsense/scripts/wireguard/wg-service-control.php: plugins_configure monitor (execute task : dpinger_configure_do(,[WG-R-01-Gateway]))',
    ],
    notes: 'Gateway monitoring (dpinger) restarted for the instance\'s gateway.',
  },
  {
    ...action('wireguard-service-gateway-configured'),
    id: 'plat.config.opnsense_gateway_bind',
    impl: 'platform',
    format: '%s: Chose to bind %s on %s since we could not find a proper match.',
    // The chosen address is the far end's address inside the tunnel: wireguard.inner.destination.ip.
    pattern: String.raw`${OPNSENSE_SCRIPT}Chose to bind (?<detail>[\w.-]{1,64}) on (?<inner_dst_ip>[^\s]{1,64}) since we could not find a proper match\.`,
    level: 'notice',
    direction: 'none',
    examples: ['2026-07-02T06:53:13\tNotice\twireguard\t /usr/local/opnsense/scripts/wireguard/wg-service-control.php: Chose to bind WG-R-01-GW on 10.x.x.x since we could not find a proper match.'],
  },
  {
    ...action('wireguard-service-gateway-invalid'),
    id: 'plat.config.opnsense_gateway_invalid',
    impl: 'platform',
    format: '%s: ROUTING: not a valid interface gateway address: \'%s\'',
    pattern: String.raw`${OPNSENSE_SCRIPT}ROUTING: not a valid interface gateway address: '(?<detail>[^'\n]{0,64})'`,
    level: 'error',
    direction: 'none',
    examples: ['<35>1 2023-12-01T09:24:52+01:00 myopnsense.net wireguard 30075 - [meta sequenceId="5"] /usr/local/opnsense/scripts/Wireguard/wg-service-control.php: ROUTING: not a valid interface gateway address: \'\''],
  },
  {
    ...action('wireguard-service-address-missing'),
    id: 'plat.config.opnsense_address_missing',
    impl: 'platform',
    format: '%s: The required %s %s interface address could not be found, skipping.',
    pattern: String.raw`${OPNSENSE_SCRIPT}The required (?<detail>[^\n]{1,64}?) (?<family>IPv[46]) interface address could not be found, skipping\.`,
    level: 'warning',
    direction: 'none',
    examples: ['2024-05-18T08:34:39-04:00 | Warning | wireguard | /usr/local/opnsense/scripts/Wireguard/wg-service-control.php: The required VPS1 IPv4 interface address could not be found, skipping.'],
  },
  // ================================================================ OpenWrt: netifd and the wireguard proto handler
  netifdState({
    ...action('wireguard-interface-starting'),
    id: 'plat.lifecycle.netifd_setting_up',
    format: 'Interface \'%s\' is setting up now',
    examples: [
      'Thu Sep  9 12:52:01 2021 daemon.notice netifd: Interface \'WG0\' is setting up now',
      'Mon Oct 22 09:29:09 2018 daemon.notice netifd: Interface \'wg0\' is setting up now',
    ],
    notes: 'netifd runs the wireguard proto handler (/lib/netifd/proto/wireguard.sh), which creates the device and runs `wg setconf`.',
  }),
  netifdState({
    ...action('wireguard-interface-up'),
    id: 'plat.lifecycle.netifd_up',
    format: 'Interface \'%s\' is now up',
    examples: ['Thu Sep  9 12:52:01 2021 daemon.notice netifd: Interface \'WG0\' is now up'],
  }),
  netifdState({
    ...action('wireguard-interface-up'),
    id: 'plat.lifecycle.netifd_link_up',
    format: 'Network device \'%s\' link is up',
    examples: ['Thu Sep  9 12:52:01 2021 daemon.notice netifd: Network device \'WG0\' link is up'],
  }),
  netifdState({
    ...action('wireguard-interface-down'),
    id: 'plat.lifecycle.netifd_down',
    format: 'Interface \'%s\' is now down',
    examples: ['Sat Oct 18 12:55:22 2025 daemon.notice netifd: Interface \'wgs0\' is now down'],
  }),
  netifdState({
    ...action('wireguard-interface-down'),
    id: 'plat.lifecycle.netifd_link_down',
    format: 'Network device \'%s\' link is down',
    examples: ['Thu Sep  9 12:54:58 2021 daemon.notice netifd: Network device \'WG0\' link is down'],
  }),
  {
    ...action('wireguard-script-failed'),
    id: 'plat.lifecycle.netifd_proto_command_failed',
    impl: 'platform',
    format: '%s (%d): Command failed: %s',
    // ubus's error, from a call in the proto handler of a WireGuard interface.
    pattern: String.raw`${OPENWRT_WG_IFACE} \(\d{1,10}\): Command failed: {text:error}`,
    level: 'notice',
    direction: 'none',
    diagnosis: 'openwrt-proto-handler-failed',
    examples: ['Mon Oct 22 09:29:09 2018 daemon.notice netifd: wg0 (11259): Command failed: Not found'],
  },
  // ================================================================ Gluon: wgpeerselector
  {
    ...action('wireguard-peer-created'),
    id: 'plat.config.wgpeerselector_peer_added',
    impl: 'platform',
    format: 'Adding peer %s to %s.',
    pattern: String.raw`Adding peer (?<peer_name>[^\s]{1,64}) to (?<iface>[^\s]{1,32})\.`,
    level: 'info',
    direction: 'none',
    examples: ['Thu Dec 26 20:35:38 2024 daemon.info wgpeerselector: Adding peer sn113 to wg_mesh.'],
    notes: 'Gluon tries one supernode after another: a peer added and removed five seconds later is one that did not answer.',
  },
  {
    ...action('wireguard-peer-removed'),
    id: 'plat.config.wgpeerselector_peer_removed',
    impl: 'platform',
    format: 'Removing peer %s from %s.',
    pattern: String.raw`Removing peer (?<peer_name>[^\s]{1,64}) from (?<iface>[^\s]{1,32})\.`,
    level: 'info',
    direction: 'none',
    examples: ['Thu Dec 26 20:35:38 2024 daemon.info wgpeerselector: Removing peer sn213 from wg_mesh.'],
  },
  {
    ...action('wireguard-session-established'),
    id: 'plat.session.wgpeerselector_established',
    impl: 'platform',
    format: 'Connection established with %s.',
    pattern: String.raw`Connection established with (?<peer_name>[^\s]{1,64})\.`,
    level: 'info',
    direction: 'none',
    examples: ['Thu Dec 26 20:35:53 2024 daemon.info wgpeerselector: Connection established with sn220.'],
    notes: 'The selector saw a handshake with that supernode and keeps it.',
  },
  // ================================================================ ASUSWRT-Merlin: WireGuardClient hook (3006)
  {
    ...action('wireguard-interface-up'),
    id: 'plat.lifecycle.merlin_interface_up',
    impl: 'platform',
    format: 'WireGuard interface %s is up and configured',
    pattern: String.raw`WireGuard interface (?<iface>[\w.-]{1,32}) is up and configured`,
    level: 'info',
    direction: 'none',
    examples: ['Apr 24 20:48:07 WireGuardClient: WireGuard interface wgc1 is up and configured'],
  },
  {
    ...action('wireguard-script-executed', { family: 'lifecycle' }),
    id: 'plat.lifecycle.merlin_hook_scripts',
    impl: 'platform',
    format: 'Executing external scripts after WireGuard interface is up / Executing interface-specific script: %s',
    // Like wireguard-windows' "Executing: …": the firmware says it runs the user's hook, a logged event (unlike
    // wg-quick's "[#]" trace of every command, see the file comment).
    pattern: String.raw`Executing (?:external scripts after WireGuard interface is (?:up|down)|interface-specific script: {text:detail})`,
    level: 'info',
    direction: 'none',
    examples: [
      'Apr 24 20:48:07 WireGuardClient: Executing external scripts after WireGuard interface is up',
      'Apr 24 20:48:07 WireGuardClient: Executing interface-specific script: /jffs/scripts/ipset_wg_route_wgc1.sh',
    ],
  },
  // ================================================================ ASUSWRT-Merlin: wireguard_manager's console
  {
    ...action('wireguard-service-control-requested'),
    id: 'plat.lifecycle.wgm_control_requested',
    unenveloped: true,
    impl: 'platform',
    format: 'Requesting WireGuard VPN Peer %s (%s)',
    pattern: String.raw`Requesting WireGuard VPN Peer (?<operation>start|restart|stop) \((?<iface>[\w.-]{1,32})\)`,
    level: 'info',
    direction: 'none',
    examples: ['\tRequesting WireGuard VPN Peer restart (wg11)', 'Requesting WireGuard VPN Peer start (par2)'],
  },
  {
    ...action('wireguard-interface-starting'),
    id: 'plat.lifecycle.wgm_initialising',
    unenveloped: true,
    impl: 'platform',
    format: 'wireguard-client%s: Initialising Wireguard VPN \'client\' Peer (%s) to %s (# %s) DNS=%s',
    pattern: String.raw`wireguard-(?:client|server)[\w.-]{1,32}: Initialising Wireguard VPN '(?<detail>[A-Za-z]{1,16})' Peer \((?<iface>[\w.-]{1,32})\) (?:to|on) {endpoint} \(# [^)\n]{0,80}\) DNS=[^\n]{0,200}`,
    level: 'info',
    direction: 'outbound',
    examples: [
      '\twireguard-clientwg11: Initialising Wireguard VPN \'client\' Peer (wg11) to 192.168.57.10:33213 (# N/A) DNS=',
      '\twireguard-clientpar2: Initialising Wireguard VPN \'client\' Peer (par2) to XXX.dyndns.org:XXX (# Unidentified) DNS=',
    ],
  },
  {
    ...action('wireguard-service-started'),
    id: 'plat.lifecycle.wgm_initialised',
    unenveloped: true,
    impl: 'platform',
    format: 'wireguard-client%s: Initialisation complete.',
    pattern: String.raw`wireguard-(?:client|server)(?<iface>[\w.-]{1,32}): Initialisation complete\.`,
    level: 'info',
    direction: 'none',
    examples: ['\twireguard-clientwg11: Initialisation complete.'],
  },
  // ================================================================ service scripts' own lines
  {
    ...action('wireguard-process-stopping'),
    id: 'plat.lifecycle.rc_stopping',
    unenveloped: true,
    impl: 'platform',
    format: 'stopping wireguard',
    pattern: 'stopping wireguard',
    level: 'info',
    direction: 'none',
    examples: ['stopping wireguard'],
    notes: 'The rc.d script of OPNsense\'s early os-wireguard plugin (2018), before it took every tunnel down with wg-quick.',
  },
  {
    ...action('wireguard-service-starting'),
    id: 'plat.lifecycle.container_starting',
    unenveloped: true,
    impl: 'platform',
    format: '[INFO] Starting WireGuard...',
    pattern: String.raw`\[INFO\] Starting WireGuard\.\.\.`,
    level: 'info',
    direction: 'none',
    examples: ['[INFO] Starting WireGuard...'],
    notes: 'The start script of the *vpn containers (jackettvpn, qbittorrentvpn, …) before it runs wg-quick up.',
  },
  // ================================================================ wireguard-tools: wg-quick's own lines
  {
    ...action('wireguard-userspace-fallback'),
    id: 'tools.lifecycle.userspace_fallback',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: '[!] Missing WireGuard kernel module. Falling back to slow userspace implementation. / [!] Missing WireGuard kernel support (%s). Falling back to slow userspace implementation.',
    pattern: String.raw`\[!\] Missing WireGuard kernel (?:module|support \((?<error>[^\n]{1,200}?)\))\. Falling back to slow userspace implementation\.`,
    level: 'warning',
    direction: 'none',
    examples: [
      '[!] Missing WireGuard kernel module. Falling back to slow userspace implementation.',
      '[!] Missing WireGuard kernel support (ifconfig: SIOCIFCREATE2: Invalid argument). Falling back to slow userspace implementation.',
    ],
    versions: '"kernel support (<ifconfig error>)" is the FreeBSD wg-quick; Linux says "kernel module".',
  },
  {
    ...action('wireguard-config-permissions-insecure'),
    id: 'tools.config.world_accessible',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'Warning: `%s\' is world accessible',
    pattern: String.raw`Warning: \x60(?:[^\x60'\n]{0,400}/)?(?<iface>[^/\x60'\s]{1,32})\.conf' is world accessible`,
    level: 'warning',
    direction: 'none',
    examples: [
      'Warning: `/etc/wireguard/wg0.conf\' is world accessible',
      'Warning: `/mnt/data/wireguard/etc/wireguard/wg0.conf\' is world accessible',
    ],
    notes: 'The interface is the configuration file\'s name: wg-quick names the interface after it.',
  },
  {
    ...action('wireguard-interface-missing'),
    id: 'tools.lifecycle.not_wireguard_interface',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'wg-quick: `%s\' is not a WireGuard interface',
    pattern: String.raw`wg-quick: \x60(?<iface>[^\x60'\s]{1,32})' is not a WireGuard interface`,
    level: 'error',
    direction: 'none',
    examples: ['wg-quick: `wg0\' is not a WireGuard interface'],
  },
  {
    ...action('wireguard-interface-exists'),
    id: 'tools.lifecycle.interface_exists',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'wg-quick: `%s\' already exists',
    pattern: String.raw`wg-quick: \x60(?<iface>[^\x60'\s/]{1,32})' already exists`,
    level: 'error',
    direction: 'none',
    examples: ['Feb 07 08:43:48 PlumpGummy-VM wg-quick[8192]: wg-quick: `wg0\' already exists'],
  },
  {
    ...action('wireguard-config-missing'),
    id: 'tools.config.missing',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'wg-quick: `%s\' does not exist',
    pattern: String.raw`wg-quick: \x60(?:[^\x60'\n]{0,400}/)?(?<iface>[^/\x60'\s]{1,32})\.conf' does not exist`,
    level: 'error',
    direction: 'none',
    examples: ['Aug 09 06:52:58 racknerd-109bee9 wg-quick[6433]: wg-quick: `/etc/wireguard/wg0.conf\' does not exist'],
  },
  {
    ...action('wireguard-service-interface-watch-started'),
    id: 'tools.lifecycle.route_monitor',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: '[+] Backgrounding route monitor',
    pattern: String.raw`\[\+\] Backgrounding route monitor`,
    level: 'info',
    direction: 'none',
    examples: ['[+] Backgrounding route monitor'],
    notes: 'wg-quick on macOS and FreeBSD: a background job that re-adds the endpoint routes when the default route changes.',
  },
  {
    ...action('wireguard-script-failed'),
    id: 'tools.lifecycle.command_failed',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: '%s: line %d: %s (bash, inside wg-quick)',
    pattern: String.raw`(?:/[\w./-]{0,200}/)?wg-quick: line {int}: {text:error}`,
    level: 'error',
    direction: 'none',
    diagnosis: 'wg-quick-command-failed',
    examples: [
      '/usr/bin/wg-quick: line 295: /root/wireguardup.sh: No such file or directory',
      '/usr/bin/wg-quick: line 32: resolvconf: command not found',
    ],
    notes: 'bash reports a command wg-quick ran (a PreUp/PostUp hook, resolvconf) that failed; wg-quick then tears the interface down again.',
  },
  // ================================================================ wireguard-tools: wg's own lines
  {
    ...action('wireguard-config-parse-failed'),
    id: 'tools.config.line_unrecognized',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'Line unrecognized: `%s\'',
    pattern: String.raw`Line unrecognized: \x60(?<detail>[^\n]{0,500})'`,
    level: 'error',
    direction: 'none',
    examples: ['Line unrecognized: `Address=10.0.10.13/32\''],
  },
  {
    ...action('wireguard-config-parse-failed'),
    id: 'tools.config.parse_error',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'Configuration parsing error',
    pattern: 'Configuration parsing error',
    level: 'error',
    direction: 'none',
    examples: ['Configuration parsing error'],
    notes: '`wg setconf` / `wg syncconf` gave up on the file; the line before says why.',
  },
  {
    ...action('wireguard-config-rejected'),
    id: 'tools.config.key_invalid',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'Key is not the correct length or format: `%s\'',
    // The value is a key, maybe a private one: nothing is captured. A paste cut short ("… or forma") is still
    // this text: nothing else starts with it.
    pattern: String.raw`Key is not the correct length or forma(?:t(?:: [^\n]{0,200})?)?`,
    level: 'error',
    direction: 'none',
    diagnosis: 'wg-config-parse-failed',
    examples: ['janv. 18 14:54:53 val-1 wg-quick[1742]: Key is not the correct length or forma'],
  },
  {
    ...action('wireguard-config-rejected'),
    id: 'tools.config.device_error',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: 'Unable to access interface: %s / Unable to modify interface: %s / Unable to set device: %s (perror)',
    pattern: String.raw`Unable to (?<operation>access interface|modify interface|set device): {text:error}`,
    level: 'error',
    direction: 'none',
    diagnosis: 'wg-tool-device-error',
    examples: [
      'Unable to access interface: No such device',
      'Tue Oct 17 08:04:28 2017 daemon.notice netifd: RAG (24892): Unable to set device: Protocol not supported',
      'Mon Oct 22 09:29:09 2018 daemon.notice netifd: wg0 (11259): Unable to access interface: No such device',
      'Jul 23 20:57:58 wg-quick[1362]: Unable to access interface: Protocol not supported',
    ],
    versions: '"Unable to set device" up to 2018; later releases say "Unable to modify interface".',
  },
  {
    ...action('wireguard-endpoint-resolve-failed'),
    id: 'tools.config.endpoint_resolve_failed',
    unenveloped: true,
    impl: 'wireguard-tools',
    format: '%s: `%s\' (gai_strerror, endpoint)',
    pattern: String.raw`(?<error>${GAI_ERRORS}): \x60(?<endpoint>[^\x60'\s]{1,300})'`,
    level: 'error',
    direction: 'outbound',
    examples: ['Fri Oct 17 18:50:15 2025 daemon.notice netifd: wgs0 (16095): Name does not resolve: `w6bi-shack-node:5532\''],
    notes: 'wg resolves Endpoint host names once, when the configuration is set; the peer then has no endpoint until the next `wg set`.',
  },
];
