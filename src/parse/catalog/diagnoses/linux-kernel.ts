// Diagnoses only the Linux kernel module (and its out-of-tree compat build) needs: conditions the other
// implementations either do not log or log with a different meaning. Shared explanations live in common.ts.
import type { DiagnosisDef } from '../types.ts';

export const KERNEL_DIAGNOSES = [
  {
    id: 'kernel-no-peer-for-destination',
    summary: 'The host routed a packet into the WireGuard interface, but no peer\'s AllowedIPs covers its destination, so WireGuard dropped it and the sending program got "Required key not available".',
    causes: [
      { text: 'Multicast or broadcast the host sends on every interface (IPv6 ff02::… router solicitations and MLD reports, mDNS 224.0.0.251 or ff02::fb, SSDP 239.255.255.250): noise, nothing is broken.', likelihood: 'likely' },
      { text: 'A route points this destination at the tunnel but no [Peer] lists it: a peer or one of its prefixes was removed and the route stayed, a subnet is missing, or a typo in AllowedIPs.', likelihood: 'likely' },
      { text: 'A full-tunnel route (default route through the interface) while no peer carries 0.0.0.0/0 or ::/0.', likelihood: 'possible' },
      { text: 'Old modules (2017–2018 "No peer is configured for …" lines) printed the packet\'s source instead of its destination, so the address in those lines is misleading.', likelihood: 'rare' },
    ],
    checks: [
      '`ip route get <address>` (`ip -6 route get` for IPv6): does the route leave through the WireGuard interface?',
      '`wg show <iface> allowed-ips`: which peer should own the address? Add the prefix to that peer, or remove the route.',
      'IPv6 addresses in these lines are printed uncompressed (fd00:0066:0000:…); compress them before searching your inventory.',
      'For multicast destinations only: exclude them from alerting, or stop the service that sends them on the tunnel.',
    ],
  },
  {
    id: 'kernel-replay-window',
    summary: 'A correctly encrypted data packet was thrown away because its counter had already been seen or lagged too far behind: a duplicate, a badly reordered packet, or a replay.',
    causes: [
      { text: 'The network duplicates packets (layer-2 loop, port mirroring in the path, some cloud or overlay networks).', likelihood: 'likely' },
      { text: 'Heavy reordering beyond the ~8000-packet window: per-packet load balancing, bonding, ECMP over paths with different delays.', likelihood: 'possible' },
      { text: 'Someone re-sends captured tunnel packets. They cannot be decrypted into anything new, but the attempt is worth knowing about.', likelihood: 'possible' },
      { text: 'The session reached its message limit and must be rekeyed.', likelihood: 'rare' },
    ],
    checks: [
      'Count how often it happens: a few lines an hour are path noise; a steady stream means duplication or an attack.',
      'Capture on the outer interface (`tcpdump -ni any udp port <port>`) and look for identical datagrams arriving twice.',
      'Check bonding / ECMP / multipath settings between the two peers.',
    ],
  },
  {
    id: 'kernel-cookie-reply-invalid',
    summary: 'A cookie reply (the remote peer saying "I am busy, retry with this cookie") could not be decrypted, so it was ignored.',
    causes: [
      { text: 'The reply answers an older handshake packet that a retry has since replaced; it is stale and harmless.', likelihood: 'likely' },
      { text: 'The remote peer is under handshake load and replies cross with our retries.', likelihood: 'possible' },
      { text: 'Forged cookie replies from someone who can see our handshake traffic.', likelihood: 'rare' },
    ],
    checks: [
      'The line carries no address: the "Receiving cookie response from …" line just before it on the same interface names the sender.',
      'If a handshake with that peer succeeds shortly after, nothing needs doing.',
      'If it repeats and handshakes keep failing, look at the remote peer\'s load (it is the one sending cookies).',
    ],
  },
  {
    id: 'kernel-netns-exiting',
    summary: 'The network namespace that holds this interface\'s UDP sockets is being destroyed: the interface stays (it lives in another namespace) but can no longer send or receive anything.',
    causes: [
      { text: 'A container, pod or `ip netns del` removed the namespace the interface was created in, after the interface had been moved elsewhere.', likelihood: 'likely' },
      { text: 'An orchestrator or CNI plugin restarted the creating container without recreating the tunnel.', likelihood: 'possible' },
    ],
    checks: [
      '`ip link show <iface>` in the namespace where the interface lives now: NO-CARRIER confirms it is dead.',
      'Recreate the interface (`wg-quick down <iface> && wg-quick up <iface>`, or let the orchestrator rebuild it); `ip link set up` alone does not bring the sockets back.',
      '`ip netns list` and the container runtime\'s events around the same time show which namespace went away.',
    ],
  },
  {
    id: 'kernel-selftest-failed',
    summary: 'A built-in WireGuard self-test failed while the module was loading, so the module refused to load.',
    causes: [
      { text: 'Memory pressure at load time (the failing line mentions malloc or out of memory).', likelihood: 'likely' },
      { text: 'The timing-sensitive rate-limiter test on a slow or overcommitted virtual machine.', likelihood: 'possible' },
      { text: 'A broken module build: compiled against the wrong kernel headers (DKMS), or a compiler problem.', likelihood: 'possible' },
    ],
    checks: [
      '`dmesg | grep -i self-test` to see which test failed, then `lsmod | grep wireguard` to confirm the module is not loaded.',
      '`dkms status` and `modinfo wireguard`: rebuild or reinstall the module for the running kernel.',
      'Self-tests only run in debug builds (CONFIG_WIREGUARD_DEBUG): find out why a debug build is installed on this host.',
    ],
  },
  {
    id: 'kernel-rx-delivery-dropped',
    summary: 'A packet arrived through the tunnel and decrypted correctly, but the Linux network stack refused it on delivery (kernels 5.6–5.7 and older compat modules only).',
    causes: [
      { text: 'The receive path was overloaded (backlog full) during a traffic burst.', likelihood: 'likely' },
      { text: 'The packet was dropped by the stack\'s receive offload (GRO) path for a reason the old code did not report.', likelihood: 'possible' },
    ],
    checks: [
      '`ip -s link show <iface>`: a growing "dropped" counter on RX confirms it.',
      '`cat /proc/net/softnet_stat` (second column) for backlog drops; consider raising `net.core.netdev_max_backlog`.',
      'This text no longer exists from Linux 5.8 on: upgrading removes the ambiguity.',
    ],
  },
  {
    id: 'kernel-routing-loop',
    summary: 'The route to the peer\'s endpoint pointed back into the WireGuard interface itself, so the encrypted packet was dropped to avoid a loop (Linux 5.6 and older modules only).',
    causes: [
      { text: 'Full-tunnel setup (AllowedIPs = 0.0.0.0/0 or ::/0) without the rule or host route that keeps the endpoint on the real uplink.', likelihood: 'likely' },
      { text: 'The endpoint\'s address lies inside the AllowedIPs of a peer on the same interface.', likelihood: 'possible' },
      { text: 'Custom policy routing that forgot the fwmark exemption wg-quick normally installs.', likelihood: 'possible' },
    ],
    checks: [
      '`ip route get <endpoint-ip>`: an answer with `dev <wireguard-iface>` is the loop; repeat with `mark <fwmark>` if the interface sets one.',
      '`ip rule` and `wg show <iface> fwmark`: the fwmark rule must send WireGuard\'s own packets to the main table.',
      'Add a host route for the endpoint via the uplink, or set FwMark / Table in the configuration.',
    ],
  },
  {
    id: 'kernel-invalid-outer-packet',
    summary: 'A UDP datagram on the WireGuard port was not a well-formed WireGuard message (wrong type, wrong size or a broken UDP header) and was dropped. Only old modules log this; current kernels drop such datagrams silently.',
    causes: [
      { text: 'Scanners or another protocol sending traffic to the WireGuard port.', likelihood: 'likely' },
      { text: 'A middlebox truncating or rewriting UDP payloads.', likelihood: 'possible' },
      { text: 'An incompatible client: an obfuscating WireGuard fork or a much newer or older protocol variant.', likelihood: 'possible' },
    ],
    checks: [
      'Check whether the source address belongs to a known peer (`wg show <iface> endpoints`).',
      '`tcpdump -ni any -X udp port <port> and host <source>` shows what is actually being sent.',
      'Restrict the port to known sources in the firewall (`nft list ruleset`) where peers have fixed addresses.',
    ],
  },
  {
    id: 'kernel-module-load-failed',
    summary: 'The WireGuard kernel module could not initialise and was not loaded (2016–2017 snapshots).',
    causes: [
      { text: 'Early snapshots needed the kernel\'s xt_hashlimit module for handshake rate limiting, and it is missing or not built for this kernel.', likelihood: 'likely' },
      { text: 'The WireGuard link type was already registered, e.g. a second, older copy of the module is loaded.', likelihood: 'possible' },
    ],
    checks: [
      '`modprobe xt_hashlimit`, then load WireGuard again; `lsmod | grep -e wireguard -e hashlimit`.',
      '`modinfo wireguard` for the version: these snapshots are long unsupported, upgrade the module.',
    ],
  },
] as const satisfies readonly DiagnosisDef[];
