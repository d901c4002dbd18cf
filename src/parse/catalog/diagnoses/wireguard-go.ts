// Explanations that only make sense for wireguard-go (the userspace daemon, also embedded in the Android, iOS,
// macOS and older Windows apps). Where wireguard-go says the same thing as the kernel, its messages point to the
// shared diagnoses in common.ts instead.
import type { DiagnosisDef } from '../types.ts';

export const WIREGUARD_GO_DIAGNOSES = [
  {
    id: 'go-mac1-invalid',
    summary: 'Someone sent this wireguard-go interface a handshake that was not keyed for its public key; wireguard-go does not log who sent it.',
    causes: [
      { text: 'A client has a stale or mistyped PublicKey for this server (server key rotated, config copied from another server, keys of two servers swapped).', likelihood: 'likely' },
      { text: 'Random traffic of handshake size on the listen port: scanners, or an obfuscated WireGuard fork (AmneziaWG and similar) talking to a plain server.', likelihood: 'possible' },
      { text: 'This interface has no private key yet (brought up before its configuration was applied), so every handshake fails this check.', likelihood: 'rare' },
    ],
    checks: [
      'On this host: `wg show <iface> public-key`; on each client that retries at the same moments, compare with the PublicKey of its [Peer] section.',
      'The line has no address: find the sender by time, e.g. `tcpdump -ni any udp port <listen-port>` while it happens, or clients whose log shows "Handshake did not complete ... retrying" in step with it.',
      '`wg show <iface> private-key | wc -c` should print 45; `(none)` means the interface has no key.',
      'Unlike the kernel, wireguard-go never prints this for rate-limited handshakes: it is always a real key mismatch or foreign traffic.',
    ],
  },
  {
    id: 'go-cookie-reply-invalid',
    summary: 'A cookie reply (the "I am busy, retry with this cookie" answer) could not be opened, so it was ignored.',
    causes: [
      { text: 'It answers a handshake message this end has already replaced with a retry: the remote was under load and slow, harmless once a later handshake works.', likelihood: 'likely' },
      { text: 'A forged or replayed cookie reply sent by a third party to disturb handshakes.', likelihood: 'rare' },
    ],
    checks: [
      'Check whether a handshake with that peer completes shortly afterwards (`wg show <iface> latest-handshakes`).',
      'If these repeat for minutes, look at the remote\'s load (it sends cookies only when its handshake queue fills) and capture the traffic: `tcpdump -ni any udp port <port>`.',
    ],
  },
  {
    id: 'go-unknown-message-type',
    summary: 'A UDP datagram arrived on the WireGuard port that is not a WireGuard message; wireguard-go dropped it without saying where it came from.',
    causes: [
      { text: 'Something other than WireGuard is sending to this port: port scanners, STUN or game traffic, a misdirected application, a health check of a load balancer.', likelihood: 'likely' },
      { text: 'A client runs an obfuscating WireGuard variant (custom header bytes) against a standard server.', likelihood: 'possible' },
      { text: 'A flood meant to fill the log: wireguard-go prints one line per datagram and never rate-limits.', likelihood: 'rare' },
    ],
    checks: [
      'Find the source: `tcpdump -ni any \'udp port <listen-port> and (udp[8] = 0 or udp[8] > 4)\'` (WireGuard messages start with a byte from 1 to 4).',
      'If it is noise, filter the source in the firewall (`nft list ruleset`); if it is your own client, check which client software it runs.',
      'Watch the disk: a steady stream of these lines grows the log without bound.',
    ],
  },
  {
    id: 'go-socket-receive-failed',
    summary: 'Reading from the WireGuard UDP socket failed; after repeated failures wireguard-go stops receiving on that address family until the socket is reopened.',
    causes: [
      { text: 'A socket error reported by the OS: ICMP errors surfacing on the socket, a buffer or memory shortage, the network interface going away under the socket.', likelihood: 'likely' },
      { text: 'The socket was closed by a configuration change (new listen port or fwmark) at the same moment; harmless if "UDP bind has been updated" follows.', likelihood: 'possible' },
    ],
    checks: [
      'Look for "Routine: receive incoming v4/v6 - stopped" after it: if present and no "UDP bind has been updated" follows, that family no longer receives; restart the interface.',
      '`ss -ulpn | grep <listen-port>` — is the socket still open and owned by wireguard-go?',
      '`dmesg` and `journalctl -k` for network driver errors at the same time.',
    ],
  },
  {
    id: 'go-tun-io-failed',
    summary: 'wireguard-go could not read from or write to its TUN device, so decrypted packets are not delivered or outgoing traffic stops; a read failure shuts the tunnel down.',
    causes: [
      { text: 'The TUN interface was deleted or taken down underneath the daemon (`ip link del`, a network manager, wg-quick down racing with it).', likelihood: 'likely' },
      { text: 'The kernel rejected the packets written to it: offload (GSO/GRO) flags not supported by this kernel or TUN driver, or malformed packets from the peer.', likelihood: 'possible' },
      { text: '/dev/net/tun problems inside a container (device not passed in, missing permissions).', likelihood: 'rare' },
    ],
    checks: [
      '`ip link show <iface>` — does the interface still exist and is it UP?',
      'If the daemon exited ("Device closing", "Shutting down" follow), restart it (`wg-quick up <iface>` or the service) and find who removed the interface.',
      'For repeated write errors: `uname -r` and the wireguard-go version; try a newer release.',
    ],
  },
  {
    id: 'go-initiation-create-failed',
    summary: 'wireguard-go could not even build a handshake initiation for this peer, so the tunnel can never come up as it is configured.',
    causes: [
      { text: 'The interface has no private key (PrivateKey missing from the configuration, or applied later than the peers).', likelihood: 'likely' },
      { text: 'The peer\'s PublicKey is not a usable key (all zeros or a low-order point), typically a paste error.', likelihood: 'possible' },
    ],
    checks: [
      '`wg show <iface>` — a "private key: (hidden)" line must be present; if not, set it: `wg set <iface> private-key /etc/wireguard/<iface>.key`.',
      'Compare the peer\'s PublicKey with what the peer prints for `wg pubkey < its.key`.',
    ],
  },
  {
    id: 'go-handshake-state-race',
    summary: 'A handshake could not be finished because its state changed underneath it; usually a harmless race that the next handshake repairs.',
    causes: [
      { text: 'Two handshakes with the same peer overlapped (both ends initiated at once, or a retry crossed a late answer).', likelihood: 'likely' },
      { text: 'The peer was reconfigured or removed while a handshake was in flight.', likelihood: 'possible' },
      { text: 'A peer sending deliberately invalid (low-order) ephemeral keys.', likelihood: 'rare' },
    ],
    checks: [
      'Check that a handshake with this peer succeeds shortly after (`wg show <iface> latest-handshakes`); if so, nothing to do.',
      'If it repeats for the same peer, look for `wg set`/`wg syncconf` runs at the same times (cron jobs, config managers).',
    ],
  },
  {
    id: 'go-udp-send-failed',
    summary: 'wireguard-go could not send a UDP packet to the peer; the error text at the end of the line says why.',
    causes: [
      { text: '"no known endpoint for peer": the peer has no Endpoint and has not contacted this end yet; normal on a server for clients that are offline.', likelihood: 'likely' },
      { text: '"network is unreachable" / "no route to host": the uplink is down, the default route is missing, or the endpoint is IPv6 and this host has no IPv6 route.', likelihood: 'likely' },
      { text: '"operation not permitted": a local firewall OUTPUT rule rejects the packet.', likelihood: 'possible' },
      { text: '"use of closed network connection": the socket was being reopened (listen-port change, interface going down); harmless if it stops.', likelihood: 'possible' },
      { text: '"message too long" or "invalid argument": MTU or address problems, e.g. a link-local endpoint without zone.', likelihood: 'rare' },
    ],
    checks: [
      '`wg show <iface> endpoints` — `(none)` for this peer means no endpoint is known.',
      '`ip route get <endpoint-ip>` (and `ip -6 route` for IPv6 endpoints); `ip rule` if a fwmark is set.',
      'Local firewall: `nft list ruleset` / `iptables -S OUTPUT`.',
    ],
  },
  {
    id: 'go-gso-segments-dropped',
    summary: 'A large offloaded packet read from the TUN device split into more pieces than wireguard-go can send at once; the extra pieces were dropped.',
    causes: [
      { text: 'Very small TCP segment size (MSS below about 576) combined with heavy traffic, often because of a too-low MTU or MSS clamping on the path.', likelihood: 'likely' },
      { text: 'An unusual application or kernel producing huge GSO batches.', likelihood: 'rare' },
    ],
    checks: [
      '`ip link show <iface>` for the MTU; look for MSS clamping rules (`nft list ruleset | grep -i mss`).',
      'Expect TCP retransmissions on the affected flows; raising the MTU/MSS makes it go away.',
    ],
  },
  {
    id: 'go-mtu-problem',
    summary: 'wireguard-go could not learn the MTU of its TUN device and keeps using an older value or the 1420 default.',
    causes: [
      { text: 'A platform TUN quirk: the OS did not answer the MTU query (unusual on Linux, seen on BSDs, macOS and embedded builds).', likelihood: 'likely' },
      { text: 'The interface disappeared at the moment of the query.', likelihood: 'possible' },
    ],
    checks: [
      '`ip link show <iface>` (or `ifconfig <iface>`) to see the MTU the OS reports.',
      'If the real MTU differs from what wireguard-go uses, large packets may be dropped or fragmented: test with `ping -M do -s 1392 <peer-tunnel-ip>`.',
    ],
  },
  {
    id: 'go-uapi-set-failed',
    summary: 'A configuration change sent to wireguard-go (wg set, wg setconf/syncconf, wg-quick or an app) was refused; part of it may already be applied.',
    causes: [
      { text: 'A bad value: malformed key, AllowedIPs prefix, endpoint (a host name where an address is required), keepalive, or an unknown key. IPC error -22 (EINVAL).', likelihood: 'likely' },
      { text: 'The listen port is already used by another process or interface, or the fwmark could not be set. IPC error -98 (EADDRINUSE).', likelihood: 'possible' },
      { text: 'The control connection broke mid-request (tool killed, I/O error). IPC error -5 (EIO) or -71 (EPROTO).', likelihood: 'rare' },
    ],
    checks: [
      'Re-run the change by hand and read the error: `wg setconf <iface> /etc/wireguard/<iface>.conf` (strip wg-quick-only keys first with `wg-quick strip <iface>`).',
      'For -98: `ss -ulpn | grep <port>`.',
      '`wg show <iface>` to see what is actually running. The same error line is usually printed twice for one request; count it once.',
    ],
  },
  {
    id: 'go-uapi-bad-request',
    summary: 'Something connected to wireguard-go\'s control socket and sent a request it does not understand; the connection was closed.',
    causes: [
      { text: 'A management tool that speaks another protocol version, or a script writing to the socket by hand.', likelihood: 'likely' },
      { text: 'A local process probing /var/run/wireguard/*.sock.', likelihood: 'possible' },
    ],
    checks: [
      '`ss -xp | grep wireguard` while it happens shows which process talks to the socket.',
      'Check the permissions of /var/run/wireguard (only root should reach it).',
    ],
  },
  {
    id: 'go-tun-create-failed',
    summary: 'wireguard-go could not create its TUN interface and exited; the tunnel is not running.',
    causes: [
      { text: 'Missing privileges: not root and no CAP_NET_ADMIN.', likelihood: 'likely' },
      { text: '/dev/net/tun is absent or not accessible (containers without the device, tun module not loaded).', likelihood: 'possible' },
      { text: 'The interface name is invalid or already used (on macOS it must be utunN).', likelihood: 'possible' },
    ],
    checks: [
      '`ls -l /dev/net/tun` and `lsmod | grep tun`; in containers pass `--device /dev/net/tun --cap-add NET_ADMIN`.',
      '`ip link show <iface>` — does an interface of that name already exist?',
    ],
  },
  {
    id: 'go-uapi-listen-failed',
    summary: 'wireguard-go could not open its control socket and exited, so `wg` cannot configure the interface.',
    causes: [
      { text: 'Another wireguard-go already serves an interface of the same name (the socket /var/run/wireguard/<iface>.sock is shared by all network namespaces).', likelihood: 'likely' },
      { text: 'A stale socket file from a crashed instance, or /var/run/wireguard is not writable.', likelihood: 'possible' },
    ],
    checks: [
      '`ls -l /var/run/wireguard/` and `pgrep -a wireguard-go` — is another daemon holding the name?',
      'Use distinct interface names per namespace, or bind-mount a private /run/wireguard inside each namespace.',
    ],
  },
  {
    id: 'go-daemonize-failed',
    summary: 'wireguard-go could not move itself to the background and exited.',
    causes: [
      { text: 'The process could not re-execute itself: unusual sandbox, missing /proc, resource limits on processes.', likelihood: 'likely' },
    ],
    checks: [
      'Run it in the foreground instead: `wireguard-go -f <iface>` or set `WG_PROCESS_FOREGROUND=1` (systemd units should do this anyway).',
      '`ulimit -u` and the sandbox settings of the service.',
    ],
  },
  {
    id: 'go-rio-unavailable',
    summary: 'Windows Registered I/O could not be used; wireguard-go falls back to the ordinary, slower socket path.',
    causes: [
      { text: 'A network filter or layered service provider (VPN client, antivirus, old firewall software) blocks Registered I/O.', likelihood: 'likely' },
      { text: 'A stripped-down or unusual Windows networking stack.', likelihood: 'possible' },
    ],
    checks: [
      '`netsh winsock show catalog` for third-party providers; expect lower throughput, not an outage.',
    ],
  },
] as const satisfies readonly DiagnosisDef[];
