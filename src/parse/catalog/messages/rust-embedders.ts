// Catalog entries for the programs that embed boringtun or drive WireGuard from Rust and log about their tunnels
// in their own words: Firezone's connlib and gateway (snownet, firezone_tunnel), onetun, gotatun, defguard,
// innernet; and ESPHome's wireguard component with esp_wireguard, the lwIP port of WireGuard. Their texts are
// ordinary English ("Removing interface wg0"), so every entry is reached only through an envelope or a logger
// target that names the program (src/parse/decode/rust-logs.ts), never from a bare line.
import { action } from '../presets.ts';
import type { MessageDef } from '../types.ts';

// Firezone's client prints a decapsulation failure as "Failed to decapsulate[ incoming packet: Failed to
// decapsulate]: <reason> local=<our socket> [from=<peer>] num_bytes=<n>"; the fields are part of the pattern
// because the direction (and from= as the source) belongs to these lines only. The gateway's eventloop and a
// bare pasted message carry no address: those are the boringtun entries (bt.stderr.decapsulate_*), which also
// take the client's lines for the error names no entry here lists (through the text without its fields).
const FZ_DECAP = 'Failed to decapsulate(?: incoming packet: Failed to decapsulate)?: ';
const FZ_ADDRS = ' local={endpoint:local_endpoint}(?: from={endpoint})? num_bytes={int}';
// Newer releases prefix some reasons with the connection and the packet length.
const FZ_CID = '(?:cid={word} length={int}: )?';

/** A Firezone client decapsulation failure whose reason matches `reason`. */
function fzDecap(reason: string): string {
  return `${FZ_DECAP}${reason}${FZ_ADDRS}`;
}

const FZ_FORMAT = 'tracing::debug!(%local, %from, num_bytes, "Failed to decapsulate: {e}") (firezone_tunnel::client; older: "Failed to decapsulate incoming packet: {e:#}")';

export const RUST_EMBEDDER_MESSAGES: readonly MessageDef[] = [
  // ---- Firezone (connlib: snownet, firezone_tunnel; boringtun fork) ----------------------------------------
  {
    ...action('wireguard-session-established'),
    id: 'bt.firezone.handshake_completed',
    impl: 'boringtun',
    format: 'tracing::info!(?duration_since_intent, "Completed wireguard handshake")',
    level: 'info',
    pattern: 'Completed wireguard handshake',
    direction: 'none',
    examples: [
      '2024-03-14T23:26:55.062604Z  INFO connection{id=b3d34a15-55ab-40df-994b-a838e75d65d7}: snownet::node: Completed wireguard handshake duration_since_intent=302.741574991s',
    ],
    notes: 'snownet (Firezone) after boringtun confirmed a session with a gateway or client; duration_since_intent is the time since the connection was wanted.',
  },
  {
    ...action('wireguard-handshake-timeout-giving-up'),
    id: 'bt.firezone.tunnel_expired',
    impl: 'boringtun',
    format: '"Connection failed (wireguard tunnel expired)"',
    level: 'info',
    pattern: String.raw`Connection failed \(wireguard tunnel expired\)`,
    direction: 'none',
    examples: [
      '10:33:01.242070-0700\tsnownet::node: Connection failed (wireguard tunnel expired) cid=0aff0dc3-53c4-485a-be0b-9916120b0ab2',
    ],
    notes: 'boringtun\'s tunnel reported CONNECTION_EXPIRED (no session for 90 s of retries) and snownet dropped the connection. "Connection failed (ICE timeout)" is a connectivity failure of Firezone\'s own and not this entry.',
  },
  {
    ...action('wireguard-tx-no-peer-for-destination'),
    id: 'bt.firezone.no_connection_for_ip',
    impl: 'boringtun',
    format: 'tracing::warn!(%dst, "Couldn\'t find connection by IP")',
    level: 'warn',
    pattern: "Couldn't find connection by IP",
    needsMarker: true,
    fields: { dst: 'inner_dst_ip' },
    direction: 'none',
    diagnosis: 'firezone-no-connection-for-ip',
    examples: [
      '2024-08-20T16:09:51.366515Z  WARN firezone_tunnel::gateway: Couldn\'t find connection by IP dst=100.93.62.139',
    ],
    notes: 'The gateway got a packet from its network for a tunnel address (dst) of a client it has no connection with; the packet is dropped.',
  },
  {
    ...action('wireguard-interface-created'),
    id: 'bt.firezone.tun_initializing',
    impl: 'boringtun',
    format: 'tracing::info!(%name, "Initializing TUN device")',
    level: 'info',
    pattern: 'Initializing TUN device',
    fields: { name: 'iface' },
    direction: 'none',
    examples: [
      '2025-10-22T01:48:38.851Z  INFO firezone_tunnel::device_channel: Initializing TUN device name=tun-firezone',
    ],
  },
  {
    ...action('wireguard-packet-decrypt-failed'),
    id: 'bt.firezone.decapsulate_decrypt',
    impl: 'boringtun',
    format: FZ_FORMAT,
    level: 'debug',
    pattern: fzDecap(`${FZ_CID}(?<error>InvalidAeadTag|failed to decrypt packet data)`),
    direction: 'inbound',
    examples: [
      '2025-07-11T16:08:50.575Z DEBUG firezone_tunnel::client: Failed to decapsulate incoming packet: Failed to decapsulate: InvalidAeadTag local=[xxxx:xxxx:xxxx:xxxx:xxxx:xxxx:xxxx:xxxx]:58778 num_bytes=92',
      'firezone_tunnel::client: Failed to decapsulate incoming packet: Failed to decapsulate: InvalidAeadTag local=192.168.1.231:58402 num_bytes=96',
      '10:36:48.788695-0700\tfirezone_tunnel::client: Failed to decapsulate: cid=0aff0dc3-53c4-485a-be0b-9916120b0ab2 length=690: failed to decrypt packet data local=192.168.1.65:52625 from=34.125.41.65:3478 num_bytes=694',
    ],
    versions: 'Until 2025 the reason is boringtun\'s error name (InvalidAeadTag); later releases print "cid=… length=…: failed to decrypt packet data".',
  },
  {
    ...action('wireguard-handshake-mac-invalid'),
    id: 'bt.firezone.decapsulate_mac',
    impl: 'boringtun',
    format: FZ_FORMAT,
    level: 'debug',
    pattern: fzDecap(`${FZ_CID}(?:handshake packet: )?(?<error>MAC mismatch in packet|InvalidMac)`),
    direction: 'inbound',
    diagnosis: 'handshake-mac1-invalid',
    examples: [
      '10:40:12.977726-0700\tfirezone_tunnel::client: Failed to decapsulate: cid=0aff0dc3-53c4-485a-be0b-9916120b0ab2 length=92: handshake packet: MAC mismatch in packet local=192.168.1.65:52625 from=34.125.41.65:3478 num_bytes=96',
    ],
  },
  {
    ...action('wireguard-handshake-initiation-invalid'),
    id: 'bt.firezone.decapsulate_initiation',
    impl: 'boringtun',
    format: FZ_FORMAT,
    level: 'debug',
    pattern: fzDecap(String.raw`(?<error>WrongKey|Failed to parse handshake init: [^\n]{1,200}?)`),
    direction: 'inbound',
    examples: [
      '10:40:17.538325-0700\tfirezone_tunnel::client: Failed to decapsulate: Failed to parse handshake init: failed to decrypt packet data local=192.168.1.65:52625 from=34.125.41.65:3478 num_bytes=152',
    ],
  },
  {
    ...action('wireguard-data-unknown-session'),
    id: 'bt.firezone.decapsulate_unknown_index',
    impl: 'boringtun',
    format: FZ_FORMAT,
    level: 'debug',
    pattern: fzDecap(String.raw`(?<error>No connection for with index \([^)\n]{1,40}\))`),
    direction: 'inbound',
    examples: [
      '10:36:48.788582-0700\tfirezone_tunnel::client: Failed to decapsulate: No connection for with index (11599872|4) local=192.168.1.65:52625 from=34.125.41.65:3478 num_bytes=363',
    ],
    notes: 'The receiver index of the packet (printed as "(session|slot)") belongs to no connection: a session this side already dropped.',
  },
  {
    ...action('wireguard-packet-unknown-type'),
    id: 'bt.firezone.decapsulate_unknown_format',
    impl: 'boringtun',
    format: FZ_FORMAT,
    level: 'debug',
    pattern: fzDecap('(?<error>Packet has unknown format)'),
    direction: 'inbound',
    diagnosis: 'firezone-unknown-packet',
    examples: [
      'firezone_tunnel::client: Failed to decapsulate: Packet has unknown format local=192.168.1.65:52625 num_bytes=60',
    ],
  },

  // ---- onetun (user-space WireGuard port forwarder on boringtun) --------------------------------------------
  {
    ...action('wireguard-data-sent'),
    id: 'bt.onetun.data_sent',
    impl: 'boringtun',
    format: 'debug!("Sent {} bytes to WireGuard endpoint (encrypted IP packet)", packet.len())',
    level: 'debug',
    pattern: String.raw`Sent {int} bytes to WireGuard endpoint \(encrypted IP packet\)`,
    direction: 'none',
    examples: [
      ' DEBUG onetun::wg                > Sent 84 bytes to WireGuard endpoint (encrypted IP packet)',
    ],
    notes: 'One line per encrypted packet sent to the configured endpoint (which the line does not print).',
  },
  {
    ...action('wireguard-data-received'),
    id: 'bt.onetun.data_received',
    impl: 'boringtun',
    format: 'debug!("WireGuard endpoint sent IP packet of {} bytes", packet.len())',
    level: 'debug',
    pattern: 'WireGuard endpoint sent IP packet of {int} bytes',
    direction: 'none',
    examples: [
      ' DEBUG onetun::wg                > WireGuard endpoint sent IP packet of 40 bytes',
    ],
  },

  // ---- gotatun (Mullvad's boringtun fork) ---------------------------------------------------------------
  {
    ...action('wireguard-tun-read-failed'),
    id: 'bt.gotatun.tun_receive_failed',
    impl: 'boringtun',
    format: 'log::error!("Error receiving IP packet: {e}")',
    level: 'error',
    pattern: 'Error receiving IP packet: {text:error}',
    direction: 'none',
    diagnosis: 'boringtun-tun-failure',
    examples: [
      '[2026-04-09 12:48:37.953] ERROR gotatun::tun::buffer: Error receiving IP packet: Reached the end of the file. (os error 38)',
    ],
  },

  // ---- defguard (client and gateway, defguard_wireguard_rs) ------------------------------------------------
  {
    ...action('wireguard-config-applied'),
    id: 'rs.defguard.interface_configured',
    impl: 'wireguard-rs',
    format: 'info!("Interface {ifname} has been successfully configured. It has been assigned the following addresses: {addresses:?}")',
    level: 'info',
    pattern: String.raw`Interface {word:iface} has been successfully configured\. It has been assigned the following addresses: {text:detail}`,
    direction: 'none',
    examples: [
      '[09.08.2025, 13:11:09][INFO][Service] Interface wg0 has been successfully configured. It has been assigned the following addresses: [IpAddrMask { ip: 10.0.0.254, cidr: 32 }]',
    ],
  },
  {
    ...action('wireguard-interface-down'),
    id: 'rs.defguard.disconnecting',
    impl: 'wireguard-rs',
    format: 'debug!("Disconnecting interface {interface_name}...")',
    level: 'debug',
    pattern: String.raw`Disconnecting interface (?<iface>\S{1,64}?)\.\.\.`,
    direction: 'none',
    examples: [
      '[09.08.2025, 13:11:31][DEBUG][Client] Disconnecting interface wg0...',
    ],
  },
  {
    ...action('wireguard-interface-destroyed'),
    id: 'rs.defguard.interface_removing',
    impl: 'wireguard-rs',
    format: 'debug!("Removing interface {ifname}")',
    level: 'debug',
    pattern: 'Removing interface {word:iface}',
    direction: 'none',
    examples: [
      '[09.08.2025, 13:11:31][DEBUG][Service] Removing interface wg0',
    ],
    notes: 'Printed by defguard_wireguard_rs when it deletes the interface (defguard client disconnecting a location).',
  },
  {
    ...action('wireguard-interface-destroy-failed'),
    id: 'rs.defguard.purge_failed',
    impl: 'wireguard-rs',
    format: 'error!("Gateway purge failed to drop the interface: {err}")',
    level: 'error',
    pattern: 'Gateway purge failed to drop the interface: {text:error}',
    direction: 'none',
    examples: [
      '2026-07-24T06:37:41.100631Z ERROR defguard_gateway::gateway: message=Gateway purge failed to drop the interface: Netlink error: Netlink payload error: No such device (os error 19) log.target=defguard_gateway::gateway log.module_path=defguard_gateway::gateway log.file=src/gateway.rs log.line=197 [2.0.2 Debian 13.0.0 x86_64]',
    ],
    notes: 'The gateway tried to remove its WireGuard interface on shutdown or reconfiguration; "No such device" means it was already gone.',
  },

  // ---- innernet (server and CLI, wireguard-control) -------------------------------------------------------
  {
    ...action('wireguard-interface-up'),
    id: 'rs.innernet.bringing_up',
    impl: 'wireguard-rs',
    format: 'log::info!("bringing up interface.")',
    level: 'info',
    pattern: String.raw`bringing up interface\.`,
    direction: 'none',
    examples: [
      'INFO  innernet_server > bringing up interface.',
    ],
  },
  {
    ...action('wireguard-peer-created'),
    id: 'rs.innernet.peers_added',
    impl: 'wireguard-rs',
    format: 'log::info!("{} peers added to wireguard interface.", n)',
    level: 'info',
    pattern: String.raw`{int} peers? added to wireguard interface\.`,
    direction: 'none',
    examples: [
      'INFO  innernet_server            > 1 peers added to wireguard interface.',
    ],
    notes: 'One line for all peers the server loaded from its database at start.',
  },
  {
    ...action('wireguard-config-applied'),
    id: 'rs.innernet.interface_updated',
    impl: 'wireguard-rs',
    format: 'log::info!("updated interface {}", interface)',
    level: 'info',
    pattern: 'updated interface {word:iface}',
    direction: 'none',
    examples: [
      '[*] updated interface <rpcpool>',
      '[*] updated interface office',
    ],
    notes: 'The CLI applied the peer list fetched from the server to the WireGuard interface.',
  },

  // ---- ESPHome wireguard component and esp_wireguard (lwIP port) -------------------------------------------
  {
    ...action('wireguard-peer-status-offline'),
    id: 'lwip.esphome.peer_offline',
    impl: 'lwip',
    format: 'ESP_LOGD(TAG, "Remote peer is offline (latest handshake timestamp not available)")',
    level: 'debug',
    pattern: String.raw`Remote peer is offline \((?<detail>[^()\n]{1,120})\)`,
    direction: 'none',
    examples: [
      '[22:34:07][D][wireguard:107]: Remote peer is offline (latest handshake timestamp not available)',
    ],
    notes: 'The component\'s periodic status check: no handshake with the peer yet, or the last one is too old.',
  },
  {
    ...action('wireguard-waiting-for-time-sync'),
    id: 'lwip.esphome.waiting_time_sync',
    impl: 'lwip',
    format: 'ESP_LOGD(TAG, "Waiting for system time to be synchronized")',
    level: 'debug',
    pattern: 'Waiting for system time to be synchronized',
    direction: 'none',
    examples: [
      '[22:34:07][D][wireguard:250]: Waiting for system time to be synchronized',
    ],
    notes: 'The component does not start WireGuard before SNTP has set the clock: handshake timestamps from 1970 would be rejected as replays.',
  },
  {
    ...action('wireguard-device-up-failed'),
    id: 'lwip.esphome.start_failed',
    impl: 'lwip',
    format: 'ESP_LOGW(TAG, "cannot start WireGuard connection, error code %d", err)',
    level: 'warn',
    pattern: 'cannot start WireGuard connection, error code {int:errno}',
    direction: 'none',
    diagnosis: 'esphome-wireguard-start-failed',
    examples: [
      '[W][wireguard:193]: cannot start WireGuard connection, error code -1',
    ],
  },
  {
    ...action('wireguard-tun-create-failed'),
    id: 'lwip.esp.netif_add_failed',
    impl: 'lwip',
    format: 'ESP_LOGE(TAG, "netif_add: failed")',
    level: 'error',
    pattern: 'netif_add: failed',
    direction: 'none',
    diagnosis: 'esphome-wireguard-start-failed',
    examples: [
      '[D][esp-idf:000]: E (7532) esp_wireguard: netif_add: failed',
      'E (7532) esp_wireguard: netif_add: failed',
    ],
  },
  {
    ...action('wireguard-tun-create-failed'),
    id: 'lwip.esp.netif_create_failed',
    impl: 'lwip',
    format: 'ESP_LOGE(TAG, "esp_wireguard_netif_create: %s", esp_err_to_name(err))',
    level: 'error',
    pattern: 'esp_wireguard_netif_create: {word:error}',
    direction: 'none',
    diagnosis: 'esphome-wireguard-start-failed',
    examples: [
      '[D][esp-idf:000]: E (7533) esp_wireguard: esp_wireguard_netif_create: ESP_FAIL',
    ],
  },
];
