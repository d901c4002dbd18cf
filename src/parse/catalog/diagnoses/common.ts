// Diagnoses that more than one implementation's messages point to. Each message entry names one by id;
// implementation-specific explanations live beside this file, one module per implementation.
import type { DiagnosisDef } from '../types.ts';

export const COMMON_DIAGNOSES = [
  {
    id: 'handshake-mac1-invalid',
    summary: 'A handshake packet failed the first integrity check: the sender does not use this interface\'s public key, or the packet is not WireGuard at all.',
    causes: [
      { text: 'The remote peer is configured with the wrong public key for this server (typo, an old key, keys swapped between two servers).', likelihood: 'likely' },
      { text: 'Internet background noise: a scanner or another UDP protocol hitting the WireGuard port.', likelihood: 'possible' },
      { text: 'On the Linux kernel and WireGuardNT only: the server is under handshake load and this source exceeded its per-IP budget; the same text is printed for rate-limited valid packets.', likelihood: 'possible' },
      { text: 'This interface has no private key, so nothing can be validated.', likelihood: 'rare' },
    ],
    checks: [
      'On the server: `wg show <iface> public-key`; on the client: compare it with the PublicKey of the [Peer] section that points to this server.',
      'Look for a burst of handshake lines or `net_ratelimit: ... callbacks suppressed` around the same time (load, not a key problem).',
      'If the source address is unknown to you: treat it as a probe; check firewall logs for the same source on other ports.',
    ],
  },
  {
    id: 'handshake-initiation-rejected',
    summary: 'A handshake initiation passed the packet checks but was rejected: the sender\'s public key is not a peer of this interface, or the initiation is a replay.',
    causes: [
      { text: 'The client\'s public key is not configured as a [Peer] here: never added, removed, mistyped, or the client regenerated its key pair.', likelihood: 'likely' },
      { text: 'The initiation carries an older timestamp than the last accepted one: the client\'s clock jumped backwards (NTP step, dead RTC, VM snapshot restore), two devices share one key, or the packet was replayed.', likelihood: 'possible' },
      { text: 'The client reached the wrong interface or server (several WireGuard servers behind one address or port forward).', likelihood: 'possible' },
      { text: 'More than one initiation from the same peer within 20 ms (flood protection).', likelihood: 'rare' },
    ],
    checks: [
      'On the server: `wg show <iface> peers` and look for the client\'s key, which the client prints with `wg pubkey < client.key` (or `wg show <iface> public-key` on the client).',
      'On the client: `chronyc tracking` / `timedatectl` — was the clock stepped back recently? Is the same key used on a second device?',
      'If both look right: confirm the client\'s Endpoint really reaches this host and interface (port forwards, load balancers).',
    ],
  },
  {
    id: 'handshake-replay',
    summary: 'A peer presented a handshake timestamp that is not newer than the last one accepted: its clock went backwards, its key is used on two devices, or the packet was replayed.',
    causes: [
      { text: 'The initiator\'s clock was stepped backwards (NTP correction, no RTC battery, booted before time sync, restored VM snapshot).', likelihood: 'likely' },
      { text: 'Two devices use the same private key and take turns handshaking.', likelihood: 'possible' },
      { text: 'A captured initiation was sent again by someone on the path, or the network duplicated it.', likelihood: 'possible' },
    ],
    checks: [
      'On the initiator: `chronyc tracking`, `timedatectl`, `journalctl -u chronyd -u systemd-timesyncd` for a recent step backwards.',
      'Compare the claimed time in the message with the server\'s clock: the difference is the initiator\'s clock skew.',
      'Ask whether the peer\'s key file was copied to another machine; give each device its own key.',
      'The responder remembers the newest timestamp until the peer is removed and re-added (`wg set <iface> peer <key> remove`, then add it back) or the interface is recreated.',
    ],
  },
  {
    id: 'handshake-flood',
    summary: 'A peer sent handshake initiations faster than WireGuard accepts them (more than one per 20 ms).',
    causes: [
      { text: 'Duplicated packets on the path or a misbehaving client retrying too fast.', likelihood: 'likely' },
      { text: 'Two devices sharing one key handshake at the same moment.', likelihood: 'possible' },
      { text: 'A deliberate flood with replayed initiations.', likelihood: 'possible' },
    ],
    checks: [
      'Count initiations per second from that source (packet capture on the WireGuard port: `tcpdump -ni any udp port <port>`).',
      'Check whether the peer\'s key is in use on more than one device.',
    ],
  },
  {
    id: 'handshake-response-rejected',
    summary: 'The initiator could not accept the responder\'s handshake response: almost always a preshared-key mismatch, which only the initiator can detect.',
    causes: [
      { text: 'PresharedKey differs between the two ends, or is set on one end only.', likelihood: 'likely' },
      { text: 'A late response to an initiation that a retry had already replaced (harmless if a later handshake succeeds).', likelihood: 'possible' },
      { text: 'Both ends initiated at the same moment (harmless race).', likelihood: 'rare' },
    ],
    checks: [
      'Compare `wg show <iface> preshared-keys` on both ends for this peer (the values must be identical, or `(none)` on both).',
      'If the responder keeps logging successful-looking handshakes (response sent, keypair created) while this end keeps retrying, it is the preshared key.',
    ],
  },
  {
    id: 'handshake-no-answer',
    summary: 'This end keeps sending handshake initiations and gets no valid answer.',
    causes: [
      { text: 'The packets never reach the responder: wrong Endpoint address or port, a firewall or NAT dropping UDP, the remote interface is down.', likelihood: 'likely' },
      { text: 'The responder drops them silently or rejects them: it has a different public key than this end expects, or does not know this end\'s key. Only the responder\'s log tells these apart from the line above.', likelihood: 'likely' },
      { text: 'Preshared-key mismatch (this end would then also log invalid responses).', likelihood: 'possible' },
      { text: 'This interface has no private key or the peer\'s public key is invalid, so initiations are never actually built.', likelihood: 'rare' },
    ],
    checks: [
      'On the responder, look at its WireGuard log for this client\'s address at the same minutes: invalid MAC (wrong server key), invalid initiation (unknown client key), nothing at all (packets do not arrive).',
      'From the client: `nc -vzu <endpoint-host> <port>` says little for UDP; a capture on the server (`tcpdump -ni any udp port <port>`) shows whether packets arrive.',
      'On the server: `ss -ulpn | grep <port>` (is it listening?) and the firewall (`nft list ruleset` / `iptables -S`) for the WireGuard port.',
    ],
  },
  {
    id: 'handshake-gave-up',
    summary: 'WireGuard gave up on a handshake after about 90 seconds of unanswered retries; packets queued for this peer were dropped.',
    causes: [
      { text: 'Same causes as the retries before it: unreachable endpoint, wrong keys on either side, or a preshared-key mismatch.', likelihood: 'likely' },
      { text: 'The remote host or its WireGuard interface is down.', likelihood: 'possible' },
    ],
    checks: [
      'Read the responder\'s log for this client in the preceding 90 seconds (see the retry lines\' diagnosis).',
      'Check the peer\'s Endpoint and reachability; `wg show <iface> latest-handshakes` shows when it last worked.',
    ],
  },
  {
    id: 'peer-stopped-answering',
    summary: 'This end sent data but heard nothing authenticated back for 15 seconds, so it starts a new handshake.',
    causes: [
      { text: 'The peer went away: reboot, sleep, lost connectivity, or its WireGuard restarted and forgot the session.', likelihood: 'likely' },
      { text: 'A NAT mapping on the path expired because nothing kept it alive (no PersistentKeepalive on the side behind NAT).', likelihood: 'likely' },
      { text: 'The return path is blocked or asymmetric.', likelihood: 'possible' },
    ],
    checks: [
      'If this peer sits behind NAT, set `PersistentKeepalive = 25` on it.',
      'See whether a new handshake follows within seconds (transient) or retries pile up (the peer is gone).',
    ],
  },
  {
    id: 'peer-silent',
    summary: 'A peer that used to handshake or send keepalives has not been heard from for much longer than its timers allow.',
    causes: [
      { text: 'The device is off, asleep or disconnected (laptops and phones do this every day).', likelihood: 'likely' },
      { text: 'Its NAT mapping expired and nothing keeps it open: no PersistentKeepalive on the side behind NAT, so this end cannot reach it and it has nothing to send.', likelihood: 'likely' },
      { text: 'The path is blocked: a firewall change, an ISP filtering UDP, or a changed endpoint address this side does not know yet.', likelihood: 'possible' },
      { text: 'WireGuard on the peer was stopped, or its configuration no longer has this side as a peer.', likelihood: 'possible' },
    ],
    checks: [
      'Run `wg show <interface> latest-handshakes` on this host: how long ago was the last handshake with that key?',
      'Ask whether the device is expected to be online (on-call sites, site-to-site links: yes; road warriors: often not).',
      'On the peer, check `wg show` and whether its Endpoint still points to this host\'s current address and port.',
      'If the peer is behind NAT, set `PersistentKeepalive = 25` on it.',
    ],
  },
  {
    id: 'endpoint-missing',
    summary: 'WireGuard has no address to send to for this peer.',
    causes: [
      { text: 'No Endpoint is configured and the peer has not contacted this end yet: normal on a server for roaming clients.', likelihood: 'likely' },
      { text: 'A client configuration is missing its Endpoint line, or its host name did not resolve when the interface came up.', likelihood: 'possible' },
    ],
    checks: [
      '`wg show <iface> endpoints` — `(none)` means no endpoint is known.',
      'On a client, add `Endpoint = host:port` to the [Peer] section; on a server this is expected until the client connects.',
    ],
  },
  {
    id: 'routing-failure',
    summary: 'The outer UDP packet could not be sent: the host has no usable route or the send was refused locally.',
    causes: [
      { text: 'The uplink is down or the default route is missing.', likelihood: 'likely' },
      { text: 'The endpoint is IPv6 but the host has no IPv6 connectivity (or the reverse).', likelihood: 'possible' },
      { text: 'Policy routing / fwmark mistake, a blackhole or prohibit route, or a local firewall refusing the packet (EPERM).', likelihood: 'possible' },
    ],
    checks: [
      '`ip route get <endpoint-ip>` (add `mark <fwmark>` when the interface uses one).',
      '`ip rule`, `ip -6 route`, and the local firewall\'s OUTPUT rules.',
    ],
  },
  {
    id: 'allowed-ips-mismatch',
    summary: 'The tunnel is up, but packets are dropped by cryptokey routing: their inner addresses do not match the AllowedIPs of the peer.',
    causes: [
      { text: 'The peer\'s Address (or the network behind it) is not in this end\'s AllowedIPs for that peer.', likelihood: 'likely' },
      { text: 'Traffic is forwarded from a LAN behind the peer without NAT, and that LAN is not in AllowedIPs.', likelihood: 'possible' },
      { text: 'Two peers claim overlapping AllowedIPs, so packets are attributed to the other one.', likelihood: 'possible' },
      { text: 'Someone is spoofing inner source addresses through an authenticated tunnel.', likelihood: 'rare' },
    ],
    checks: [
      '`wg show <iface> allowed-ips` on this end, and the Address of the peer\'s interface (`ip addr show <iface>` there).',
      'If the peer routes a LAN, add that LAN\'s prefix to its AllowedIPs here or NAT it there.',
    ],
  },
  {
    id: 'handshake-load',
    summary: 'The responder is receiving more handshakes than it can process and is defending itself (cookies, dropped handshakes).',
    causes: [
      { text: 'A handshake flood from spoofed or real sources (DoS).', likelihood: 'likely' },
      { text: 'Many clients behind one address reconnecting at once (after an outage), or CPU starvation on the responder.', likelihood: 'possible' },
    ],
    checks: [
      'Count handshake packets per source (`tcpdump -ni any udp port <port>`); see the distributed-failure alerts for the number of sources.',
      'Look at CPU load on the responder; rate-limit the WireGuard port per source in the firewall if it is an attack.',
    ],
  },
  {
    id: 'log-lines-suppressed',
    summary: 'The logger dropped lines to protect itself: counts of WireGuard events around this time are minimums.',
    causes: [
      { text: 'A burst of WireGuard (or other networking) messages exceeded the log rate limit: often a handshake flood or a misconfigured peer retrying.', likelihood: 'likely' },
      { text: 'Unrelated networking subsystems used up the shared kernel budget (net_ratelimit is system-wide).', likelihood: 'possible' },
    ],
    checks: [
      'Look at the WireGuard lines just before and after: the flood they belong to is probably larger than what you see.',
      'When debugging, `sysctl -w net.core.message_cost=0` lifts the kernel limit (restore it afterwards).',
    ],
  },
  {
    id: 'malformed-inner-packet',
    summary: 'An authenticated packet carried something that is not a valid IP packet.',
    causes: [
      { text: 'A buggy or non-standard WireGuard implementation on the peer.', likelihood: 'likely' },
      { text: 'MTU or fragmentation trouble on the peer\'s side truncating packets before encryption.', likelihood: 'possible' },
    ],
    checks: [
      'Identify the peer\'s software and version; update it.',
      'Compare the MTU of the WireGuard interfaces on both ends (`ip link show <iface>`).',
    ],
  },
  {
    id: 'local-bad-packet',
    summary: 'Local software handed the tunnel interface something that is not a routable IP packet; it was dropped.',
    causes: [
      { text: 'A program writing raw frames or non-IP traffic into the WireGuard interface.', likelihood: 'likely' },
      { text: 'Traffic routed into the interface for a destination no peer owns (kernel: no peer has matching allowed IPs).', likelihood: 'possible' },
    ],
    checks: [
      '`ip route` — which destinations point into the WireGuard interface, and does some peer\'s AllowedIPs cover them?',
      'Capture on the interface: `tcpdump -ni <iface>`.',
    ],
  },
  {
    id: 'socket-failure',
    summary: 'WireGuard could not open or bind its UDP socket, so the interface cannot send or receive.',
    causes: [
      { text: 'The ListenPort is already used by another process or interface.', likelihood: 'likely' },
      { text: 'The address family is disabled on the host (IPv6 off) or the process lacks permission.', likelihood: 'possible' },
    ],
    checks: [
      '`ss -ulpn | grep <port>` to see who holds the port.',
      'Pick another ListenPort or stop the other user of the port, then bring the interface up again.',
    ],
  },

  {
    id: 'internal-error',
    summary: 'WireGuard reported an internal error that should not happen in normal operation.',
    causes: [
      { text: 'A bug or resource exhaustion (memory, file descriptors) in the WireGuard implementation or the OS.', likelihood: 'likely' },
    ],
    checks: [
      'Note the implementation version and the surrounding lines; check memory and file-descriptor limits.',
      'Search the implementation\'s issue tracker for the exact message; upgrade if a fix exists.',
    ],
  },
] as const satisfies readonly DiagnosisDef[];
