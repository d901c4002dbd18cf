// The WireGuard apps' own messages: the lines the apps around the protocol implementation print about tunnels,
// adapters, drivers and configuration, next to the implementation's own text in the same log.
//
// Where they are catalogued:
//  - wireguard-apple (and the apps built on WireGuardKit: Mullvad, eduVPN, AmneziaWG) and wireguard-android
//    (and its forks: AmneziaWG, WG Tunnel) run wireguard-go; their network extension / GoBackend lines share
//    its logger and its envelopes, so their entries are impl 'wireguard-go' (ids go.app.*). The Go glue of
//    those apps (api-apple.go, api-android.go: "Attaching to interface") is here too, and so is AmneziaWG's
//    addition to wireguard-go's UAPI (go.uapi.obfuscation).
//  - wireguard-windows' tunnel service of 0.3.x (wireguard-go + Wintun) and the driver-installer lines of its
//    driver libraries are impl 'windows' (ids win.*), beside the service's other lines in windows.ts.
//  - TunSafe, a separate Windows client with its own protocol code, is an implementation of its own (ts.*):
//    its log layout "[08:06:59] " says nothing, so only its own texts are taken from that layout.
//
// The tunnel name an app prints inside the text is captured as `iface` (the apps' logs have no other place
// for it); an OS interface name ("Attaching to interface tun0") is only detail, since the envelope already
// named the tunnel.
import { action } from '../presets.ts';
import type { MessageDef } from '../types.ts';

const NET = '2021-07-18 18:41:56.712880: [NET]';
const APP = '2021-07-18 18:41:56.623005: [APP]';
const VIEW = '2026-02-20 23:26:31.839 [NET]';

export const APP_MESSAGES: readonly MessageDef[] = [
  // ---------------------------------------------------------------------------------------------------------
  // wireguard-apple: the UI app ([APP])
  // ---------------------------------------------------------------------------------------------------------
  {
    ...action('wireguard-app-tunnel-status-changed'),
    id: 'go.app.status_changed',
    impl: 'wireguard-go',
    format: "Tunnel '%@' connection status changed to '%@'",
    pattern: "Tunnel '(?<iface>[^'\\n]{1,64})' connection status changed to '(?<state_new>[a-z]{1,20})'",
    level: 'info',
    direction: 'none',
    notes: 'States: connecting, connected, disconnecting, disconnected, reasserting, restarting, waiting.',
    examples: [
      `${APP} Tunnel 'ht' connection status changed to 'connecting'`,
      "2019-10-31 17:28:35.588 [APP] Tunnel 'laptop-full' connection status changed to 'disconnected'",
      "[APP] Tunnel 'Maison' connection status changed to 'connecting'",
    ],
  },
  {
    ...action('wireguard-app-tunnel-status-changed'),
    id: 'go.app.status_timeout',
    impl: 'wireguard-go',
    format: "Status update notification timeout for tunnel '%@'. Tunnel status is now '%@'.",
    pattern: "Status update notification timeout for tunnel '(?<iface>[^'\\n]{1,64})'\\. Tunnel status is now '(?<state_new>[a-z]{1,20})'\\.",
    level: 'info',
    direction: 'none',
    notes: 'The app polled the state because the system did not notify it in time; the state is still the real one.',
    examples: [
      "2021-07-18 20:49:32.494463: [APP] Status update notification timeout for tunnel 'htvpn'. Tunnel status is now 'connected'.",
      "2019-03-20 14:54:38.161011: [APP] Status update notification timeout for tunnel 'Home'. Tunnel status is now 'connecting'.",
    ],
  },
  {
    ...action('wireguard-app-activation-requested'),
    id: 'go.app.activation_requested',
    impl: 'wireguard-go',
    format: 'startActivation: Entering (tunnel: %@)',
    pattern: 'startActivation: Entering \\(tunnel: (?<iface>[^\\n]{1,64})\\)',
    level: 'info',
    direction: 'none',
    examples: [
      '2021-07-18 18:37:47.462318: [APP] startActivation: Entering (tunnel: ht)',
      '2021-08-08 15:54:16.911 [APP] startActivation: Entering (tunnel: Home)',
      '[APP] startActivation: Entering (tunnel: Maison)',
    ],
  },
  {
    ...action('wireguard-app-deactivation-requested'),
    id: 'go.app.deactivation_requested',
    impl: 'wireguard-go',
    format: 'startDeactivation: Tunnel: %@',
    pattern: 'startDeactivation: Tunnel: (?<iface>[^\\n]{1,64})',
    level: 'info',
    direction: 'none',
    examples: [
      '2021-07-18 18:39:19.765240: [APP] startDeactivation: Tunnel: ht',
      '2019-10-31 17:28:15.589 [APP] startDeactivation: Tunnel: laptop-full',
    ],
  },
  {
    ...action('wireguard-app-version-reported'),
    id: 'go.app.version',
    impl: 'wireguard-go',
    format: 'App version: %@',
    // "<marketing version> (<build>)"; both the app and its extension print it when they start.
    pattern: 'App version: (?<version>[\\w.+-]{1,40})(?: \\((?<detail>[\\w.]{1,20})\\))?',
    level: 'info',
    direction: 'none',
    examples: [
      `${NET} App version: 1.0.13 (24)`,
      '2021-07-18 18:36:32.209548: [APP] App version: 1.0.13 (24)',
      `${VIEW} App version: 2.0.0 (12)`,
      '[NET] App version: 1.0.16 (27)',
    ],
  },

  // ---------------------------------------------------------------------------------------------------------
  // wireguard-apple: the network extension ([NET]; WireGuardKit inside other apps)
  // ---------------------------------------------------------------------------------------------------------
  {
    ...action('wireguard-app-tunnel-starting'),
    id: 'go.app.tunnel_starting',
    impl: 'wireguard-go',
    format: 'Starting tunnel from the %@',
    pattern: 'Starting tunnel from the (?<detail>app|OS)',
    level: 'info',
    direction: 'none',
    notes: '"from the OS": on-demand activation by the system, not by the user.',
    examples: [
      '2021-07-18 18:41:56.713028: [NET] Starting tunnel from the app',
      '2019-03-20 14:54:33.299337: [NET] Starting tunnel from the OS',
      '[NET] Starting tunnel from the app',
    ],
  },
  {
    ...action('wireguard-app-tunnel-stopping'),
    id: 'go.app.tunnel_stopping',
    impl: 'wireguard-go',
    format: 'Stopping tunnel',
    pattern: 'Stopping tunnel',
    level: 'info',
    direction: 'none',
    examples: [
      '2021-07-18 18:39:20.137411: [NET] Stopping tunnel',
      '2019-10-31 17:28:15.896 [NET] Stopping tunnel',
    ],
  },
  {
    ...action('wireguard-app-endpoint-resolved'),
    id: 'go.app.dns64_mapped',
    impl: 'wireguard-go',
    format: 'DNS64: mapped %@ to %@',
    // The peer's endpoint host before and after NAT64 synthesis ("itself" on a network without DNS64). The host
    // has no port; placeholders people paste instead ("<server ip address>", "[REDACTED]", "...") are kept.
    pattern: 'DNS64: mapped (?<endpoint><[^<>\\n]{1,64}>|\\S{1,128}) to (?:itself|(?<detail>\\S{1,128}))\\.',
    level: 'debug',
    direction: 'none',
    examples: [
      '2021-07-18 18:41:56.800888: [NET] DNS64: mapped 18.166.154.203 to itself.',
      '2021-08-08 15:54:17.483 [NET] DNS64: mapped <server ip address> to itself.',
      '[2022-12-28 20:39:01.804][WireGuard][debug] pid=456 DNS64: mapped [REDACTED] to itself.',
      '2025-05-22 14:22:07.123456: [NET] DNS64: mapped 192.0.2.7 to 64:ff9b::c000:207.',
    ],
  },
  {
    ...action('wireguard-app-interface-attaching'),
    id: 'go.app.attaching',
    impl: 'wireguard-go',
    format: 'Attaching to interface %v',
    // api-apple.go prints no name (the utun is not known yet); api-android.go prints the TUN device.
    pattern: 'Attaching to interface(?: (?<detail>[\\w.-]{1,64}))?',
    level: 'debug',
    direction: 'none',
    examples: [
      '2021-07-18 18:41:56.801824: [NET] Attaching to interface',
      '2024-04-03T19:28:16.000000907Z 25007 30996 DEBUG WireGuard/GoBackend/home message= (all routes): Attaching to interface tun0',
      '05-22 14:22:07.123  4321  4398 D WireGuard/GoBackend/wg0: Attaching to interface tun0',
    ],
  },
  {
    ...action('wireguard-app-tunnel-interface-detected'),
    id: 'go.app.tunnel_interface',
    impl: 'wireguard-go',
    format: 'Tunnel interface is %@',
    pattern: 'Tunnel interface is (?<iface>[\\w.-]{1,32})',
    level: 'info',
    direction: 'none',
    examples: [
      '2019-03-20 14:54:38.332655: [NET] Tunnel interface is utun1',
      '2025-10-21 23:39:42 info NE: WG: Tunnel interface is utun7',
    ],
  },
  {
    ...action('wireguard-app-network-changed'),
    id: 'go.app.network_change',
    impl: 'wireguard-go',
    format: 'Network change detected with %@ route and interface order %@',
    // WireGuardKit's own wording, printed into whatever logger the embedding app has (eduVPN: a bare date), so
    // it is taken without envelope.
    pattern: 'Network change detected with (?:satisfied|unsatisfied|requiresConnection) route and interface order (?<detail>\\[[^\\]\\n]{0,200}\\])',
    unenveloped: true,
    level: 'debug',
    direction: 'none',
    notes: 'WireGuardKit rebinds the sockets and re-resolves endpoints next ("UDP bind has been updated", "DNS64: mapped …").',
    examples: [
      '2019-10-31 17:28:15.808 [NET] Network change detected with satisfied route and interface order [en0]',
      '2025-10-21 23:39:42 debug NE: WG: Network change detected with satisfied route and interface order [en0, pdp_ip0]',
      '2025-02-11 08:35:48.923 Network change detected with satisfied route and interface order [en0, utun5]',
      '[2022-12-28 20:39:01.803][WireGuard][debug] pid=456 Network change detected with satisfied route and interface order [en0, utun4, pdp_ip0]',
    ],
  },
  {
    ...action('wireguard-app-adapter-starting'),
    id: 'go.app.adapter_start',
    impl: 'wireguard-go',
    format: 'Adapter start requested',
    pattern: 'Adapter start requested',
    level: 'info',
    direction: 'none',
    examples: [
      '2026-02-20 23:27:10.815 [NET] Adapter start requested',
      `${VIEW} Adapter start requested`,
    ],
  },
  {
    ...action('wireguard-app-network-settings-applying'),
    id: 'go.app.network_settings',
    impl: 'wireguard-go',
    format: 'setNetworkSettings: applying',
    pattern: 'setNetworkSettings: applying',
    level: 'debug',
    direction: 'none',
    examples: [
      '2026-02-20 23:26:31.901 [NET] setNetworkSettings: applying',
    ],
  },
  {
    ...action('wireguard-app-backend-starting'),
    id: 'go.app.backend_starting',
    impl: 'wireguard-go',
    format: 'Starting WireGuard backend (config bytes: %d, fd: %d)',
    pattern: 'Starting WireGuard backend \\((?<detail>config bytes: \\d{1,10}, fd: -?\\d{1,10})\\)',
    level: 'info',
    direction: 'none',
    examples: [
      '2026-02-20 23:26:31.999 [NET] Starting WireGuard backend (config bytes: 467, fd: 8)',
    ],
  },
  {
    ...action('wireguard-app-backend-started'),
    id: 'go.app.backend_started',
    impl: 'wireguard-go',
    format: 'WireGuard backend started with handle %d',
    pattern: 'WireGuard backend started with handle (?<detail>-?\\d{1,10})',
    level: 'info',
    direction: 'none',
    examples: [
      '2026-02-21 16:31:34.865 [NET] WireGuard backend started with handle 0',
    ],
  },

  // ---------------------------------------------------------------------------------------------------------
  // wireguard-android and its forks: GoBackend's Java side (tag ".../GoBackend" without a tunnel)
  // ---------------------------------------------------------------------------------------------------------
  {
    ...action('wireguard-app-tunnel-starting'),
    id: 'go.app.bringing_up',
    impl: 'wireguard-go',
    format: 'Bringing tunnel %s UP',
    pattern: 'Bringing tunnel (?<iface>[^\\n]{1,100}?) UP',
    level: 'info',
    direction: 'none',
    examples: [
      '2024-04-03T19:28:16.000000873Z 25007 30996 INFO WireGuard/GoBackend: message= Bringing tunnel XXXXXXX@XXXXXXXXXXXX (all routes) UP',
      '05-22 14:22:07.123  4321  4321 I WireGuard/GoBackend: Bringing tunnel wg0 UP',
    ],
  },
  {
    ...action('wireguard-app-tunnel-stopping'),
    id: 'go.app.bringing_down',
    impl: 'wireguard-go',
    format: 'Bringing tunnel %s DOWN',
    pattern: 'Bringing tunnel (?<iface>[^\\n]{1,100}?) DOWN',
    level: 'info',
    direction: 'none',
    examples: [
      '            1749713486.091 12448 12838 I AmneziaWG/GoBackend: Bringing tunnel DreamMachineProfessional-JP-Pixel8-VPN (2) DOWN',
      '05-22 14:22:07.123  4321  4321 I WireGuard/GoBackend: Bringing tunnel wg0 DOWN',
    ],
  },
  {
    ...action('wireguard-app-version-reported'),
    id: 'go.app.go_backend_version',
    impl: 'wireguard-go',
    format: 'Go backend %s',
    pattern: 'Go backend (?<version>[\\w.+-]{1,40})',
    level: 'debug',
    direction: 'none',
    examples: [
      '2024-04-03T19:28:16.000000907Z 25007 30996 DEBUG WireGuard/GoBackend: message= Go backend 2163620',
      '05-22 14:22:07.123  4321  4321 D WireGuard/GoBackend: Go backend v0.0.20230223',
    ],
  },

  // ---------------------------------------------------------------------------------------------------------
  // AmneziaWG's additions to wireguard-go's UAPI (amneziawg-go, and the apps and Windows client built on it)
  // ---------------------------------------------------------------------------------------------------------
  {
    ...action('wireguard-config-obfuscation-changed'),
    id: 'go.uapi.obfuscation',
    impl: 'wireguard-go',
    format: 'UAPI: Updating junk count',
    // One line per obfuscation key: jc/jmin/jmax ("junk count|min|max", "junk_packet_count", …), s1–s4
    // ("s1 padding", "init_packet_junk_size"), h1–h4 ("h1 magic header", "response_packet_magic_header"),
    // i1–i5 and itime in 1.5.
    pattern: 'UAPI: Updating (?<detail>(?:junk|s[1-4]|h[1-4]|i[1-5]|j[1-3]|itime|magic|init_packet|response_packet|cookie_reply_packet|underload_packet|transport_packet)[\\w ]{0,40})',
    level: 'debug',
    direction: 'none',
    examples: [
      '2025-10-21 23:39:42 debug NE: WG: UAPI: Updating response_packet_magic_header',
      '18:06:44.254 [TUN] [AmneziaVPN] UAPI: Updating junk count',
      '18:06:44.255 [TUN] [AmneziaVPN] UAPI: Updating s1 padding',
      'DEBUG: (awg0) 2025/05/22 14:22:07 UAPI: Updating junk_packet_min_size',
    ],
  },

  // ---------------------------------------------------------------------------------------------------------
  // wireguard-windows 0.3.x tunnel service (wireguard-go + Wintun) and the driver libraries' installer lines
  // ---------------------------------------------------------------------------------------------------------
  {
    ...action('wireguard-interface-creating'),
    id: 'win.svc.creating_interface',
    impl: 'windows',
    format: 'Creating interface instance',
    pattern: 'Creating interface instance',
    level: 'info',
    direction: 'none',
    versions: 'wireguard-windows up to 0.3.x (and AmneziaWG for Windows): the wireguard-go device on the Wintun adapter.',
    examples: [
      '2021-02-10 16:06:52.958751: [TUN] [client] Creating interface instance',
      '2025-03-28 17:36:36.845909: [TUN] [BPB-Warp-1] Creating interface instance',
    ],
  },
  {
    ...action('wireguard-peers-bringing-up'),
    id: 'win.svc.bringing_peers_up',
    impl: 'windows',
    format: 'Bringing peers up',
    pattern: 'Bringing peers up',
    level: 'info',
    direction: 'none',
    versions: 'wireguard-windows up to 0.3.x (and AmneziaWG for Windows).',
    examples: [
      '18:06:44.255 [TUN] [AmneziaVPN] Bringing peers up',
      '2021-02-10 16:06:52.960000: [TUN] [client] Bringing peers up',
    ],
  },
  {
    ...action('wireguard-uapi-started'),
    id: 'win.svc.listening_uapi',
    impl: 'windows',
    format: 'Listening for UAPI requests',
    pattern: 'Listening for UAPI requests',
    level: 'info',
    direction: 'none',
    versions: 'wireguard-windows up to 0.3.x (and AmneziaWG for Windows).',
    examples: [
      '18:06:44.303 [TUN] [AmneziaVPN] Listening for UAPI requests',
      '2021-02-10 16:06:52.970000: [TUN] [client] Listening for UAPI requests',
    ],
  },
  {
    ...action('wireguard-socket-interface-binding'),
    id: 'win.svc.binding_socket',
    impl: 'windows',
    format: 'Binding v%d socket to interface %d (blackhole=%v)',
    // The default-route monitor pins the sockets to the interface of the default route; blackhole=true means
    // there is none for that family (or it is the tunnel itself), so that family's traffic is dropped.
    pattern: 'Binding (?<family>v4|v6) socket to interface (?<detail>\\d{1,10} \\(blackhole=(?:true|false)\\))',
    level: 'info',
    direction: 'none',
    versions: 'wireguard-windows up to 0.3.x (and AmneziaWG for Windows).',
    examples: [
      '2021-02-10 16:09:00.410861: [TUN] [client] Binding v6 socket to interface 0 (blackhole=true)',
      '2021-02-10 16:09:00.410000: [TUN] [client] Binding v4 socket to interface 12 (blackhole=false)',
    ],
  },
  {
    ...action('wireguard-driver-installing'),
    id: 'win.driver.installing',
    impl: 'windows',
    format: 'Installing driver %d.%d',
    // wireguard.dll / wintun.dll report through the service's logger; wintun 0.10–0.13 prefixed its function
    // ("[Wintun] SelectDriver: Extracting driver").
    pattern: '(?:\\[Wintun\\] (?:\\w{1,64}: )?)?(?:Installing driver (?<detail>\\d{1,5}\\.\\d{1,5})|Extracting driver)',
    level: 'info',
    direction: 'none',
    examples: [
      '2022-06-11 18:21:09.900932: [TUN] [USA-Miami] Installing driver 0.10',
      '2022-06-11 18:21:09.901457: [TUN] [USA-Miami] Extracting driver',
      '2021-02-10 16:06:52.044028: [TUN] [client] [Wintun] SelectDriver: Extracting driver',
    ],
  },
  {
    ...action('wireguard-driver-reused'),
    id: 'win.driver.reused',
    impl: 'windows',
    format: 'Using existing driver %d.%d',
    pattern: '(?:\\[Wintun\\] (?:\\w{1,64}: )?)?Using existing driver (?<detail>\\d{1,5}\\.\\d{1,5})',
    // Wintun's own wording with a driver version: specific enough without an envelope (Go programs that embed
    // Wintun log it through Go's standard logger).
    unenveloped: true,
    level: 'info',
    direction: 'none',
    examples: [
      '2022-06-11 19:52:15.172484: [TUN] [USA-Miami] Using existing driver 0.10',
      '2023-01-28 10:34:49.846272: [TUN] [Test] Using existing driver 0.10',
    ],
  },
  {
    ...action('wireguard-adapter-creation-started'),
    id: 'win.driver.creating_adapter',
    impl: 'windows',
    format: 'Creating adapter',
    // The driver library's own line, after the service's "Creating network adapter" / "Creating Wintun interface".
    pattern: '(?:\\[Wintun\\] (?:\\w{1,64}: )?)?Creating adapter',
    level: 'info',
    direction: 'none',
    examples: [
      '2022-06-11 18:21:09.993448: [TUN] [USA-Miami] Creating adapter',
      '2021-02-10 16:06:51.750076: [TUN] [client] [Wintun] CreateAdapter: Creating adapter',
    ],
  },

  // ---------------------------------------------------------------------------------------------------------
  // TunSafe (Windows client with its own WireGuard code)
  // ---------------------------------------------------------------------------------------------------------
  {
    ...action('wireguard-config-file-loading'),
    id: 'ts.config.loading',
    impl: 'tunsafe',
    format: 'Loading file: %s',
    // Only configuration files on a Windows path: "Loading file: " alone is too common a text even in TunSafe's
    // layout.
    pattern: 'Loading file: (?<detail>[A-Za-z]:\\\\[^\\n]{1,400}?\\.conf)',
    level: 'info',
    direction: 'none',
    examples: [
      '[08:06:59] Loading file: C:\\Program Files\\TunSafe\\Config\\gege.conf',
      '[14:22:07] Loading file: C:\\Users\\me\\Documents\\office.conf',
    ],
  },
  {
    ...action('wireguard-tun-create-failed'),
    id: 'ts.tun.open_tap_failed',
    impl: 'tunsafe',
    format: 'OpenTapAdapter: CreateFile failed: 0x%X... retrying',
    pattern: 'OpenTapAdapter: CreateFile failed: (?<errno>0x[0-9A-Fa-f]{1,8})\\.\\.\\. retrying(?: \\(last notice\\))?',
    level: 'error',
    direction: 'none',
    diagnosis: 'tunsafe-tap-unavailable',
    notes: '"(last notice)" ends the repetition in the log; TunSafe keeps retrying silently. 0x2 is ERROR_FILE_NOT_FOUND: no TAP adapter.',
    examples: [
      '[08:06:59] OpenTapAdapter: CreateFile failed: 0x2... retrying',
      '[08:07:14] OpenTapAdapter: CreateFile failed: 0x2... retrying (last notice)',
    ],
  },
];
