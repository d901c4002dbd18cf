// Messages that programs embedding wireguard-go print about WireGuard themselves, or that their forks of
// wireguard-go added: warp-plus's obfuscation ("tricks", reserved bytes), Mullvad's DAITA, sing-box's endpoint,
// Tailscale's rate limiter, NetBird's handshake watcher. wireguard-go's own texts, however the embedder wraps
// or lower-cases them, are in wireguard-go.ts; WireGuardKit's and Wintun's lines are in apps.ts.
//
// They are catalogued as wireguard-go's: each runs inside a wireguard-go process and speaks about its device.
// Generic wordings ("started at warp") are only taken where an envelope or logger
// says WireGuard printed them (recognise.ts: implHint, markedWireGuard).
import { action } from '../presets.ts';
import type { MessageDef } from '../types.ts';

export const EMBEDDER_MESSAGES: readonly MessageDef[] = [
  // ---------------------------------------------------------------- warp-plus (bepass-org/warp-plus)
  {
    ...action('wireguard-obfuscation-applied'),
    id: 'go.warpplus.tricks_applied',
    impl: 'wireguard-go',
    format: '%v - Running tricks! (handshake)   [also "(keepalive)"]',
    // warp-plus's fork sends junk packets ahead of the handshake / keepalive so that DPI does not see a plain
    // WireGuard handshake; the kind of packet it prepared is kept.
    pattern: String.raw`Running tricks! \((?<detail>handshake|keepalive)\)`,
    peerPrefix: true,
    level: 'debug',
    direction: 'none',
    examples: [
      'time=2024-07-27T10:40:10.143+03:30 level=DEBUG msg="peer(bmXO…fgyo) - Running tricks! (handshake)" subsystem=wireguard-go',
      'Aug 10 10:09:53 snapshot-213077184-ubuntu-4gb-hel1-1 warp[768570]: time=2025-08-10T10:09:53.504+03:00 level=DEBUG msg=" - Running tricks! (keepalive)" gool=outer subsystem=wireguard-go',
    ],
    notes: 'warp-plus in "gool" (WARP-in-WARP) mode prints the peer name empty: " - Running tricks!".',
  },
  {
    ...action('wireguard-config-obfuscation-changed'),
    id: 'go.warpplus.uapi_trick',
    impl: 'wireguard-go',
    format: '%v - UAPI: Setting trick',
    pattern: 'UAPI: Setting trick',
    peerPrefix: true,
    level: 'debug',
    direction: 'none',
    examples: [
      'Jun 12 21:27:02 snapshot-211306789-ubuntu-4gb-fsn1-2 warp[7330]: time=2025-06-12T21:27:02.768+02:00 level=DEBUG msg=" - UAPI: Setting trick" gool=outer subsystem=wireguard-go',
    ],
  },
  {
    ...action('wireguard-config-reserved-changed'),
    id: 'go.warpplus.uapi_reserved',
    impl: 'wireguard-go',
    format: '%v - UAPI: Setting reserved: %d,%d,%d',
    // The three "reserved" header bytes Cloudflare WARP uses as a client id.
    pattern: String.raw`UAPI: Setting reserved: (?<detail>\d{1,3}(?:, ?\d{1,3}){0,7})`,
    peerPrefix: true,
    level: 'debug',
    direction: 'none',
    examples: [
      'Jun 12 21:27:02 snapshot-211306789-ubuntu-4gb-fsn1-2 warp[7330]: time=2025-06-12T21:27:02.768+02:00 level=DEBUG msg=" - UAPI: Setting reserved: 205,253,44" gool=outer subsystem=wireguard-go',
    ],
  },
  // ---------------------------------------------------------------- Mullvad's wireguard-go (DAITA)
  {
    ...action('wireguard-daita-enabled'),
    id: 'go.mullvad.daita_enabled',
    impl: 'wireguard-go',
    format: 'Enabling DAITA for peer: %v',
    pattern: 'Enabling DAITA for peer: {peer}',
    level: 'debug',
    direction: 'none',
    examples: [
      '[2026-05-13 20:00:42.836][wireguard-go][VERBOSE] Enabling DAITA for peer: peer(i97V…HrWY)',
    ],
    notes: 'DAITA (Defence against AI-guided Traffic Analysis) pads and injects packets to hide traffic patterns; Mullvad\'s fork of wireguard-go only.',
  },
  // ---------------------------------------------------------------- sing-box's WireGuard endpoint
  {
    ...action('wireguard-interface-created'),
    id: 'go.singbox.started',
    impl: 'wireguard-go',
    format: 'started at %s',
    pattern: String.raw`started at (?<iface>[^\s/:]{1,32})`,
    level: 'info',
    direction: 'none',
    examples: [
      '+0800 2025-03-12 23:08:13 INFO endpoint/wireguard[warp]: started at warp',
      'INFO[0000] endpoint/wireguard[wireguard]: started at wg',
    ],
    notes: 'Only inside a logger that names WireGuard: sing-box prints the same text for its TUN inbound.',
  },
  {
    ...action('wireguard-udp-gso-disabled'),
    id: 'go.singbox.udp_offload_failed',
    impl: 'wireguard-go',
    format: 'enable UDP offload: %v',
    pattern: 'enable UDP offload: {text:error}',
    level: 'warn',
    direction: 'none',
    examples: [
      '+0800 2025-03-12 23:08:13 WARN endpoint/wireguard[warp]: enable UDP offload: invalid argument',
    ],
    notes: 'The NIC or kernel refused UDP GSO/GRO; sing-box goes on without it, as wireguard-go does.',
  },
  // ---------------------------------------------------------------- Tailscale
  {
    ...action('wireguard-log-suppressed'),
    id: 'go.tailscale.log_ratelimited',
    impl: 'wireguard-go',
    format: '[RATELIMIT] format(%q)   [then " (%d dropped)" when lines were dropped]',
    // Tailscale's logger rate-limits per format string and names the format it is silencing: only its
    // WireGuard ("wg: ...") formats are WireGuard's.
    pattern: String.raw`\[RATELIMIT\] format\("wg: {text:detail}"\)(?: \({int:count} dropped\))?`,
    unenveloped: true,
    level: 'info',
    direction: 'none',
    diagnosis: 'log-lines-suppressed',
    examples: [
      'Aug 05 23:40:47 ciel tailscaled[876]: [RATELIMIT] format("wg: Failed to write packets to TUN device: %v")',
      'Aug 05 23:46:09 ciel tailscaled[876]: [RATELIMIT] format("wg: Failed to write packets to TUN device: %v") (30 dropped)',
    ],
  },
  // ---------------------------------------------------------------- NetBird
  {
    ...action('wireguard-handshake-stale'),
    id: 'go.netbird.handshake_stale',
    impl: 'wireguard-go',
    format: 'WireGuard handshake timed out: %v   [client/internal/peer/wg_watcher.go, the peer\'s last handshake time]',
    // NetBird's watcher polls the WireGuard device (kernel or userspace) and gives up on a connection whose
    // last handshake is too old; its logrus context names the peer's public key.
    pattern: String.raw`(?:\[peer: (?<public_key>[^\]\s]{1,64})\] )?[\w./-]{0,200}wg_watcher\.go:\d{1,6}: WireGuard handshake timed out: {text:detail}`,
    level: 'warn',
    direction: 'none',
    examples: [
      '2026-01-29T13:28:44+01:00 WARN [peer: xxxyyy] client/internal/peer/wg_watcher.go:127: WireGuard handshake timed out: 2026-01-29 13:28:14 +0100 CET',
    ],
  },
];
