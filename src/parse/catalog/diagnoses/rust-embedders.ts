// Diagnoses for the programs that embed boringtun or drive WireGuard from Rust (Firezone, defguard), for
// boringtun's forks, and for ESPHome's WireGuard component. Shared explanations live in common.ts.
import type { DiagnosisDef } from '../types.ts';

export const RUST_EMBEDDER_DIAGNOSES = [
  {
    id: 'boringtun-index-mismatch',
    summary: 'A data packet carried a receiver index that does not belong to the session it was matched with, so boringtun dropped it. Around a rekey this is a leftover packet of the previous session.',
    causes: [
      { text: 'Packets of the old session still in flight (or reordered) right after a new handshake; the lines stop within seconds.', likelihood: 'likely' },
      { text: 'The peer restarted or rekeyed and keeps using an index this side already replaced; it heals with the next handshake.', likelihood: 'possible' },
      { text: 'Datagrams replayed or forged from the peer\'s address.', likelihood: 'rare' },
    ],
    checks: [
      'See whether a "Received handshake_response" / "New session" came just before: then it is the rekey overlap and harmless.',
      'If the lines continue for minutes, compare packet_index and session_index in the message with the indexes of the latest handshake lines, and restart the tunnel on the peer.',
    ],
  },
  {
    id: 'firezone-no-connection-for-ip',
    summary: 'The Firezone gateway received traffic for a client tunnel address it has no connection with, and dropped it.',
    causes: [
      { text: 'The client disconnected or its connection expired while a resource was still answering it; replies that arrive late have nowhere to go.', likelihood: 'likely' },
      { text: 'The client\'s access to the resource was revoked or expired, so the gateway removed the connection.', likelihood: 'possible' },
      { text: 'A route on the gateway host sends other traffic for the 100.64.0.0/10 tunnel range into the Firezone interface.', likelihood: 'rare' },
    ],
    checks: [
      'Look for the client\'s disconnect or "Connection failed" lines just before; a few lines afterwards are expected.',
      'In the Firezone admin portal, check the client\'s session and its policy for the resource.',
      '`ip route get <dst>` on the gateway: the address should belong to the Firezone tunnel range only.',
    ],
  },
  {
    id: 'firezone-unknown-packet',
    summary: 'A datagram arrived on Firezone\'s socket that is neither WireGuard, STUN nor TURN traffic, so connlib dropped it.',
    causes: [
      { text: 'Stray traffic to the port connlib listens on (scanners, another program that used the port before).', likelihood: 'likely' },
      { text: 'A relay or middlebox that alters or truncates datagrams.', likelihood: 'possible' },
    ],
    checks: [
      'Occasional lines are harmless; note the local= address and num_bytes.',
      'If they are frequent, capture the port (`tcpdump -ni any udp port <port>`) to see who sends them.',
    ],
  },
  {
    id: 'interface-removal-failed',
    summary: 'The program could not delete its WireGuard interface. When the error is "No such device" the interface was already gone and nothing is wrong.',
    causes: [
      { text: 'The interface had already been removed (by an earlier shutdown, another process, or a reboot of the network stack): "No such device (os error 19)".', likelihood: 'likely' },
      { text: 'Missing privileges (CAP_NET_ADMIN) for the process doing the removal.', likelihood: 'possible' },
      { text: 'A kernel or netlink error while the interface was busy.', likelihood: 'rare' },
    ],
    checks: [
      '`ip link show <iface>`: if the interface does not exist, the line is harmless.',
      'If it still exists, remove it by hand (`ip link del <iface>`) and check the capabilities of the service (systemd AmbientCapabilities / CapabilityBoundingSet).',
    ],
  },
  {
    id: 'esphome-peer-offline',
    summary: 'ESPHome\'s WireGuard component has no recent handshake with its peer: the tunnel is not (or no longer) up.',
    causes: [
      { text: 'The device has not completed a first handshake yet: the clock is not synchronised, the network is not up, or the peer endpoint is unreachable.', likelihood: 'likely' },
      { text: 'Keys or the peer\'s AllowedIPs for this device are wrong, so the peer ignores its initiations.', likelihood: 'possible' },
      { text: 'The peer is down or its endpoint address changed (dynamic DNS not yet updated).', likelihood: 'possible' },
    ],
    checks: [
      'Read the lines before: "Waiting for system time to be synchronized" means SNTP has not answered yet.',
      'On the peer, `wg show` for this device\'s public key: latest handshake and endpoint.',
      'Check the device\'s private key, the peer\'s public key and the peer endpoint in the ESPHome YAML.',
    ],
  },
  {
    id: 'esphome-wireguard-start-failed',
    summary: 'ESPHome / esp_wireguard could not set up the WireGuard network interface on the device, so the tunnel did not start.',
    causes: [
      { text: 'The underlying network (Wi-Fi, Ethernet, modem) was not up yet when WireGuard started, so lwIP could not add the interface.', likelihood: 'likely' },
      { text: 'An invalid key or address in the configuration (esp_wireguard_init fails and the connection returns an error).', likelihood: 'possible' },
      { text: 'Not enough memory left for another lwIP interface.', likelihood: 'rare' },
    ],
    checks: [
      'Read the ESP-IDF lines from esp_wireguard just before (netif_add, esp_wireguard_netif_create) for the exact step.',
      'Check the private key, peer public key and address in the YAML; the address must be a single IP with a netmask.',
      'See whether the component retries once the network is up; if not, reboot the device after the network connects.',
    ],
  },
] as const satisfies readonly DiagnosisDef[];
